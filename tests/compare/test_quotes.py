"""Quotations: marked quotes in any style, exact or with differences, and unmarked reuse."""

from __future__ import annotations

from dataclasses import astuple

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


# -- time, marks and relays (issue #18) ------------------------------------------------

PATHWAYS = (
    "agreed to expand legal pathways for workers and families, and to open three new "
    "processing centres in the south of Mexico before the end of June"
)
FRANK = "frank and productive, and the first of many this year"


def _kinds(relations: list[Relation]) -> list[tuple[str, str, str, bool]]:
    return sorted((r.type, r.origin.document, r.target.document, r.exact) for r in relations)


def test_no_quotation_points_forward_in_time() -> None:
    report = _doc("report", f"The council “{PATHWAYS}”, a spokesman said.", date="2024-04-12")
    article = _doc("article", f"The text: the council {PATHWAYS}.", date="2024-04-13")
    statement = _doc("statement", f"The council {PATHWAYS}.", date="2024-04-11")
    # The later article holds the words without marks: it may have them from the
    # statement, or from the report; nobody can say, so no direction is claimed.
    assert _kinds(_quotations(report, article)) == [
        ("shared-passage", "report", "article", True),
    ]
    assert _kinds(_quotations(report, article, statement)) == [
        ("quotation", "article", "statement", True),  # unmarked reuse, later to earlier
        ("quotation", "report", "statement", True),
        ("shared-passage", "report", "article", True),
    ]


def test_two_reports_quoting_one_absent_statement_are_not_linked_as_quoting_each_other() -> None:
    first = _doc("first", f"A spokesperson called the talks “{FRANK}”.", date="2024-04-12")
    second = _doc("second", f"The talks were “{FRANK}”, she said.", date="2024-04-13")
    [relation] = _quotations(first, second)
    assert (relation.type, relation.origin.document, relation.target.document) == (
        "same-quote", "second", "first",
    )  # fmt: skip
    assert relation.text == relation.source_text == FRANK


def test_a_relay_links_the_quote_to_the_first_source() -> None:
    statement = _doc("a", f"Both governments {PATHWAYS}.", date="2024-04-11")
    misquoted = PATHWAYS.replace("centres", "centers")
    relay = _doc("b", f"The ministers “{misquoted}”, the statement said.", date="2024-04-12")
    copied = _doc("c", f"As reported, the ministers “{misquoted}”.", date="2024-04-13")
    relations = _quotations(copied, relay, statement)
    assert _kinds(relations) == [
        ("quotation", "b", "a", False),
        ("quotation", "c", "a", False),
        ("same-quote", "c", "b", True),
    ]
    to_a = [r for r in relations if r.origin.document == "c" and r.target.document == "a"]
    assert [r.source_text for r in to_a] == [PATHWAYS]


def test_an_undated_text_claims_no_direction() -> None:
    statement = _doc("statement", f"Both governments {PATHWAYS}.", date="2024-04-11")
    undated = _doc("undated", f"The ministers “{PATHWAYS}”.")
    reuse = _doc("reuse", f"Yesterday both governments {PATHWAYS}, we hear.")
    assert _kinds(_quotations(statement, undated, reuse)) == [
        ("shared-passage", "reuse", "statement", True),
        ("shared-passage", "undated", "reuse", True),
        ("shared-passage", "undated", "statement", True),
    ]


def test_same_day_reuse_without_marks_claims_no_direction() -> None:
    reused = "agreed to open the northern crossing to trucks carrying food and medicine"
    a = _doc("a", f"Yesterday the council {reused} at last.", date="2024-02-01")
    b = _doc("b", SOURCE, date="2024-02-01")
    assert _kinds(_quotations(a, b)) == [("shared-passage", "b", "a", True)]


def _family() -> list[Document]:
    """A statement, two wire stories quoting it, papers republishing them with edits."""
    statement = _doc(
        "statement",
        "The foreign ministers of Mexico and the United States met in Mexico City on "
        "Thursday to review the migration agreement signed last year.",
        f"Both governments {PATHWAYS}.",
        "The ministers also condemned the smuggling networks that put the lives of migrants "
        "at risk and pledged to share intelligence on their finances.",
        date="2024-04-11",
    )
    wire_quotes = (
        f"In a joint statement, the two governments “{PATHWAYS}.”",
        "They also “condemned the smuggling networks that put the lives of migrants at risk”, "
        "the statement said.",
    )
    wire = _doc(
        "wire",
        "Mexico and the United States on Thursday promised more legal routes for migrants.",
        *wire_quotes,
        "Reporting by Ana Ruiz; editing by Peter Hall.",
        date="2024-04-11",
    )
    centers = "to open three new processing centers in the south of Mexico before the end of June"
    agency_quotes = (
        f"The ministers agreed “{centers}”, according to the statement.",
        f"A spokesperson told reporters the talks had been “{FRANK}”.",
    )
    agency = _doc(
        "agency",
        "The United States and Mexico will open new migrant processing centres, officials said.",
        *agency_quotes,
        date="2024-04-12",
    )
    paper = _doc(  # the wire story, with a new first paragraph
        "paper",
        "Mexico and the United States promised on Thursday more legal routes for migrants, "
        "in talks held in the capital.",
        *wire_quotes,
        date="2024-04-12",
    )
    undated = _doc(  # the agency's story, undated, with a new first paragraph
        "undated",
        "New migrant processing centres will open in southern Mexico, officials said.",
        *agency_quotes,
    )
    column = _doc(
        "column",
        f"Officials described the talks as “{FRANK}”, and said both governments “agreed to "
        "expand legal pathways for workers and families”.",
        date="2024-04-13",
    )
    article = _doc(
        "article",
        "Here is what the two governments announced this week.",
        f"Both governments {PATHWAYS}.",
        date="2024-04-13",
    )
    return [statement, wire, agency, paper, undated, column, article]


def test_a_family_of_news_items_quotes_the_statement_back_in_time() -> None:
    family = _family()
    relations = _quotations(*family)
    dates = {d.id: d.date for d in family}
    quoted = {d.id: d.plain_text for d in family}
    for r in relations:
        if r.type == "quotation":  # never forward, never into another text's marks
            assert dates[r.origin.document] and dates[r.target.document]
            assert dates[r.target.document] <= dates[r.origin.document]
            before = quoted[r.target.document][: r.target.start]
            assert before.count("“") == before.count("”"), r
    assert [
        (r.type, r.origin.document, r.origin.paragraph, r.target.document, r.target.paragraph,
         r.exact)
        for r in relations
    ] == [
        ("quotation", "wire", 2, "statement", 2, True),
        ("shared-passage", "wire", 2, "article", 2, True),  # the article is later
        ("quotation", "wire", 3, "statement", 3, True),
        ("quotation", "paper", 2, "statement", 2, True),
        ("shared-passage", "paper", 2, "article", 2, True),
        ("quotation", "paper", 3, "statement", 3, True),
        ("quotation", "column", 1, "statement", 2, True),
        ("quotation", "column", 1, "article", 2, True),  # the same day
        ("quotation", "agency", 2, "statement", 2, False),  # "centers"
        ("shared-passage", "undated", 2, "statement", 2, False),
        ("shared-passage", "undated", 2, "article", 2, False),
        # Fellow quoters, the later one first; the briefing's words are in no text here.
        ("same-quote", "paper", 2, "wire", 2, True),
        ("same-quote", "paper", 3, "wire", 3, True),
        ("same-quote", "undated", 2, "agency", 2, True),
        ("same-quote", "column", 1, "agency", 3, True),
        ("same-quote", "undated", 3, "agency", 3, True),
        ("same-quote", "undated", 3, "column", 1, True),
        ("same-quote", "column", 1, "wire", 2, True),
        ("same-quote", "column", 1, "paper", 2, True),
        # Unmarked reuse, later to earlier.
        ("quotation", "article", 2, "statement", 2, True),
    ]  # fmt: skip


def test_the_result_does_not_depend_on_the_order_of_the_documents() -> None:
    family = _family()

    def found(docs: list[Document]) -> list[tuple[object, ...]]:
        return sorted(
            (r.type, astuple(r.origin), astuple(r.target), r.exact) for r in _quotations(*docs)
        )

    assert found(family) == found(family[::-1]) == found(family[3:] + family[:3])


def test_on_a_generated_archive_of_releases_and_news_no_quotation_points_forward(
    tmp_path,
) -> None:
    from benchmarks.generate_overlap import generate
    from generator.sources.archive import load_archive

    generate(tmp_path / "src", 300)
    archive, diagnostics = load_archive(tmp_path / "src")
    assert [line for line in diagnostics.lines() if ": error:" in line] == []
    documents = list(archive.documents)
    relations = find_quotations(ShingleIndex.of(documents), ())
    by_id = {d.id: d for d in documents}
    for r in relations:
        if r.type != "quotation":
            continue
        quoting, quoted = by_id[r.origin.document], by_id[r.target.document]
        assert quoting.date and quoted.date and quoted.date <= quoting.date
        before = quoted.plain_text[: r.target.start]
        assert before.count("“") == before.count("”")  # not inside the quoted text's marks
    assert {r.type for r in relations} == {"quotation", "shared-passage", "same-quote"}
