"""The build cache: content-keyed, replays problems, forgets what is unused, survives bad files."""

from __future__ import annotations

import os
import pickle
from pathlib import Path

from generator.cache.store import BuildCache, scoped
from generator.diagnostics import Diagnostics


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
    assert loaded.entries == {"stage": {scoped("k"): (("value", 1), ())}}
    assert loaded.pages == {} and loaded.memory == {}  # page keys live in the state file


def test_a_broken_or_foreign_cache_file_gives_an_empty_cache(tmp_path: Path) -> None:
    (tmp_path / "truncated").write_bytes(b"\x80\x05garbage")
    (tmp_path / "other-code").write_bytes(pickle.dumps(("0.1.0", "not our code", {}, {})))
    for name in ("truncated", "other-code", "missing"):
        assert BuildCache.load(tmp_path / name) == BuildCache()
