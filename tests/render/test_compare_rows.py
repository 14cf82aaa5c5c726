"""The rows of a comparison page marked against each base, from one alignment."""

from __future__ import annotations

from generator.compare.align import align
from generator.compare.variants import find_variants
from generator.compare.witness import sentences_of
from generator.model import Comparison, Document, Group, Paragraph, Provenance
from generator.render.compare_rows import CellView, Place, rows_view


def _document(doc_id: str, *paragraphs: str) -> Document:
    provenance = Provenance(f"sources/{doc_id}.txt", 1, 1, "0" * 64, None, 1, {})
    paras = tuple(Paragraph(n, text, n) for n, text in enumerate(paragraphs, 1))
    return Document(doc_id, provenance, paras, doc_id, False, "en")


def _comparison(*documents: Document) -> Comparison:
    """Witnesses aligned once, against the first."""
    ids = tuple(d.id for d in documents)
    rows = align([sentences_of(d) for d in documents])
    variants = find_variants(rows, list(ids))
    return Comparison(Group("g", "G", ids), ids, tuple(rows), tuple(variants), ())


# A text, a version with other words and a dropped sentence, and a third that adds one.
FIRST = _document("a", "The two countries agree on trade. Talks went on all night.")
SECOND = _document("b", "Both countries agree on trade.")
THIRD = _document("c", "Both countries agree on Trade! A new round opens in May.")


def test_each_place_is_marked_against_the_chosen_base_only() -> None:
    comparison = _comparison(FIRST, SECOND, THIRD)
    by_first = rows_view(comparison, 0)[0].cells
    by_second = rows_view(comparison, 1)[0].cells
    # "The two"/"Both" and "trade."/"Trade!": the second reads like the third in words.
    assert by_first[0] == CellView(
        0,
        (
            Place("The two", 0, 0, "The two", False, False),
            " countries agree on ",
            Place("trade.", 0, 0, "trade.", False, False),
        ),
        (1,),
        False,
        False,
    )
    assert by_first[1].pieces == (
        Place("Both", 1, 1, "The two", True, False),
        " countries agree on ",
        Place("trade.", 0, 0, "trade.", False, False),
    )
    assert by_second[2].pieces == (
        Place("Both", 1, 1, "Both", False, False),
        " countries agree on ",
        Place("Trade!", 2, 0, "trade.", True, True),  # case and a stop: minor
    )
    assert by_second[0].pieces[0] == Place("The two", 0, 0, "Both", True, False)


def test_a_row_the_base_lacks_is_inserted_whole_and_a_gap_stays_empty() -> None:
    comparison = _comparison(FIRST, SECOND, THIRD)
    rows = rows_view(comparison, 0)
    night = next(r for r in rows if r.cells[0].pieces == ("Talks went on all night.",))
    assert [(c.pieces, c.inserted) for c in night.cells[1:]] == [((), False), ((), False)]
    may = next(r for r in rows if r.cells[2].pieces == ("A new round opens in May.",))
    assert [c.inserted for c in may.cells] == [False, False, True]
    # Against the third text, the first's own sentence is what it adds.
    may_by_third = rows_view(comparison, 2)[may.number - 1]
    assert [c.inserted for c in may_by_third.cells] == [False, False, False]
    night_by_third = rows_view(comparison, 2)[night.number - 1]
    assert [c.inserted for c in night_by_third.cells] == [True, False, False]


def test_rows_stay_in_place_whichever_witness_is_the_base() -> None:
    comparison = _comparison(FIRST, SECOND, THIRD)
    shapes = {
        base: [(r.number, r.identical, r.variants, [c.paragraphs for c in r.cells])
               for r in rows_view(comparison, base)]
        for base in range(3)
    }  # fmt: skip
    assert shapes[0] == shapes[1] == shapes[2]


def test_words_a_witness_lacks_are_struck_with_a_space_from_its_own() -> None:
    comparison = _comparison(
        _document("a", "Talks went on all night.", "Both sides met."),
        _document("b", "Talks went on night.", "sides met."),
    )
    first, second = (row.cells[1].pieces for row in rows_view(comparison, 0))
    assert first == ("Talks went on", Place("", 1, 1, "all", True, False, "b"), " night.")
    assert first[1].struck == " all"  # not "onall night"
    assert second[0] == Place("", 1, 1, "Both", True, False, "a")
    assert second[0].struck == "Both "  # at the start of a cell: "Both sides", not "Bothsides"


def test_a_row_every_witness_writes_alike_is_shared_and_no_other() -> None:
    comparison = _comparison(
        _document("a", "The port opens in April. Ships wait for the tide."),
        _document("b", "The port opens in April.", "Ships wait for the tide!"),
        _document("c", "The port opens in April. Boats wait for the tide."),
    )
    rows = rows_view(comparison, 0)
    assert [(r.shared, r.identical) for r in rows] == [(True, True), (False, False)]
    # Shared whichever the base: the page writes it once, with each witness's ¶ mark.
    assert [r.shared for r in rows_view(comparison, 2)] == [True, False]
    assert [c.paragraphs for c in rows[0].cells] == [(1,), (1,), (1,)]
    # Alike in words but not in writing ("tide!"), a row keeps a cell per witness.
    alike = _comparison(
        _document("a", "Ships wait for the tide."), _document("b", "Ships wait for the tide!")
    )
    assert [(r.shared, r.identical) for r in rows_view(alike, 0)] == [(False, True)]
