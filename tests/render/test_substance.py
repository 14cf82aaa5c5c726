"""What differs in substance: the few variants a comparison page leads with, best first."""

from __future__ import annotations

from pathlib import Path

from generator.build.pipeline import load
from generator.model import Archive, Comparison
from generator.render.substance import copy_columns, differences, ranked
from generator.sources.archive import load_archive
from tests.conftest import EXAMPLE
from tests.sources.test_archive import HEADERLESS, HILL, MINISTRY, STATE


def _document(publisher: str, date: str, title: str, *paragraphs: str) -> str:
    header = f"---\npublisher: {publisher}\ndate: {date}\ntitle: {title}\n---\n"
    return header + "\n\n".join(paragraphs) + "\n"


def _pair(make_source, first: str, second: str) -> Path:
    """Two versions of a text, declared as a group (whatever the detection would say)."""
    source = make_source({"sources/a-first.md": first, "sources/b-second.md": second})
    ids = [d.id for d in load_archive(source)[0].documents]
    (source / "compare.yaml").write_text(f"groups:\n  - documents: [{', '.join(ids)}]\n")
    return source


def _comparison(source: Path) -> tuple[Comparison, Archive]:
    archive, diagnostics = load(source)
    assert not diagnostics.has_errors, diagnostics.lines()
    [comparison] = [c for c in archive.comparisons if c.is_default]
    return comparison, archive


def _summary(comparison: Comparison, archive: Archive) -> list[tuple[str, str, tuple[str, ...]]]:
    return [(d.headline, d.change, d.reasons) for d in differences(comparison, archive)]


# Two English renderings of one statement: the same sentences, worded apart throughout,
# as two foreign ministries' translations are; the second inserts one clause.
FIRST = (
    "The two governments met in Lisbon on Tuesday to review their cooperation on fisheries.",
    "The ministers agreed to continue the joint patrols of the northern coast.",
    "They also decided to strengthen the exchange of data on catches and quotas.",
    "Both delegations expressed their thanks to the people of Portugal for their welcome.",
)
SECOND = (
    "The two governments gathered in Lisbon on Tuesday to assess their collaboration on fisheries.",
    "The ministers agreed to carry on the joint patrols of the northern coast, "
    "which were suspended after the oil spill of 2019.",
    "They further decided to reinforce the exchange of information on catches and quotas.",
    "Both delegations conveyed their gratitude to the people of Portugal for their welcome.",
)


def test_a_translation_pair_leads_with_its_inserted_clause(make_source) -> None:
    source = _pair(
        make_source,
        _document("Ministry A", "2024-03-05", "Fisheries talks", *FIRST),
        _document("Ministry B", "2024-03-06", "Fisheries talks", *SECOND),
    )
    comparison, archive = _comparison(source)
    listed = differences(comparison, archive)
    # The inserted clause: words with no counterpart, with its year; the paraphrases below it.
    assert (listed[0].headline, listed[0].change) == (
        "which were suspended after the oil spill of 2019",
        "unmatched",
    )
    assert listed[0].only_in == (1,) and listed[0].missing_from == (0,)
    assert listed[0].unmatched == ("suspended", "oil", "spill", "2019")
    # The paraphrases ("met"/"gathered", "review"/"assess"…) are weighed, and left out.
    assert len(listed) == 1
    wording = [d for d in ranked(comparison, archive) if d.change == "wording"]
    assert len(wording) >= 4 and {d.score for d in wording} == {1}


def test_a_reissue_that_drops_a_phrase_lists_that_phrase_alone(make_source) -> None:
    first = (
        "The council met on Monday to discuss the budget.",
        "It noted the risks of corruption and democratic backsliding in the region.",
        "The next meeting will be held in April in Geneva.",
    )
    reissue = (first[0], "It noted the risks of corruption in the region.", first[2])
    source = _pair(
        make_source,
        _document("Council", "2024-01-08", "Budget", *first),
        _document("Council", "2024-01-09", "Budget", *reissue),
    )
    comparison, archive = _comparison(source)
    assert _summary(comparison, archive) == [
        ("and democratic backsliding", "unmatched", ("unmatched",))
    ]
    [dropped] = differences(comparison, archive)
    assert dropped.variant.readings == ("and democratic backsliding", "")
    assert dropped.unmatched == ("democratic", "backsliding")


def test_function_words_and_punctuation_are_not_listed(make_source) -> None:
    first = (
        "The council met on Monday to discuss the budget for the coming year.",
        "It noted the risks of corruption in the region and asked for a report.",
    )
    second = (
        "The council met on Monday to discuss a budget for the coming year.",
        "It noted the risks of corruption in the region, and asked for the report.",
    )
    source = _pair(
        make_source,
        _document("Council", "2024-01-08", "Budget", *first),
        _document("Council", "2024-01-09", "Budget", *second),
    )
    comparison, archive = _comparison(source)
    assert comparison.variants  # they differ, in small words only
    assert differences(comparison, archive) == []


def test_reordered_list_items_show_as_moved_and_rank_low(make_source) -> None:
    first = (
        "The delegation was received by the governor of the province on Friday morning.",
        "Present were the Minister of Health, Ana Ruiz; the Minister of Transport, "
        "Luis Ortega; and the Minister of Finance, Carla Mendes.",
    )
    second = (
        "The delegation was received by the governor of the province on Friday morning.",
        "Present were the Minister of Finance, Carla Mendes; the Minister of Health, "
        "Ana Ruiz; and the Minister of Transport, Luis Ortega.",
    )
    source = _pair(
        make_source,
        _document("Province", "2024-02-02", "Visit", *first),
        _document("Province", "2024-02-03", "Visit", *second),
    )
    comparison, archive = _comparison(source)
    weighed = ranked(comparison, archive)
    moved = [d for d in weighed if d.change == "moved"]
    assert moved and all(d.score == 0 for d in moved)
    assert {w for d in moved for w in d.headline.split()} >= {"Carla", "Mendes"}
    assert differences(comparison, archive) == []


def test_the_example_leads_with_democratic_decline_quoted_and_noted() -> None:
    archive, _ = load(EXAMPLE)
    comparison = next(c for c in archive.comparisons if c.is_default)
    listed = differences(comparison, archive)
    assert len(listed) <= 5
    first = listed[0]
    assert first.headline == "democratic decline"
    assert first.variant.readings == ("democratic decline,", "", "")
    assert first.reasons == ("unmatched", "quoted", "noted")
    assert first.only_in == (0,) and first.missing_from == (1,)  # the copy is not counted twice
    assert [r.origin.document for r in first.quoted_by] == [HILL]
    assert {n.document for n in first.notes} == {STATE, MINISTRY}
    # Titles of officials moved within the list of delegates are not listed.
    assert not any(d.change == "moved" for d in listed)
    assert copy_columns(comparison, archive) == {2: 1}
    assert comparison.witnesses[2] == HEADERLESS


def test_a_comparison_is_weighed_once_per_archive_and_let_go_with_it(monkeypatch) -> None:
    import gc

    from generator.render import substance

    weighed: list[str] = []
    rank = substance._ranked
    monkeypatch.setattr(substance, "_ranked", lambda c, a: weighed.append(c.group.id) or rank(c, a))
    archive, _ = load(EXAMPLE)
    [comparison] = archive.comparisons
    first = ranked(comparison, archive)
    whole = list(first)
    first.pop()  # a caller's copy: what the next caller gets is whole
    assert ranked(comparison, archive) == whole
    assert weighed == [comparison.group.id]
    # Another archive (a note edited under `serve`) is weighed anew: notes weigh.
    again, _ = load(EXAMPLE)
    ranked(again.comparisons[0], again)
    assert len(weighed) == 2
    del archive, again, comparison
    gc.collect()
    assert substance._RANKED == {}
