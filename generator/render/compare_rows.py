"""The aligned rows of a comparison page, marked against whichever witness is the base.

A group is aligned once. Each row holds every witness's sentences once, and
each variant place of a row holds every witness's reading there: outside those
places all witnesses read the same words. So what differs from any base is
known from the readings alone: at a place where a witness reads otherwise than
the base, the base's reading is shown struck (`<del>`) and the witness's own
inserted (`<ins>`); where the base has nothing in a row, the whole cell is
inserted. A row every witness writes alike is one cell spanning the columns
(`RowView.shared`): most rows of a group of near-copies. The served page is
marked against the group's base; the browser
(`assets/compare.js`) marks it against another from the same readings, which
the page carries as the number of the first column reading alike
(`data-r`: the same text, `data-n`: the same words, case and punctuation aside).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from generator.compare.witness import normalize_words
from generator.model import Comparison, Row, Sentence, Variant

_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Place:
    """A witness's reading at one variant place, and how it stands to the base's."""

    text: str  # this witness's words there, as written ("" where it has none)
    same_as: int  # the first column reading the same text (spacing aside)
    words_as: int  # the first column reading the same words (case and punctuation aside)
    base_text: str  # the base's reading there
    changed: bool  # the witness reads otherwise than the base
    minor: bool  # …but only in case or punctuation
    # Where the witness has nothing, the base's struck words need a space on one side
    # not to run into the witness's next or previous word: "b" before them, "a" after.
    pad: str = ""

    @property
    def struck(self) -> str:
        """The base's reading as struck here, spaced from this witness's own words."""
        if self.pad == "b":
            return " " + self.base_text
        if self.pad == "a":
            return self.base_text + " "
        return self.base_text


@dataclass(frozen=True)
class CellView:
    """One witness's text in one aligned row."""

    witness: int  # column index; 0 is the group's base
    pieces: tuple[str | Place, ...]  # plain text and variant places; empty in a gap
    paragraphs: tuple[int, ...]  # paragraphs that begin in this cell
    moved: bool
    inserted: bool  # the base has nothing in this row: all of this cell is added


@dataclass(frozen=True)
class RowView:
    """An aligned row: one cell per witness."""

    number: int  # 1-based; the anchor is f"r{number}"
    cells: tuple[CellView, ...]
    identical: bool  # every witness reads the same, normalized
    variants: tuple[int, ...]  # numbers of the variants found in this row

    @property
    def shared(self) -> bool:
        """Every witness has this row's text, written alike: the page writes it once."""
        first = self.cells[0]
        return not self.variants and all(
            cell.pieces and cell.pieces == first.pieces and not cell.moved for cell in self.cells
        )


def rows_view(comparison: Comparison, base: int = 0) -> list[RowView]:
    """Every aligned row, each witness marked against column `base`."""
    by_row: dict[int, list[Variant]] = {}
    for variant in comparison.variants:
        by_row.setdefault(variant.row, []).append(variant)
    seen: list[set[int]] = [set() for _ in comparison.witnesses]
    views = []
    for index, row in enumerate(comparison.rows):
        variants = by_row.get(index, [])
        places = _places(row, variants)
        base_gap = not row.cells[base]
        cells = []
        for column, cell in enumerate(row.cells):
            starts = []
            for sentence in cell:
                if sentence.paragraph not in seen[column]:
                    seen[column].add(sentence.paragraph)
                    starts.append(sentence.paragraph)
            pieces = _pieces(cell, places, column, base) if cell else ()
            inserted = bool(cell) and base_gap and column != base
            cells.append(CellView(column, pieces, tuple(starts), row.moved[column], inserted))
        keys = {" ".join(normalize_words(_joined(c))) for c in row.cells}
        numbers = tuple(v.number for v in variants)
        views.append(RowView(index + 1, tuple(cells), len(keys) == 1, numbers))
    return views


# A place as found in every column: (start, end) in that column's cell text, or
# None where the column has nothing in the row; with the classes of its readings.
_Located = tuple[tuple[tuple[int, int] | None, ...], tuple[int, ...], tuple[int, ...], Variant]


def _places(row: Row, variants: list[Variant]) -> list[_Located]:
    """The word-level variant places of a row, located in each cell's text."""
    if any(not cell for cell in row.cells) and variants:
        # A row where some witness has nothing opens with the passage as one
        # variant (what it lacks): the gap shows it, the places are inside it.
        variants = variants[1:]
    located = []
    for variant in variants:
        where: list[tuple[int, int] | None] = []
        for column, cell in enumerate(row.cells):
            span = variant.spans[column] if variant.spans else None
            where.append(_in_cell(cell, span, variant.readings[column]) if cell else None)
        same = _classes([_squash(r) for r in variant.readings])
        words = _classes([" ".join(normalize_words(r)) for r in variant.readings])
        located.append((tuple(where), same, words, variant))
    return located


def _pieces(
    cell: tuple[Sentence, ...], places: list[_Located], column: int, base: int
) -> tuple[str | Place, ...]:
    """A cell's text cut at its variant places, each place weighed against the base."""
    text = _joined(cell)
    pieces: list[str | Place] = []
    at = 0
    for where, same, words, variant in places:
        mine, theirs = where[column], where[base]
        if mine is None:
            continue
        start, end = mine
        if start < at:  # never expected: places do not overlap; keep the text whole
            continue
        if start > at:
            pieces.append(text[at:start])
        changed = theirs is not None and same[column] != same[base]
        pieces.append(
            Place(
                text[start:end],
                same[column],
                words[column],
                variant.readings[base] if theirs is not None else "",
                changed,
                changed and words[column] == words[base],
                _pad(text, start) if start == end else "",
            )
        )
        at = end
    if at < len(text):
        pieces.append(text[at:])
    return tuple(pieces)


def _in_cell(
    cell: tuple[Sentence, ...], span: tuple[int, int] | None, reading: str
) -> tuple[int, int] | None:
    """Where a reading stands in a cell's text (its sentences joined by one space)."""
    if span is None:
        return None
    text = _joined(cell)
    start, end = _offset(cell, span[0], opening=True), _offset(cell, span[1], opening=False)
    if text[start:end] == reading:
        return start, end
    found = text.find(reading) if reading else -1  # spans off: trust the words
    return (found, found + len(reading)) if found >= 0 else (start, start)


def _offset(cell: tuple[Sentence, ...], plain: int, opening: bool) -> int:
    """A plain-text offset of the document as an offset into the cell's text."""
    at = 0
    for k, sentence in enumerate(cell):
        following = cell[k + 1] if k + 1 < len(cell) else None
        if sentence.start <= plain <= sentence.end:
            if opening and following is not None and plain == following.start:
                return at + len(sentence.text) + 1
            return at + plain - sentence.start
        if following is not None and sentence.end < plain < following.start:
            return at + len(sentence.text) + (1 if opening else 0)
        at += len(sentence.text) + 1
    return max(at - 1, 0)


def _pad(text: str, at: int) -> str:
    """Which side of an empty place a struck reading needs a space on, if any."""
    if at > 0 and not text[at - 1].isspace():
        return "b"
    if at < len(text) and not text[at].isspace():
        return "a"
    return ""


def _classes(values: list[str]) -> tuple[int, ...]:
    """For each column: the first column holding the same value."""
    first: dict[str, int] = {}
    return tuple(first.setdefault(value, column) for column, value in enumerate(values))


def _joined(cell: tuple[Sentence, ...]) -> str:
    return " ".join(s.text for s in cell)


def _squash(text: str) -> str:
    """Spacing never makes two readings differ."""
    return _SPACE.sub(" ", text).strip()
