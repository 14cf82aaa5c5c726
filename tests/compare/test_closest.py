"""Quotes with differences: the last build's closest passages, kept while they still hold."""

from __future__ import annotations

import dataclasses

from generator.cache.store import BuildCache
from generator.compare.quotes import find_quotations
from generator.compare.shingles import ShingleIndex
from generator.model import Document, Paragraph
from tests.compare.test_quote_cost import _archive, _brief


def _kept_and_fresh(documents: list[Document], kept: BuildCache) -> list[tuple]:
    """The relations found with the last build's answers kept, checked against a fresh run."""
    found = find_quotations(ShingleIndex.of(documents, kept), (), kept)
    assert found == find_quotations(ShingleIndex.of(documents, BuildCache()), (), BuildCache())
    return [r for r in _brief(found) if not r[3]]  # the quotes with differences


def _retold(doc: Document, first: str) -> Document:
    """The document with another first paragraph."""
    return dataclasses.replace(doc, paragraphs=(Paragraph(1, first, 1), *doc.paragraphs[1:]))


def test_a_source_edited_reworded_or_dated_again_is_searched_again() -> None:
    documents = _archive(copies=6, reports=3)
    kept = BuildCache()
    before = _kept_and_fresh(documents, kept)
    earliest = ["a-release", "copy-00", "copy-01", "copy-02", "copy-03"]
    assert [r for r in before if r[1] == "report-00"] == [
        ("quotation", "report-00", source, False) for source in earliest
    ]
    # Copy 0 says something else now: copy 4 takes its place for every report.
    documents[1] = _retold(documents[1], "Nothing was agreed about the crossing at all today.")
    after = _kept_and_fresh(documents, kept)
    assert [r[2] for r in after if r[1] == "report-00"] == [*earliest[:1], *earliest[2:], "copy-04"]
    # Copy 5 dated before the rest: now among the earliest, though no word changed.
    provenance = dataclasses.replace(documents[6].provenance, header={"date": "2024-02-01"})
    documents[6] = dataclasses.replace(documents[6], provenance=provenance)
    dated = _kept_and_fresh(documents, kept)
    assert "copy-05" in [r[2] for r in dated if r[1] == "report-00"]
    # A report removed, then both copies as they were: as before, less that report.
    del documents[-1]
    assert len(_kept_and_fresh(documents, kept)) == len(dated) - 5
    documents[1], documents[6] = _archive(copies=6, reports=3)[1:7:5]
    assert _kept_and_fresh(documents, kept) == [r for r in before if r[1] != "report-02"]


def test_a_quote_whose_triples_turn_common_is_searched_again() -> None:
    # The release and 63 copies hold the headline: COMMON_TRIPLE places for each triple.
    documents = _archive(copies=63, reports=2)
    kept = BuildCache()
    assert len(_kept_and_fresh(documents, kept)) == 2 * 5
    # One more copy: every triple of the headline is common, and names no candidate.
    documents.insert(1, dataclasses.replace(documents[1], id="copy-63"))
    assert _kept_and_fresh(documents, kept) == []
    # And a copy fewer again: the reports find their five closest again.
    del documents[1:3]
    assert len(_kept_and_fresh(documents, kept)) == 2 * 5
