"""Quotations: marked quotes in any style, exact or with differences, and unmarked reuse."""

from __future__ import annotations

from generator.build.pipeline import load
from generator.compare.quotes import find_quotations
from generator.compare.shingles import ShingleIndex
from generator.model import Document, Group, Paragraph, Passage, Provenance, Relation
from tests.conftest import EXAMPLE
from tests.sources.test_archive import HEADERLESS, HILL, MINISTRY, STATE

SOURCE = (
    "The council met on Monday. It agreed to open the northern crossing to trucks "
    "carrying food and medicine before the winter. Talks resume in March."
)


def _doc(doc_id: str, *paragraphs: str, date: str | None = None) -> Document:
    provenance = Provenance(f"sources/{doc_id}.txt", 1, 1, "0" * 64, None, 1, {"date": date})
    body = tuple(Paragraph(n, text, n) for n, text in enumerate(paragraphs, 1))
    return Document(doc_id, provenance, body, "T", False, "en")


def _quotations(*docs: Document, groups: tuple[Group, ...] = ()) -> list[Relation]:
    return find_quotations(ShingleIndex.of(docs), groups)


def _brief(relations: list[Relation]) -> list[tuple[str, int, str, int, bool, str | None]]:
    return [
        (r.origin.document, r.origin.paragraph, r.target.document, r.target.paragraph, r.exact,
         r.text)
        for r in relations
    ]  # fmt: skip


def test_the_hill_quotes_the_state_department_not_the_ministry() -> None:
    archive, _ = load(EXAMPLE)
    quotations = [r for r in archive.relations if r.type == "quotation"]
    assert [(r.origin, r.target, r.exact) for r in quotations] == [
        (Passage(HILL, 4, 778, 888), Passage(STATE, 2, 489, 599), True),
        (Passage(HILL, 4, 935, 1168), Passage(STATE, 2, 601, 834), True),
    ]
    hill = archive.document(HILL).plain_text
    state = archive.document(STATE).plain_text
    assert (
        hill[778:888]
        == state[489:599]
        == (
            "The two countries reaffirmed their existing commitments on fostering an orderly, "
            "humane, and regular migration"
        )
    )
    assert "democratic decline" in hill[935:1168]
    assert not any(r.target.document in (MINISTRY, HEADERLESS) for r in quotations)


def test_every_style_of_quotation_mark_is_read() -> None:
    words = "agreed to open the northern crossing to trucks"
    for marked in (f"“{words}”", f'"{words}"', f"«{words}»", f"»{words}«", f"„{words}“",
                   f"‘{words}’"):  # fmt: skip
        quoting = _doc("q", f"The council {marked}, a spokesman said.")
        assert _brief(_quotations(_doc("s", SOURCE), quoting)) == [("q", 1, "s", 1, True, words)], (
            marked
        )


def test_an_apostrophe_does_not_close_a_single_quote() -> None:
    quoting = _doc("q", "He said ‘the council’s plan is to open the northern crossing to trucks’.")
    source = _doc("s", "Minutes: the council’s plan is to open the northern crossing to trucks.")
    assert _brief(_quotations(source, quoting)) == [
        ("q", 1, "s", 1, True, "the council’s plan is to open the northern crossing to trucks")
    ]


def test_short_quotes_are_not_looked_up() -> None:
    quoting = _doc("q", "They called it “the northern crossing to trucks” in public.")
    assert _quotations(_doc("s", SOURCE), quoting) == []


def test_a_quote_with_differences_links_the_closest_passage() -> None:
    quoted = "agreed to open the north crossing to trucks carrying food and medicines"
    [relation] = _quotations(_doc("s", SOURCE), _doc("q", f"It “{quoted}”."))
    assert not relation.exact
    assert relation.text == quoted
    assert relation.source_text == (
        "agreed to open the northern crossing to trucks carrying food and medicine"
    )


def test_a_quote_too_far_from_any_text_links_nothing() -> None:
    quoting = _doc("q", "It “promised to close every southern port to ships carrying grain”.")
    assert _quotations(_doc("s", SOURCE), quoting) == []


def test_exact_sources_win_over_close_ones_and_relays() -> None:
    words = "agreed to open the northern crossing to trucks carrying food"
    relay = _doc("relay", f"An earlier report said the council “{words}”.")
    edited = _doc("edited", SOURCE.replace("northern", "north"))
    quoting = _doc("q", f"The council “{words}”, we learn.")
    brief = _brief(_quotations(_doc("s", SOURCE), relay, edited, quoting))
    assert ("q", 1, "s", 1, True, words) in brief
    assert [target for origin, _, target, *_ in brief if origin == "q"] == ["s"]


def test_versions_of_one_text_do_not_quote_each_other() -> None:
    quoting = _doc("copy", f"“{SOURCE}”")
    group = Group("g", "T", ("s", "copy"))
    assert _quotations(_doc("s", SOURCE), quoting, groups=(group,)) == []


def test_unmarked_reuse_links_the_later_text_to_the_earlier() -> None:
    reused = "agreed to open the northern crossing to trucks carrying food and medicine"
    later = _doc("later", f"Yesterday the council {reused} at last.", date="2024-02-01")
    earlier = _doc("earlier", SOURCE, date="2024-01-10")
    assert _brief(_quotations(later, earlier)) == [("later", 1, "earlier", 1, True, reused)]


def test_reuse_shorter_than_twelve_words_or_mostly_names_is_not_a_quotation() -> None:
    names = "Secretary of State Antony Blinken, Secretary of Homeland Security Alejandro Mayorkas"
    a = _doc("a", f"The delegation, led by {names} and others, arrived.", date="2024-01-01")
    b = _doc("b", f"Present were {names} and others from both sides.", date="2024-01-02")
    short = _doc("c", "It agreed to open the northern crossing to trucks yesterday.")
    assert _quotations(a, b, short, _doc("s", SOURCE)) == []
