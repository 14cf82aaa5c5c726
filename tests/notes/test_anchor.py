"""Anchoring quotes: strict matching, explicit disambiguation, cautious re-anchoring."""

from __future__ import annotations

import pytest

from generator.notes.anchor import AnchorProblem, PassageFinder

PARAGRAPHS = [
    "The two countries reaffirmed their commitments. Poverty and violence persist.",
    "This includes the root causes of migration, such as poverty, inequality, "
    "democratic decline, and violence — and the “joint initiative”.",
    "Poverty and violence were discussed again.",
]


def _text(finder: PassageFinder, quote: str, **options: object) -> str:
    anchor = finder.find(quote, **options)  # type: ignore[arg-type]
    return finder.text[anchor.start : anchor.end]


def test_exact_quote_offsets_are_code_points_in_the_plain_text() -> None:
    finder = PassageFinder(PARAGRAPHS)
    anchor = finder.find("democratic decline")
    assert finder.text == "\n\n".join(PARAGRAPHS)
    assert (anchor.start, anchor.end, anchor.score) == (152, 170, 100.0)
    assert finder.paragraph_at(anchor.start) == 2


def test_matching_ignores_whitespace_quote_and_dash_kinds_only() -> None:
    finder = PassageFinder(PARAGRAPHS)
    assert _text(finder, 'violence - and the "joint\n  initiative"') == (
        "violence — and the “joint initiative”"
    )
    with pytest.raises(AnchorProblem):
        finder.find("DEMOCRATIC DECLINE and more words here")  # case is not ignored


def test_several_matches_need_occurrence_or_context() -> None:
    finder = PassageFinder(PARAGRAPHS)
    with pytest.raises(AnchorProblem) as problem:
        finder.find("violence")
    assert str(problem.value) == (
        "the quote matches 3 places (p1, p2, p3); add 'occurrence: N' (1–3, in reading order) "
        "or 'prefix:'/'suffix:' to choose one"
    )
    second = finder.find("violence", occurrence=2)
    assert finder.paragraph_at(second.start) == 2
    assert finder.paragraph_at(finder.find("violence", suffix="were discussed").start) == 3
    assert finder.paragraph_at(finder.find("violence", prefix="democratic decline, and").start) == 2


def test_occurrence_out_of_range_and_unmatched_context() -> None:
    finder = PassageFinder(PARAGRAPHS)
    with pytest.raises(AnchorProblem) as problem:
        finder.find("violence", occurrence=4)
    assert str(problem.value) == (
        "occurrence 4 is given but the quote occurs 3 time(s) (p1, p2, p3)"
    )
    with pytest.raises(AnchorProblem) as problem:
        finder.find("violence", prefix="nowhere to be found")
    assert str(problem.value) == (
        "the quote occurs 3 time(s) (p1, p2, p3) but none has the given prefix/suffix around it"
    )


def test_not_found_shows_the_closest_passage() -> None:
    finder = PassageFinder(PARAGRAPHS)
    with pytest.raises(AnchorProblem) as problem:
        finder.find("root causes of emigration, like poverty")
    assert str(problem.value) == (
        "the quote is not in the document; the closest passage is in p2 (82% similar): "
        '"root causes of migration, such as poverty"'
    )
    with pytest.raises(AnchorProblem) as problem:
        finder.find("zzzz qqqq xxxx")
    assert str(problem.value) == "the quote is not in the document, and no passage is similar to it"


def test_changed_source_reanchors_only_on_a_clear_unique_match() -> None:
    edited = [PARAGRAPHS[0], PARAGRAPHS[1].replace("root causes", "root-causes"), PARAGRAPHS[2]]
    finder = PassageFinder(edited)
    anchor = finder.find("the root causes of migration, such as poverty")
    assert finder.text[anchor.start : anchor.end] == "the root-causes of migration, such as poverty"
    assert 90 <= anchor.score < 100


def test_never_snaps_to_a_doubtful_match() -> None:
    # Two equally similar candidates: refusing is the only safe answer.
    finder = PassageFinder(
        ["Poverty and violence persist here.", "Poverty and violence persist there."]
    )
    with pytest.raises(AnchorProblem):
        finder.find("Poverty and violence persists")


def test_short_quote_is_not_reanchored() -> None:
    with pytest.raises(AnchorProblem):
        PassageFinder(["The cat sat on the mat."]).find("The bat sat")


def test_paragraph_span() -> None:
    finder = PassageFinder(PARAGRAPHS)
    span = finder.paragraph_span(3)
    assert finder.text[span.start : span.end] == PARAGRAPHS[2]
