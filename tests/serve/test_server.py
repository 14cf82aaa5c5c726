"""`sourcebook serve`: edits reach open pages; broken files show an overlay, not a dead site."""

from __future__ import annotations

import contextlib
import gc
import gzip
import http.client
import json
import os
import shutil
import socket
import sys
import threading
import time
import urllib.parse
from collections.abc import Iterator
from pathlib import Path

import pytest

from benchmarks.generate_archive import generate
from generator import cores
from generator.build.pipeline import BuildResult, build
from generator.cli import main
from generator.diagnostics import Diagnostics
from generator.publish import search
from generator.render import search_parts
from generator.render.changed import default_templates
from generator.serve import refresh
from generator.serve import server as server_module
from generator.serve.live import LiveState
from generator.serve.server import serve
from tests.browser import chromium
from tests.sources.test_archive import EXAMPLE_WARNINGS, HILL, STATE

EXAMPLE_LINE = EXAMPLE_WARNINGS[0] + "\n"

pytestmark = pytest.mark.timeout(60)


class Live:
    """A running `serve` in a thread, and an open event stream to it."""

    def __init__(self, source: Path, out: Path, templates: Path | None = None) -> None:
        self.ready = threading.Event()
        self.server = None
        self.thread = threading.Thread(
            target=serve,
            args=(source, out, templates or default_templates(), "127.0.0.1", 0),
            kwargs={"ready": self._ready},
            daemon=True,
        )
        self.thread.start()
        assert self.ready.wait(30), "the server did not start"
        self.port = self.server.server_address[1]
        self.connections: list[http.client.HTTPConnection] = []
        self.stream = self.events()

    def _ready(self, server) -> None:
        self.server = server
        self.ready.set()

    def events(self, page: str | None = None) -> http.client.HTTPResponse:
        """An event stream, opened as the page at the URL path `page` opens one."""
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        self.connections.append(connection)
        query = "" if page is None else "?page=" + urllib.parse.quote(page, safe="")
        connection.request("GET", "/__sourcebook/events" + query)
        stream = connection.getresponse()
        assert stream.getheader("Content-Type") == "text/event-stream"
        return stream

    def next_state(self, stream: http.client.HTTPResponse | None = None) -> dict:
        """The next `state` event sent to open pages."""
        data = None
        while True:
            line = (stream or self.stream).readline().decode()
            assert line, "the event stream closed"
            if line.startswith("data: "):
                data = json.loads(line[6:])
            elif line == "\n" and data is not None:
                return data

    def get(self, path: str) -> tuple[int, str]:
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=20)
        with contextlib.closing(connection):
            connection.request("GET", path)
            response = connection.getresponse()
            return response.status, response.read().decode()

    def stop(self) -> None:
        for connection in self.connections:
            connection.close()
        self.server.shutdown()
        self.thread.join(10)


@pytest.fixture
def live(example_source: Path, tmp_path: Path):
    server = Live(example_source, tmp_path / "build")
    yield server
    server.stop()


def test_note_edit_reloads_the_page_with_the_change(live: Live, example_source: Path) -> None:
    first = live.next_state()
    assert first == {"epoch": 1, "errors": []}
    status, page = live.get(f"/documents/{HILL}/")
    assert status == 200
    assert '<script src="/__sourcebook/reload.js"></script></body>' in page
    notes = example_source / "notes" / "hill.yaml"
    notes.write_text(
        notes.read_text().replace("The sources here do not say which.", "Edited while serving.")
    )
    assert live.next_state() == {"epoch": 2, "errors": []}
    assert "Edited while serving." in live.get(f"/documents/{HILL}/")[1]


def test_the_served_model_is_kept_out_of_the_collector_s_passes_until_serve_stops(
    example_source: Path, tmp_path: Path
) -> None:
    live = Live(example_source, tmp_path / "build")
    try:
        assert gc.get_freeze_count() > 0  # the first build's model, frozen once it is served
    finally:
        live.stop()
    assert gc.get_freeze_count() == 0


def test_the_whole_heap_is_collected_a_pause_after_a_rebuild_its_new_objects_at_once(
    example_source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settled: list[float] = []
    kept: list[float] = []
    monkeypatch.setattr(server_module, "_settle_heap", lambda: settled.append(time.monotonic()))
    monkeypatch.setattr(server_module, "_keep_heap", lambda: kept.append(time.monotonic()))
    monkeypatch.setattr(server_module, "SETTLE_AFTER_SECONDS", 0.5)
    live = Live(example_source, tmp_path / "build")
    try:
        assert live.next_state()["epoch"] == 1
        settled.clear()  # the first build's, made before serving
        kept.clear()
        notes = example_source / "notes" / "hill.yaml"
        notes.write_text(notes.read_text().replace("do not say which", "say nothing"))
        assert live.next_state()["epoch"] == 2
        told = time.monotonic()
        assert settled == []
        deadline = told + 10
        while not settled:
            assert time.monotonic() < deadline, "the heap was never collected"
            time.sleep(0.05)
        assert settled[0] - told > 0.3
        assert len(kept) == 1 and kept[0] < settled[0]
    finally:
        live.stop()


def test_the_heap_is_thawed_however_serve_s_block_ends() -> None:
    with pytest.raises(ValueError), server_module._thawed():
        gc.freeze()  # as serve does once it has built
        raise ValueError("an inotify limit, say, before serving")
    assert gc.get_freeze_count() == 0


@pytest.mark.timeout(20)
def test_a_stop_during_the_debounce_ends_the_rebuilder_after_its_rebuild(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    monkeypatch.setattr(server_module, "SETTLE_AFTER_SECONDS", 30.0)
    monkeypatch.setattr(server_module, "_keep_heap", lambda: None)  # this process's heap
    changes, stopping, rebuilt = server_module._Changes(tmp_path), threading.Event(), []
    state = LiveState()

    def rebuild() -> BuildResult:
        time.sleep(0.2)
        rebuilt.append(time.monotonic())
        return BuildResult(Diagnostics(), 0, 0, 0)

    refresher = type("Refresher", (), {"request": lambda self, result: None})()
    monkeypatch.setattr(state, "publish", lambda result: None)
    thread = threading.Thread(
        target=server_module._rebuilder, args=(changes, state, rebuild, refresher, stopping)
    )
    thread.start()
    changes.last = time.monotonic()
    changes.pending.set()  # an edit
    time.sleep(0.01)  # the stop comes inside the debounce, as `serve` sends it
    stopping.set()
    changes.pending.set()
    thread.join(10)
    assert not thread.is_alive() and len(rebuilt) == 1  # the rebuild under way, then out


def test_a_template_edit_reloads_the_open_page_before_the_rest_is_written(
    example_source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The rebuild pauses once it has announced the open page, as a long one would be
    # still writing the rest of the site at that moment.
    proceed = threading.Event()
    announce = LiveState.early

    def announce_and_pause(state, pages, files) -> None:
        announce(state, pages, files)
        proceed.wait(20)

    monkeypatch.setattr(LiveState, "early", announce_and_pause)
    templates = tmp_path / "templates"
    shutil.copytree(default_templates(), templates)
    live = Live(example_source, tmp_path / "build", templates)
    try:
        page = live.events(f"/documents/{HILL}/")
        assert live.next_state(page) == {"epoch": 1, "errors": []}
        # A tab showing the 404 page is not told early: its page is not yet rewritten.
        missing = live.events("/no/such/page/")
        assert live.next_state(missing) == {"epoch": 1, "errors": []}
        document = templates / "document.html"
        document.write_text(document.read_text().replace("</article>", "<!-- edited --></article>"))
        assert live.next_state(page) == {
            "epoch": 2,
            "errors": [],
            "fresh": [f"/documents/{HILL}/"],
        }
        # The open page is served, rewritten; any other page waits for the rebuild to end.
        assert "<!-- edited -->" in live.get(f"/documents/{HILL}/")[1]
        other: list[str] = []
        waiting = threading.Thread(target=lambda: other.append(live.get(f"/documents/{STATE}/")[1]))
        waiting.start()
        waiting.join(0.5)
        assert other == []
        proceed.set()
        waiting.join(10)
        assert len(other) == 1 and "<!-- edited -->" in other[0]
        # Every page then hears that the rebuild is done, in the same epoch.
        assert live.next_state(page) == {"epoch": 2, "errors": []}
        assert [live.next_state() for _ in range(3)] == [
            {"epoch": 1, "errors": []},
            {"epoch": 2, "errors": [], "fresh": [f"/documents/{HILL}/"]},
            {"epoch": 2, "errors": []},
        ]
    finally:
        proceed.set()
        live.stop()


def test_in_chromium_a_template_edit_reloads_the_open_page_once(
    example_source: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # As in the test above, the rebuild pauses once it has announced the open page.
    proceed, page_open = threading.Event(), threading.Event()
    announce, opened = LiveState.early, LiveState.opened

    def announce_and_pause(state, pages, files) -> None:
        announce(state, pages, files)
        proceed.wait(20)

    def open_and_tell(state, page) -> None:
        opened(state, page)
        page_open.set()

    monkeypatch.setattr(LiveState, "early", announce_and_pause)
    monkeypatch.setattr(LiveState, "opened", open_and_tell)
    templates = tmp_path / "templates"
    shutil.copytree(default_templates(), templates)
    live = Live(example_source, tmp_path / "build", templates)
    try:
        with chromium() as browser:
            page = browser.new_page()
            address = f"http://127.0.0.1:{live.port}/documents/{HILL}/"
            loads: list[str] = []
            page.on("load", lambda: loads.append(page.url))
            errors: list[str] = []
            page.on("pageerror", lambda error: errors.append(str(error)))
            page.goto(address)
            assert page_open.wait(10), "the page opened no event stream"
            document = templates / "document.html"
            document.write_text(
                document.read_text().replace("</article>", '<p id="edited">Edited.</p></article>')
            )
            page.wait_for_selector("#edited", timeout=20_000)  # while the rebuild is paused
            proceed.set()
            while live.next_state() != {"epoch": 2, "errors": []}:
                pass  # until the rebuild has ended
            page.wait_for_timeout(1000)  # a second reload would come now
            assert loads == [address, address]
            assert errors == []
    finally:
        proceed.set()
        live.stop()


_FORKED_LOG: Path | None = None  # where the render's forked children note their pid
_SPAN = cores._span


def _logged_span(span: tuple[int, int]) -> list:
    """`cores._span`, noting which process ran it (a module function: the pool pickles it)."""
    assert _FORKED_LOG is not None
    with _FORKED_LOG.open("a") as log:
        log.write(f"{os.getpid()}\n")
    return _SPAN(span)


@pytest.mark.skipif(not cores.two_cores(), reason="needs two cores")
def test_a_template_edit_renders_on_two_cores_beside_serve_s_threads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source, out, templates = tmp_path / "src", tmp_path / "build", tmp_path / "templates"
    generate(source, 80, seed=3)  # more document pages than `cores.MIN_ITEMS`
    shutil.copytree(default_templates(), templates)
    log = tmp_path / "forked"
    monkeypatch.setattr(sys.modules[__name__], "_FORKED_LOG", log)
    monkeypatch.setattr(cores, "_span", _logged_span)
    live = Live(source, out, templates)
    try:
        assert live.next_state()["epoch"] == 1
        log.unlink(missing_ok=True)  # the first build's, if it forked
        document = templates / "document.html"
        document.write_text(document.read_text().replace("</article>", "<!-- edited --></article>"))
        assert live.next_state() == {"epoch": 2, "errors": []}
    finally:
        live.stop()
    forked = {int(pid) for pid in log.read_text().split()} if log.exists() else set()
    assert forked - {os.getpid()}, "the rebuild rendered on one core"
    clean = tmp_path / "clean"
    assert build(source, clean, templates, clean=True).published
    assert _site_files(out) == _site_files(clean)


def _indexed_text(out: Path) -> str:
    """Every page's text as the served search index holds it."""
    texts = []
    for fragment in sorted((out / "pagefind").glob("*/*/fragment/*.pf_fragment")):
        with contextlib.suppress(OSError, EOFError):  # replaced while we read
            texts.append(gzip.decompress(fragment.read_bytes()).decode(errors="replace"))
    return "\n".join(texts)


def test_search_index_follows_edits_in_the_background(
    live: Live, example_source: Path, tmp_path: Path
) -> None:
    assert live.next_state()["epoch"] == 1
    out = tmp_path / "build"
    assert "The sources here do not say which." in _indexed_text(out)
    notes = example_source / "notes" / "hill.yaml"
    notes.write_text(
        notes.read_text().replace("The sources here do not say which.", "Indexed while serving.")
    )
    assert live.next_state()["epoch"] == 2
    deadline = time.monotonic() + 20
    while "Indexed while serving." not in _indexed_text(out):
        assert time.monotonic() < deadline, "the search index was not refreshed"
        time.sleep(0.1)
    assert "The sources here do not say which." not in _indexed_text(out)


def test_background_index_redoes_only_the_edited_documents_part(
    example_source: Path, tmp_path: Path, monkeypatch, pagefind_runs: list[Path]
) -> None:
    monkeypatch.setattr(search_parts, "PART_SIZE", 2)  # the example's 5 documents in 3 parts
    runs = pagefind_runs
    live = Live(example_source, tmp_path / "build")
    try:
        assert live.next_state()["epoch"] == 1
        assert len(runs) == 3  # the first build indexes every part
        notes = example_source / "notes" / "hill.yaml"
        notes.write_text(
            notes.read_text().replace("The sources here do not say which.", "Indexed once.")
        )
        assert live.next_state()["epoch"] == 2
        deadline = time.monotonic() + 20
        while "Indexed once." not in _indexed_text(tmp_path / "build"):
            assert time.monotonic() < deadline, "the search index was not refreshed"
            time.sleep(0.1)
        assert len(runs) == 4
        part = next(
            n for n, ids in search_parts.parts_of(_document_ids(tmp_path)).items() if HILL in ids
        )
        assert (runs[3].parent.name, runs[3].name) == (f"{part}", ".en.pages")
    finally:
        live.stop()


def test_serve_starts_from_the_last_build_and_redoes_only_what_changed_since(
    example_source: Path, tmp_path: Path, monkeypatch, pagefind_runs: list[Path]
) -> None:
    monkeypatch.setattr(search_parts, "PART_SIZE", 2)  # the example's 5 documents in 3 parts
    out = tmp_path / "build"
    assert main(["build", "--source", str(example_source), "--out", str(out)]) == 0
    built = {p: p.stat().st_mtime_ns for p in out.rglob("*") if p.is_file()}
    notes = example_source / "notes" / "hill.yaml"
    notes.write_text(
        notes.read_text().replace("The sources here do not say which.", "Edited between.")
    )
    pagefind_runs.clear()  # the runs of `build`
    live = Live(example_source, out)
    try:
        assert live.next_state()["epoch"] == 1
        assert "Edited between." in live.get(f"/documents/{HILL}/")[1]
        deadline = time.monotonic() + 20
        while "Edited between." not in _indexed_text(out):
            assert time.monotonic() < deadline, "the search index was not refreshed"
            time.sleep(0.1)
        part = next(
            n for n, ids in search_parts.parts_of(_document_ids(tmp_path)).items() if HILL in ids
        )
        assert [(run.parent.name, run.name) for run in pagefind_runs] == [(f"{part}", ".en.pages")]
        rewritten = sorted(
            p.relative_to(out).as_posix()
            for p, mtime in built.items()
            if p.exists() and p.stat().st_mtime_ns != mtime and "pagefind" not in p.parts
        )
        assert rewritten == ["data/annotations.jsonld", f"documents/{HILL}/index.html"]
    finally:
        live.stop()


def _site_files(out: Path) -> dict[str, bytes]:
    return {p.relative_to(out).as_posix(): p.read_bytes() for p in out.rglob("*") if p.is_file()}


@contextlib.contextmanager
def _note_edited_while_serving(source: Path, out: Path, text: str) -> Iterator[Live]:
    """`serve` running, once it has published an edit to the Hill note; stopped after."""
    live = Live(source, out)
    try:
        assert live.next_state()["epoch"] == 1
        notes = source / "notes" / "hill.yaml"
        notes.write_text(notes.read_text().replace("The sources here do not say which.", text))
        assert live.next_state()["epoch"] == 2
        yield live
    finally:
        live.stop()


def test_build_after_serve_has_nothing_to_do_once_the_index_caught_up(
    example_source: Path, tmp_path: Path
) -> None:
    out = tmp_path / "build"
    with _note_edited_while_serving(example_source, out, "Kept for later."):
        deadline = time.monotonic() + 20
        while "Kept for later." not in _indexed_text(out):
            assert time.monotonic() < deadline, "the search index was not refreshed"
            time.sleep(0.1)
    assert build(example_source, out, default_templates()).up_to_date
    clean = tmp_path / "clean"
    assert build(example_source, clean, default_templates(), clean=True).published
    assert _site_files(out) == _site_files(clean)


def test_stopping_serve_indexes_what_the_last_edit_changed_first(
    example_source: Path, tmp_path: Path, monkeypatch
) -> None:
    monkeypatch.setattr(refresh, "QUIET_SECONDS", 60.0)  # stopped well before
    out = tmp_path / "build"
    with _note_edited_while_serving(example_source, out, "Indexed on the way out."):
        assert "Indexed on the way out." not in _indexed_text(out)
    assert "Indexed on the way out." in _indexed_text(out)
    assert build(example_source, out, default_templates()).up_to_date


def test_build_after_serve_indexes_what_serve_could_not(
    example_source: Path, tmp_path: Path, monkeypatch, pagefind_runs: list[Path], capsys
) -> None:
    monkeypatch.setattr(search_parts, "PART_SIZE", 2)  # the example's 5 documents in 3 parts
    out = tmp_path / "build"
    counted = search._run_pagefind  # the fixture's: counts the run, then runs Pagefind

    def killed(*args: object) -> None:
        raise search.SearchIndexError("Pagefind could not index the site: killed")

    with _note_edited_while_serving(example_source, out, "Not yet indexed."):
        monkeypatch.setattr(search, "_run_pagefind", killed)  # as a process manager may do
    monkeypatch.setattr(search, "_run_pagefind", counted)
    assert capsys.readouterr().err == (
        EXAMPLE_LINE * 2  # the headerless copy: told at the first build and at the rebuild
        + "warning: search index not refreshed: Pagefind could not index the site: killed\n"
    )
    assert "Not yet indexed." not in _indexed_text(out)
    pagefind_runs.clear()  # the runs of serve's first build
    result = build(example_source, out, default_templates())
    assert not result.up_to_date and result.published
    part = next(
        n for n, ids in search_parts.parts_of(_document_ids(tmp_path)).items() if HILL in ids
    )
    # That part only (its one bundle, English).
    assert [(run.parent.name, run.name) for run in pagefind_runs] == [(f"{part}", ".en.pages")]
    assert "Not yet indexed." in _indexed_text(out)


def _document_ids(tmp_path: Path) -> list[str]:
    return [page.parent.name for page in (tmp_path / "build").glob(search.INDEXED)]


def test_broken_yaml_shows_errors_and_keeps_the_last_good_site(
    live: Live, example_source: Path
) -> None:
    live.next_state()
    notes = example_source / "notes" / "hill.yaml"
    good = notes.read_text()
    notes.write_text(good + "  - quote: [unclosed\n")
    state = live.next_state()
    assert state["epoch"] == 1
    assert len(state["errors"]) == 1
    assert state["errors"][0].startswith("notes/hill.yaml:")
    assert ": error: invalid YAML: " in state["errors"][0]
    status, page = live.get(f"/documents/{HILL}/")
    assert status == 200 and "The sources here do not say which." in page
    notes.write_text(good)
    assert live.next_state() == {"epoch": 2, "errors": []}


EXTRA = "2024-01-05-daily-courier-talks-resume"


def test_a_bundle_added_then_removed_while_serving_comes_and_goes(
    live: Live, example_source: Path, tmp_path: Path
) -> None:
    live.next_state()
    bundle = example_source / "sources" / "extra.txt"
    bundle.write_text(
        "Daily Courier\nLaredo, Texas\nJanuary 5, 2024\nTalks resume\n"
        "Officials from both countries met again on Friday to continue the talks.\n"
    )
    assert live.next_state() == {"epoch": 2, "errors": []}
    assert live.get(f"/documents/{EXTRA}/")[0] == 200
    bundle.unlink()
    assert live.next_state() == {"epoch": 3, "errors": []}
    assert live.get(f"/documents/{EXTRA}/")[0] == 404
    assert not (tmp_path / "build" / "documents" / EXTRA).exists()
    assert EXTRA not in live.get("/")[1]


def test_stopping_ends_every_thread_serve_started(example_source: Path, tmp_path: Path) -> None:
    before = set(threading.enumerate())
    server = Live(example_source, tmp_path / "build")
    assert server.get("/")[0] == 200
    server.stop()
    assert not server.thread.is_alive()
    # A request's own thread ends once its connection closes: give it a moment.
    deadline = time.monotonic() + 5
    while set(threading.enumerate()) - before and time.monotonic() < deadline:
        time.sleep(0.05)
    assert sorted(t.name for t in set(threading.enumerate()) - before) == []


def test_published_output_has_no_reload_script(live: Live, tmp_path: Path) -> None:
    live.next_state()
    assert not any(b"__sourcebook" in p.read_bytes() for p in (tmp_path / "build").rglob("*.html"))
    status, page = live.get("/no/such/page/")
    assert status == 404 and "Page not found" in page
    assert live.get("/__sourcebook/reload.js")[0] == 200


def test_port_in_use_is_a_clear_error(example_source: Path, tmp_path: Path, capsys) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        code = serve(example_source, tmp_path / "out", default_templates(), "127.0.0.1", port)
    assert code == 2
    assert capsys.readouterr().err == (
        f"error: port {port} on 127.0.0.1 is in use; choose another with --port\n"
    )
