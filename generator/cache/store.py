"""What one build keeps for the next: stage results and page keys, by content digest.

`serve` keeps one `BuildCache` in memory across rebuilds; `build` saves it
beside the output (`.<out>.cache.sqlite`) and loads it the next time. Every
entry is keyed by digests of the exact bytes it was computed from and of the
code that computed it (`inputs.toolchain`), so a stale entry can only be
missed, never used. `--clean` starts from an empty cache.

The file is an SQLite database (the standard library's), one row per entry,
so that a build loads only the stages it reads (a note edit: the model, the
notes; not the comparisons or the sentence vectors) and saves only the
entries it added or dropped, in one transaction: a build killed while saving
leaves the cache as the last build left it (`database.py` reads and writes
the file). Documents, notes, groups and
comparisons are stored once each, by content digest (`digests.digest`, kept
on them, so a loaded object is never digested again), and named by it inside
the entries that hold them: the model and the comparisons' stage share them,
and no single pickle of the whole model (whose memo was the clean build's
memory peak) is ever made.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from generator import __version__
from generator.cache import inputs
from generator.cache.database import Database, Row
from generator.diagnostics import Diagnostic, Diagnostics

T = TypeVar("T")
# Per stage: the entries added (key → (value, problems)) and the keys used.
Changes = dict[str, tuple[dict[str, tuple[Any, tuple[Diagnostic, ...]]], set[str]]]

# A file modified this recently may be modified again within the file system's
# timestamp granularity without its size or mtime changing: always re-read it.
_RACY_SECONDS = 2.0


@dataclass
class BuildCache:
    """Stage results and rendered page keys of the last build, by content digest."""

    # path → ((size, mtime_ns, inode), sha256 hex) of files read before
    files: dict[str, tuple[tuple[int, int, int], str]] = field(default_factory=dict)
    # stage → key → (value, problems found computing it); a saved stage is read in
    # when first used
    entries: dict[str, dict[str, tuple[Any, tuple[Diagnostic, ...]]]] = field(default_factory=dict)
    # output path → key of what it was rendered from, for the output as last published
    # (`serve` keeps it here; `build` keeps it in the output's state file, beside it)
    pages: dict[str, str] = field(default_factory=dict)
    # name → (key, value) kept in memory only, for `serve`: never saved
    memory: dict[str, tuple[str, Any]] = field(default_factory=dict, repr=False)
    _used: dict[str, set[str]] = field(default_factory=dict, repr=False)
    # the database this cache was loaded from, and the keys of each stage read from it
    _saved: Database | None = field(default=None, repr=False, compare=False)
    _read: dict[str, set[str]] = field(default_factory=dict, repr=False, compare=False)
    # stage → key → a saved entry read but not yet unpickled: a build unpickles
    # only the entries it asks for (a source edit never the last model, 1.4 s
    # of CPU at 10,000 documents, which it only needed to find stale)
    _rows: dict[str, dict[str, Row]] = field(default_factory=dict, repr=False, compare=False)
    _released: bool = field(default=False, repr=False, compare=False)  # see `release`

    def file_digest(self, path: Path) -> str:
        """The SHA-256 of a file's bytes; re-read only when its size, mtime or inode moved."""
        stat = path.stat()
        signature = (stat.st_size, stat.st_mtime_ns, stat.st_ino)
        known = self.files.get(str(path))
        racy = time.time_ns() - stat.st_mtime_ns < _RACY_SECONDS * 1e9
        if known is not None and known[0] == signature and not racy:
            return known[1]
        value = hashlib.sha256(path.read_bytes()).hexdigest()
        self.files[str(path)] = (signature, value)
        return value

    def tree_digest(self, root: Path, skip: Callable[[str], bool] = lambda rel: False) -> str:
        """A digest of every file under `root` (names and bytes), except those `skip` names."""
        digest = hashlib.sha256()
        if root.is_dir():
            for folder, dirs, names in os.walk(root):
                dirs.sort()
                for name in sorted(names):
                    path = Path(folder) / name
                    rel = path.relative_to(root).as_posix()
                    if skip(rel) or not path.is_file():
                        continue
                    digest.update(f"{rel}\0{self.file_digest(path)}\0".encode())
        return digest.hexdigest()

    def _stage(self, stage: str) -> dict[str, tuple[Any, tuple[Diagnostic, ...]]]:
        """A stage's entries; its saved ones are read the first time a build asks."""
        entries = self.entries.get(stage)
        if entries is None:
            entries = self.entries[stage] = {}
            if self._saved is not None:
                rows = self._rows[stage] = self._saved.rows(stage)
                self._read[stage] = set(rows)
        return entries

    def _entry(self, stage: str, key: str) -> tuple[Any, tuple[Diagnostic, ...]] | None:
        """The entry kept for `key`, unpickled if it was saved; None if there is none."""
        entries = self._stage(stage)
        hit = entries.get(key)
        rows = self._rows.get(stage)
        if hit is None and rows and key in rows:
            assert self._saved is not None
            hit = entries[key] = self._saved.entry(stage, rows, key)
        return hit

    def read_in(self, stage: str) -> None:
        """Unpickle every saved entry of a stage now (before a fork: the child must not
        read through this process's database connection)."""
        for key in list(self._stage(stage).keys() | self._rows.get(stage, {}).keys()):
            self._entry(stage, key)

    def remember(
        self, stage: str, key: str, diagnostics: Diagnostics, compute: Callable[[Diagnostics], T]
    ) -> T:
        """`compute`'s result for `key`, computed once; its problems are reported every time."""
        key = scoped(key)
        self._used.setdefault(stage, set()).add(key)
        hit = self._entry(stage, key)
        if hit is None:
            found = Diagnostics()
            value = compute(found)
            hit = self.entries[stage][key] = (value, tuple(found.items))
        diagnostics.items.extend(hit[1])
        return hit[0]

    def lookup(self, stage: str, key: str) -> Any | None:
        """The value kept for `key`, if any (kept for the next build too); else None."""
        key = scoped(key)
        self._used.setdefault(stage, set()).add(key)
        hit = self._entry(stage, key)
        return None if hit is None else hit[0]

    def store(self, stage: str, key: str, value: Any) -> None:
        """Keep `value` for `key` (a result that reports no problems)."""
        key = scoped(key)
        self._used.setdefault(stage, set()).add(key)
        self._stage(stage)[key] = (value, ())
        self._rows.get(stage, {}).pop(key, None)

    def mark(self) -> dict[str, set[str]]:
        """The keys each stage holds now: what `changes` tells the entries added after by."""
        return {stage: set(entries) for stage, entries in self.entries.items()}

    def changes(self, mark: dict[str, set[str]]) -> Changes:
        """The entries added since `mark`, and the keys used: what a forked child sends back."""
        return {
            stage: (
                {k: hit for k, hit in entries.items() if k not in mark.get(stage, set())},
                set(self._used.get(stage, set())),
            )
            for stage, entries in self.entries.items()
        }

    def merge(self, changes: Changes) -> None:
        """Take in what a forked child added to its copy of this cache, and used of it.

        The stages it read must have been read in (`read_in`) before the fork.
        """
        for stage, (added, used) in changes.items():
            self._stage(stage).update(added)
            self._used.setdefault(stage, set()).update(used)

    def keep_only(self, stage: str, key: str, value: Any) -> None:
        """Keep `value` as the one entry of `stage` (a result only the next build reads)."""
        key = scoped(key)
        self._stage(stage)  # what the saved cache holds of it, to be dropped
        self._used[stage] = {key}
        self.entries[stage] = {key: (value, ())}
        self._rows[stage] = {}

    def settle(self) -> None:
        """Forget the entries this build did not use, so the cache stays the archive's size.

        A stage this build did not run at all keeps its entries: the groups'
        comparisons, say, when the whole model was reused.
        """
        for stage, entries in self.entries.items():
            used = self._used.get(stage)
            if used is None:
                continue
            for stale in [k for k in entries if k not in used]:
                del entries[stale]
            self._rows.pop(stage, None)  # saved, never asked for: unused as well
        self._used = {}

    def save(self, path: Path) -> None:
        """Write the cache (best effort: without it the next build does everything).

        Into the database it was loaded from, only what changed, in one
        transaction; else a new database, moved in place once complete.
        Once `release`d, it does nothing: what it held is saved.
        """
        if self._released:
            return
        try:
            if self._saved is not None and self._saved.path == path and path.is_file():
                # Saved entries not unpickled stay as they are saved: neither gone nor new.
                kept = {
                    stage: read - self._rows.get(stage, {}).keys()
                    for stage, read in self._read.items()
                }
                self._saved.update(self.files, self.entries, kept)
            else:
                self._write_new(path)
        except (OSError, sqlite3.Error, pickle.PicklingError):
            return
        if self._saved is not None:
            # Objects read ahead for entries never asked for: a session's worth, under serve.
            self._saved.fetched = {}
            self._saved._prefetched = set()  # a stage asked for later reads them again
        self._read = {
            stage: set(entries) | self._rows.get(stage, {}).keys()
            for stage, entries in self.entries.items()
        }

    def release(self, path: Path) -> None:
        """Save the cache to `path`, then let go of every entry and object it holds.

        For a `build` that needs them no more, before its last step: the
        search index's Pagefind runs (about 120 MB each at 10,000 documents)
        ran beside the whole model, kept here. The page keys stay.
        """
        self.save(path)
        if self._saved is not None:
            self._saved.close()
        self._saved, self._released = None, True
        self.entries, self.memory, self._rows, self._read, self._used = {}, {}, {}, {}, {}

    def _write_new(self, path: Path) -> None:
        temporary = path.with_name(path.name + ".tmp")
        temporary.unlink(missing_ok=True)
        try:
            database = Database.create(temporary)
            self.load_all()
            database.update(self.files, self.entries, {})
            database.close()
            os.replace(temporary, path)
            self._saved = Database.open(path)
        except BaseException:
            temporary.unlink(missing_ok=True)
            raise

    def load_all(self) -> None:
        """Read in every stage the saved cache holds (before it is written anew)."""
        if self._saved is not None:
            for stage in self._saved.stages():
                self.read_in(stage)

    @classmethod
    def load(cls, path: Path) -> BuildCache:
        """The cache saved by the last build, or an empty one if it is missing or stale."""
        try:
            database = Database.open(path)
            if database.meta() != (__version__, inputs.toolchain()):
                database.close()
                return cls()
            return cls(files=database.files(), _saved=database)
        except Exception:  # unreadable, truncated, from another version: start afresh
            return cls()


def cache_file(out: Path) -> Path:
    """Where the cache of output folder `out` is kept: beside it, never published."""
    return out.with_name(f".{out.name}.cache.sqlite")


def scoped(key: str) -> str:
    """A stage's key for `key` as this code computes it: the code is an input of every result."""
    return hashlib.blake2b(f"{inputs.toolchain()}\0{key}".encode(), digest_size=16).hexdigest()
