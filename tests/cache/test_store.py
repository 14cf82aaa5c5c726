"""The build cache: content-keyed, replays problems, forgets what is unused, survives bad files."""

from __future__ import annotations

import os
import pickle
import sqlite3
from pathlib import Path

from generator.cache import database, inputs
from generator.cache.digests import digest
from generator.cache.store import BuildCache, scoped
from generator.diagnostics import Diagnostics
from generator.model import Comparison, Document, Group, Paragraph, Provenance, SourceLine


def test_remember_computes_once_and_replays_its_problems() -> None:
    cache = BuildCache()
    calls = []

    def compute(found: Diagnostics) -> int:
        calls.append(1)
        found.warning("notes/a.yaml", 3, "careful")
        return 42

    for _ in range(2):
        diagnostics = Diagnostics()
        assert cache.remember("stage", "k", diagnostics, compute) == 42
        assert diagnostics.lines() == ["notes/a.yaml:3: warning: careful"]
    assert len(calls) == 1


def test_settle_forgets_entries_this_build_did_not_use() -> None:
    cache = BuildCache()
    cache.remember("stage", "old", Diagnostics(), lambda found: 1)
    cache.settle()
    cache.remember("stage", "new", Diagnostics(), lambda found: 2)
    cache.settle()
    assert list(cache.entries["stage"]) == [scoped("new")]


def test_a_stage_a_build_did_not_run_keeps_its_entries() -> None:
    cache = BuildCache()
    cache.remember("model", "m", Diagnostics(), lambda found: 0)
    cache.store("comparisons", "a", 1)  # computed within the model
    cache.settle()
    cache.remember("model", "m", Diagnostics(), lambda found: 0)  # the model reused whole
    cache.settle()
    assert cache.lookup("comparisons", "a") == 1
    assert cache.lookup("comparisons", "b") is None
    cache.settle()
    cache.store("comparisons", "b", 2)  # the model computed again: only "b" used
    cache.settle()
    assert cache.entries["comparisons"] == {scoped("b"): (2, ())}


def test_file_digest_follows_the_bytes_even_within_one_timestamp(tmp_path: Path) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"one")
    cache = BuildCache()
    first = cache.file_digest(path)
    stat = path.stat()
    path.write_bytes(b"two")  # same size; put the old timestamp back
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert cache.file_digest(path) != first  # recent files are always read again


def test_an_old_unchanged_file_is_not_read_again(tmp_path: Path, monkeypatch) -> None:
    path = tmp_path / "a.txt"
    path.write_bytes(b"one")
    os.utime(path, (1_000_000_000, 1_000_000_000))
    cache = BuildCache()
    first = cache.file_digest(path)

    def refuse(self: Path) -> bytes:
        raise AssertionError(f"{self} was read again")

    monkeypatch.setattr(Path, "read_bytes", refuse)
    assert cache.file_digest(path) == first


def test_save_and_load_round_trip(tmp_path: Path) -> None:
    cache = BuildCache()
    cache.remember("stage", "k", Diagnostics(), lambda found: ("value", 1))
    cache.pages = {"index.html": "abc"}
    cache.memory["plan"] = ("key", lambda: None)  # memory only: never saved
    cache.save(tmp_path / "cache")
    loaded = BuildCache.load(tmp_path / "cache")
    assert loaded.entries == {}  # each stage is read when a build first asks for it
    assert loaded.lookup("stage", "k") == ("value", 1)
    assert loaded.entries == {"stage": {scoped("k"): (("value", 1), ())}}
    assert loaded.pages == {} and loaded.memory == {}  # page keys live in the state file


def test_a_broken_or_foreign_cache_file_gives_an_empty_cache(tmp_path: Path, monkeypatch) -> None:
    (tmp_path / "truncated").write_bytes(b"SQLite format 3\x00garbage")
    (tmp_path / "pickle").write_bytes(pickle.dumps(("0.1.0", "not our code", {}, {})))
    cache = BuildCache()
    cache.store("stage", "k", 1)
    monkeypatch.setattr(inputs, "toolchain", lambda: "other code")
    cache.save(tmp_path / "other-code")
    monkeypatch.undo()
    assert sqlite3.connect(tmp_path / "other-code").execute("SELECT * FROM meta").fetchall()
    for name in ("truncated", "pickle", "other-code", "missing"):
        assert BuildCache.load(tmp_path / name) == BuildCache()


def _document(doc_id: str, text: str) -> Document:
    provenance = Provenance("a.txt", 1, 2, "0" * 64, None, 1, {}, (SourceLine(1, text),))
    return Document(doc_id, provenance, (Paragraph(1, text, 1),), doc_id, False, "en")


def _rows(path: Path, table: str) -> list[tuple]:
    return sqlite3.connect(path).execute(f"SELECT * FROM {table}").fetchall()


def test_model_objects_are_stored_once_and_loaded_as_one_object_with_their_digest(
    tmp_path: Path,
) -> None:
    cache, shared = BuildCache(), _document("a", "Once.")
    cache.store("model", "m", (shared, _document("b", "Twice.")))
    cache.store("comparison", "c", shared)
    cache.save(tmp_path / "cache")
    stored = {row[0] for row in _rows(tmp_path / "cache", "objects")}
    assert stored == {digest(shared), digest(_document("b", "Twice."))}
    loaded = BuildCache.load(tmp_path / "cache")
    model = loaded.lookup("model", "m")
    assert model == (shared, _document("b", "Twice."))
    assert loaded.lookup("comparison", "c") is model[0]  # one object, as before saving
    assert model[0].__dict__["_content_digest"] == digest(shared)  # not computed again


def test_an_entry_naming_many_objects_writes_them_as_they_are_pickled(
    tmp_path: Path, monkeypatch
) -> None:
    batches: list[int] = []

    class Counted(database._Writer):
        def __init__(self, stored: set[str], insert) -> None:  # type: ignore[no-untyped-def]
            super().__init__(stored, lambda rows: (batches.append(len(rows)), insert(rows)))

    monkeypatch.setattr(database, "_Writer", Counted)
    monkeypatch.setattr(database, "_FLUSH_BYTES", 1)  # every object on its own
    model = tuple(_document(f"d{n}", f"Text {n}.") for n in range(5))
    cache = BuildCache()
    cache.store("model", "m", model)
    cache.save(tmp_path / "cache")
    assert batches == [1] * 5  # not the entry's five objects held until it is pickled
    assert BuildCache.load(tmp_path / "cache").lookup("model", "m") == model


def test_a_stage_reads_its_objects_a_query_per_level_of_nesting_not_one_each(
    tmp_path: Path,
) -> None:
    group = Group("g", "Talks", ("a", "b"))
    model = (
        _document("a", "One."),
        _document("b", "Two."),
        Comparison(group, ("a", "b"), (), (), ()),
    )
    cache = BuildCache()
    cache.store("model", "m", model)
    cache.save(tmp_path / "cache")
    loaded = BuildCache.load(tmp_path / "cache")
    read: list[str] = []
    loaded._saved.connection.set_trace_callback(read.append)  # type: ignore[union-attr]
    assert loaded.lookup("model", "m") == model
    # The documents and the comparison at once, then the group the comparison names.
    assert len([s for s in read if "FROM objects" in s]) == 2


def test_saving_again_writes_only_what_changed_and_drops_what_no_entry_names(
    tmp_path: Path,
) -> None:
    path = tmp_path / "cache"
    cache = BuildCache()
    cache.store("model", "old", _document("a", "Old."))
    cache.store("vectors", "v", 7)
    cache.save(path)
    loaded = BuildCache.load(path)
    loaded.remember("model", "new", Diagnostics(), lambda found: _document("a", "New."))
    loaded.settle()
    written: list[str] = []
    connection = loaded._saved.connection  # type: ignore[union-attr]
    connection.set_trace_callback(written.append)
    loaded.save(path)
    connection.set_trace_callback(None)
    assert len([s for s in written if "INTO entries" in s]) == 1  # the new model, not "v"
    assert [row[1] for row in _rows(path, "entries")] == [scoped("new"), scoped("v")]
    assert [row[0] for row in _rows(path, "objects")] == [digest(_document("a", "New."))]
    again = BuildCache.load(path)
    assert again.lookup("vectors", "v") == 7  # a stage this build never read is kept


def test_a_save_that_fails_midway_leaves_the_saved_cache_as_it_was(
    tmp_path: Path, monkeypatch
) -> None:
    path = tmp_path / "cache"
    cache = BuildCache()
    cache.store("stage", "a", 1)
    cache.save(path)
    loaded = BuildCache.load(path)
    loaded.lookup("stage", "a")
    loaded.settle()
    loaded.store("stage", "b", 2)
    loaded.store("stage", "c", Unpicklable())  # fails once "b" is written
    loaded.save(path)
    again = BuildCache.load(path)
    assert (again.lookup("stage", "a"), again.lookup("stage", "b")) == (1, None)


class Unpicklable:
    def __reduce__(self) -> tuple:
        raise pickle.PicklingError("not this one")


def test_a_saved_entry_is_unpickled_only_when_a_build_asks_for_it(tmp_path: Path) -> None:
    path = tmp_path / "cache"
    cache = BuildCache()
    cache.store("model", "old", _document("a", "Old."))
    cache.save(path)
    loaded = BuildCache.load(path)
    # A source edit: the last model is stale, and is never unpickled to find that out.
    assert loaded.lookup("model", "new") is None
    assert loaded._saved is not None and loaded._saved.loaded == {}
    loaded.store("model", "new", _document("a", "New."))
    loaded.settle()
    loaded.save(path)
    assert [row[1] for row in _rows(path, "entries")] == [scoped("new")]
    assert BuildCache.load(path).lookup("model", "new") == _document("a", "New.")


def test_saved_entries_not_asked_for_before_saving_are_kept(tmp_path: Path) -> None:
    path = tmp_path / "cache"
    cache = BuildCache()
    cache.store("bundle", "a", 1)
    cache.store("bundle", "b", 2)
    cache.save(path)
    loaded = BuildCache.load(path)
    assert loaded.lookup("bundle", "a") == 1
    loaded.save(path)  # not settled: "b" is neither gone nor new
    assert sorted(row[1] for row in _rows(path, "entries")) == sorted([scoped("a"), scoped("b")])
    again = BuildCache.load(path)
    again.read_in("bundle")  # every entry unpickled at once, as before a fork
    assert again.entries == {"bundle": {scoped("a"): (1, ()), scoped("b"): (2, ())}}
    again.save(tmp_path / "elsewhere")  # a new file holds every entry
    assert BuildCache.load(tmp_path / "elsewhere").lookup("bundle", "b") == 2


def test_objects_read_ahead_for_entries_never_asked_for_are_let_go_on_saving(
    tmp_path: Path,
) -> None:
    path = tmp_path / "cache"
    cache = BuildCache()
    cache.store("model", "a", _document("a", "Asked for."))
    cache.store("model", "b", _document("b", "Never asked for."))
    cache.save(path)
    loaded = BuildCache.load(path)
    assert loaded.lookup("model", "a") == _document("a", "Asked for.")
    assert loaded._saved is not None and loaded._saved.fetched  # b's object, read ahead
    loaded.settle()
    loaded.save(path)
    assert loaded._saved.fetched == {}
    assert [row[1] for row in _rows(path, "entries")] == [scoped("a")]
