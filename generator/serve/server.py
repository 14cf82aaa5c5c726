"""`sourcebook serve`: build, serve over HTTP, rebuild on every edit, reload open pages.

The design follows MkDocs' livereload: every successful rebuild starts a new
"epoch"; pages hold a Server-Sent Events connection and reload when the epoch
changes. The pages open in a browser are rewritten first and reload at once;
any other request waits until the rebuild ends, so a browser never sees a page
out of date. A broken file keeps the last good site served and shows its
problems in an overlay. The reload script is injected only here, never into
the published output.
"""

from __future__ import annotations

import contextlib
import errno
import gc
import json
import logging
import mimetypes
import signal
import sys
import threading
import time
from collections.abc import Callable, Iterator
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, unquote, urlsplit

from watchdog.events import FileSystemEvent, FileSystemEventHandler
from watchdog.observers import Observer

from generator.build.pipeline import BuildResult, build, resume, suspend
from generator.cache.store import BuildCache
from generator.cores import forking_beside_threads
from generator.serve.live import RELOAD_SCRIPT, LiveState, output_path
from generator.serve.refresh import SearchRefresher
from generator.sources.site_config import normalize_base_url

SPECIAL = "/__sourcebook/"
DEBOUNCE_SECONDS = 0.05  # long enough for a burst of saves, short enough to feel instant
_KEEPALIVE_SECONDS = 15.0
SETTLE_AFTER_SECONDS = 30.0  # after a rebuild, this long without an edit: collect it all
_IGNORED_SUFFIXES = ("~", ".swp", ".swx", ".tmp", ".part")
_STOP_SIGNALS = (signal.SIGTERM, signal.SIGHUP)


class _Changes(FileSystemEventHandler):
    """Collects file events; the rebuilder waits for a quiet moment, then rebuilds."""

    def __init__(self, ignore: Path) -> None:
        self.ignore = ignore
        self.last = 0.0
        self.pending = threading.Event()

    def on_any_event(self, event: FileSystemEvent) -> None:
        if event.event_type in ("opened", "closed_no_write"):
            return
        path = Path(str(event.src_path))
        if path.name.startswith((".", "#")) or path.name.endswith(_IGNORED_SUFFIXES):
            return
        if path.is_relative_to(self.ignore):
            return
        self.last = time.monotonic()
        self.pending.set()


def _rebuilder(
    changes: _Changes,
    state: LiveState,
    rebuild: Callable[[], BuildResult],
    refresher: SearchRefresher,
    stopping: threading.Event,
) -> None:
    # `stopping` is checked after each wait and each rebuild: a stop that comes
    # while a rebuild is under way must not leave this thread waiting for events.
    while not stopping.is_set():
        changes.pending.wait()
        if stopping.is_set():
            return
        # Debounce: an editor saving several files, or a git checkout, is one rebuild.
        while time.monotonic() - changes.last < DEBOUNCE_SECONDS:
            time.sleep(DEBOUNCE_SECONDS / 4)
        changes.pending.clear()
        # The threads beside this one only serve, watch and index: the rebuild may
        # fork, and so render and compare on two cores, as `build` does.
        with state.building, forking_beside_threads():
            started = time.perf_counter()
            result = rebuild()
        state.publish(result)
        _report(result, time.perf_counter() - started)
        refresher.request(result)
        # A stop that came meanwhile may have been cleared from `pending` with the
        # edit: it must not wait for the pause below. `serve` thaws the heap.
        if stopping.is_set():
            return
        _keep_heap()
        # The full collection holds the interpreter for about 1 s at 10,000
        # documents: run after each rebuild, it stalled the reload's requests or,
        # a second later, the next edit's rebuild. It waits for a long pause.
        if not changes.pending.wait(SETTLE_AFTER_SECONDS) and not stopping.is_set():
            _settle_heap()


def _keep_heap() -> None:
    """Collect what the last rebuild made and let go, then freeze what it keeps.

    The model and cache frozen before are not walked: this takes milliseconds
    after a note edit. Cycles among frozen objects the rebuild let go wait for
    `_settle_heap`.
    """
    gc.collect()
    gc.freeze()


def _settle_heap() -> None:
    """Collect all garbage, frozen or not, then keep what lives on out of later collections.

    The model and the cache (millions of objects at 10,000 documents) survive
    every rebuild; the collector's full passes over them, about 1 s each, came
    at random inside one note edit in ten or so (measured in process: 1.31 s
    instead of 0.23). Frozen, they are skipped; this pass, which walks them,
    runs once the editor has paused.
    """
    gc.unfreeze()
    gc.collect()
    gc.freeze()


def _report(result: BuildResult, seconds: float) -> None:
    for line in result.diagnostics.lines():
        print(line, file=sys.stderr, flush=True)
    if result.output_error:
        print(f"error: {result.output_error}", file=sys.stderr, flush=True)
    if result.published:
        print(f"rebuilt: {result.changed} files changed ({seconds:.2f} s)", flush=True)
    else:
        print(
            "error: the build failed; still serving the last good site", file=sys.stderr, flush=True
        )


def make_handler(out: Path, base_url: str, state: LiveState) -> type[BaseHTTPRequestHandler]:
    """A request handler serving `out` under `base_url`, plus the live-reload endpoints."""

    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, format: str, *args: object) -> None:
            pass  # the editor's terminal is for build problems, not access logs

        def do_GET(self) -> None:
            address = urlsplit(self.path)
            path = unquote(address.path)
            if path == SPECIAL + "events":
                page = parse_qs(address.query).get("page", [None])[0]
                self._events(page)
            elif path == SPECIAL + "reload.js":
                self._send(HTTPStatus.OK, "text/javascript", RELOAD_SCRIPT.encode())
            elif output_path(base_url, path) in state.fresh_files:
                self._file(path)  # written early in the running rebuild
            else:
                with state.building:  # wait for a running rebuild to finish
                    self._file(path)

        def _file(self, path: str) -> None:
            target = self._resolve(path)
            status = HTTPStatus.OK
            if target is None:
                status, target = HTTPStatus.NOT_FOUND, out / "404.html"
                if not target.is_file():
                    self._send(status, "text/plain", b"not found")
                    return
            data = target.read_bytes()
            kind = mimetypes.guess_type(target.name)[0] or "application/octet-stream"
            if kind == "text/html":
                tag = f'<script src="{SPECIAL}reload.js"></script>'.encode()
                data = data.replace(b"</body>", tag + b"</body>", 1)
                kind += "; charset=utf-8"
            self._send(status, kind, data)

        def _resolve(self, path: str) -> Path | None:
            if not path.startswith(base_url):
                return None
            root = out.resolve()
            target = (root / path.removeprefix(base_url)).resolve()
            if not target.is_relative_to(root):
                return None
            if target.is_dir():
                target = target / "index.html"
            return target if target.is_file() else None

        def _send(self, status: HTTPStatus, kind: str, data: bytes) -> None:
            self.send_response(status)
            self.send_header("Content-Type", kind)
            self.send_header("Content-Length", str(len(data)))
            self.send_header("Cache-Control", "no-store")
            self.end_headers()
            self.wfile.write(data)

        def _events(self, page: str | None) -> None:
            if page is not None:
                state.opened(page)
            try:
                self.send_response(HTTPStatus.OK)
                self.send_header("Content-Type", "text/event-stream")
                self.send_header("Cache-Control", "no-store")
                self.send_header("Connection", "close")
                self.end_headers()
                self.close_connection = True
                self._stream()
            finally:
                if page is not None:
                    state.left(page)

        def _stream(self) -> None:
            sent: dict[str, object] | None = None
            try:
                while not state.closed:
                    current = state.snapshot()
                    if current != sent:
                        payload = json.dumps(current)
                        self.wfile.write(f"event: state\ndata: {payload}\n\n".encode())
                        sent = current
                    else:
                        self.wfile.write(b": keep-alive\n\n")
                    self.wfile.flush()
                    with state.condition:
                        if not state.closed:
                            state.condition.wait(timeout=_KEEPALIVE_SECONDS)
            except (BrokenPipeError, ConnectionResetError):
                return

    return Handler


def serve(
    source: Path,
    out: Path,
    templates: Path,
    host: str,
    port: int,
    base_url: str | None = None,
    ready: Callable[[ThreadingHTTPServer], None] | None = None,
    site_url: str | None = None,
    clean: bool = False,
) -> int:
    """Serve until Ctrl-C, SIGTERM or SIGHUP; return the exit code."""
    base = normalize_base_url(base_url) if base_url is not None else None
    state = LiveState()
    # Kept in memory: a rebuild redoes only what the edit touched. It starts from
    # the last `build`'s, so a large archive is not built again to be served.
    cache = BuildCache() if clean else resume(out)

    last: BuildResult | None = None
    started = 0  # when the last rebuild began, by the wall clock (files' times use it)
    served_base = base or "/"

    def rebuild() -> BuildResult:
        nonlocal last, started
        started = time.time_ns()
        # The open pages, and the assets they load, are written and announced first.
        # A tab showing the 404 page names a file that does not exist: it is not
        # announced early, so it reloads once the rebuild (and the 404 page) is done.
        files = {page: output_path(served_base, unquote(page)) for page in state.pages()}
        files = {page: path for page, path in files.items() if path and (out / path).is_file()}
        pages = tuple(files)
        first: frozenset[str] = frozenset()
        if pages:
            assets = (p for p in (out / "assets").rglob("*") if p.is_file())
            first = frozenset(files.values()) | {p.relative_to(out).as_posix() for p in assets}
        last = build(
            source,
            out,
            templates,
            base_url=base,
            site_url=site_url,
            cache=cache,
            first=first,
            early=lambda: state.early(pages, first),
        )
        return last

    try:
        server = ThreadingHTTPServer((host, port), BaseHTTPRequestHandler)
    except OSError as problem:
        if problem.errno == errno.EADDRINUSE:
            print(
                f"error: port {port} on {host} is in use; choose another with --port",
                file=sys.stderr,
            )
        else:
            print(f"error: cannot listen on {host}:{port}: {problem.strerror}", file=sys.stderr)
        return 2
    server.daemon_threads = True
    with _stop_signals(server), _thawed():
        began = time.perf_counter()
        first = rebuild()
        _report(first, time.perf_counter() - began)
        state.publish(first)
        _settle_heap()
        served_base = base or _site_base(out)
        server.RequestHandlerClass = make_handler(out, served_base, state)
        changes = _Changes(out.resolve())
        observer = Observer()
        for folder in {source.resolve(), templates.resolve()}:
            observer.schedule(changes, str(folder), recursive=True)
        observer.start()
        refresher = SearchRefresher(out, first)
        refresher.request(first)  # parts whose pages changed since the last build, if any
        stopping = threading.Event()
        rebuilder = threading.Thread(
            target=_rebuilder, args=(changes, state, rebuild, refresher, stopping), daemon=True
        )
        rebuilder.start()
        address = server.server_address
        print(f"serving http://{address[0]}:{address[1]}{served_base} — Ctrl-C to stop", flush=True)
        if ready is not None:
            ready(server)
        with contextlib.suppress(KeyboardInterrupt):  # Ctrl-C: stop
            server.serve_forever(poll_interval=0.2)
        try:
            # Every thread serve started ends before it returns: a caller that goes
            # on (a test run, say) must not find stray threads rebuilding or indexing.
            # Stopping races watchdog's own inotify thread, which may then log an
            # error ("queue_events() called when the thread is inactive") on the
            # editor's terminal: nothing is lost, watching is what stops.
            logging.getLogger("watchdog.observers.inotify").setLevel(logging.CRITICAL)
            observer.stop()
            observer.join()
            # An edit seen after the last rebuild began, not rebuilt: not up to date.
            edited = changes.pending.is_set()
            stopping.set()
            changes.pending.set()
            rebuilder.join()  # a rebuild under way is finished, and published
            gc.unfreeze()  # a caller that goes on collects its garbage as before
            refresher.stop()
            state.close()
            server.server_close()
            assert last is not None  # the first build ran before serving
            since = None if edited else started
            suspend(out, source, templates, base, site_url, cache, last, refresher.indexed, since)
        except KeyboardInterrupt:
            print(
                "stopped while saving the build cache: the next start may redo some work",
                flush=True,
            )
        else:
            print("stopped", flush=True)
    return 0


@contextlib.contextmanager
def _thawed() -> Iterator[None]:
    """The heap thawed when the block ends, however it ends: serve freezes it as it runs."""
    try:
        yield
    finally:
        gc.unfreeze()


@contextlib.contextmanager
def _stop_signals(server: ThreadingHTTPServer) -> Iterator[None]:
    """While the block runs, SIGTERM and SIGHUP stop `server` as Ctrl-C does.

    What `kill`, systemd, Docker and a closed terminal send: the rebuild under
    way and the first build are finished, the state and cache are saved, and
    the exit code is 0. `shutdown` waits for `serve_forever` to end, so it is
    called from a thread of its own (and, before `serve_forever` starts, makes
    it return at once). A `serve` run outside the main thread (a test) cannot
    take signals and leaves them alone.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return

    def stop(signum: int, frame: object) -> None:
        threading.Thread(target=server.shutdown, daemon=True).start()

    previous = {number: signal.signal(number, stop) for number in _STOP_SIGNALS}
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)


def _site_base(out: Path) -> str:
    """The base path the published site was built for (from its data export)."""
    try:
        data = json.loads((out / "data" / "archive.json").read_text(encoding="utf-8"))
        return normalize_base_url(data["site"]["base_url"])
    except (OSError, ValueError, KeyError, TypeError):
        return "/"
