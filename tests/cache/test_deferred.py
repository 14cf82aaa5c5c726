"""Comparisons loaded from the cache without their rows and variants, read in when asked."""

from __future__ import annotations

import pickle
from pathlib import Path

from generator.cache.digests import digest
from generator.cache.store import BuildCache
from generator.model import Comparison, Group, Row, Sentence, Variant

GROUP = Group("g", "Talks", ("a", "b"))
SENTENCE = Sentence("a", 1, 0, "Talks began.", 0, 12)
COMPARISON = Comparison(
    GROUP,
    ("a", "b"),
    (Row(((SENTENCE,), ()), (False, False)),),
    (Variant(1, 0, ("Talks began.", ""), (1, None), "omission"),),
    (("a", "b", 0.5),),
)


def _loaded(tmp_path: Path) -> Comparison:
    cache = BuildCache()
    cache.store("model", "m", (GROUP, COMPARISON))
    cache.save(tmp_path / "cache")
    group, comparison = BuildCache.load(tmp_path / "cache").lookup("model", "m")
    assert group == GROUP
    return comparison


def test_a_comparison_is_loaded_without_its_rows_until_they_are_read(tmp_path: Path) -> None:
    comparison = _loaded(tmp_path)
    assert type(comparison) is not Comparison and isinstance(comparison, Comparison)
    assert (comparison.group, comparison.witnesses, comparison.is_default) == (
        GROUP,
        ("a", "b"),
        True,
    )
    assert "rows" not in comparison.__dict__  # what planning reads leaves them unread
    assert comparison.rows == COMPARISON.rows
    assert type(comparison) is Comparison
    assert comparison == COMPARISON
    assert digest(comparison) == digest(COMPARISON)


def test_an_unread_comparison_compares_hashes_and_pickles_as_a_whole_one(tmp_path: Path) -> None:
    assert COMPARISON == _loaded(tmp_path)  # noqa: SIM300 (the plain one on the left)
    assert _loaded(tmp_path) == COMPARISON
    assert hash(_loaded(tmp_path)) == hash(COMPARISON)
    again = pickle.loads(pickle.dumps(_loaded(tmp_path)))
    assert type(again) is Comparison and again == COMPARISON
    assert repr(_loaded(tmp_path)) == repr(COMPARISON)
