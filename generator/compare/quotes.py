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

from dataclasses import dataclass

from generator.cache.store import BuildCache
from generator.compare.closest import Closest, Quote
from generator.compare.passages import Texts, order, relation
from generator.compare.reuse import find_reuse
from generator.compare.shingles import ShingleIndex
from generator.model import Group, Relation

MIN_QUOTED_WORDS = 6
# Fellow quoters a quote is linked to (the earliest): a sentence quoted by
# dozens of reports links each to a few, not every report to every other.
FELLOW_QUOTERS = 5


def find_quotations(
    index: ShingleIndex, groups: tuple[Group, ...], cache: BuildCache | None = None
) -> list[Relation]:
    """Quotation, shared-passage and same-quote relations between texts of different groups.

    With a `cache`, unmarked reuse is weighed again only where an edit may
    have changed it (`reuse.find_reuse`).
    """
    texts = Texts(index, groups)
    return _marked(texts, cache) + find_reuse(texts, cache)


def _marked(texts: Texts, cache: BuildCache | None = None) -> list[Relation]:
    """Relations for every quotation in marks."""
    quotes = _quotes(texts)
    if not quotes:
        return []
    where = _holders(texts, {q.words for q in quotes})
    held = {words: _held(texts, len(words), holders) for words, holders in where.items()}
    nowhere = _Held((), ())
    relations: list[Relation] = []
    fellows: dict[frozenset[tuple[str, int | None]], Relation] = {}
    inexact: list[Quote] = []
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
        relations += Closest(texts, inexact, cache).relations()
    return relations + list(fellows.values())


def _quotes(texts: Texts) -> list[Quote]:
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
            found.append(Quote(d, places.words_span(first, last), words))
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


def _exact(texts: Texts, quote: Quote, held: _Held) -> tuple[list[Relation], list[Relation]]:
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
