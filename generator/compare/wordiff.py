"""Word-by-word differences between two readings, in their original spelling.

Words are compared normalized (`witness.words`: case, punctuation, quote and
dash styles and whitespace do not count), but every piece carries the text as
the source has it, so the pieces put back together give each text exactly.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from generator.compare.witness import Word, normalize_words, words

_WORD_CHAR = re.compile(r"\w")


@dataclass(frozen=True)
class Piece:
    """A stretch of text: in both readings ("same"), the base only ("del") or the other ("ins")."""

    text: str
    op: str
    minor: bool = False  # a del/ins whose words are equal once normalized


def word_opcodes(
    base: Sequence[Word], other: Sequence[Word]
) -> list[tuple[str, int, int, int, int]]:
    """difflib opcodes over the normalized words of two word lists."""
    # autojunk off: in a short text the common words are exactly the ones that matter.
    matcher = SequenceMatcher(None, [w.norm for w in base], [w.norm for w in other], False)
    return matcher.get_opcodes()


def diff_words(base: str, other: str) -> list[Piece]:
    """The pieces that turn `base` into `other`: "same"+"del" is base, "same"+"ins" is other."""
    base_words, other_words = words(base), words(other)
    raw: list[Piece] = []
    b_at = o_at = 0  # how far each text has been emitted
    for tag, i1, i2, j1, j2 in word_opcodes(base_words, other_words):
        if tag != "equal":
            continue
        # What lies between the last equal word and this block differs in words.
        b_end, o_end = base_words[i1].start, other_words[j1].start
        raw += _region(base[b_at:b_end], other[o_at:o_end])
        for t in range(i2 - i1):
            b_word, o_word = base_words[i1 + t], other_words[j1 + t]
            raw += _region(b_word.text, o_word.text)
            if t + 1 < i2 - i1:  # the separator up to the next word of the block
                raw += _region(
                    base[b_word.end : base_words[i1 + t + 1].start],
                    other[o_word.end : other_words[j1 + t + 1].start],
                )
        b_at, o_at = base_words[i2 - 1].end, other_words[j2 - 1].end
    raw += _region(base[b_at:], other[o_at:])
    return _coalesce(raw)


def _region(base: str, other: str) -> list[Piece]:
    """Two stretches at the same place: what they share at the edges, and what differs.

    Only non-word characters are shared from the edges ("inequality[, democratic
    decline,] and"): sharing letters would cut words in two ("fo[o][rm]").
    """
    if base == other:
        return [Piece(base, "same")] if base else []
    limit = min(len(base), len(other))
    tail = 0
    while tail < limit and base[-1 - tail] == other[-1 - tail]:
        if _WORD_CHAR.match(base[-1 - tail]):
            break
        tail += 1
    head = 0
    while head < limit - tail and base[head] == other[head]:
        if _WORD_CHAR.match(base[head]):
            break
        head += 1
    pieces = [
        Piece(base[:head], "same"),
        Piece(base[head : len(base) - tail], "del"),
        Piece(other[head : len(other) - tail], "ins"),
        Piece(base[len(base) - tail :], "same"),
    ]
    return [p for p in pieces if p.text]


def _coalesce(raw: list[Piece]) -> list[Piece]:
    """Join neighbours: runs of "same", and each run of changes into one del and one ins."""
    result: list[Piece] = []
    same: list[str] = []
    deleted: list[str] = []
    inserted: list[str] = []

    def flush_changes() -> None:
        if not deleted and not inserted:  # most pieces: a "same" after a "same"
            return
        old, new = "".join(deleted), "".join(inserted)
        minor = normalize_words(old) == normalize_words(new)
        if old:
            result.append(Piece(old, "del", minor))
        if new:
            result.append(Piece(new, "ins", minor))
        deleted.clear()
        inserted.clear()

    for piece in raw:
        if piece.op == "same":
            flush_changes()
            same.append(piece.text)
            continue
        if same:
            result.append(Piece("".join(same), "same"))
            same.clear()
        (deleted if piece.op == "del" else inserted).append(piece.text)
    flush_changes()
    if same:
        result.append(Piece("".join(same), "same"))
    return result
