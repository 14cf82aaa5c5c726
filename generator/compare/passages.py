"""Where shared words lie in a document, and which of two documents came out first.

Both quotation searches (`quotes.py`, marks; `reuse.py`, no marks) find words
by their positions in a document's normalized words (`ShingleIndex.words`).
`Places` turns those positions into stretches of the plain text, their
paragraph, and the quoted spans of the document; `order` says whether the
dates allow one document to quote another.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Iterator
from dataclasses import dataclass

from generator.compare.shingles import ShingleIndex
from generator.compare.witness import word_spans
from generator.model import Document, Group, Passage, Relation

# Opening and closing marks: curly, straight, guillemets (either direction),
# German low-high, and curly single quotes not followed by a letter (so that
# an apostrophe in "Mexico’s" does not close a quote).
_QUOTED = re.compile(
    r"“([^“”]+)”|\"([^\"\n]+)\"|«([^«»]+)»|»([^«»]+)«|„([^„“”]+)[“”]"
    r"|‘((?:[^‘’]|’(?=\w))+)’(?!\w)"
)
_OPENING = '“"«»„‘'


@dataclass(frozen=True)
class Span:
    """A stretch of a document's plain text, with its word positions."""

    start: int
    end: int
    first_word: int
    last_word: int  # exclusive


class Places:
    """Word positions, paragraphs and quotation marks of one document, read once."""

    def __init__(self, doc: Document, quoted: list[tuple[int, int]] | None = None) -> None:
        self.doc = doc
        self.plain_text = doc.plain_text  # a property that joins the paragraphs each time
        self.spans = word_spans(self.plain_text)
        # Where each paragraph starts: in the plain text, and as a word position.
        self.paragraph_starts: list[int] = []
        self.paragraph_first_words: list[int] = []
        offset = 0
        for paragraph in doc.paragraphs:
            self.paragraph_starts.append(offset)
            self.paragraph_first_words.append(bisect.bisect_left(self.spans, (offset, offset)))
            offset += len(paragraph.text) + 2  # Document.plain_text joins with a blank line
        # The words inside each pair of quotation marks: [first, last) word positions.
        self.marked: list[tuple[int, int]] = [
            (self._first_at(start), self._first_at(end))
            for start, end in (quoted_spans(doc) if quoted is None else quoted)
        ]

    def words_span(self, first: int, last: int) -> Span:
        """The plain-text stretch of the words [first, last)."""
        return Span(self.spans[first][0], self.spans[last - 1][1], first, last)

    def paragraph_of(self, word: int) -> int:
        """The 0-based index of the paragraph holding a word position."""
        return bisect.bisect_right(self.paragraph_first_words, word) - 1

    def paragraph_end(self, word: int) -> int:
        """The word position where the paragraph holding `word` ends (exclusive)."""
        following = self.paragraph_of(word) + 1
        if following < len(self.paragraph_first_words):
            return self.paragraph_first_words[following]
        return len(self.spans)

    def in_one_paragraph(self, first: int, last: int) -> bool:
        """Whether the words [first, last) lie in one paragraph."""
        return last <= self.paragraph_end(first)

    def begins_in_marks(self, first: int) -> bool:
        """Whether a word position lies within this document's own quotation marks."""
        return any(start <= first < end for start, end in self.marked)

    def touches_marks(self, first: int, last: int) -> bool:
        """Whether any of the words [first, last) lies within quotation marks."""
        return any(start < last and first < end for start, end in self.marked)

    def passage(self, span: Span) -> Passage:
        """A span as a passage, with the paragraph it lies in."""
        paragraph = self.doc.paragraphs[self.paragraph_of(span.first_word)]
        return Passage(self.doc.id, paragraph.number, span.start, span.end)

    def text(self, span: Span) -> str:
        """The words of a span as this document writes them."""
        return self.plain_text[span.start : span.end]

    def _first_at(self, offset: int) -> int:
        return bisect.bisect_left(self.spans, (offset, offset))


class Texts:
    """The documents of an index, their groups, and each one's places once it is needed."""

    def __init__(self, index: ShingleIndex, groups: tuple[Group, ...]) -> None:
        self.index = index
        self.documents = index.documents
        position = {d.id: i for i, d in enumerate(self.documents)}
        self.group_of: dict[int, str] = {
            position[m]: g.id for g in groups for m in g.documents if m in position
        }
        self.quoted = [quoted_spans(doc) for doc in self.documents]
        self.dates = [doc.date for doc in self.documents]
        self.rank = [sort_key(doc) for doc in self.documents]  # earliest first
        self._places: dict[int, Places] = {}

    def places(self, d: int) -> Places:
        """The places of document d (word spans are read only for documents involved)."""
        found = self._places.get(d)
        if found is None:
            found = self._places[d] = Places(self.documents[d], self.quoted[d])
        return found

    def related(self, a: int, b: int) -> bool:
        """Whether two documents are one and the same, or versions in one group."""
        return a == b or (a in self.group_of and self.group_of.get(a) == self.group_of.get(b))


def relation(
    kind: str, origin: Places, o_span: Span, target: Places, t_span: Span, *, exact: bool
) -> Relation:
    """A relation between two stretches of words, with both ends' words."""
    return Relation(
        kind,
        origin.passage(o_span),
        target.passage(t_span),
        exact,
        origin.text(o_span),
        target.text(t_span),
    )


def order(a: str | None, b: str | None) -> int | None:
    """-1 when date a is before date b, 0 on the same day, 1 after; None when unknown.

    Unknown when either date is missing, or when one date only names the year
    or month the other falls in ("2023-12" and "2023-12-28").
    """
    if not a or not b:
        return None
    if a == b:
        return 0
    if a.startswith(b) or b.startswith(a):
        return None
    return -1 if a < b else 1


def sort_key(doc: Document) -> tuple[int, str, str]:
    """Earliest first, undated last, then by id: never by where a file lies."""
    return (0 if doc.date else 1, doc.date or "", doc.id)


def quoted_spans(doc: Document) -> list[tuple[int, int]]:
    """Plain-text spans of the words within quotation marks, paragraph by paragraph."""
    return list(_quoted_spans(doc))


def _quoted_spans(doc: Document) -> Iterator[tuple[int, int]]:
    offset = 0
    for paragraph in doc.paragraphs:
        # Every pattern opens on one of these: most paragraphs hold none, and
        # looking for six characters is four times faster than the pattern.
        if any(mark in paragraph.text for mark in _OPENING):
            for match in _QUOTED.finditer(paragraph.text):
                group = next(g for g in range(1, (match.lastindex or 0) + 1) if match.group(g))
                yield offset + match.start(group), offset + match.end(group)
        offset += len(paragraph.text) + 2
