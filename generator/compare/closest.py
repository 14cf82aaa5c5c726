"""Quotes no text holds word for word, matched to the most alike passages (`quotes.py`).

A quote with differences compares at most CLOSEST_DOCUMENTS documents, found
through its word triples that at most COMMON_TRIPLE documents hold: each
quote's cost is bounded, whatever the archive's size and however many others
quote the same words.
"""

from __future__ import annotations

import heapq
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TypeVar

from rapidfuzz import fuzz

from generator.cache.digests import paragraphs_key
from generator.cache.store import BuildCache
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
# A passage close enough to a quote: (similarity, document, first word, size);
# kept for the next build with the document's id.
Window = tuple[float, int, int, int]
Kept = tuple[float, str, int, int]
# What a quote asks: its words, spelled, and who its quoting document is grouped with.
Question = tuple[str, tuple[str, ...]]
T = TypeVar("T")
# The cache's stage for the last build's answers (`_Answers`).
_ANSWERS = "closest passages"
_LAST = "last build"
CACHED_STAGES = (_ANSWERS,)
# The entries a build replaces with what it found, for the next (stage, key).
LAST_FOUND = ((_ANSWERS, _LAST),)


@dataclass(frozen=True)
class Quote:
    """Words a document has in quotation marks."""

    doc: int
    span: Span
    words: tuple[int, ...]


class Closest:
    """Quotes no text holds word for word, matched to the most alike passages."""

    def __init__(self, texts: Texts, quotes: list[Quote], cache: BuildCache | None = None) -> None:
        self.texts = texts
        self.quotes = quotes
        self.cache = cache
        self._answers: dict[tuple[tuple[int, ...], object], list[Window]] = {}
        index = texts.index
        self._ids = [doc.id for doc in texts.documents]
        self._position = {doc_id: d for d, doc_id in enumerate(self._ids)}
        self._members: dict[str, list[str]] = {}
        for d, group in texts.group_of.items():
            self._members.setdefault(group, []).append(self._ids[d])
        self._asked = [self._question(q) for q in quotes]
        self._kept = _still_true(texts, cache.lookup(_ANSWERS, _LAST) if cache else None)
        self._found: dict[Question, tuple[Kept, ...]] = {}
        # Only the triples of the quotes to answer again are looked for.
        wanted = {
            t
            for q, asked in zip(quotes, self._asked, strict=True)
            if asked not in self._kept
            for t in _triples(q.words)
        }
        # Where each triple of the quotes occurs outside quotation marks (only
        # there can a source be), in one pass; a triple held in more than
        # COMMON_TRIPLE places is boilerplate and names no candidate.
        self.places: dict[tuple[int, int, int], list[tuple[int, int]]] = {}
        for d, text in enumerate(index.words if wanted else ()):
            for first, last in _unmarked(texts, d, len(text)):
                stretch = text[first:last]
                if wanted.isdisjoint(_triples(stretch)):
                    continue
                for at, triple in enumerate(_triples(stretch), first):
                    if triple in wanted:
                        held = self.places.setdefault(triple, [])
                        if len(held) <= COMMON_TRIPLE:
                            held.append((d, at))

    def _question(self, quote: Quote) -> Question:
        """What a quote's answer follows from, besides the documents holding its triples."""
        group = self.texts.group_of.get(quote.doc)
        if group is None:
            return self.texts.index.spelled(list(quote.words)), ("alone", self._ids[quote.doc])
        members = sorted(self._members[group])
        return self.texts.index.spelled(list(quote.words)), ("group", *members)

    def relations(self) -> list[Relation]:
        """For each quote: quotations to the closest earlier passages, else shared passages."""
        relations = []
        for quote, asked in zip(self.quotes, self._asked, strict=True):
            relations += self._closest(quote, asked)
        if self.cache is not None:
            self.cache.store(_ANSWERS, _LAST, _Answers(*_identities(self.texts), self._found))
        return relations

    def _closest(self, quote: Quote, asked: Question) -> list[Relation]:
        earlier: list[Window] = []
        other: list[Window] = []
        for score, c, at, size in self._windows(quote, asked):
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

    def _windows(self, quote: Quote, asked: Question) -> list[Window]:
        """The passages close enough to a quote: (score, document, first word, size).

        Reports that copy one another's quotation ask the same question: it is
        answered once per wording (and group of the quoting document), and
        kept for the next build (`_still_true` says when it still holds).
        """
        group = self.texts.group_of.get(quote.doc, quote.doc)
        here = (quote.words, group)
        if here not in self._answers:
            kept = self._kept.get(asked)
            if kept is None:
                self._answers[here] = self._search(quote)
            else:
                self._answers[here] = [(s, self._position[c], at, n) for s, c, at, n in kept]
            self._found[asked] = tuple(
                (s, self._ids[c], at, n) for s, c, at, n in self._answers[here]
            )
        return self._answers[here]

    def _search(self, quote: Quote) -> list[Window]:
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


@dataclass(frozen=True)
class _Answers:
    """The closest passages found in the last build, and what they followed from."""

    order: tuple[str, ...]  # the documents' ids, in archive order
    texts: dict[str, tuple[str, str]]  # id → (its paragraphs' key, its date)
    answers: dict[Question, tuple[Kept, ...]]


def _identities(texts: Texts) -> tuple[tuple[str, ...], dict[str, tuple[str, str]]]:
    """The documents' ids in order, and what a question's answer reads of each."""
    docs = texts.documents
    return tuple(d.id for d in docs), {d.id: (paragraphs_key(d), d.date or "") for d in docs}


def _still_true(texts: Texts, last: _Answers | None) -> dict[Question, tuple[Kept, ...]]:
    """The last build's answers that hold in this one.

    An answer follows from the quote's words, from whom its quoting document
    is grouped with (the question), and from the documents holding its word
    triples: where they hold them, in archive order (a triple's places are
    cut at COMMON_TRIPLE + 1), their words, marks and dates. So it holds while
    no document holding one of its triples was changed, added or removed (in
    its old words or its new), unless the triple is common before and after,
    and the documents kept keep their order.
    """
    if last is None:
        return {}
    order, now = _identities(texts)
    here = set(order)
    if [i for i in order if i in last.texts] != [i for i in last.order if i in here]:
        return {}
    index = texts.index
    touched: set[tuple[str, str, str]] = set()
    changed: set[int] = set()
    for d, doc_id in enumerate(order):
        before = last.texts.get(doc_id)
        if before == now[doc_id]:
            continue
        changed.add(d)
        touched.update(_triples(index.spelled(index.words[d]).split(" ")))
        if before is not None:
            words = index.kept_words(before[0])
            if words is None:
                return {}
            touched.update(_triples(words))
    for doc_id in last.texts.keys() - here:
        words = index.kept_words(last.texts[doc_id][0])
        if words is None:
            return {}
        touched.update(_triples(words))
    touched -= _common_both_times(texts, touched, changed)
    return {
        asked: answer
        for asked, answer in last.answers.items()
        if touched.isdisjoint(_triples(asked[0].split(" ")))
    }


def _common_both_times(
    texts: Texts, touched: set[tuple[str, str, str]], changed: set[int]
) -> set[tuple[str, str, str]]:
    """The triples held in more than COMMON_TRIPLE places before the edits and after.

    Such a triple only counts as common in an answer (`Closest._search`),
    wherever it lies, so it changes none. Before, it was held in at least as
    many places as now, less those in the changed documents' new words.
    """
    vocabulary = texts.index.vocabulary
    spelled = {
        (vocabulary[a], vocabulary[b], vocabulary[c]): (a, b, c)
        for a, b, c in touched
        if a in vocabulary and b in vocabulary and c in vocabulary
    }
    now: Counter[tuple[int, int, int]] = Counter()
    new: Counter[tuple[int, int, int]] = Counter()
    for d, text in enumerate(texts.index.words):
        for first, last in _unmarked(texts, d, len(text)):
            stretch = text[first:last]
            if spelled.keys().isdisjoint(_triples(stretch)):
                continue
            held = [t for t in _triples(stretch) if t in spelled]
            now.update(held)
            if d in changed:
                new.update(held)
    return {spelled[t] for t, n in now.items() if n - new[t] > COMMON_TRIPLE}


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


def _triples(words: Sequence[T]) -> zip[tuple[T, T, T]]:
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
