"""Enrich: find passages that one document quotes from another.

`find_quotations` gives three kinds of relation between documents that are not
versions of one text:

- `quotation`: the origin quotes the target, which came out on the same day or
  earlier. Words in quotation marks of any style, at least MIN_QUOTED_WORDS
  long, point at the texts that hold them *outside* quotation marks; where no
  text holds them word for word, at the closest passage, if close enough (a
  quotation with differences). Long runs of shared words without marks
  (`reuse.py`) point from the later document to the earlier.
- `shared-passage`: the same, where the dates cannot say who quoted whom (a
  date is missing, or the text holding the words came out later): the two
  share the passage, and no direction is claimed.
- `same-quote`: both documents quote the same words inside their own
  quotation marks. They quote a common source, not each other: each is linked
  to that source when the archive has it, and to the others only as fellow
  quoters. A relay (b quotes a, c quotes b's quotation) thus links c to a.

Every quote is looked up in one pass over the archive (a dictionary of the
quotes' first words, not a search per quote), and a quote with differences
compares at most CLOSEST_DOCUMENTS documents, found through its word triples
that at most COMMON_TRIPLE documents hold: each quote's cost is bounded,
whatever the archive's size and however many others quote the same words.
"""

from __future__ import annotations

import heapq
from dataclasses import dataclass

from rapidfuzz import fuzz

from generator.cache.store import BuildCache
from generator.compare.passages import Places, Span, Texts, order, relation
from generator.compare.reuse import find_reuse
from generator.compare.shingles import ShingleIndex
from generator.model import Group, Relation

MIN_QUOTED_WORDS = 6
# How alike (0–1, on normalized words) a quote and a passage must be to call
# it a quotation with differences.
CLOSE_ENOUGH = 0.85
# Documents whose passage is compared word by word with an inexact quote.
CLOSEST_DOCUMENTS = 5
# A word triple held by more documents than this is boilerplate: it does not
# name the candidates for a quote with differences.
COMMON_TRIPLE = 64
# Fellow quoters a quote is linked to (the earliest): a sentence quoted by
# dozens of reports links each to a few, not every report to every other.
FELLOW_QUOTERS = 5


@dataclass(frozen=True)
class _Quote:
    """Words a document has in quotation marks."""

    doc: int
    span: Span
    words: tuple[int, ...]


def find_quotations(
    index: ShingleIndex, groups: tuple[Group, ...], cache: BuildCache | None = None
) -> list[Relation]:
    """Quotation, shared-passage and same-quote relations between texts of different groups.

    With a `cache`, unmarked reuse is weighed again only where an edit may
    have changed it (`reuse.find_reuse`).
    """
    texts = Texts(index, groups)
    return _marked(texts) + find_reuse(texts, cache)


def _marked(texts: Texts) -> list[Relation]:
    """Relations for every quotation in marks."""
    quotes = _quotes(texts)
    if not quotes:
        return []
    where = _holders(texts, {q.words for q in quotes})
    held = {words: _held(texts, len(words), holders) for words, holders in where.items()}
    nowhere = _Held((), ())
    relations: list[Relation] = []
    fellows: dict[frozenset[tuple[str, int | None]], Relation] = {}
    inexact: list[_Quote] = []
    for quote in quotes:
        found, quoters = _exact(texts, quote, held.get(quote.words, nowhere))
        relations += found
        for relation_ in quoters:
            ends = frozenset({(relation_.origin.document, relation_.origin.start),
                              (relation_.target.document, relation_.target.start)})  # fmt: skip
            fellows.setdefault(ends, relation_)
        # Held word for word only in other texts' quotation marks, or nowhere:
        # a relay of a quotation with differences, or of words no text here has.
        if not found:
            inexact.append(quote)
    if inexact:
        relations += _Closest(texts, inexact).relations()
    return relations + list(fellows.values())


def _quotes(texts: Texts) -> list[_Quote]:
    """Every stretch of MIN_QUOTED_WORDS or more words in quotation marks, in archive order."""
    found = []
    for d, quoted in enumerate(texts.quoted):
        if not quoted:
            continue
        places = texts.places(d)
        for first, last in places.marked:
            if last - first < MIN_QUOTED_WORDS:
                continue
            # From its first word to its last: punctuation inside the marks is not quoted.
            words = tuple(texts.index.words[d][first:last])
            found.append(_Quote(d, places.words_span(first, last), words))
    return found


def _holders(texts: Texts, wanted: set[tuple[int, ...]]) -> dict[tuple[int, ...], list[tuple]]:
    """Where each quote occurs word for word: (document, first word), in archive order."""
    by_start: dict[tuple[int, ...], list[tuple[int, ...]]] = {}
    for words in wanted:
        by_start.setdefault(words[:MIN_QUOTED_WORDS], []).append(words)
    firsts = {words[0] for words in wanted}
    held: dict[tuple[int, ...], list[tuple[int, int]]] = {}
    # One pass over every document's words: the cost is the archive's size plus
    # the places where a quote's first words occur, however many quotes there are.
    for d, text in enumerate(texts.index.words):
        if firsts.isdisjoint(text):
            continue
        for at in [at for at, word in enumerate(text) if word in firsts]:
            for words in by_start.get(tuple(text[at : at + MIN_QUOTED_WORDS]), ()):
                if tuple(text[at : at + len(words)]) == words:
                    held.setdefault(words, []).append((d, at))
    return held


@dataclass(frozen=True)
class _Held:
    """Where one wording occurs, word for word and within one paragraph."""

    sources: tuple[tuple[int, int], ...]  # (document, first word) outside its marks
    quoters: tuple[tuple[int, int], ...]  # inside its own marks, earliest document first


def _held(texts: Texts, size: int, holders: list[tuple[int, int]]) -> _Held:
    """Sort one wording's holders into sources and fellow quoters, once for all its quotes."""
    sources: dict[int, int] = {}
    quoters: dict[int, int] = {}
    for c, at in holders:
        places = texts.places(c)
        if places.in_one_paragraph(at, at + size):
            (quoters if places.begins_in_marks(at) else sources).setdefault(c, at)
    by_rank = sorted(quoters.items(), key=lambda held: texts.rank[held[0]])
    return _Held(tuple(sources.items()), tuple(by_rank))


def _exact(texts: Texts, quote: _Quote, held: _Held) -> tuple[list[Relation], list[Relation]]:
    """A quote's links to the texts holding its words: (quotation or shared, same-quote)."""
    quoting = texts.places(quote.doc)
    size = len(quote.words)
    found = []
    for c, at in held.sources:
        if texts.related(c, quote.doc):
            continue
        when = order(texts.dates[c], texts.dates[quote.doc])
        kind = "quotation" if when in (-1, 0) else "shared-passage"
        target = texts.places(c)
        span = target.words_span(at, at + size)
        found.append(relation(kind, quoting, quote.span, target, span, exact=True))
    # The earliest fellow quoters outside the quoting document's group, however many.
    fellows = []
    for c, at in held.quoters:
        if len(fellows) == FELLOW_QUOTERS:
            break
        if not texts.related(c, quote.doc):
            fellows.append((c, at))
    same = []
    for c, at in fellows:
        target = texts.places(c)
        span = target.words_span(at, at + size)
        # No direction: the later of the two (by date, then id) is the origin.
        if texts.rank[c] < texts.rank[quote.doc]:
            same.append(relation("same-quote", quoting, quote.span, target, span, exact=True))
        else:
            same.append(relation("same-quote", target, span, quoting, quote.span, exact=True))
    return found, same


class _Closest:
    """Quotes no text holds word for word, matched to the most alike passages."""

    def __init__(self, texts: Texts, quotes: list[_Quote]) -> None:
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

    def _closest(self, quote: _Quote) -> list[Relation]:
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

    def _windows(self, quote: _Quote) -> list[tuple[float, int, int, int]]:
        """The passages close enough to a quote: (score, document, first word, size).

        Reports that copy one another's quotation ask the same question: it is
        answered once per wording (and group of the quoting document).
        """
        group = self.texts.group_of.get(quote.doc, quote.doc)
        asked = (quote.words, group)
        if asked not in self._answers:
            self._answers[asked] = self._search(quote)
        return self._answers[asked]

    def _search(self, quote: _Quote) -> list[tuple[float, int, int, int]]:
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
