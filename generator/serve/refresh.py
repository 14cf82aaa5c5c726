"""The search index of the served site, refreshed in the background once editing pauses."""

from __future__ import annotations

import sys
import threading
from pathlib import Path

from generator.build.up_to_date import BuildResult
from generator.publish import search

QUIET_SECONDS = 1.0  # no edit for this long: refresh the search index


class SearchRefresher:
    """Re-indexes the served site for search in the background, one run at a time.

    A reload must not wait for Pagefind (seconds at 10,000 documents), so the
    search page may answer from the previous index for a moment after an edit.
    Only the index's parts whose pages changed since they were indexed are redone.
    """

    def __init__(self, out: Path, first: BuildResult) -> None:
        self.out = out
        self.wanted: BuildResult | None = None  # the last build to index, once editing pauses
        self.asked = threading.Event()
        # part → key of the pages it was indexed from, as the first build left them
        self.indexed: dict[int, str] = dict(first.indexed)
        self.stopping = threading.Event()
        self.thread = threading.Thread(target=self._run, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        """End the background thread, after indexing what the last rebuild changed.

        The refresh would have come a moment later anyway; done now, the next
        `build` finds the index current and has nothing to do.
        """
        self.stopping.set()
        self.asked.set()
        self.thread.join()

    def request(self, result: BuildResult) -> None:
        """Refresh the index after `result`, if it changed any file."""
        if result.published and result.changed and result.language:
            self.wanted = result
            self.asked.set()

    def _run(self) -> None:
        while True:
            self.asked.wait()
            # Wait for a pause in the editing: one index for a burst of saves.
            while self.asked.is_set() and not self.stopping.is_set():
                self.asked.clear()
                self.stopping.wait(QUIET_SECONDS)
            result, self.wanted = self.wanted, None
            if result is not None:
                self._refresh(result)
            if self.stopping.is_set():
                return

    def _refresh(self, result: BuildResult) -> None:
        assert result.language  # `request` takes no other
        # Derived here, not in the rebuild: a reload must not wait for it.
        keys = search.part_keys(result.page_keys, result.language)
        stale = [n for n, key in keys.items() if self.indexed.get(n) != key]
        try:
            # Once serve is stopping, no rebuild needs the cores: the index is what it waits for.
            background = not self.stopping.is_set()
            search.refresh_index(self.out, result.language, parts=stale, background=background)
        except search.SearchIndexError as problem:
            # Pagefind failed before the new index was put in place: the one on disk
            # is still what `indexed` says.
            print(f"warning: search index not refreshed: {problem}", file=sys.stderr)
        except OSError as problem:
            self.indexed = {}  # what is on disk is unknown now: redo it all next time
            print(f"warning: search index not refreshed: {problem}", file=sys.stderr)
        else:
            self.indexed = keys
