"""Boilerplate: stock text many texts carry never makes two texts versions (issue #18)."""

from __future__ import annotations

import random

from generator.compare.boilerplate import STOCK_TEXTS, Boilerplate, signatures
from tests.compare.test_groups import WIRE, A, B, C, D, E, _as_sets, _doc, _groups

# What every report of this archive carries: its desk's closing, the list of
# officials present, and the headline of one statement, quoted.
CLOSING = (
    "Editing by the news desk. This story has been updated with comments from officials"
    " and a response from the embassy."
)
PRESENT = (
    "Present were Secretary of State Antony Blinken, Ambassador Ken Salazar, Foreign"
    " Secretary Alicia Bárcena and others."
)
HEADLINE = (
    "“The two governments agreed to keep the border crossings open while they work on new"
    " measures to curb migration,” the spokesperson said."
)
# Each report's own opening: one distinct sentence apiece, some 25 words.
OPENINGS = [
    "Fishermen in the northern ports woke to find the harbour closed for the third time this"
    " month, and the mayor blamed the new customs rules for the delay.",
    "Farmers along the river valley say the water agreement signed last spring has left their"
    " fields dry, and they plan to march on the capital next week.",
    "Teachers in the border towns returned to classrooms on Monday after a strike that lasted"
    " nine days and closed more than two hundred schools.",
    "A shelter run by nuns in the southern city has taken in four hundred families since"
    " August, more than twice the number it was built to house.",
    "Truck drivers waited up to eighteen hours at the main bridge on Tuesday, and several"
    " freight companies said they would reroute shipments through the western crossing.",
    "The regional airline cancelled every flight to the coast after its pilots refused to"
    " fly without the new insurance the ministry had promised them in June.",
    "Hospital workers in the capital protested outside the health ministry, saying the budget"
    " for medicines had been cut by a third since the start of the year.",
    "A court in the northern state ordered the release of forty migrants held for more than"
    " a month in a warehouse that had no running water or beds.",
    "Railway unions warned that the freight line to the port would stop running at midnight"
    " unless the company paid the wages it has owed since September.",
    "Small traders at the central market said sales had fallen by half since the bridge tolls"
    " doubled, and some had already closed their stalls for good.",
    "Engineers inspecting the old dam found cracks along its eastern wall and asked the"
    " provincial government to lower the level of the reservoir at once.",
    "Students occupied the law faculty for a second night, demanding that the university"
    " reverse a fee increase announced without consulting them.",
]
OUTLETS = [f"Outlet {n}" for n in range(len(OPENINGS))]


def _report(n: int) -> tuple[str, ...]:
    """Report n: its own opening and credit line around the stock text every report has."""
    return (OPENINGS[n], HEADLINE, PRESENT, f"Reporting by the {OUTLETS[n]} staff.", CLOSING)


def _reports() -> list:
    return [_doc(f"report-{n:02d}", *_report(n), publisher=OUTLETS[n]) for n in range(12)]


def _republished() -> object:
    """Another outlet's copy of report 0: a new first paragraph and its own credit line."""
    opening, headline, present, _, closing = _report(0)
    first = f"As first reported elsewhere, {opening[0].lower()}{opening[1:]}"
    return _doc("republished", first, headline, present, "Reporting by the Wire staff.", closing,
                publisher="Wire")  # fmt: skip


def test_a_sentence_is_boilerplate_once_enough_different_texts_carry_it() -> None:
    line = ("editing", "by", "the", "news", "desk")
    own = ("a", "sentence", "of", "its", "own")
    texts = {d: signatures([line, (*own, str(d)), ()]) for d in range(STOCK_TEXTS)}
    (signed_line, _, nothing) = texts[0]
    assert signed_line[1] == 5 and nothing == (0, 0)
    assert Boilerplate.of(texts, {}).stock == {signed_line}
    assert Boilerplate.of(texts, {}).flags(texts[0]) == (True, False, False)
    del texts[0]
    assert Boilerplate.of(texts, {}).stock == frozenset()
    # Copies of one text count once as texts, and every time as documents.
    found = Boilerplate.of({0: signatures([own])}, {0: STOCK_TEXTS})
    assert found.stock == frozenset()
    assert found.widely_held == set(signatures([own]))
    assert found.mostly_shared(signatures([own, ("one", "more")]))
    twelve = tuple("twelve words of its own here and there, one two three four".split())
    assert not found.mostly_shared(signatures([own, twelve]))


def test_reports_sharing_only_stock_text_are_not_versions() -> None:
    # Every pair shares a closing, a list of officials and a quoted headline:
    # three quarters of its words, and nothing of its own.
    assert _groups(*_reports()) == []


def test_a_republication_with_its_own_opening_and_credit_is_its_original_s_version() -> None:
    assert _as_sets(_groups(*_reports(), _republished())) == {
        frozenset({"report-00", "republished"})
    }


def test_huge_families_of_copies_group_whole_beside_the_same_stock_text() -> None:
    release = (f"{A} {B}", f"{C} {D} {E}", CLOSING)
    copies = [_doc(f"copy-{n:03d}", *release, publisher=f"Paper {n}") for n in range(100)]
    # A hundred issues of another text, each with its number: all its
    # sentences are boilerplate by now, but each issue is the others' copy.
    issues = [_doc(f"issue-{n:03d}", " ".join(WIRE[:3]), " ".join(WIRE[3:5]),
                   f"Issued as number {n}.", CLOSING) for n in range(100)]  # fmt: skip
    found = _as_sets(_groups(*copies, *_reports(), *issues))
    assert found == {frozenset(d.id for d in copies), frozenset(d.id for d in issues)}


def test_the_groups_do_not_depend_on_file_order() -> None:
    docs = [*_reports(), _republished()]
    expected = {frozenset({"report-00", "republished"})}
    orders = [docs, docs[::-1]]
    for seed in range(8):
        shuffled = docs[:]
        random.Random(seed).shuffle(shuffled)
        orders.append(shuffled)
    assert all(_as_sets(_groups(*order)) == expected for order in orders)
