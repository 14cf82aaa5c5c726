"""What one language leaves out: sentences with no counterpart, and clauses within a pair.

A sentence in a gap of the alignment has no counterpart. Within a pair, a
clause or list item is marked when the sentence says *more like* its
translation without it: the cosine of the translation with the rest of the
sentence rises. On the fixtures every clause or list item one text added
raised it (by 0.007 to 0.27) and every clause both texts have lowered it (by
0.007 or more), so any rise counts. Only the side longer than its
translation's length predicts is examined (a text that adds words is
longer): one extra encoding per clause there, none elsewhere.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence

import numpy as np

from generator.compare.sentence_alignment import Bead, deviation
from generator.model import Sentence, UnmatchedPassage

# Where a sentence divides into clauses or list items: after , ; : and before a
# conjunction that starts a clause (English and Spanish).
_DIVIDE = re.compile(
    r"(?<=[,;:])\s+|\s+(?=(?:and|or|but|while|whereas|where|which|when|"
    r"y|e|o|u|pero|mientras|donde|cuando)\s)",
    re.IGNORECASE,
)
_TRIM = " ,;:.!?\"'“”‘’()"
# A side is examined when it is this many Gale–Church deviations longer than
# the other predicts: an added list item of two words ("democratic decline")
# makes its sentence 0.45 longer.
_LONGER = 0.3
# A pair this alike has nothing missing worth a look.
_CLOSE = 0.92
# A "clause" holding most of its sentence is the sentence: no finer than that.
_MOST = 0.6
# A pair is well matched (not a gap with a weak partner) from this similarity.
MATCHED = 0.5

Encode = Callable[[Sequence[str]], np.ndarray]


def clauses(text: str) -> list[tuple[int, int]]:
    """Spans of a sentence's clauses and list items, covering it in order."""
    spans, start = [], 0
    for match in _DIVIDE.finditer(text):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(text)))
    return [s for s in spans if s[1] > s[0]]


def unmatched_passages(
    beads: Sequence[Bead],
    left: Sequence[Sentence],
    right: Sequence[Sentence],
    ratio: float,
    encode: Encode,
) -> list[UnmatchedPassage]:
    """Everything of either text its translation lacks: left's first, each in reading order."""
    found: dict[str, list[UnmatchedPassage]] = {"left": [], "right": []}
    for number, bead in enumerate(beads):
        ours = [left[i] for i in bead.left]
        theirs = [right[j] for j in bead.right]
        if not ours or not theirs:
            side = "left" if ours else "right"
            for sentence in ours or theirs:
                found[side].append(_passage(sentence, 0, len(sentence.text), "sentence", number))
            continue
        if bead.similarity >= _CLOSE or bead.similarity < MATCHED:
            continue
        left_length = sum(len(s.text) for s in ours)
        right_length = sum(len(s.text) for s in theirs)
        excess = deviation(left_length, right_length, ratio)
        if excess > _LONGER:
            found["right"] += _clauses_missing(theirs, ours, number, encode)
        elif excess < -_LONGER:
            found["left"] += _clauses_missing(ours, theirs, number, encode)
    return found["left"] + found["right"]


def _clauses_missing(
    side: list[Sentence], other: list[Sentence], number: int, encode: Encode
) -> list[UnmatchedPassage]:
    """The clauses of `side` whose removal brings it closer to `other`."""
    pieces = [(s, a, b) for s in side for a, b in clauses(s.text)]
    if len(pieces) < 2:
        return []
    texts = [" ".join(s.text for s in other), " ".join(s.text for s in side)]
    for k in range(len(pieces)):
        texts.append(" ".join(s.text[a:b] for i, (s, a, b) in enumerate(pieces) if i != k))
    vectors = encode(texts)
    whole = float(vectors[0] @ vectors[1])
    total = sum(len(s.text) for s in side)
    missing: list[UnmatchedPassage] = []
    for k, (sentence, a, b) in enumerate(pieces):
        gain = float(vectors[0] @ vectors[2 + k]) - whole
        if gain <= 0 or (b - a) > _MOST * total:
            continue
        passage = _passage(sentence, a, b, "clause", number)
        previous = missing[-1] if missing else None
        if (
            previous
            and previous.document == passage.document
            and _adjacent(sentence.text, previous, passage, sentence.start)
        ):
            # Two neighbouring pieces of one addition ("…from Venezuela and Haiti"): one passage.
            start, end = previous.start, passage.end
            text = sentence.text[start - sentence.start : end - sentence.start]
            missing[-1] = UnmatchedPassage(
                passage.document, passage.paragraph, start, end, text, "clause", number
            )
        else:
            missing.append(passage)
    return missing


def _adjacent(
    text: str, previous: UnmatchedPassage, passage: UnmatchedPassage, offset: int
) -> bool:
    between = text[previous.end - offset : passage.start - offset]
    return previous.end <= passage.start and not between.strip(_TRIM)


def _passage(sentence: Sentence, start: int, end: int, kind: str, pair: int) -> UnmatchedPassage:
    """The span of `sentence.text[start:end]`, trimmed of spaces and punctuation at its ends."""
    text = sentence.text
    while start < end and text[start] in _TRIM:
        start += 1
    while end > start and text[end - 1] in _TRIM:
        end -= 1
    return UnmatchedPassage(
        sentence.document,
        sentence.paragraph,
        sentence.start + start,
        sentence.start + end,
        text[start:end],
        kind,
        pair,
    )
