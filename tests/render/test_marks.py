"""Splitting paragraphs at the edges of noted passages, overlaps and nesting included."""

from __future__ import annotations

from generator.model import Document, Mention, Note, Paragraph, Provenance
from generator.render.marks import annotated_paragraphs


def _doc(*texts: str) -> Document:
    provenance = Provenance("sources/x.txt", 1, len(texts), "0" * 64, None, 1, {})
    paragraphs = tuple(Paragraph(i, t, i) for i, t in enumerate(texts, 1))
    return Document("d", provenance, paragraphs, "T", False, "en")


def _note(note_id: str, start: int, end: int, quote: str | None = "q", number: int = 1) -> Note:
    return Note(note_id, "d", start, end, 1, quote, "", "", "", "", "", "notes/n.yaml", 1,
                number=number)  # fmt: skip


def _shape(paragraph) -> list[tuple[str, list[str], list[str]]]:
    return [
        (s.text, [n.id for n in s.notes], [n.id for n in s.last_of]) for s in paragraph.segments
    ]


def test_overlapping_and_nested_passages() -> None:
    doc = _doc("abcdefghij")
    outer, inner, overlap = _note("o", 1, 8), _note("i", 3, 5), _note("x", 6, 10)
    (paragraph,) = annotated_paragraphs(doc, (outer, inner, overlap))
    assert _shape(paragraph) == [
        ("a", [], []),
        ("bc", ["o"], []),
        ("de", ["o", "i"], ["i"]),
        ("f", ["o"], []),
        ("gh", ["o", "x"], ["o"]),
        ("ij", ["x"], ["x"]),
    ]
    assert [n.id for n in paragraph.notes] == ["o", "i", "x"]


def test_passage_across_paragraphs_and_paragraph_notes() -> None:
    doc = _doc("first one", "second")  # plain text: "first one\n\nsecond"
    across = _note("a", 6, 17)
    whole = _note("w", 11, 17, quote=None)
    first, second = annotated_paragraphs(doc, (across, whole))
    assert _shape(first) == [("first ", [], []), ("one", ["a"], [])]
    assert _shape(second) == [("second", ["a"], ["a"])]  # the paragraph note is not a mark
    assert [n.id for n in first.notes] == ["a"]
    assert [n.id for n in second.notes] == ["w"]


def test_paragraph_without_notes_is_one_segment() -> None:
    (paragraph,) = annotated_paragraphs(_doc("plain"), ())
    assert _shape(paragraph) == [("plain", [], [])]
    assert paragraph.id == "p1"


def _mentions(paragraph) -> list[tuple[str, list[str], list[str], str | None, bool, bool]]:
    return [
        (s.text, [n.id for n in s.notes], [n.id for n in s.last_of],
         s.mention.entity if s.mention else None, s.opens, s.closes)
        for s in paragraph.segments
    ]  # fmt: skip


def test_mentions_split_with_notes_and_references_follow_the_link() -> None:
    # "Liz Sherwood-Randall met Antony Blinken"
    #  0   4             20  25     32      39
    doc = _doc("Liz Sherwood-Randall met Antony Blinken")
    esr = Mention("esr", "d", 1, 0, 20, "Liz Sherwood-Randall")
    blinken = Mention("ab", "d", 1, 25, 39, "Antony Blinken")
    ends_inside = _note("a", 0, 3)  # "Liz": its passage ends inside a mention
    starts_inside = _note("b", 4, 29)  # "Sherwood-Randall met Anto"
    (paragraph,) = annotated_paragraphs(doc, (ends_inside, starts_inside), (esr, blinken))
    assert _mentions(paragraph) == [
        ("Liz", ["a"], [], "esr", True, False),
        (" ", [], [], "esr", False, False),
        ("Sherwood-Randall", ["b"], ["a"], "esr", False, True),  # a's mark after the link
        (" met ", ["b"], [], None, False, False),
        ("Anto", ["b"], [], "ab", True, False),
        ("ny Blinken", [], ["b"], "ab", False, True),
    ]


def test_a_mention_inside_a_noted_passage() -> None:
    doc = _doc("the Biden administration said")
    around = _note("n", 0, 29)
    mention = Mention("biden", "d", 1, 4, 9, "Biden")
    (paragraph,) = annotated_paragraphs(doc, (around,), (mention,))
    assert _mentions(paragraph) == [
        ("the ", ["n"], [], None, False, False),
        ("Biden", ["n"], [], "biden", True, True),
        (" administration said", ["n"], ["n"], None, False, False),
    ]
