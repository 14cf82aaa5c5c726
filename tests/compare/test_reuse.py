"""Unmarked reuse: a shared run of words is reuse, an outlet's stock paragraph is not."""

from __future__ import annotations

import dataclasses
import random

from generator.cache.store import BuildCache
from generator.compare.quotes import find_quotations
from generator.compare.shingles import ShingleIndex
from generator.model import Document, Group, Relation
from tests.compare.test_quotes import _brief, _doc, _quotations

CLOSING = (
    "The Daily Ledger is an independent newspaper founded in 1921 and published every "
    "morning in print and online for readers across the northern region."
)
TAIL = "said the spokesperson, according to the daily briefing of the ministry."
TOPICS = [
    "grain prices", "the river bridge", "a school strike", "the winter harvest",
    "port tariffs", "a hospital wing", "the rail timetable", "fishing quotas",
    "a water treaty", "the mayoral race", "road tolls", "a copper mine",
]  # fmt: skip


def _ledger(n: int, first: str) -> Document:
    """One of the outlet's items: its own first paragraph, then the stock closing."""
    return _doc(f"ledger-{n:02}", first, CLOSING, date=f"2024-03-{n:02}")


def _outlet() -> list[Document]:
    """Twelve items closing alike; items 1 and 2 end their own paragraph alike too."""
    items = [
        _ledger(n, f"Item {n} of the week is about {topic}, and nothing else at all.")
        for n, topic in enumerate(TOPICS, 1)
    ]
    items[0] = _ledger(1, f"Talks on grain prices resumed on Monday, {TAIL}")
    items[1] = _ledger(2, f"The river bridge will reopen in May, {TAIL}")
    return items


def test_a_stock_closing_reached_across_a_seam_is_not_reuse() -> None:
    # The rare words before the seam ("..., said the spokesperson ...") once
    # carried the run into the closing paragraph that all twelve items carry.
    assert _quotations(*_outlet()) == []


REUSED = (
    "agreed to open the northern crossing to trucks carrying food and medicine before the winter"
)


def _reuse_beside_stock() -> list[Document]:
    """Items 1 and 2 share a passage of their own, items 4 and 5 only a seam, all the closing."""
    items = _outlet()
    items[0] = _ledger(1, f"The council {REUSED}.")
    items[1] = _ledger(2, f"On Friday the council {REUSED}.")
    items[3] = _ledger(4, f"Talks on port tariffs went on late, {TAIL}")
    items[4] = _ledger(5, f"The copper mine closed early, {TAIL}")
    return items


def test_reuse_beside_stock_text_keeps_its_own_words_only() -> None:
    shared = f"the council {REUSED}"  # the closing after it is left out
    assert _brief(_quotations(*_reuse_beside_stock())) == [
        ("ledger-02", 1, "ledger-01", 1, True, shared)
    ]


def test_stock_text_is_told_the_same_in_any_order_of_the_documents() -> None:
    items = _reuse_beside_stock()
    orders = [items, items[::-1]] + [
        random.Random(seed).sample(items, len(items)) for seed in range(6)
    ]
    found = {tuple(_brief(_quotations(*order))) for order in orders}
    assert found == {(("ledger-02", 1, "ledger-01", 1, True, f"the council {REUSED}"),)}


# -- what an edit changes of reuse: each step equals a full run ---------------------


def _kept_and_fresh(*docs: Document, kept: BuildCache) -> list[Relation]:
    """The reuse found with the last build's findings kept, checked against a fresh run."""
    found = find_quotations(ShingleIndex.of(docs, kept), (), kept)
    assert found == find_quotations(ShingleIndex.of(docs, BuildCache()), (), BuildCache())
    return found


def test_a_paragraph_turning_stock_changes_the_pairs_that_reach_into_it() -> None:
    # Ten items carry the closing as a paragraph; twelve more carry its words
    # inside one of their own, so every fingerprint of it is held by more than
    # COMMON_FINGERPRINT documents before and after the eleventh item comes.
    items = _outlet()[:10]
    items[0] = _ledger(1, f"On Monday the council met and {TAIL}")
    items[1] = _ledger(2, f"On Sunday the council met and {TAIL}")
    variants = [
        _doc(f"variant-{n:02}", f"Variant {n} is about {topic}, {TAIL} {CLOSING}")
        for n, topic in enumerate(TOPICS)
    ]
    kept = BuildCache()
    shared = f"the council met and {TAIL}".rstrip(".")
    before = _brief(_kept_and_fresh(*items, *variants, kept=kept))
    assert ("ledger-02", 1, "ledger-01", 1, True, shared) in before
    assert ("ledger-02", 2, "ledger-01", 2, True, CLOSING.rstrip(".")) in before
    # An eleventh carrier, the copy of item 3: the closing is stock now.
    eleventh = dataclasses.replace(items[2], id="ledger-11")
    after = _brief(_kept_and_fresh(*items, eleventh, *variants, kept=kept))
    assert ("ledger-02", 1, "ledger-01", 1, True, shared) in after
    assert ("ledger-02", 2, "ledger-01", 2, True, CLOSING.rstrip(".")) not in after
    # And gone again: the closing is nobody's stock.
    assert _brief(_kept_and_fresh(*items, *variants, kept=kept)) == before


def test_a_pair_joining_one_group_shares_no_reuse_and_leaving_it_shares_it_again() -> None:
    items = _reuse_beside_stock()
    kept = BuildCache()
    shared = ("ledger-02", 1, "ledger-01", 1, True, f"the council {REUSED}")
    assert _brief(_kept_and_fresh(*items, kept=kept)) == [shared]
    group = Group("pair", "T", ("ledger-01", "ledger-02"))
    found = find_quotations(ShingleIndex.of(items, kept), (group,), kept)
    assert found == find_quotations(ShingleIndex.of(items), (group,)) == []
    assert _brief(_kept_and_fresh(*items, kept=kept)) == [shared]
