"""Variant units: the places where witnesses read differently, and how.

Within a row of the alignment every witness is diffed against the base, word
by word; the base ranges that any witness changes are merged, when they overlap
or touch, into one unit, so all witnesses' readings of one place stand together
(as in a critical apparatus) whatever order the witnesses come in.
"""

from __future__ import annotations

import bisect
import re
from collections.abc import Sequence
from dataclasses import dataclass

from generator.compare.witness import Word, normalize_words, words
from generator.compare.wordiff import word_opcodes
from generator.model import Row, Sentence, Variant

KINDS = ("substantive", "wording", "punctuation")

_SPACE = re.compile(r"\s+")
_EDGE = re.compile(r"[^\w\s]")  # punctuation that clings to a word: “(decline,)”


@dataclass(frozen=True)
class _Cell:
    """A witness's sentences in one row, read as one text."""

    sentences: tuple[Sentence, ...]
    text: str
    starts: tuple[int, ...]  # where each sentence starts in `text`
    words: tuple[Word, ...]

    @classmethod
    def of(cls, sentences: tuple[Sentence, ...]) -> _Cell:
        starts, at = [], 0
        for sentence in sentences:
            starts.append(at)
            at += len(sentence.text) + 1
        text = " ".join(s.text for s in sentences)
        return cls(sentences, text, tuple(starts), words(text))

    def locate(self, offset: int) -> tuple[int, int]:
        """The paragraph and plain-text offset of a position in `text`."""
        k = max(bisect.bisect_right(self.starts, offset) - 1, 0)
        sentence = self.sentences[k]
        return sentence.paragraph, sentence.start + min(offset - self.starts[k], len(sentence.text))


# A segment ties a stretch of the base, in doubled coordinates (word t is 2t+1,
# the gap before word t is 2t), to a range of the other witness's words.
_Segment = tuple[int, int, int, int]
# A base stretch some witness changes (doubled coordinates), and what changes there:
# WORDS (other words), CASE (the same words, spelt otherwise) or SEPARATOR (the
# punctuation between words).
_Change = tuple[int, int, str]
WORDS, CASE, SEPARATOR = "words", "case", "separator"
# The readings, paragraphs and spans of one unit.
_Spans = tuple[tuple[int, int] | None, ...]
_Unit = tuple[tuple[str, ...], tuple[int | None, ...], _Spans]


def find_variants(rows: list[Row], witness_ids: list[str]) -> list[Variant]:
    """Every variant unit of an alignment, numbered in reading order."""
    variants: list[Variant] = []
    for number, row in enumerate(rows):
        if len(row.cells) != len(witness_ids):
            raise ValueError(f"row {number} has {len(row.cells)} cells for {len(witness_ids)}")
        for cell, witness in zip(row.cells, witness_ids, strict=True):
            if any(s.document != witness for s in cell):
                raise ValueError(f"row {number}: a sentence of another document than {witness}")
        for readings, paragraphs, spans, kind in _units(row):
            variants.append(Variant(len(variants) + 1, number, readings, paragraphs, kind, spans))
    return variants


def _units(row: Row) -> list[tuple[tuple[str, ...], tuple[int | None, ...], _Spans, str]]:
    """Readings, paragraphs and spans of each place in one row where witnesses differ.

    Where some witness lacks the passage, the whole passage is one unit (what
    it lacks), and the word variants among the witnesses that have it are
    units of their own inside it, where the others read "" with no span: a gap
    in one witness hides no other variant.
    """
    present = [k for k, cell in enumerate(row.cells) if cell]
    if len(present) == len(row.cells):
        return [(*unit, _kind(unit[0])) for unit in _word_units(row.cells)]
    readings, paragraphs, spans = [], [], []
    for cell in row.cells:
        readings.append(" ".join(s.text for s in cell))
        paragraphs.append(cell[0].paragraph if cell else None)
        spans.append((cell[0].start, cell[-1].end) if cell else None)
    units = [(tuple(readings), tuple(paragraphs), tuple(spans), "substantive")]
    width = len(row.cells)
    for inner, inner_paragraphs, inner_spans in _word_units([row.cells[k] for k in present]):
        readings, paragraphs, spans = [""] * width, [None] * width, [None] * width
        for at, k in enumerate(present):
            readings[k], paragraphs[k], spans[k] = inner[at], inner_paragraphs[at], inner_spans[at]
        units.append((tuple(readings), tuple(paragraphs), tuple(spans), _kind(inner)))
    return units


def _word_units(row_cells: Sequence[tuple[Sentence, ...]]) -> list[_Unit]:
    """The word-level units of cells that all have text, the first one the reference."""
    texts = {" ".join(s.text for s in cell) for cell in row_cells}
    if len(texts) == 1:  # most rows of close versions: nothing to diff
        return []
    cells = [_Cell.of(cell) for cell in row_cells]
    base = cells[0]
    segments = [[(2 * t + 1, 2 * t + 1, t, t + 1) for t in range(len(base.words))]]
    changed: list[_Change] = []
    for other in cells[1:]:
        mine, changes = _compare(base, other)
        segments.append(mine)
        changed += changes
    units = []
    for low, high in _merge(changed):
        readings, paragraphs, spans = [], [], []
        for cell, segs in zip(cells, segments, strict=True):
            reading, (paragraph, start), (_, end) = _reading(cell, segs, low, high)
            readings.append(reading)
            paragraphs.append(paragraph)
            spans.append((start, end))
        if len({_squash(r) for r in readings}) > 1:  # else identical but for spacing
            units.append((tuple(readings), tuple(paragraphs), tuple(spans)))
    return units


def _compare(base: _Cell, other: _Cell) -> tuple[list[_Segment], list[_Change]]:
    """How `other` lines up with the base, and the base stretches where it differs."""
    b, o = base.words, other.words
    segments: list[_Segment] = []
    changes: list[_Change] = []
    for tag, i1, i2, j1, j2 in word_opcodes(b, o):
        if tag != "equal":
            low, high = (2 * i1 + 1, 2 * i2 - 1) if i2 > i1 else (2 * i1, 2 * i1)
            segments.append((low, high, j1, j2))
            changes.append((low, high, WORDS))
            continue
        for t in range(i2 - i1):
            segments.append((2 * (i1 + t) + 1, 2 * (i1 + t) + 1, j1 + t, j1 + t + 1))
            if b[i1 + t].text != o[j1 + t].text:  # case or apostrophe style
                changes.append((2 * (i1 + t) + 1, 2 * (i1 + t) + 1, CASE))
        for t in range(i1, i2 - 1):
            u = j1 + t - i1
            mine = base.text[b[t].end : b[t + 1].start]
            theirs = other.text[o[u].end : o[u + 1].start]
            if _squash(mine) != _squash(theirs):
                changes.append((*_punctuation_place(t, mine, theirs), SEPARATOR))
        if (
            i1 == 0
            and j1 == 0
            and _squash(base.text[: b[0].start]) != _squash(other.text[: o[0].start])
        ):
            # An opening quote or bracket: it belongs to the first word.
            changes.append((1, 1, SEPARATOR))
        if (
            i2 == len(b)
            and j2 == len(o)
            and _squash(base.text[b[-1].end :]) != _squash(other.text[o[-1].end :])
        ):
            changes.append((2 * i2 - 1, 2 * i2 - 1, SEPARATOR))
    return segments, changes


def _punctuation_place(t: int, mine: str, theirs: str) -> tuple[int, int]:
    """The word(s) a punctuation difference between words t and t+1 belongs to."""
    ours, others = _parts(mine), _parts(theirs)
    if ours is None or others is None:  # inside a token, "1.5" against "1,5": both words
        return 2 * t + 1, 2 * t + 3
    if ours[1:] == others[1:]:
        return 2 * t + 1, 2 * t + 1  # "humane," against "humane"
    if ours[:2] == others[:2]:
        return 2 * t + 3, 2 * t + 3  # "“Both" against "Both"
    return 2 * t + 1, 2 * t + 3


def _parts(separator: str) -> tuple[str, str, str] | None:
    """A separator cut at its spaces: what ends a word, what stands alone, what starts one."""
    runs = list(_SPACE.finditer(separator))
    if not runs:
        return None
    first, last = runs[0], runs[-1]
    middle = _squash(separator[first.end() : last.start()])
    return separator[: first.start()], middle, separator[last.end() :]


def _merge(changes: list[_Change]) -> list[tuple[int, int]]:
    """Stretches that overlap, or touch (adjacent words, a word and its gap), made one.

    Touching is not enough between a change of words and a change of the
    punctuation beside them: "invariably deaf;" against "generally deaf." is a
    word variant and a punctuation variant, not one variant of three words.
    """
    merged: list[tuple[list[int], set[str]]] = []
    for low, high, kind in sorted(changes):
        if merged:
            (span, kinds) = merged[-1]
            apart = {kind, *kinds} >= {WORDS, SEPARATOR} and low > span[1]
            if low <= span[1] + 2 and not apart:
                span[1] = max(span[1], high)
                kinds.add(kind)
                continue
        merged.append(([low, high], {kind}))
    return [(low, high) for (low, high), _ in merged]


def _reading(
    cell: _Cell, segments: list[_Segment], low: int, high: int
) -> tuple[str, tuple[int, int], tuple[int, int]]:
    """A witness's text at base stretch [low, high]: reading, (paragraph, start), (_, end)."""
    inside = [(j1, j2) for s_low, s_high, j1, j2 in segments if low <= s_low and s_high <= high]
    first = min((j1 for j1, j2 in inside if j2 > j1), default=None)
    last = max((j2 for j1, j2 in inside if j2 > j1), default=None)
    if first is None or last is None:
        # Nothing there: the place is just after the witness's previous word.
        if inside:  # an empty change segment says exactly where
            word = inside[0][0]
        else:
            word = max((j2 for _, s_high, _, j2 in segments if s_high < low), default=0)
        here = cell.locate(cell.words[word - 1].end if word > 0 else 0)
        return "", here, here
    start, end = cell.words[first].start, cell.words[last - 1].end
    text = cell.text
    lead = start
    while lead > 0 and _EDGE.match(text[lead - 1]):
        lead -= 1
    if lead == 0 or text[lead - 1].isspace():
        start = lead  # only punctuation that opens a token: not the "." of "U.S."
    trail = end
    while trail < len(text) and _EDGE.match(text[trail]):
        trail += 1
    if trail == len(text) or text[trail].isspace():
        end = trail
    return text[start:end], cell.locate(start), cell.locate(end)


def _kind(readings: tuple[str, ...]) -> str:
    """substantive: someone lacks words; punctuation: same words; wording: other words."""
    if any(not r for r in readings):
        return "substantive"
    first = normalize_words(readings[0])
    if all(normalize_words(r) == first for r in readings[1:]):
        return "punctuation"
    return "wording"


def _squash(text: str) -> str:
    """Text with every run of whitespace made one space: spacing never makes a variant."""
    return _SPACE.sub(" ", text).strip()
