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
leaves the cache as the last build left it. Documents, notes, groups and
comparisons are stored once each, by content digest (`digests.digest`, kept
on them, so a loaded object is never digested again), and named by it inside
the entries that hold them: the model and the comparisons' stage share them,
and no single pickle of the whole model (whose memo was the clean build's
memory peak) is ever made.
"""

from __future__ import annotations

import hashlib
import io
import os
import pickle
import sqlite3
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from generator import __version__
from generator.cache import deferred, digests, inputs
from generator.diagnostics import Diagnostic, Diagnostics

T = TypeVar("T")
# A saved entry as read from the database: its value's pickle, its problems'
# pickle, and the digests of the shared objects the value names.
_Row = tuple[bytes, bytes, str]
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
    _saved: _Database | None = field(default=None, repr=False, compare=False)
    _read: dict[str, set[str]] = field(default_factory=dict, repr=False, compare=False)
    # stage → key → a saved entry read but not yet unpickled: a build unpickles
    # only the entries it asks for (a source edit never the last model, 1.4 s
    # of CPU at 10,000 documents, which it only needed to find stale)
    _rows: dict[str, dict[str, _Row]] = field(default_factory=dict, repr=False, compare=False)

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
        """
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

    def _write_new(self, path: Path) -> None:
        temporary = path.with_name(path.name + ".tmp")
        temporary.unlink(missing_ok=True)
        try:
            database = _Database.create(temporary)
            self.load_all()
            database.update(self.files, self.entries, {})
            database.close()
            os.replace(temporary, path)
            self._saved = _Database.open(path)
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
            database = _Database.open(path)
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


_PER_QUERY = 500  # digests named in one query (SQLite allows 999 parameters at least)

_SCHEMA = (
    "CREATE TABLE meta (version TEXT, toolchain TEXT)",
    "CREATE TABLE files (path TEXT PRIMARY KEY, size INT, mtime INT, inode INT, sha TEXT)",
    "CREATE TABLE entries (stage TEXT, key TEXT, value BLOB, problems BLOB, refs TEXT,"
    " PRIMARY KEY (stage, key)) WITHOUT ROWID",
    "CREATE TABLE objects (digest TEXT PRIMARY KEY, value BLOB, refs TEXT, later BLOB)"
    " WITHOUT ROWID",
)


class _Database:
    """The saved cache: its entries one row each, the model objects they share once each.

    An object's `later` is the pickle of the fields it is loaded without, if any
    (`deferred.LATER`). An entry's or object's `refs` are the digests of the shared objects its
    pickle names: what keeps them, until no entry needs them.
    """

    def __init__(self, path: Path, connection: sqlite3.Connection) -> None:
        self.path = path
        self.connection = connection
        self.loaded: dict[str, Any] = {}  # digest → object, one per digest however named
        self.fetched: dict[str, tuple[bytes, bytes | None]] = {}  # read, not yet unpickled
        self._prefetched: set[str] = set()  # stages whose rows' objects were fetched

    @classmethod
    def open(cls, path: Path) -> _Database:
        if not path.is_file():
            raise FileNotFoundError(path)
        connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        connection.execute("PRAGMA synchronous = NORMAL")
        return cls(path, connection)

    @classmethod
    def create(cls, path: Path) -> _Database:
        connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        # Written whole, then moved in place: a journal would guard nothing.
        connection.execute("PRAGMA journal_mode = OFF")
        connection.execute("PRAGMA synchronous = OFF")
        for statement in _SCHEMA:
            connection.execute(statement)
        connection.execute("INSERT INTO meta VALUES (?, ?)", (__version__, inputs.toolchain()))
        return cls(path, connection)

    def close(self) -> None:
        self.connection.close()

    def meta(self) -> tuple[str, str]:
        row = self.connection.execute("SELECT version, toolchain FROM meta").fetchone()
        return (row[0], row[1]) if row else ("", "")

    def files(self) -> dict[str, tuple[tuple[int, int, int], str]]:
        rows = self.connection.execute("SELECT path, size, mtime, inode, sha FROM files")
        return {path: ((size, mtime, inode), sha) for path, size, mtime, inode, sha in rows}

    def stages(self) -> list[str]:
        return [row[0] for row in self.connection.execute("SELECT DISTINCT stage FROM entries")]

    def rows(self, stage: str) -> dict[str, _Row]:
        """A stage's saved entries, not yet unpickled: key → (value, problems, refs)."""
        found = self.connection.execute(
            "SELECT key, value, problems, refs FROM entries WHERE stage = ?", (stage,)
        )
        return {key: (value, problems, refs) for key, value, problems, refs in found}

    def entry(
        self, stage: str, rows: dict[str, _Row], key: str
    ) -> tuple[Any, tuple[Diagnostic, ...]]:
        """Unpickle `rows[key]` (of `stage`), taking it out of `rows`.

        The first of a stage's rows to be unpickled reads the objects all of
        them name, in a few queries: a build that asks for one entry of a stage
        asks for most.
        """
        if stage not in self._prefetched:
            self._fetch({d for _, _, refs in rows.values() for d in refs.split()})
            self._prefetched.add(stage)
        value, problems, _ = rows.pop(key)
        return self._unpickle(value), pickle.loads(problems)

    def _fetch(self, named: set[str]) -> None:
        """Read the shared objects `named` and those they name, a few queries in all.

        One query per object cost a note edit at 10,000 documents 0.6 s.
        """
        pending = [d for d in named if d not in self.loaded]
        while pending:
            chunk, pending = pending[:_PER_QUERY], pending[_PER_QUERY:]
            rows = self.connection.execute(
                "SELECT digest, value, refs, later FROM objects WHERE digest IN"
                f" ({', '.join('?' * len(chunk))})",
                chunk,
            )
            for content_digest, value, refs, later in rows:
                self.fetched[content_digest] = (value, later)
                pending += [
                    d for d in refs.split() if d not in self.loaded and d not in self.fetched
                ]

    def _unpickle(self, data: bytes) -> Any:
        unpickler = pickle.Unpickler(io.BytesIO(data))
        unpickler.persistent_load = self._object
        return unpickler.load()

    def _object(self, content_digest: str) -> Any:
        """The shared object of this digest, read once however many entries name it."""
        known = self.loaded.get(content_digest)
        if known is None:
            row = self.fetched.pop(content_digest, None)
            if row is None:
                row = self.connection.execute(
                    "SELECT value, later FROM objects WHERE digest = ?", (content_digest,)
                ).fetchone()
                if row is None:
                    raise pickle.UnpicklingError(f"no object {content_digest}")
            data, later = row
            if later is None:
                known = self._unpickle(data)
            else:
                known = deferred.placeholder(self._unpickle(data), later, self._unpickle)
            self.loaded[content_digest] = known
        return known

    def update(
        self,
        files: dict[str, tuple[tuple[int, int, int], str]],
        entries: dict[str, dict[str, tuple[Any, tuple[Diagnostic, ...]]]],
        read: dict[str, set[str]],
    ) -> None:
        """Make the saved cache hold `files` and `entries`, in one transaction.

        `read` is, for each stage read from this database, the keys it held
        then: only the others are written, and only those gone are deleted.
        A stage neither read nor in `entries` is left as it is.
        """
        db = self.connection
        writer = _Writer({row[0] for row in db.execute("SELECT digest FROM objects")})
        db.execute("BEGIN IMMEDIATE")
        try:
            db.execute("DELETE FROM files")
            db.executemany(
                "INSERT INTO files VALUES (?, ?, ?, ?, ?)",
                [(path, *signature, sha) for path, (signature, sha) in files.items()],
            )
            gone = False
            for stage, stage_entries in entries.items():
                before = read.get(stage, set())
                stale = [(stage, k) for k in before - stage_entries.keys()]
                db.executemany("DELETE FROM entries WHERE stage = ? AND key = ?", stale)
                gone = gone or bool(stale)
                # One entry at a time, its new objects with it: never the whole cache
                # in memory as bytes.
                for k, (value, problems) in stage_entries.items():
                    if k not in before:
                        data, refs = writer.pickle(value)
                        db.executemany(
                            "INSERT OR REPLACE INTO objects VALUES (?, ?, ?, ?)", writer.objects
                        )
                        writer.objects = []
                        db.execute(
                            "INSERT OR REPLACE INTO entries VALUES (?, ?, ?, ?, ?)",
                            (stage, k, data, pickle.dumps(problems, 5), " ".join(refs)),
                        )
            if gone:
                self._collect()
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise

    def _collect(self) -> None:
        """Delete the shared objects no entry names any more, directly or through another."""
        db = self.connection
        named = {row[0]: row[1].split() for row in db.execute("SELECT digest, refs FROM objects")}
        pending = [d for row in db.execute("SELECT refs FROM entries") for d in row[0].split()]
        live: set[str] = set()
        while pending:
            found = pending.pop()
            if found not in live:
                live.add(found)
                pending.extend(named.get(found, ()))
        dead = [(d,) for d in named if d not in live]
        db.executemany("DELETE FROM objects WHERE digest = ?", dead)
        for d in dead:
            self.loaded.pop(d[0], None)


class _Writer:
    """Pickles entries with each shared model object named by its digest, stored once."""

    def __init__(self, stored: set[str]) -> None:
        self.known = set(stored)
        self.objects: list[tuple[str, bytes, str, bytes | None]] = []  # new rows of objects

    def pickle(self, value: Any, root: object = None) -> tuple[bytes, set[str]]:
        """`value`'s pickle, and the digests of the shared objects it names."""
        refs: set[str] = set()
        stream = io.BytesIO()
        pickler = pickle.Pickler(stream, protocol=5)

        def named(obj: object) -> str | None:
            if obj is root or not isinstance(obj, digests.SHARED):
                return None
            content_digest = digests.digest(obj)
            refs.add(content_digest)
            if content_digest not in self.known:
                self.known.add(content_digest)
                parts = deferred.split(obj)
                later = None
                if parts is None:
                    data, inner = self.pickle(obj, root=obj)
                else:
                    data, inner = self.pickle(parts[0])
                    later, more = self.pickle(parts[1])
                    inner |= more
                self.objects.append((content_digest, data, " ".join(sorted(inner)), later))
            return content_digest

        pickler.persistent_id = named  # type: ignore[method-assign]
        pickler.dump(value)
        return stream.getvalue(), refs
