"""Enrich: verbatim reuse without quotation marks, between documents outside one group.

Runs of REUSE_WORDS or more words that two documents share are found through
winnowed fingerprints (every such run leaves a common one), never by scanning
pairs. The later document quotes the earlier; when the dates do not say which
came first (one is missing, or both are the same day and neither marks the
words as quoted), the two only *share* the passage. A run is cut at paragraph
breaks on either side, so that each end of a relation lies in one paragraph.
Runs made mostly of capitalized words are left out: two texts naming the same
delegation ("Secretary of State Antony Blinken, Secretary of Homeland
Security ...") share a fact, not a passage.

Stock paragraphs are left out too: a paragraph that more than
COMMON_FINGERPRINT documents carry word for word (an outlet's closing
lines, a press office's contact paragraph) is house style, not reuse.
Its own fingerprints are too common to start a run, but a run started by a
rare one across a seam (", said the spokesperson." and then the closing)
reaches into it; the stock paragraph is then cut off, and what is left of
the run must still be REUSE_WORDS long. A paragraph becomes stock once
enough documents of the archive carry it, whatever the order of its files.
"""

from __future__ import annotations

import itertools
from collections import Counter

from generator.compare.passages import Places, Texts, order, relation
from generator.compare.shingles import REUSE_WORDS
from generator.compare.witness import words
from generator.model import Document, Relation

# A fingerprint shared by more documents than this is boilerplate, not reuse.
COMMON_FINGERPRINT = 10
# The shortest piece of a run, cut at a paragraph break, still linked.
MIN_PIECE_WORDS = 6


def find_reuse(texts: Texts) -> list[Relation]:
    """Relations for long runs of shared words outside quotation marks."""
    index = texts.index
    postings: dict[int, list[tuple[int, tuple[int, ...]]]] = {}
    for d in range(len(texts.documents)):
        for fingerprint, positions in index.fingerprints(d).items():
            postings.setdefault(fingerprint, []).append((d, positions))
    # Every run of REUSE_WORDS shared words holds a shared fingerprint:
    # extending each shared fingerprint both ways finds them all.
    runs: dict[tuple[int, int], set[tuple[int, int, int]]] = {}
    for holders in postings.values():
        if not 1 < len(holders) <= COMMON_FINGERPRINT:
            continue
        for (a, where_a), (b, where_b) in itertools.combinations(holders, 2):
            if texts.related(a, b):
                continue
            for at_a, at_b in itertools.product(where_a, where_b):
                run = _extend(index.words[a], index.words[b], at_a, at_b)
                if run[2] >= REUSE_WORDS:
                    runs.setdefault((a, b), set()).add(run)
    relations = []
    stock = _stock_paragraphs(texts.documents) if runs else set()
    for (a, b), found in sorted(runs.items()):
        when = order(texts.dates[a], texts.dates[b])
        if when in (0, None):  # no direction: the later in sort order is the origin
            kind, origin_is_a = "shared-passage", texts.rank[a] > texts.rank[b]
        else:
            kind, origin_is_a = "quotation", when == 1
        places_a, places_b = texts.places(a), texts.places(b)
        for at_a, at_b, size in sorted(found):
            pieces = [
                piece
                for piece in _pieces(places_a, places_b, at_a, at_b, size)
                if not _is_stock(places_a, piece[0], piece[2], stock)
            ]
            if sum(length for _, _, length in pieces) < REUSE_WORDS:
                continue  # what it shares beside stock paragraphs is too short to be reuse
            for piece_a, piece_b, length in pieces:
                span_a = places_a.words_span(piece_a, piece_a + length)
                span_b = places_b.words_span(piece_b, piece_b + length)
                # Quoted with marks, in part: the marked search has dealt with it.
                if places_a.touches_marks(piece_a, piece_a + length):
                    continue
                if places_b.touches_marks(piece_b, piece_b + length):
                    continue
                if _mostly_names(places_a.text(span_a)):
                    continue
                if origin_is_a:
                    relations.append(relation(kind, places_a, span_a, places_b, span_b, exact=True))
                else:
                    relations.append(relation(kind, places_b, span_b, places_a, span_a, exact=True))
    return relations


def _pieces(a: Places, b: Places, at_a: int, at_b: int, size: int) -> list[tuple[int, int, int]]:
    """A run cut where either text starts a new paragraph: (start in a, in b, size) each."""
    pieces = []
    done = 0
    while done < size:
        length = min(
            size - done,
            a.paragraph_end(at_a + done) - (at_a + done),
            b.paragraph_end(at_b + done) - (at_b + done),
        )
        if length >= MIN_PIECE_WORDS:
            pieces.append((at_a + done, at_b + done, length))
        done += length
    return pieces


def _stock_paragraphs(documents: list[Document]) -> set[str]:
    """The paragraphs (case and spacing aside) that more than COMMON_FINGERPRINT documents carry."""
    carried: Counter[str] = Counter()
    for doc in documents:
        carried.update({_paragraph_key(p.text) for p in doc.paragraphs})
    return {text for text, count in carried.items() if count > COMMON_FINGERPRINT}


def _paragraph_key(text: str) -> str:
    return " ".join(text.split()).casefold()


def _is_stock(places: Places, start: int, length: int, stock: set[str]) -> bool:
    """Whether the words [start, start + length) are a whole stock paragraph of the document."""
    paragraph = places.paragraph_of(start)
    if places.paragraph_first_words[paragraph] != start:
        return False
    if places.paragraph_end(start) != start + length:
        return False
    return _paragraph_key(places.doc.paragraphs[paragraph].text) in stock


def _mostly_names(text: str) -> bool:
    """Whether most words are capitalized: a list of officials and titles, a shared fact."""
    found = words(text)
    return sum(w.text[0].isupper() for w in found) * 2 > len(found)


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
