"""Time what an editor sees: an edit saved while `sourcebook serve` runs, until the page shows it.

    python benchmarks/serve.py [--sizes 1000 10000] [--edits 5] [--other-edits N]

Starts `sourcebook serve` on a generated archive, listens to its reload
events as an open page does, edits one note, and measures the wall time from
the file being saved to the page's reload event (which includes the watcher's
debounce), to the new page fetched with the edit in it, and to the search
index holding the edit (serve re-indexes in the background, once editing has
paused for a second). With `--other-edits N`, it then edits the document
template N times (every page changes: the open page is written and announced
first) and a sentence of one bundle N times, and times those too. Prints
medians.
"""

from __future__ import annotations

import argparse
import gzip
import http.client
import json
import re
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.generate_archive import generate
from generator.publish import search
from generator.render import search_parts
from generator.render.changed import default_templates


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class _Events:
    """Reads the serve reload stream in a thread, as the page at `page` would; records
    when each state arrives: its epoch, and whether the rebuild was still writing."""

    def __init__(self, port: int, page: str) -> None:
        self.arrivals: list[tuple[float, int, bool]] = []
        self.changed = threading.Condition()
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=600)
        connection.request("GET", "/__sourcebook/events?page=" + urllib.parse.quote(page, safe=""))
        self.response = connection.getresponse()
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        for raw in self.response:
            if raw.startswith(b"data: "):
                state = json.loads(raw[6:])
                with self.changed:
                    self.arrivals.append((time.perf_counter(), state["epoch"], "fresh" in state))
                    self.changed.notify_all()

    def wait_beyond(self, epoch: int, timeout: float = 600) -> tuple[float, int]:
        """The first arrival of an epoch above `epoch`."""
        with self.changed:
            self.changed.wait_for(lambda: any(e > epoch for _, e, _ in self.arrivals), timeout)
            return next((t, e) for t, e, _ in self.arrivals if e > epoch)

    def wait_done(self, epoch: int, timeout: float = 600) -> float:
        """When the rebuild of `epoch` (or a later one) ended."""
        with self.changed:
            self.changed.wait_for(
                lambda: any(e >= epoch and not early for _, e, early in self.arrivals), timeout
            )
            return next(t for t, e, early in self.arrivals if e >= epoch and not early)


def _page(port: int, path: str) -> str:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
    connection.request("GET", path)
    return connection.getresponse().read().decode()


def bench(size: int, edits: int, work: Path, other_edits: int = 0) -> dict[str, str]:
    """Median seconds from saving a note to its reload event, and to the new page served."""
    source = work / f"archive-{size}"
    generate(source, size)
    notes = sorted((source / "notes").glob("*.yaml"))[0]
    document = re.search(r"(?m)^- doc: (\S+)", notes.read_text())[1]  # type: ignore[index]
    templates = work / f"templates-{size}"
    shutil.copytree(default_templates(), templates)
    port = _free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "generator", "serve", "--source", str(source),
         "--out", str(work / f"out-{size}"), "--port", str(port), "--templates", str(templates)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )  # fmt: skip
    try:
        assert server.stdout is not None
        started = time.perf_counter()
        for line in server.stdout:
            if line.startswith("serving "):
                break
        first_build = time.perf_counter() - started
        page = f"/documents/{document}/"
        events = _Events(port, page)
        _, epoch = events.wait_beyond(-1)
        to_event, to_page, to_search = [], [], []
        for number in range(edits):
            time.sleep(1.0)  # let the watcher settle between edits
            text = notes.read_text()
            marker = f"Edit {number} of note one."
            saved = time.perf_counter()
            notes.write_text(text.replace("note: ", f"note: {marker} ", 1))
            arrived, epoch = events.wait_beyond(epoch)
            to_event.append(arrived - saved)
            html = _page(port, page)
            to_page.append(time.perf_counter() - saved)
            if marker not in html:
                raise SystemExit(f"the served page does not show edit {number}")
            to_search.append(_until_indexed(work / f"out-{size}", document, marker) - saved)
        figures = {
            "first": f"{first_build:.1f}",
            "event": f"{statistics.median(to_event) * 1000:.0f}",
            "page": f"{statistics.median(to_page) * 1000:.0f}",
            "search": f"{statistics.median(to_search):.1f}",
        }
        if other_edits:
            figures |= _other_edits(source, templates, port, page, events, epoch, other_edits)
    finally:
        server.terminate()
        server.wait()
    return figures


def _other_edits(
    source: Path, templates: Path, port: int, page: str, events: _Events, epoch: int, edits: int
) -> dict[str, str]:
    """Median seconds for template edits (to the open page, to the end) and bundle edits."""
    template = templates / "document.html"
    original = template.read_text()
    told, served, done = [], [], []
    for number in range(edits):
        time.sleep(1.0)
        marker = f"<!-- template edit {number} -->"
        saved = time.perf_counter()
        template.write_text(original.replace("</article>", marker + "</article>", 1))
        arrived, epoch = events.wait_beyond(epoch)
        told.append(arrived - saved)
        if marker not in _page(port, page):
            raise SystemExit(f"the open page does not show template edit {number}")
        served.append(time.perf_counter() - saved)
        done.append(events.wait_done(epoch) - saved)
    bundle = sorted((source / "sources").glob("*.txt"))[1]
    text = bundle.read_text()
    body = max(text.splitlines(), key=len)  # a paragraph, not a header line
    rebuilt = []
    for number in range(edits):
        time.sleep(1.0)
        saved = time.perf_counter()
        edited = body.replace(" the ", f" the {'very ' * (number + 1)}", 1)
        bundle.write_text(text.replace(body, edited, 1))
        _, epoch = events.wait_beyond(epoch)
        rebuilt.append(events.wait_done(epoch) - saved)
    return {
        "template told": f"{statistics.median(told):.2f}",
        "template served": f"{statistics.median(served):.2f}",
        "template done": f"{statistics.median(done):.1f}",
        "bundle": f"{statistics.median(rebuilt):.1f}",
    }


def _until_indexed(out: Path, document: str, marker: str, timeout: float = 600) -> float:
    """When the served search index first holds `marker` in `document`'s part."""
    ids = [page.parent.name for page in out.glob(search.INDEXED)]
    part = next(n for n, members in search_parts.parts_of(ids).items() if document in members)
    deadline = time.perf_counter() + timeout
    seen: set[str] = set()  # fragments already read: their names are hashes of their bytes
    while time.perf_counter() < deadline:
        # A part holds one Pagefind bundle per language: pagefind/<part>/<language>/.
        for fragment in (out / search.FOLDER / str(part)).glob("*/fragment/*.pf_fragment"):
            if fragment.name in seen:
                continue
            try:
                text = gzip.decompress(fragment.read_bytes())
            except (OSError, EOFError):
                continue  # replaced while read
            if marker.encode() in text:
                return time.perf_counter()
            seen.add(fragment.name)
        time.sleep(0.05)
    raise SystemExit(f"the search index did not take '{marker}' in {timeout:.0f} s")


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark and print a Markdown table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10000])
    parser.add_argument("--edits", type=int, default=5)
    parser.add_argument("--other-edits", type=int, default=0)
    args = parser.parse_args(argv)
    # The server's background search indexing may still be writing when it is stopped.
    with tempfile.TemporaryDirectory(
        prefix="sourcebook-serve-", ignore_cleanup_errors=True
    ) as folder:
        rows = [
            (size, bench(size, args.edits, Path(folder), args.other_edits)) for size in args.sizes
        ]
    print(
        "| documents | first build (s) | note saved → reload event (ms) | → new page (ms) "
        "| → found by search (s) |"
    )
    print("|---:|---:|---:|---:|---:|")
    for size, row in rows:
        print(f"| {size} | {row['first']} | {row['event']} | {row['page']} | {row['search']} |")
    if args.other_edits:
        print(
            "\n| documents | template saved → open page told (s) | → open page served (s) "
            "| → rebuild done (s) | bundle sentence saved → rebuild done (s) |"
        )
        print("|---:|---:|---:|---:|---:|")
        for size, row in rows:
            print(
                f"| {size} | {row['template told']} | {row['template served']} "
                f"| {row['template done']} | {row['bundle']} |"
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
