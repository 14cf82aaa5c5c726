"""Enrich: find passages that one document quotes from another.

Two kinds, both found through indexes rather than by comparing every pair:

- marked quotations: words between quotation marks of any style, at least
  MIN_QUOTED_WORDS long, looked up in every other document (an inverted index
  of words narrows the search to documents holding the quote's rarest words).
  Where some texts hold the quote word for word, only those are linked; the
  page then says which versions of a group hold the words and which do not.
  Where none does, the closest passage is linked as a quotation with
  differences, if it is close enough.
- verbatim reuse without marks: runs of REUSE_WORDS or more words that two
  documents outside one version group share (winnowed fingerprints guarantee
  every such run is seen), the later document quoting the earlier. Runs made
  mostly of capitalized words are left out: two texts naming the same
  delegation ("Secretary of State Antony Blinken, Secretary of Homeland
  Security ...") share a fact, not a passage.
"""

from __future__ import annotations

import bisect
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass

from rapidfuzz import fuzz

from generator.compare.shingles import REUSE_WORDS, ShingleIndex
from generator.compare.witness import word_spans, words
from generator.model import Document, Group, Passage, Relation

MIN_QUOTED_WORDS = 6
# How alike (0–1, on normalized words) a quote and a passage must be to call
# it a quotation with differences.
CLOSE_ENOUGH = 0.85
# Documents whose passage is compared word by word with an inexact quote.
CLOSEST_DOCUMENTS = 5
# A fingerprint shared by more documents than this is boilerplate, not reuse.
COMMON_FINGERPRINT = 10

# Opening and closing marks: curly, straight, guillemets (either direction),
# German low-high, and curly single quotes not followed by a letter (so that
# an apostrophe in "Mexico’s" does not close a quote).
_QUOTED = re.compile(
    r"“([^“”]+)”|\"([^\"\n]+)\"|«([^«»]+)»|»([^«»]+)«|„([^„“”]+)[“”]"
    r"|‘((?:[^‘’]|’(?=\w))+)’(?!\w)"
)


@dataclass(frozen=True)
class _Span:
    """A stretch of a document's plain text, with its word positions."""

    start: int
    end: int
    first_word: int
    last_word: int  # exclusive


def find_quotations(index: ShingleIndex, groups: tuple[Group, ...]) -> list[Relation]:
    """Quotation relations between documents that are not versions of one text."""
    finder = _Finder(index, groups)
    return finder.marked() + finder.reused()


class _Finder:
    """The indexes both searches share, built once per archive."""

    def __init__(self, index: ShingleIndex, groups: tuple[Group, ...]) -> None:
        self.index = index
        self.documents = index.documents
        position = {d.id: i for i, d in enumerate(self.documents)}
        self.group_of: dict[int, str] = {
            position[m]: g.id for g in groups for m in g.documents if m in position
        }
        self.holders: dict[int, list[int]] = {}  # word id → documents holding it
        for d, ids in enumerate(index.words):
            for word in set(ids):
                self.holders.setdefault(word, []).append(d)
        self._spans: dict[int, list[tuple[int, int]]] = {}  # word spans, per document
        self.quoted = [list(_quoted_passages(doc)) for doc in self.documents]

    def related(self, a: int, b: int) -> bool:
        """Whether two documents are one and the same, or versions in one group."""
        return a == b or (a in self.group_of and self.group_of.get(a) == self.group_of.get(b))

    def marked(self) -> list[Relation]:
        """Relations for every quotation in marks that another document holds."""
        relations: list[Relation] = []
        for d in range(len(self.documents)):
            for start, end in self.quoted[d]:
                marks = self._span(d, start, end)
                if marks.last_word - marks.first_word < MIN_QUOTED_WORDS:
                    continue
                # From its first word to its last: punctuation inside the marks is not quoted.
                span = self._words_span(d, marks.first_word, marks.last_word)
                quote = self.index.words[d][span.first_word : span.last_word]
                relations += self._sources(d, span, quote)
        return relations

    def reused(self) -> list[Relation]:
        """Relations for long runs of shared words outside quotation marks."""
        postings: dict[int, list[tuple[int, tuple[int, ...]]]] = {}
        for d in range(len(self.documents)):
            for fingerprint, positions in self.index.fingerprints(d).items():
                postings.setdefault(fingerprint, []).append((d, positions))
        # Every run of REUSE_WORDS shared words holds a shared fingerprint:
        # extending each shared fingerprint both ways finds them all.
        runs: dict[tuple[int, int], set[tuple[int, int, int]]] = {}
        for holders in postings.values():
            if not 1 < len(holders) <= COMMON_FINGERPRINT:
                continue
            for (a, where_a), (b, where_b) in itertools.combinations(holders, 2):
                if self.related(a, b):
                    continue
                for at_a, at_b in itertools.product(where_a, where_b):
                    run = _extend(self.index.words[a], self.index.words[b], at_a, at_b)
                    if run[2] >= REUSE_WORDS:
                        runs.setdefault((a, b), set()).add(run)
        relations = []
        for (a, b), found in sorted(runs.items()):
            later, earlier = (a, b) if self._is_later(a, b) else (b, a)
            for at_a, at_b, size in sorted(found):
                at_later, at_earlier = (at_a, at_b) if later == a else (at_b, at_a)
                origin = self._words_span(later, at_later, at_later + size)
                target = self._words_span(earlier, at_earlier, at_earlier + size)
                # Quoted with marks, in part: the marked search has dealt with it.
                if self._touches_marks(later, origin) or self._touches_marks(earlier, target):
                    continue
                if _mostly_names(self.documents[later].plain_text[origin.start : origin.end]):
                    continue
                relations.append(self._relation(later, origin, earlier, target, exact=True))
        return relations

    def _sources(self, d: int, span: _Span, quote: list[int]) -> list[Relation]:
        """Relations from one marked quotation to the texts holding it."""
        rarest = sorted(set(quote), key=lambda w: len(self.holders[w]))
        candidates = set(self.holders[rarest[0]])
        for word in rarest[1:3]:
            candidates &= set(self.holders[word])
        exact: list[tuple[int, int]] = []
        for c in sorted(candidates):
            if self.related(c, d):
                continue
            found = _find(self.index.words[c], quote)
            if found is not None:
                exact.append((c, found))
        # A text that itself quotes the words is a relay, not a source, when
        # some text has them outside quotation marks.
        unquoted = [
            (c, at)
            for c, at in exact
            if not self._inside_marks(c, self._words_span(c, at, at + len(quote)))
        ]
        if unquoted:
            exact = unquoted
        if exact:
            return [
                self._relation(d, span, c, self._words_span(c, at, at + len(quote)), exact=True)
                for c, at in exact
            ]
        return self._closest(d, span, quote)

    def _closest(self, d: int, span: _Span, quote: list[int]) -> list[Relation]:
        """A quotation with differences: the most alike passage, if alike enough."""
        counts: dict[int, int] = {}
        for word in set(quote):
            for c in self.holders[word]:
                counts[c] = counts.get(c, 0) + 1
        ranked = sorted(
            (c for c in counts if not self.related(c, d)), key=lambda c: (-counts[c], c)
        )
        best: list[tuple[float, int, int, int]] = []  # (score, doc, first word, size)
        for c in ranked[:CLOSEST_DOCUMENTS]:
            score, at, size = _best_window(self.index, c, quote)
            if score >= CLOSE_ENOUGH:
                best.append((score, c, at, size))
        if not best:
            return []
        top = max(score for score, *_ in best)
        return [
            self._relation(d, span, c, self._words_span(c, at, at + size), exact=False)
            for score, c, at, size in best
            if score == top
        ]

    def _relation(
        self, origin: int, o_span: _Span, target: int, t_span: _Span, *, exact: bool
    ) -> Relation:
        o_doc, t_doc = self.documents[origin], self.documents[target]
        return Relation(
            "quotation",
            _passage(o_doc, o_span),
            _passage(t_doc, t_span),
            exact,
            o_doc.plain_text[o_span.start : o_span.end],
            t_doc.plain_text[t_span.start : t_span.end],
        )

    def _is_later(self, a: int, b: int) -> bool:
        """Whether document a came out after b (by date, then archive order)."""
        date_a, date_b = self.documents[a].date, self.documents[b].date
        if date_a and date_b and date_a != date_b:
            return date_a > date_b
        return a > b

    def _word_spans(self, d: int) -> list[tuple[int, int]]:
        if d not in self._spans:
            self._spans[d] = word_spans(self.documents[d].plain_text)
        return self._spans[d]

    def _span(self, d: int, start: int, end: int) -> _Span:
        """The words of a document lying within [start, end) of its plain text."""
        spans = self._word_spans(d)
        first = bisect.bisect_left(spans, (start, start))
        last = bisect.bisect_left(spans, (end, end))
        return _Span(start, end, first, last)

    def _words_span(self, d: int, first: int, last: int) -> _Span:
        """The plain-text stretch of a document's words [first, last)."""
        spans = self._word_spans(d)
        return _Span(spans[first][0], spans[last - 1][1], first, last)

    def _inside_marks(self, d: int, span: _Span) -> bool:
        return any(start <= span.start and span.end <= end for start, end in self.quoted[d])

    def _touches_marks(self, d: int, span: _Span) -> bool:
        return any(start < span.end and span.start < end for start, end in self.quoted[d])


def _mostly_names(text: str) -> bool:
    """Whether most words are capitalized: a list of officials and titles, a shared fact."""
    found = words(text)
    return sum(w.text[0].isupper() for w in found) * 2 > len(found)


def _quoted_passages(doc: Document) -> Iterator[tuple[int, int]]:
    """Plain-text spans of the words within quotation marks, paragraph by paragraph."""
    offset = 0
    for paragraph in doc.paragraphs:
        for match in _QUOTED.finditer(paragraph.text):
            group = next(g for g in range(1, (match.lastindex or 0) + 1) if match.group(g))
            yield offset + match.start(group), offset + match.end(group)
        offset += len(paragraph.text) + 2  # Document.plain_text joins with a blank line


def _passage(doc: Document, span: _Span) -> Passage:
    """A span of a document as a passage, with the paragraph it starts in."""
    offset = 0
    for paragraph in doc.paragraphs:
        if span.start < offset + len(paragraph.text) + 2:
            return Passage(doc.id, paragraph.number, span.start, span.end)
        offset += len(paragraph.text) + 2
    return Passage(doc.id, doc.paragraphs[-1].number, span.start, span.end)


def _find(text: list[int], quote: list[int]) -> int | None:
    """The first word position where `quote` occurs in `text`, word for word."""
    first, size = quote[0], len(quote)
    at = -1
    while True:
        try:
            at = text.index(first, at + 1)
        except ValueError:
            return None
        if text[at : at + size] == quote:
            return at


def _best_window(index: ShingleIndex, doc: int, quote: list[int]) -> tuple[float, int, int]:
    """The stretch of a document most like `quote`: (similarity 0–1, first word, size)."""
    # Compared as letters, not whole words, so that "medicine" and "medicines" nearly agree.
    text = index.words[doc]
    wanted = index.spelled(quote)
    size = len(quote)
    best = (0.0, 0, size)
    starts = set(quote)
    for at in range(max(1, len(text) - size + 1)):
        if text[at] not in starts:
            continue
        for width in (size - 2, size - 1, size, size + 1, size + 2):
            if width < 1 or at + width > len(text):
                continue
            score = fuzz.ratio(wanted, index.spelled(text[at : at + width])) / 100.0
            if score > best[0]:
                best = (score, at, width)
    return best


def _extend(a: list[int], b: list[int], at_a: int, at_b: int) -> tuple[int, int, int]:
    """The longest run of equal words through a[at_a] and b[at_b]: (start in a, in b, size)."""
    if a[at_a] != b[at_b]:  # a hash collision, not a shared word
        return at_a, at_b, 0
    while at_a > 0 and at_b > 0 and a[at_a - 1] == b[at_b - 1]:
        at_a, at_b = at_a - 1, at_b - 1
    size = 0
    while at_a + size < len(a) and at_b + size < len(b) and a[at_a + size] == b[at_b + size]:
        size += 1
    return at_a, at_b, size
