"""Quotes no text holds word for word, matched to the most alike passages (`quotes.py`).

A quote with differences compares at most CLOSEST_DOCUMENTS documents, found
through its word triples that at most COMMON_TRIPLE documents hold: each
quote's cost is bounded, whatever the archive's size and however many others
quote the same words.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

from rapidfuzz import fuzz

from generator.compare.passages import Places, Span, Texts, order, relation
from generator.compare.shingles import ShingleIndex
from generator.model import Relation

# How alike (0–1, on normalized words) a quote and a passage must be to call
# it a quotation with differences.
CLOSE_ENOUGH = 0.85
# Documents whose passage is compared word by word with an inexact quote.
CLOSEST_DOCUMENTS = 5
# A word triple held by more documents than this is boilerplate: it does not
# name the candidates for a quote with differences.
COMMON_TRIPLE = 64


@dataclass(frozen=True)
class Quote:
    """Words a document has in quotation marks."""

    doc: int
    span: Span
    words: tuple[int, ...]


class Closest:
    """Quotes no text holds word for word, matched to the most alike passages."""

    def __init__(self, texts: Texts, quotes: list[Quote]) -> None:
        self.texts = texts
        self.quotes = quotes
        self._answers: dict[tuple[tuple[int, ...], object], list[tuple[float, int, int, int]]] = {}
        wanted = {t for q in quotes for t in _triples(q.words)}
        # Where each triple of the quotes occurs outside quotation marks (only
        # there can a source be), in one pass; a triple held in more than
        # COMMON_TRIPLE places is boilerplate and names no candidate.
        self.places: dict[tuple[int, int, int], list[tuple[int, int]]] = {}
        for d, text in enumerate(texts.index.words):
            for first, last in _unmarked(texts, d, len(text)):
                stretch = text[first:last]
                if wanted.isdisjoint(_triples(stretch)):
                    continue
                for at, triple in enumerate(_triples(stretch), first):
                    if triple in wanted:
                        held = self.places.setdefault(triple, [])
                        if len(held) <= COMMON_TRIPLE:
                            held.append((d, at))

    def relations(self) -> list[Relation]:
        """For each quote: quotations to the closest earlier passages, else shared passages."""
        relations = []
        for quote in self.quotes:
            relations += self._closest(quote)
        return relations

    def _closest(self, quote: Quote) -> list[Relation]:
        earlier: list[tuple[float, int, int, int]] = []  # (score, document, first word, size)
        other: list[tuple[float, int, int, int]] = []
        for score, c, at, size in self._windows(quote):
            when = order(self.texts.dates[c], self.texts.dates[quote.doc])
            (earlier if when in (-1, 0) else other).append((score, c, at, size))
        best, kind = (earlier, "quotation") if earlier else (other, "shared-passage")
        if not best:
            return []
        top = max(score for score, *_ in best)
        quoting = self.texts.places(quote.doc)
        found = []
        for score, c, at, size in best:
            if score == top:
                target = self.texts.places(c)
                span = target.words_span(at, at + size)
                found.append(relation(kind, quoting, quote.span, target, span, exact=False))
        return found

    def _windows(self, quote: Quote) -> list[tuple[float, int, int, int]]:
        """The passages close enough to a quote: (score, document, first word, size).

        Reports that copy one another's quotation ask the same question: it is
        answered once per wording (and group of the quoting document).
        """
        group = self.texts.group_of.get(quote.doc, quote.doc)
        asked = (quote.words, group)
        if asked not in self._answers:
            self._answers[asked] = self._search(quote)
        return self._answers[asked]

    def _search(self, quote: Quote) -> list[tuple[float, int, int, int]]:
        # Per candidate document: how many of the quote's triples it holds, and
        # where each one says the quote would start there.
        triples: dict[int, set[int]] = {}
        votes: dict[int, dict[int, int]] = {}
        common = 0
        for j, triple in enumerate(_triples(quote.words)):
            held = self.places.get(triple, [])
            if len(held) > COMMON_TRIPLE:
                common += 1  # perhaps shared with any candidate: counted for all
                continue
            for c, at in held:
                if self.texts.related(c, quote.doc):
                    continue
                triples.setdefault(c, set()).add(j)
                starts = votes.setdefault(c, {})
                starts[at - j] = starts.get(at - j, 0) + 1
        needed = max(1, _triples_kept(len(quote.words)) - common)
        ranked = heapq.nsmallest(
            CLOSEST_DOCUMENTS,
            (c for c, found in triples.items() if len(found) >= needed),
            key=lambda c: (-len(triples[c]), self.texts.rank[c]),
        )
        windows = []
        for c in ranked:
            places = self.texts.places(c)
            score, at, size = _best_window(
                self.texts.index, c, places, quote.words, votes[c], needed
            )
            if score >= CLOSE_ENOUGH:
                windows.append((score, c, at, size))
        return windows


def _unmarked(texts: Texts, d: int, size: int) -> list[tuple[int, int]]:
    """The stretches [first, last) of a document's words outside its quotation marks."""
    if not texts.quoted[d]:
        return [(0, size)]
    stretches = []
    at = 0
    for first, last in sorted(texts.places(d).marked):
        if first > at:
            stretches.append((at, first))
        at = max(at, last)
    if at < size:
        stretches.append((at, size))
    return stretches


def _triples_kept(size: int) -> int:
    """The fewest word triples a passage close enough to a quote of `size` words shares with it.

    Close enough (CLOSE_ENOUGH of the letters alike) leaves at most about one
    word in six changed, added or dropped, and each such edit breaks at most
    three triples.
    """
    edits = size // 6 + 1
    return max(1, size - 2 - 3 * edits)


def _triples(words: tuple[int, ...] | list[int]) -> zip[tuple[int, int, int]]:
    return zip(words, words[1:], words[2:], strict=False)


def _best_window(
    index: ShingleIndex,
    doc: int,
    places: Places,
    quote: tuple[int, ...],
    votes: dict[int, int],
    needed: int,
) -> tuple[float, int, int]:
    """The stretch of a document most like `quote`: (similarity 0–1, first word, size).

    Only stretches within one paragraph and outside the document's own
    quotation marks (another text's quotation is a fellow quote, not a
    source), and only where most of the quote's triples say it would start:
    `votes` maps a start to the triples placing the quote there.
    """
    text = index.words[doc]
    size = len(quote)
    # A word added or dropped shifts the triples after it: count those nearby too,
    # and try every start within two words.
    support = {at: sum(votes.get(at + near, 0) for near in range(-2, 3)) for at in votes}
    most = max(support.values(), default=0)
    if most < needed:
        return 0.0, 0, size
    starts = {
        at + shift
        for at, count in support.items()
        if count == most
        for shift in range(-2, 3)
        if at + shift >= 0
    }
    # Compared as letters, not whole words, so that "medicine" and "medicines" nearly agree.
    wanted = index.spelled(list(quote))
    first_words = set(quote)
    best = (0.0, 0, size)
    for at in sorted(starts):
        if at >= len(text) or text[at] not in first_words or places.begins_in_marks(at):
            continue
        end = places.paragraph_end(at)
        for width in (size - 2, size - 1, size, size + 1, size + 2):
            if width < 1 or at + width > end:
                continue
            score = fuzz.ratio(wanted, index.spelled(text[at : at + width])) / 100.0
            if score > best[0]:
                best = (score, at, width)
    return best
