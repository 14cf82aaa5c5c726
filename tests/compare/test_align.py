"""Aligning the sentences of witnesses: paragraphing, moves, gaps, extras, witness order."""

from __future__ import annotations

from itertools import permutations
from pathlib import Path

import pytest

from generator.build.pipeline import load
from generator.compare.align import align, pair_similarity
from generator.compare.witness import sentences_of
from generator.model import Document, Paragraph, Provenance, Row, Sentence

# Sentences that are all different (pairwise similarity below 50).
A = "The delegates met in the old library on Monday morning."
B = "Rain had flooded the northern roads for three days."
C = "Nobody expected the treaty to survive its first winter."
D = "Fishermen along the coast reported unusual catches of cod."
E = "A committee will publish its findings before the harvest festival."
F = "Several printers refused to set the pamphlet in type."
G = "Children sang hymns outside the governor’s residence until dusk."
X = "Wolves were seen near the monastery gates at night."
# Light edits of some of them (similarity 85–95).
A2 = "The delegates met at the old library on a Monday morning."
B2 = "Rain had flooded the northern highways for three whole days."
X2 = "Wolves were seen close to the monastery gate by night."


def _witness(doc_id: str, *paragraphs: str) -> list[Sentence]:
    provenance = Provenance(f"sources/{doc_id}.txt", 1, 1, "0" * 64, None, 1, {})
    body = tuple(Paragraph(n, text, n) for n, text in enumerate(paragraphs, 1))
    return sentences_of(Document(doc_id, provenance, body, "T", False, "en"))


def _texts(rows: list[Row]) -> list[tuple[str | None, ...]]:
    """Each row as the text of each cell (None for a gap)."""
    return [tuple(" ".join(s.text for s in c) if c else None for c in r.cells) for r in rows]


def _paragraphs(rows: list[Row], witness: int) -> list[int | None]:
    return [r.cells[witness][0].paragraph if r.cells[witness] else None for r in rows]


def test_split_paragraph_aligns_sentence_by_sentence() -> None:
    base = _witness("base", f"{A} {B} {C}", D)
    other = _witness("split", f"{A} {B}", f"{C} {D}")
    rows = align([base, other])
    assert _texts(rows) == [(A, A), (B, B), (C, C), (D, D)]
    assert _paragraphs(rows, 0) == [1, 1, 1, 2]
    assert _paragraphs(rows, 1) == [1, 1, 2, 2]
    assert all(r.moved == (False, False) for r in rows)


def test_merged_paragraphs_align_sentence_by_sentence() -> None:
    base = _witness("base", f"{A} {B}", C, D)
    other = _witness("merged", f"{A2} {B} {C} {D}")
    rows = align([base, other])
    assert _texts(rows) == [(A, A2), (B, B), (C, C), (D, D)]
    assert _paragraphs(rows, 1) == [1, 1, 1, 1]


def test_moved_paragraph_is_marked_and_kept_in_base_order() -> None:
    base = _witness("base", A, f"{B} {C}", D, E)
    other = _witness("moved", A, D, E, f"{B2} {C}")
    rows = align([base, other])
    assert _texts(rows) == [(A, A), (B, B2), (C, C), (D, D), (E, E)]
    assert [r.moved for r in rows] == [
        (False, False),
        (False, True),
        (False, True),
        (False, False),
        (False, False),
    ]
    assert _paragraphs(rows, 1) == [1, 4, 4, 2, 3]


def test_alignments_against_each_base_share_each_sentences_cell() -> None:
    a = _witness("base", A, f"{B} {C}", D, E)
    b = _witness("moved", A, D, E, f"{B2} {C}", "A sentence only this text has.")
    against_a, against_b = align([a, b]), align([b, a])
    cells = {id(cell) for rows in (against_a, against_b) for row in rows for cell in row.cells}
    assert len(cells) == len({()}) + len(a) + len(b)  # one per sentence, and the gap
    unmoved = {
        id(row.moved) for rows in (against_a, against_b) for row in rows if not any(row.moved)
    }
    assert len(unmoved) == 1
    assert any(any(row.moved) for row in against_a)


def test_missing_paragraph_leaves_gaps() -> None:
    base = _witness("base", A, f"{B} {C}", D)
    other = _witness("short", A, D)
    rows = align([base, other])
    assert _texts(rows) == [(A, A), (B, None), (C, None), (D, D)]
    assert all(not any(r.moved) for r in rows)


def test_extra_sentences_follow_the_witness_own_previous_sentence() -> None:
    base = _witness("base", f"{A} {B}", C)
    other = _witness("long", f"{X} {A} {B} {D}", f"{E} {C} {F}")
    rows = align([base, other])
    assert _texts(rows) == [
        (None, X),
        (A, A),
        (B, B),
        (None, D),
        (None, E),
        (C, C),
        (None, F),
    ]


def test_extra_after_a_moved_sentence_stays_in_the_witness_reading_order() -> None:
    # The witness reads A B D X C: D is moved, so X goes after B (before C), not after D.
    base = _witness("base", A, B, C, D)
    other = _witness("w", A, B, D, X, C)
    rows = align([base, other])
    assert _texts(rows) == [(A, A), (B, B), (None, X), (C, C), (D, D)]
    assert [r.moved[1] for r in rows] == [False, False, False, False, True]


def test_unlike_sentences_are_not_aligned() -> None:
    rows = align([_witness("base", f"{A} {B}"), _witness("other", f"{A} {C}")])
    # C is placed right after the witness's previous sentence, A.
    assert _texts(rows) == [(A, A), (None, C), (B, None)]


def test_three_witnesses() -> None:
    base = _witness("base", f"{A} {B}", f"{C} {D}")
    edited = _witness("edited", f"{A2} {B2}", f"{C} {X} {D}")
    short = _witness("short", f"{A} {X2}", D)
    rows = align([base, edited, short])
    assert _texts(rows) == [
        (A, A2, A),
        (None, None, X2),
        (B, B2, None),
        (C, C, None),
        (None, X, None),
        (D, D, D),
    ]


def test_like_extras_of_two_witnesses_share_a_row() -> None:
    base = _witness("base", f"{A} {B}")
    rows = align([base, _witness("one", f"{A} {X} {B}"), _witness("two", f"{A} {X2} {E} {B}")])
    assert _texts(rows) == [(A, A, A), (None, X, X2), (None, None, E), (B, B, B)]


def test_extras_in_crossed_orders_do_not_share_rows_that_would_cross() -> None:
    base = _witness("base", f"{A} {B}")
    one, two = _witness("one", f"{A} {X} {E} {B}"), _witness("two", f"{A} {E} {X2} {B}")
    expected = [(A, A, A), (None, X, None), (None, E, E), (None, None, X2), (B, B, B)]
    assert _texts(align([base, one, two])) == expected
    assert _texts(align([base, two, one])) == [(a, c, b) for a, b, c in expected]


def test_witness_order_does_not_matter() -> None:
    witnesses = [
        _witness("base", f"{A} {B} {C}", f"{D} {E}"),
        _witness("w1", f"{A2} {X} {B}", f"{D} {C} {E} {G}"),
        _witness("w2", f"{A} {X2} {B2} {F}", E),
        _witness("w3", f"{G} {A} {C}", f"{D} {F} {E}"),
    ]
    expected = _texts(align(witnesses))
    for order in permutations(range(1, len(witnesses))):
        rows = align([witnesses[0], *(witnesses[k] for k in order)])
        # Put each row's cells back into the original witness order.
        back = [(row[0], *(row[1 + order.index(k)] for k in range(1, 4))) for row in _texts(rows)]
        assert back == expected, order


def test_no_witnesses_and_empty_witnesses() -> None:
    assert align([]) == []
    assert align([[], []]) == []
    assert _texts(align([_witness("base", A), []])) == [(A, None)]
    assert _texts(align([[], _witness("other", A)])) == [(None, A)]


@pytest.fixture(scope="module")
def example() -> dict[str, list[Sentence]]:
    archive, _ = load(Path(__file__).resolve().parents[2] / "site_src")
    docs = archive.documents
    return {
        "copy": sentences_of(docs[0]),
        "announcement": sentences_of(docs[1]),
        "state": sentences_of(docs[2]),
        "ministry": sentences_of(docs[3]),
    }


def test_communique_state_ministry_and_copy_align_one_to_one(example) -> None:
    rows = align([example["state"], example["ministry"], example["copy"]])
    assert len(rows) == 13
    assert all(all(r.cells) and not any(r.moved) for r in rows)
    assert [[c[0].index for c in r.cells] for r in rows] == [[i, i, i] for i in range(13)]
    # The copy splits the Ministry's paragraph 5 before its third sentence there.
    assert _paragraphs(rows, 1) == [1, 2, 3, 3, 4, 4, 5, 5, 5, 6, 7, 8, 9]
    assert _paragraphs(rows, 2) == [1, 2, 3, 3, 4, 4, 5, 5, 6, 7, 8, 9, 10]


def test_unrelated_document_is_mostly_gaps(example) -> None:
    rows = align([example["state"], example["announcement"]])
    assert len(rows) == 16
    assert sum(all(r.cells) for r in rows) == 1
    assert sum(bool(r.cells[0]) for r in rows) == 13
    assert sum(bool(r.cells[1]) for r in rows) == 4


def test_pair_similarity() -> None:
    base = _witness("base", "one two three four")
    assert pair_similarity(base, base) == 1.0
    # 3 of 4 words shared on each side: 2·3 / 8.
    assert pair_similarity(base, _witness("o", "One, two; FIVE four.")) == 0.75
    assert pair_similarity(base, []) == 0.0
    assert pair_similarity([], []) == 1.0


def test_pair_similarity_of_the_communique(example) -> None:
    assert pair_similarity(example["ministry"], example["copy"]) == 1.0
    assert pair_similarity(example["state"], example["ministry"]) == pytest.approx(0.7176, abs=1e-4)


def test_long_witnesses_are_compared_near_the_same_place_only(monkeypatch) -> None:
    """Beyond the pair budget, sentences pair within a window: in order, still all found."""
    monkeypatch.setattr("generator.compare.align.PAIR_BUDGET", 400)
    base = [f"Sentence number {n} of the base text is here." for n in range(100)]
    other = [text.replace("here", "there") for text in base]
    other.insert(50, "An added sentence about something else entirely.")
    rows = align([_witness("a", " ".join(base)), _witness("b", " ".join(other))])
    paired = [r for r in rows if r.cells[0] and r.cells[1]]
    assert len(paired) == 100 and not any(r.moved[1] for r in rows)
    assert [r.cells[1][0].text for r in rows if not r.cells[0]] == [other[50]]
