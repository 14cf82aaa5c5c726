"""Candidates and what follows from them follow an edit: each step equals a full run."""

from __future__ import annotations

import dataclasses
import random
from pathlib import Path

import pytest

from benchmarks.generate_overlap import generate
from generator.cache.store import BuildCache
from generator.compare import candidates
from generator.compare.config import CompareConfig, resolve_groups
from generator.compare.groups import detect_groups
from generator.compare.quotes import find_quotations
from generator.compare.shingles import ShingleIndex
from generator.model import Document, Relation
from generator.sources.archive import load_archive
from tests.compare.test_boilerplate import OPENINGS, _reports, _republished
from tests.compare.test_groups import _as_sets, _doc

Found = tuple[list[list[str]], list[Relation]]


def _found(documents: list[Document], cache: BuildCache) -> Found:
    """What the grouping child finds: the groups detected, and the quotations."""
    index = ShingleIndex.of(documents, cache)
    detected = detect_groups(index, cache)
    groups = resolve_groups(detected, CompareConfig(), documents)
    return detected, find_quotations(index, groups, cache)


def _reworded(doc: Document, old: str, new: str) -> Document:
    """The document with `old` replaced once in its longest paragraph."""
    body = max(doc.paragraphs, key=lambda p: len(p.text))
    assert old in body.text
    edited = dataclasses.replace(body, text=body.text.replace(old, new, 1))
    return dataclasses.replace(
        doc, paragraphs=tuple(edited if p is body else p for p in doc.paragraphs)
    )


def _carrying_the_opening(n: int) -> Document:
    """A text of its own that carries report 0's opening sentence word for word."""
    return _doc(f"carrier-{n:02d}", f"{OPENINGS[0]} {OPENINGS[1 + n % 11]}", f"Note {n} of many.")


@pytest.fixture(scope="module")
def overlap(tmp_path_factory: pytest.TempPathFactory) -> list[Document]:
    """Releases, the news quoting them, republications, and the stock reports around them."""
    root: Path = tmp_path_factory.mktemp("overlap")
    generate(root, documents=160, seed=5)
    archive, _ = load_archive(root)
    return [*archive.documents, *_reports(), _republished()]


def test_each_edit_finds_what_a_full_run_finds(overlap: list[Document]) -> None:
    kept = BuildCache()
    documents = list(overlap)
    assert _found(documents, kept) == _found(documents, BuildCache())
    pair = frozenset({"report-00", "republished"})
    steps: list[tuple[str, list[Document]]] = []
    # A word changed, in a document grouped and in one quoting another.
    documents[3] = _reworded(documents[3], " the ", " the very ")
    steps.append(("a word changed", list(documents)))
    documents[40] = _reworded(documents[40], " the ", " all the ")  # inside its quotation
    steps.append(("another word changed", list(documents)))
    # A document added in the middle: a copy, lightly edited, of a grouped one.
    copy = dataclasses.replace(_reworded(documents[3], " the ", " a "), id="added-copy")
    documents.insert(80, copy)
    steps.append(("a version added", list(documents)))
    # Report 0's opening, carried by 9 texts with it: one short of boilerplate.
    documents += [_carrying_the_opening(n) for n in range(8)]
    steps.append(("eight carriers", list(documents)))
    # The tenth text to carry it: the opening is boilerplate, and the pair splits.
    documents.append(_carrying_the_opening(8))
    steps.append(("the tenth text", list(documents)))
    # One carrier removed: the opening is report 0's own again, the pair joins.
    del documents[-3]
    steps.append(("a carrier removed", list(documents)))
    # Documents removed from the middle, one of them quoted.
    del documents[10:14]
    steps.append(("four removed", list(documents)))
    # The same documents in another order: every pair is weighed again.
    documents = documents[1:] + documents[:1]
    steps.append(("reordered", list(documents)))
    grouped = []
    for name, step in steps:
        found = _found(step, kept)
        assert found == _found(step, BuildCache()), name
        grouped.append(pair in _as_sets(found[0]))
        if name == "a version added":
            assert any("added-copy" in group for group in found[0])
    # The steps did what they say: the pair split at the tenth text only.
    assert grouped == [True, True, True, True, False, True, True, True]


def test_an_edit_looks_again_only_for_the_documents_it_touched(
    overlap: list[Document], monkeypatch: pytest.MonkeyPatch
) -> None:
    kept = BuildCache()
    documents = list(overlap)
    _found(documents, kept)
    looked: list[str] = []
    meet = candidates._meet

    def counted(d: int, *rest: object) -> tuple[tuple[str, ...], int, int]:
        looked.append(documents[d].id)
        return meet(d, *rest)  # type: ignore[arg-type]

    monkeypatch.setattr(candidates, "_meet", counted)
    last = documents[-1]  # the republication of report 0, whose opening it shares
    documents[-1] = _reworded(last, " the ", " the very ")
    _found(documents, kept)
    assert last.id in looked
    assert 0 < len(looked) < len(documents) // 4


def _met(documents: list[Document], cache: BuildCache) -> set[tuple[str, str]]:
    """The candidate pairs of documents, by id, with no one taking the huge-family rule."""
    index = ShingleIndex.of(documents, cache)
    keys = [index.keys(d) for d in range(len(documents))]
    pairs = candidates.candidate_pairs(index, keys, [False] * len(documents), cache)
    return {(documents[a].id, documents[b].id) for a, b in pairs}


def test_a_key_turning_common_is_looked_up_again_by_every_holder() -> None:
    rng = random.Random(7)
    vocabulary = [f"w{n}" for n in range(5000)]
    shared = "The same closing words stand at the end of every one of these many texts today."

    def carrier(n: int) -> Document:
        own = " ".join(rng.choice(vocabulary) for _ in range(30))
        return _doc(f"carrier-{n:03d}", f"{own}.", shared)

    documents = [carrier(n) for n in range(candidates.COMMON_KEY)]
    kept = BuildCache()
    before = _met(documents, kept)
    assert before == _met(documents, BuildCache())
    assert len(before) >= candidates.COMMON_KEY  # all meet through the closing's keys
    # One more holder: the closing's keys are common now, no one's rare key.
    documents.append(carrier(candidates.COMMON_KEY))
    assert _met(documents, kept) == _met(documents, BuildCache()) == set()
    # And one fewer again: they meet as before.
    del documents[-1]
    assert _met(documents, kept) == before
