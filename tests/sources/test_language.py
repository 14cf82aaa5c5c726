"""Language on one paragraph: en, es, fr, pt, de, it, or "und" rather than a guess."""

from __future__ import annotations

from pathlib import Path

import pytest

from generator.sources.language import detect_language

FIXTURE = Path(__file__).parent / "fixtures" / "language_paragraphs.txt"
ROWS = [
    line.split("\t")
    for line in FIXTURE.read_text(encoding="utf-8").splitlines()
    if line and not line.startswith("#")
]


@pytest.mark.parametrize(("expected", "paragraph"), ROWS)
def test_each_paragraph_in_its_language(expected: str, paragraph: str) -> None:
    assert detect_language(paragraph) == expected


def test_the_fixture_holds_every_language() -> None:
    counts = {lang: sum(1 for row in ROWS if row[0] == lang) for lang in dict(ROWS)}
    assert counts == {"en": 5, "es": 5, "fr": 5, "pt": 5, "de": 5, "it": 5, "und": 3}


def test_nothing_to_tell_by_gives_the_default() -> None:
    assert detect_language("") == "und"
    assert detect_language("Reuters", default="en") == "en"


def test_held_out_paragraphs_are_never_given_a_wrong_language() -> None:
    # Written after the detector was tuned: the figures in docs/format.md.
    rows = [
        line.split("\t")
        for line in (FIXTURE.parent / "language_held_out.txt").read_text().splitlines()
        if line and not line.startswith("#")
    ]
    found = [(expected, detect_language(paragraph)) for expected, paragraph in rows]
    assert [pair for pair in found if pair[0] != pair[1]] == [("es", "und")]
    assert len(found) == 26
