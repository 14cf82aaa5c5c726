"""Anchoring notes in an archive: ids, numbering, links and every error an editor can make."""

from __future__ import annotations

from generator.build.pipeline import load
from tests.conftest import EXAMPLE
from tests.sources.test_archive import EXAMPLE_WARNINGS, HILL, MINISTRY, STATE

BUNDLE = (
    "The Daily\nLondon\n2 January 2024\nTalks resume\n"
    "The talks on migration resumed on Monday. Poverty and violence were named.\n"
    "Officials said poverty and violence drive migration.\n"
    "The Daily\nLondon\n3 January 2024\nTalks end\n"
    "The talks ended.\n"
)
D1 = "2024-01-02-daily-talks-resume"
D2 = "2024-01-03-daily-talks-end"


def _archive(make_source, notes: str):
    source = make_source({"sources/daily.txt": BUNDLE, "notes/n.yaml": notes})
    return load(source)


def test_example_notes_anchor_without_problems() -> None:
    archive, diagnostics = load(EXAMPLE)
    assert diagnostics.lines() == EXAMPLE_WARNINGS
    counts = {d.id: len(archive.notes_on(d.id)) for d in archive.documents}
    assert counts[STATE] == 3 and counts[MINISTRY] == 2 and counts[HILL] == 3
    state = archive.notes_on(STATE)
    # In the order a reader meets their marks: ¶1's, then ¶2's nested pair, the inner
    # passage (its mark after "decline") before the outer one (after "violence").
    assert [n.number for n in state] == [1, 2, 3]
    assert [n.exact for n in state[1:]] == [
        "democratic decline",
        "such as poverty, inequality, democratic decline, and violence",
    ]


def test_notes_are_numbered_in_reading_order_and_link_documents(make_source) -> None:
    archive, diagnostics = _archive(
        make_source,
        f"- doc: {D1}\n  quote: drive migration\n  note: second\n"
        f"- doc: {D1}\n  paragraph: p1\n  note: 'See [the end]({D2}#p1) and [here](#p2).'\n",
    )
    assert diagnostics.lines() == []
    first, second = archive.notes_on(D1)
    assert (first.number, first.paragraph, first.quote, second.number) == (1, 1, None, 2)
    assert first.body_html == (
        f'<p>See <a href="/documents/{D2}/#p1">the end</a> and '
        f'<a href="/documents/{D1}/#p2">here</a>.</p>'
    )
    assert second.exact == "drive migration"
    assert second.prefix == "ere named.\n\nOfficials said poverty and violence "[-32:]
    assert second.suffix == "."


def test_note_ids_are_stable_and_unique(make_source) -> None:
    notes = f"- doc: {D1}\n  quote: talks\n  note: one\n- doc: {D1}\n  quote: talks\n  note: two\n"
    archive, _ = _archive(make_source, notes)
    ids = [n.id for n in archive.notes]
    assert len(set(ids)) == 2 and all(i.startswith("n-") for i in ids)
    again, _ = _archive(make_source, notes.replace("note: two", "note: two, edited"))
    assert again.notes[0].id == ids[0]


def test_every_anchoring_error_names_the_line_of_the_key_at_fault_and_the_fix(make_source) -> None:
    _, diagnostics = _archive(
        make_source,
        "- doc: 2024-01-02-daily-talks-resum\n"  # 1
        "  quote: talks\n"
        "  note: unknown doc\n"
        f"- doc: {D1}\n"  # 4
        "  quote: and violence\n"
        "  note: ambiguous\n"
        f"- doc: {D1}\n"  # 7
        "  quote: poverty and hunger drive emigration\n"
        "  note: not found\n"
        f"- doc: {D1}\n"  # 10
        "  paragraph: p9\n"
        "  note: no such paragraph\n"
        f"- doc: {D1}\n"  # 13
        "  quote: talks\n"
        "  note: '[x](no-such-doc) and [y](2024-01-03-daily-talks-end#p5) [z](../etc)'\n"
        f"- doc: {D1}\n"  # 16
        "  quote: Officials said\n"
        "  id: Bad Id\n"
        "  note: bad id\n",
    )
    assert diagnostics.lines() == [
        "notes/n.yaml:1: error: no document has the id '2024-01-02-daily-talks-resum'; "
        f"did you mean '{D1}', '{D2}'?",
        "notes/n.yaml:5: error: the quote matches 2 places (p1, p2); add 'occurrence: N' "
        "(1–2, in reading order) or 'prefix:'/'suffix:' to choose one",
        "notes/n.yaml:8: error: the quote is not in the document; the closest passage is in p2 "
        '(83% similar): "poverty and violence drive migration"',
        f"notes/n.yaml:11: error: document '{D1}' has 2 paragraphs; there is no p9",
        "notes/n.yaml:15: error: link '../etc' is neither a web address (https://...) nor a "
        "document id such as 'doc-id' or 'doc-id#p3'",
        "notes/n.yaml:15: error: the note links to an unknown document 'no-such-doc'",
        f"notes/n.yaml:15: error: the note links to p5 of '{D2}', which has 1 paragraph(s)",
        "notes/n.yaml:18: error: note id 'Bad Id' must be lowercase letters, digits and hyphens",
    ]


def test_a_quote_not_word_for_word_is_anchored_with_a_warning_that_is_true(make_source) -> None:
    # A new note with a typo: nothing ever matched, so nothing "no longer" matches either.
    archive, diagnostics = _archive(
        make_source,
        f"- doc: {D1}\n  note: moved\n  quote: The talks on migration restarted on Monday\n",
    )
    assert diagnostics.lines() == [
        "notes/n.yaml:3: warning: the quote is not word for word in the text; anchored to the "
        '92% similar passage in p1: "The talks on migration resumed on Monday"; '
        "if that is the passage meant, copy it into 'quote:'"
    ]
    (note,) = archive.notes
    assert note.reanchored_from == "The talks on migration restarted on Monday"
    assert note.exact == "The talks on migration resumed on Monday"


def test_occurrence_and_prefix_problems_point_at_their_keys(make_source) -> None:
    _, diagnostics = _archive(
        make_source,
        f"- doc: {D1}\n  quote: and violence\n  note: x\n  occurrence: 3\n"
        f"- doc: {D1}\n  quote: and violence\n  note: y\n  prefix: Nobody named poverty\n",
    )
    assert diagnostics.lines() == [
        "notes/n.yaml:4: error: occurrence 3 is given but the quote occurs 2 time(s) (p1, p2)",
        "notes/n.yaml:8: error: the quote occurs 2 time(s) (p1, p2) but none has the given "
        "prefix/suffix around it",
    ]


def test_a_bundle_edit_anchors_again_only_the_notes_on_the_documents_it_changed(
    make_source, monkeypatch
) -> None:
    from generator.cache.store import BuildCache
    from generator.notes import annotate as annotate_module

    notes = (
        f"- doc: {D1}\n  quote: drive migration\n  note: See [the end]({D2}#p1).\n"
        f"- doc: {D2}\n  quote: talks ended\n  note: Ended.\n"
    )
    source = make_source({"sources/daily.txt": BUNDLE, "notes/n.yaml": notes})
    anchored: list[str] = []
    real = annotate_module._place
    monkeypatch.setattr(
        annotate_module,
        "_place",
        lambda draft, *rest: anchored.append(draft.doc) or real(draft, *rest),
    )
    cache = BuildCache()
    first, problems = load(source, cache=cache)
    assert problems.lines() == [] and sorted(anchored) == [D1, D2]
    bundle = source / "sources/daily.txt"
    bundle.write_text(BUNDLE.replace("The talks ended.", "The talks ended on Friday."))
    edited, problems = load(source, cache=cache)
    assert problems.lines() == [] and sorted(anchored) == [D1, D2, D2]
    # The first note's link is still checked against the second document, unchanged in length.
    assert [n.body_html for n in edited.notes] == [n.body_html for n in first.notes]
    bundle.write_text(BUNDLE.replace("The talks ended.\n", "The talks ended.\nOn Friday.\n"))
    load(source, cache=cache)  # a paragraph more: every link to it is checked again
    assert sorted(anchored) == [D1, D1, D2, D2, D2]
