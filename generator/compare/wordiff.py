"""Word-by-word differences between two readings, in their original spelling.

Words are compared normalized (`witness.words`: case, punctuation, quote and
dash styles and whitespace do not count), but every piece carries the text as
the source has it, so the pieces put back together give each text exactly.

Which words are the same is difflib's `SequenceMatcher` answer: the longest
run of common words first, then the same on each side. rapidfuzz's
`Indel.opcodes` (C++, a longest common subsequence) gives it many times faster,
but not always the same answer: where a word repeats, several alignments are
as long, and the two choose differently (on the example archive, 16 of the 130
word lists compared; none on the generated benchmark). So it is used only
where the two answers are provably the same (`_one_alignment`), and difflib
everywhere else, so that no output changes.

One shared word between two longer changes is not kept as a match
(`_absorb_lone_matches`): "the view [suggested] by some authors" against "the
view which has been [suggested]" reads as one rewording, not as three words
added, one kept and three removed. This is the word form of diff-match-patch's
semantic cleanup, kept strict (a match is absorbed only between words added
and words removed, both longer than it) so that "cat → dog, the, red → blue"
stays two variants.
CollateX aligns Darwin's editions the same way (docs/compare.md).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from rapidfuzz.distance import Indel

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
    a, b = [w.norm for w in base], [w.norm for w in other]
    ids = _one_alignment(a, b)
    if ids is not None:
        return _absorb_lone_matches(_opcodes(Indel.opcodes(*ids).as_matching_blocks()))
    # autojunk off: in a short text the common words are exactly the ones that matter.
    return _absorb_lone_matches(SequenceMatcher(None, a, b, False).get_opcodes())


def _absorb_lone_matches(
    opcodes: list[tuple[str, int, int, int, int]],
) -> list[tuple[str, int, int, int, int]]:
    """A match between words added on one side and removed on the other, if shorter than both.

    Only that shape reads as one rewording with a word that merely shifted; a
    match between two replacements, or beside a change of one word, is kept.
    """
    result = list(opcodes)
    k = 1
    while k < len(result) - 1:
        before, (tag, i1, i2, _, _), after = result[k - 1], result[k], result[k + 1]
        size = i2 - i1
        if (
            tag == "equal"
            and {before[0], after[0]} == {"insert", "delete"}
            and size < max(before[2] - before[1], before[4] - before[3])
            and size < max(after[2] - after[1], after[4] - after[3])
        ):
            result[k - 1 : k + 2] = [("replace", before[1], after[2], before[3], after[4])]
        k += 1
    return result


def _one_alignment(a: list[str], b: list[str]) -> tuple[list[int], list[int]] | None:
    """The words as numbers, if every pair of equal words of `a` and `b` can be matched at once.

    That is: no word the two share occurs twice in either, and the shared
    words come in the same order in both. Then difflib and a longest common
    subsequence both match every one of them, so their answers are the same.
    (Numbers, because rapidfuzz compares other objects by their hash.)
    """
    place: dict[str, int] = {}
    for i, word in enumerate(a):
        place[word] = -1 if word in place else i  # -1: more than once in `a`
    last = -1
    other = []
    for j, word in enumerate(b):
        i = place.get(word)
        if i is None:
            other.append(-1 - j)  # in `b` only
            continue
        if i <= last:  # twice in `a` (-1), twice in `b`, or out of order
            return None
        other.append(i)
        last = i
    # A word twice in `a` and absent from `b` keeps its first place: equal to itself.
    first: dict[str, int] = {}
    return [first.setdefault(word, i) for i, word in enumerate(a)], other


def _opcodes(blocks: list) -> list[tuple[str, int, int, int, int]]:
    """difflib's opcodes from matching blocks (the last one empty), as `get_opcodes` makes them."""
    opcodes: list[tuple[str, int, int, int, int]] = []
    i = j = 0
    for block in blocks:
        ai, bj, size = block.a, block.b, block.size
        if i < ai and j < bj:
            opcodes.append(("replace", i, ai, j, bj))
        elif i < ai:
            opcodes.append(("delete", i, ai, j, bj))
        elif j < bj:
            opcodes.append(("insert", i, ai, j, bj))
        if size:
            if opcodes and opcodes[-1][0] == "equal":  # difflib joins adjacent blocks
                _, i1, _, j1, _ = opcodes.pop()
                opcodes.append(("equal", i1, ai + size, j1, bj + size))
            else:
                opcodes.append(("equal", ai, ai + size, bj, bj + size))
        i, j = ai + size, bj + size
    return opcodes


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
