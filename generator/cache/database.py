"""The saved cache's file: an SQLite database, one row per entry, each model object once.

`store.BuildCache` decides what to read and write; this module reads and
writes it. Documents, notes, groups and comparisons are stored once each, by
content digest (`digests.digest`), and named by it inside the entries (and
objects) that hold them; an object is kept while an entry names it.
"""

from __future__ import annotations

import io
import pickle
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

from generator import __version__
from generator.cache import deferred, digests, inputs
from generator.diagnostics import Diagnostic

# A saved entry as read from the database: its value's pickle, its problems'
# pickle, and the digests of the shared objects the value names.
Row = tuple[bytes, bytes, str]
# A new row of the objects table: digest, pickle, the digests it names, its `later` pickle.
_Object = tuple[str, bytes, str, bytes | None]

_PER_QUERY = 500  # digests named in one query (SQLite allows 999 parameters at least)

_SCHEMA = (
    "CREATE TABLE meta (version TEXT, toolchain TEXT)",
    "CREATE TABLE files (path TEXT PRIMARY KEY, size INT, mtime INT, inode INT, sha TEXT)",
    "CREATE TABLE entries (stage TEXT, key TEXT, value BLOB, problems BLOB, refs TEXT,"
    " PRIMARY KEY (stage, key)) WITHOUT ROWID",
    "CREATE TABLE objects (digest TEXT PRIMARY KEY, value BLOB, refs TEXT, later BLOB)"
    " WITHOUT ROWID",
)


class Database:
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
    def open(cls, path: Path) -> Database:
        if not path.is_file():
            raise FileNotFoundError(path)
        connection = sqlite3.connect(path, isolation_level=None, check_same_thread=False)
        connection.execute("PRAGMA synchronous = NORMAL")
        return cls(path, connection)

    @classmethod
    def create(cls, path: Path) -> Database:
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

    def rows(self, stage: str) -> dict[str, Row]:
        """A stage's saved entries, not yet unpickled: key → (value, problems, refs)."""
        found = self.connection.execute(
            "SELECT key, value, problems, refs FROM entries WHERE stage = ?", (stage,)
        )
        return {key: (value, problems, refs) for key, value, problems, refs in found}

    def entry(
        self, stage: str, rows: dict[str, Row], key: str
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

        def insert(objects: list[_Object]) -> None:
            db.executemany("INSERT OR REPLACE INTO objects VALUES (?, ?, ?, ?)", objects)

        writer = _Writer({row[0] for row in db.execute("SELECT digest FROM objects")}, insert)
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
                # One entry at a time, its new objects written as they are pickled:
                # never the whole cache in memory as bytes.
                for k, (value, problems) in stage_entries.items():
                    if k not in before:
                        data, refs = writer.pickle(value)
                        writer.flush()
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


# Bytes of new objects' pickles held before they are written. The model's one
# entry names every document: held whole, its objects (72 MB at 10,000
# documents) were the clean build's last peak, saving the cache.
_FLUSH_BYTES = 4 << 20


class _Writer:
    """Pickles entries with each shared model object named by its digest, stored once.

    The new objects' rows go to `insert` a few MB at a time, as they are made.
    """

    def __init__(self, stored: set[str], insert: Callable[[list[_Object]], None]) -> None:
        self.known = set(stored)
        self.insert = insert
        self.objects: list[_Object] = []  # new rows of objects, not yet inserted
        self.pending = 0  # their bytes

    def flush(self) -> None:
        """Insert the new objects' rows held so far."""
        if self.objects:
            self.insert(self.objects)
        self.objects, self.pending = [], 0

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
                self.pending += len(data) + len(later or b"")
                if self.pending > _FLUSH_BYTES:
                    self.flush()
            return content_digest

        pickler.persistent_id = named  # type: ignore[method-assign]
        pickler.dump(value)
        return stream.getvalue(), refs
