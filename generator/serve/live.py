"""What pages open under `serve` are told, and the script that listens.

Each page holds a Server-Sent Events stream to `serve` and is told the epoch
(one per published rebuild) and the build's problems; it reloads when the
epoch changes and shows the problems in an overlay. A page says which it is
when it opens its stream, so that a long rebuild can write the open pages
first and have them reload before the rest of the site is written.
"""

from __future__ import annotations

import threading
from collections import Counter
from dataclasses import dataclass, field

from generator.build.up_to_date import BuildResult

RELOAD_SCRIPT = """\
(() => {
  const here = location.pathname;
  const source = new EventSource("/__sourcebook/events?page=" + encodeURIComponent(here));
  let seen = null;  // the epoch this page was shown in, and whether it was current then
  source.addEventListener("state", (event) => {
    const state = JSON.parse(event.data);
    // While a rebuild is still writing, only the open pages it has rewritten are current.
    const current = !state.fresh || state.fresh.includes(here);
    if (seen !== null && current && (state.epoch !== seen.epoch || !seen.current)) {
      location.reload();
      return;
    }
    if (seen === null || state.epoch !== seen.epoch) seen = { epoch: state.epoch, current };
    let overlay = document.getElementById("sourcebook-errors");
    if (!state.errors.length) { if (overlay) overlay.remove(); return; }
    if (!overlay) {
      overlay = document.createElement("div");
      overlay.id = "sourcebook-errors";
      overlay.setAttribute("role", "alert");
      overlay.style.cssText = "position:fixed;inset:auto 0 0 0;max-height:50vh;overflow:auto;" +
        "background:#2b0b0b;color:#ffdede;font:14px/1.5 monospace;padding:1em 1.5em;" +
        "z-index:2147483647;border-top:4px solid #e5484d;white-space:pre-wrap";
      document.body.append(overlay);
    }
    overlay.textContent = "The last edit broke the build; this is the last good version.\\n\\n" +
      state.errors.join("\\n");
  });
})();
"""


@dataclass
class LiveState:
    """The served site's epoch, current problems and open pages, shared by all threads.

    A rebuild that rewrites many files (a template edit at 10,000 documents)
    writes the open pages first and announces them at once: those pages
    reload while the rest is still being written, as in Hugo's fast render
    mode. Until the rebuild ends, only those `fresh` files are served; any
    other request waits for it, so no page is ever served out of date.
    """

    epoch: int = 0
    errors: list[str] = field(default_factory=list)
    condition: threading.Condition = field(default_factory=threading.Condition)
    building: threading.Lock = field(default_factory=threading.Lock)
    closed: bool = False  # serve is stopping: event streams end
    open_pages: Counter[str] = field(default_factory=Counter)  # URL path → event streams
    fresh_pages: tuple[str, ...] | None = None  # announced early in a rebuild still writing
    fresh_files: frozenset[str] = frozenset()  # their files, and the assets they load

    def early(self, pages: tuple[str, ...], files: frozenset[str]) -> None:
        """Announce a new epoch for `pages`, whose `files` are written; the rest is to come."""
        with self.condition:
            self.epoch += 1
            self.fresh_pages, self.fresh_files = pages, files
            self.condition.notify_all()

    def publish(self, result: BuildResult) -> None:
        """Record a rebuild: a new epoch on success, the problems on failure."""
        with self.condition:
            announced = self.fresh_pages is not None
            self.fresh_pages, self.fresh_files = None, frozenset()
            if result.published:
                if not announced:  # else its epoch began when the open pages were written
                    self.epoch += 1
                self.errors = [
                    line for line in result.diagnostics.lines() if ": warning: " not in line
                ]
            else:
                problems = result.diagnostics.lines() or []
                if result.output_error:
                    problems.append(f"error: {result.output_error}")
                self.errors = [p for p in problems if ": warning: " not in p]
            self.condition.notify_all()

    def opened(self, page: str) -> None:
        """A page opened an event stream."""
        with self.condition:
            self.open_pages[page] += 1

    def left(self, page: str) -> None:
        """A page's event stream closed."""
        with self.condition:
            self.open_pages[page] -= 1
            if not self.open_pages[page]:
                del self.open_pages[page]

    def pages(self) -> tuple[str, ...]:
        """The URL paths of the pages open now."""
        with self.condition:
            return tuple(sorted(self.open_pages))

    def close(self) -> None:
        """End every open event stream."""
        with self.condition:
            self.closed = True
            self.condition.notify_all()

    def snapshot(self) -> dict[str, object]:
        """What open pages are told: the epoch, the problems, and the early pages if any."""
        with self.condition:
            told: dict[str, object] = {"epoch": self.epoch, "errors": list(self.errors)}
            if self.fresh_pages is not None:
                told["fresh"] = list(self.fresh_pages)
            return told


def output_path(base_url: str, path: str) -> str | None:
    """The output file a URL path under `base_url` names, relative to the output folder."""
    if not path.startswith(base_url):
        return None
    rel = path.removeprefix(base_url)
    if not rel or rel.endswith("/"):
        return rel + "index.html"
    return rel if "." in rel.rsplit("/", 1)[-1] else rel + "/index.html"
