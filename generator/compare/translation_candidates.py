"""Enrich: the pairs of documents that may be translations, found by the words they share.

Candidates: documents in different languages, dated close together, that
share the words no translation changes (names of people and places,
numbers, acronyms), weighted by how rare they are in the archive. Nothing
compares all pairs: each document looks up its rarest anchors. Versions of
one text (`groups.py`) are one candidate: a pair of members stands for the
pair of their groups' bases (`by_base`). `translations.py` verifies them.
"""

from __future__ import annotations

import datetime
import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Callable, Sequence

from generator.model import Document, Group

# Dates further apart than this are not an original and its translation.
CLOSE_DAYS = 14
# Per document: its rarest anchors are looked up, and a few candidates verified.
ANCHORS_LOOKED_UP = 16
CANDIDATES = 3
# An anchor in more documents than this names nothing in particular.
COMMON_ANCHOR = 200
# Anchors two texts must share, and the share of the rarer text's anchor weight.
MIN_SHARED = 3
MIN_SCORE = 0.3

# Numbers, and words that start with a letter other than a lowercase Latin one:
# the only words an anchor can be (most words of a text are never looked at).
_WORD = re.compile(r"\d+(?:[.,]\d+)*|\b[^\W\d_a-zß-ÿ][^\W\d_]*")
_SENTENCE_START = set('.!?¿¡"“«(')


def anchors(doc: Document) -> frozenset[str]:
    """The words of a text no translation changes: names, numbers, acronyms (accents folded)."""
    return frozenset(anchor_sequence(doc))


def anchor_sequence(doc: Document) -> tuple[str, ...]:
    """A text's anchors in the order they first occur in it."""
    found: dict[str, None] = {}  # a dict keeps the order of first occurrence
    for paragraph in doc.paragraphs:
        text = paragraph.text
        for match in _WORD.finditer(text):
            word = match[0]
            if word[0].isdigit():
                digits = re.sub(r"[.,]", "", word)
                if len(digits) >= 2:
                    found.setdefault(digits)
                continue
            if not word[0].isupper() or len(word) < 2:
                continue
            before = match.start() - 1
            while before >= 0 and text[before].isspace():
                before -= 1
            # A capital that starts a sentence says nothing; an acronym still does.
            if (before < 0 or text[before] in _SENTENCE_START) and not word.isupper():
                continue
            found.setdefault(_fold(word))
    return tuple(found)


def anchors_in_order(left: Sequence[str], right: Sequence[str]) -> float:
    """The share of the poorer text's anchors that both name in the same order.

    A translation names its people, places and numbers where the original does;
    a report on the same meeting names the same people in its own order. This
    is the longest common subsequence of the two anchor sequences.
    """
    if not left or not right:
        return 0.0
    shared = set(left) & set(right)
    x = [a for a in left if a in shared]
    y = [a for a in right if a in shared]
    previous = [0] * (len(y) + 1)
    for a in x:
        row = [0]
        for j, b in enumerate(y):
            row.append(previous[j] + 1 if a == b else max(previous[j + 1], row[j]))
        previous = row
    return previous[-1] / min(len(left), len(right))


def _fold(word: str) -> str:
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def candidate_pairs(
    documents: Sequence[Document], groups: Sequence[Group]
) -> list[tuple[str, str]]:
    """Pairs of documents (ids in order) that may be translations, each version group as one."""
    return by_base(document_pairs(documents), groups)


def by_base(pairs: Sequence[tuple[str, str]], groups: Sequence[Group]) -> list[tuple[str, str]]:
    """The pairs with each version group's members standing for its base (none within a group)."""
    standing = {d: g.base for g in groups for d in g.documents}
    based = {(standing.get(x, x), standing.get(y, y)) for x, y in pairs}
    return sorted({(min(a, b), max(a, b)) for a, b in based if a != b})


def document_pairs(
    documents: Sequence[Document],
    anchored: Callable[[Document], Sequence[str]] = anchor_sequence,
) -> list[tuple[str, str]]:
    """Pairs of documents (ids in order) that may be translations, version groups aside.

    `anchored` gives a document's anchors (`anchor_sequence`, or what a cache
    kept of it: after an edit only the edited documents' need reading again).
    """
    if len({d.language for d in documents}) < 2:
        # A pair is in two languages: reading every document's anchors for none
        # cost a one-sentence edit of a monolingual 10,000-document archive 1.0 s.
        return []
    by_id = {d.id: d for d in documents}
    held = {d.id: frozenset(anchored(d)) for d in documents}
    frequency = Counter(a for found in held.values() for a in found)
    weight = {a: math.log(len(documents) / n) + 1.0 for a, n in frequency.items()}
    postings: dict[str, list[str]] = defaultdict(list)
    for doc_id in sorted(held):
        for anchor in held[doc_id]:
            if 2 <= frequency[anchor] <= COMMON_ANCHOR:
                postings[anchor].append(doc_id)
    total = {d: sum(weight[a] for a in found) for d, found in held.items()}
    days = {d.id: _day(d) for d in documents}

    def close(a: str, b: str) -> bool:
        """Whether two documents' dates allow one to translate the other (unknown dates do)."""
        x, y = days[a], days[b]
        return x is None or y is None or abs(x - y) <= CLOSE_DAYS

    pairs: set[tuple[str, str]] = set()
    for doc_id in sorted(held):
        doc = by_id[doc_id]
        rare = sorted((a for a in held[doc_id] if a in postings), key=lambda a: (frequency[a], a))
        met = {o for a in rare[:ANCHORS_LOOKED_UP] for o in postings[a] if o != doc_id}
        scored = []
        for other in met:
            if by_id[other].language == doc.language or not close(doc_id, other):
                continue
            shared = held[doc_id] & held[other]
            if len(shared) < MIN_SHARED:
                continue
            score = sum(weight[a] for a in shared) / min(total[doc_id], total[other])
            if score >= MIN_SCORE:
                scored.append((-score, other))
        for _, other in sorted(scored)[:CANDIDATES]:
            pairs.add((min(doc_id, other), max(doc_id, other)))
    return sorted(pairs)


def _day(doc: Document) -> int | None:
    """A document's date as a day number, or None when it has none."""
    try:
        return datetime.date.fromisoformat(doc.date).toordinal() if doc.date else None
    except ValueError:
        return None
