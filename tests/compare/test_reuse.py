"""Unmarked reuse: a shared run of words is reuse, an outlet's stock paragraph is not."""

from __future__ import annotations

import random

from generator.model import Document
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
