"""Boilerplate: the sentences that many different texts carry, told from each text's own words.

A stock closing ("For further information, contact the press office…"), an
outlet's credit line, a list of the officials present, a line every report
ends with: a reader skips them, and two texts that share little else are not
versions of one text. Version groups (`groups.py`) weigh a pair of texts by
their own words, not by these.

How boilerplate depends on the archive, exactly (it is necessarily a
property of the archive: a sentence becomes boilerplate when many unrelated
texts carry it):

- A sentence is its normalized words (`witness.normalize_words`), whole:
  no part of a sentence is ever boilerplate on its own, so texts made of
  stock phrases (the plain benchmark archive) keep their own sentences.
- It is boilerplate when at least STOCK_TEXTS different TEXTS carry it. A
  text is a document's normalized words: exact copies of one text count
  once, so a text copied a thousand times does not make its own sentences
  boilerplate. The count is absolute, not a share of the archive: adding
  documents that do not carry a sentence never changes it, and a sentence
  becomes boilerplate only once the tenth different text carries it,
  whatever the archive's size, whatever the order of its files.
- Publishers are not counted: an outlet's own credit line is carried by that
  outlet alone, in hundreds of different reports, and is boilerplate all the
  same.

The same count, with copies counted, says which documents are mostly made of
sentences that many documents carry (`mostly_shared`): members of a huge
family of copies, which need the huge-family rule to find one another.

Sentences are counted by their signatures (`signatures`): a digest of their
own words, and how many there are. Small enough to keep for every document
of the archive between builds, they spare an edit to one bundle splitting
every other document into sentences again (1.4 s of CPU at 10,000).
"""

from __future__ import annotations

import bisect
import hashlib
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass

from generator.compare.passages import quoted_spans
from generator.compare.witness import normalize_words
from generator.model import Document, Sentence

# A sentence carried by this many different texts is boilerplate. On the
# overlap benchmark archive of 1,000 documents: stock closings 25 to 815
# texts, lists of officials 9 to 44; on the plain archive (sentences drawn
# from a small stock of phrases) no sentence reaches 10 texts at 1,000
# documents, 30 at 10,000.
STOCK_TEXTS = 10
# A text with fewer own words than this is not a version of anything on the
# strength of its boilerplate (the same bar as a text's length, groups.MIN_WORDS).
MIN_OWN_WORDS = 12

# The opening marks `passages.quoted_spans` knows.
_MARKS = '“"«»„‘'
# A sentence's own words, signed: (a 64-bit digest of them, how many). 10,000
# documents hold about 200,000 distinct sentences; two of them sharing a digest
# has odds of about one in 10^9.
Signature = tuple[int, int]
_NONE: Signature = (0, 0)  # a sentence with no words of its own
_Signed = Sequence[Signature]  # a document's sentences, each signed


def signatures(framed: Sequence[tuple[str, ...]]) -> tuple[Signature, ...]:
    """Each sentence's own words (`frames`), signed: what boilerplate is counted by."""
    return tuple(
        (int.from_bytes(hashlib.blake2b(" ".join(w).encode(), digest_size=8).digest()), len(w))
        if w
        else _NONE
        for w in framed
    )


def frames(
    doc: Document, sentences: Sequence[Sentence], words: Sequence[list[str]]
) -> list[tuple[str, ...]]:
    """Each sentence's normalized words outside quotation marks: what the text says itself.

    Words in quotation marks are someone else's: two reports quoting the same
    line quote a common source, they are not versions of each other for it.
    A sentence made mostly of capitalized words (a list of the officials
    present, with their titles) names a shared fact: it has no own words
    either (as `reuse.py` has it). `words` are the sentences' normalized words.
    """
    text = doc.plain_text
    if not any(mark in text for mark in _MARKS):  # most texts: nothing is quoted
        return [
            () if _names(s.text, len(w)) else tuple(w)
            for s, w in zip(sentences, words, strict=True)
        ]
    spans = quoted_spans(doc)
    starts = [start for start, _ in spans]
    framed = []
    for sentence in sentences:
        pieces, cursor = [], sentence.start
        at = max(0, bisect.bisect_right(starts, sentence.start) - 1)
        for start, end in spans[at:]:
            if start >= sentence.end:
                break
            if end <= cursor:
                continue
            pieces.append(text[cursor : max(cursor, start)])
            cursor = max(cursor, end)
        pieces.append(text[cursor : max(cursor, sentence.end)])
        unquoted = " ".join(pieces)
        mine = normalize_words(unquoted)
        framed.append(() if _names(unquoted, len(mine)) else tuple(mine))
    return framed


def _names(text: str, words: int) -> bool:
    """Whether most of a sentence's `words` are capitalized: a list of names and titles."""
    # Whitespace-separated tokens stand for words: cheap, and near enough for a majority.
    return sum(token[0].isupper() for token in text.split()) * 2 > words


@dataclass(frozen=True)
class Boilerplate:
    """The sentences an archive's texts share too widely to tell one text by."""

    stock: frozenset[Signature]  # carried by STOCK_TEXTS different texts or more
    widely_held: frozenset[Signature]  # carried by STOCK_TEXTS documents or more

    @classmethod
    def of(cls, texts: Mapping[int, _Signed], copies: Mapping[int, int]) -> Boilerplate:
        """Count, for every sentence, the texts and the documents carrying it.

        `texts` maps the first document of each text (its exact copies left
        out) to its sentences' `signatures`; `copies[d]` is how many
        documents carry d's text, d included.
        """
        carried: Counter[Signature] = Counter()
        documents: Counter[Signature] = Counter()
        for d, mine in texts.items():
            distinct = {w for w in mine if w[1]}
            carried.update(distinct)
            many = copies.get(d, 1)
            if many > 1:
                documents.update(dict.fromkeys(distinct, many))
        stock = frozenset(s for s, n in carried.items() if n >= STOCK_TEXTS)
        # Copies counted too: every text of STOCK_TEXTS already is, and more.
        held = stock | {s for s, n in documents.items() if n + carried[s] - 1 >= STOCK_TEXTS}
        return cls(stock, frozenset(held))

    def flags(self, signed: _Signed) -> tuple[bool, ...]:
        """Which of a document's sentences (their `signatures`) are boilerplate."""
        stock = self.stock
        return tuple(w in stock for w in signed)

    def mostly_shared(self, signed: _Signed) -> bool:
        """Whether fewer than MIN_OWN_WORDS of its words lie outside widely held sentences."""
        held = self.widely_held
        return sum(sign[1] for sign in signed if sign not in held) < MIN_OWN_WORDS
