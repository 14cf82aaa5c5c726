"""What differs in substance between the versions of a text: a short list, best first.

Render-side only, and reads only the model: a `Comparison`'s variants (readings,
spans, rows), the archive's quotation relations and its editors' notes. It
does not depend on how the compare stage aligned the texts, so it keeps
working whatever engine fills `Comparison.variants`.

The rule (docs/compare.md, "What differs in substance"), per variant:

- words with no counterpart: meaning-bearing words that one version has and
  another lacks, with nothing in their place (an empty reading, even across
  two neighbouring variants of a replacement) and nowhere else in that version's
  text: what a reader calls added or deleted;
- quoted: the variant lies inside a passage another document quotes;
- noted: an editor's note on a passage (not a whole paragraph) touches it;
- names, numbers and dates that one reading has and the other version's text
  never has, where the other reading has words of its own;
- moved: most of its meaning-bearing words stand elsewhere in the same
  sentence of the other version (reordered lists): shown as moved, ranked low;
- function words, punctuation and case alone: not listed.

One item per aligned row (the best of its variants), at most `SHOWN` items.
"""

from __future__ import annotations

import functools
import re
import weakref
from dataclasses import dataclass, replace

from generator.model import Archive, Comparison, Note, Relation, Variant

SHOWN = 5  # items a comparison page leads with
# Points per reason; an item needs LISTED points to be shown at all.
WEIGHTS = {"unmatched": 3, "quoted": 3, "noted": 2, "names": 2, "wording": 1}
PHRASE = 2  # more for words with no counterpart when they are two or more
LISTED = 3

# English function words. Kept here, not taken from NLTK: its stop-word list is
# a data download at install time, and ours adds the few contractions we need.
FUNCTION_WORDS = frozenset(
    """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each
    few for from further had has have having he her here hers herself him himself his how
    i if in into is it its itself just me more most my myself no nor not now of off on once
    only or other our ours ourselves out over own same she should so some such than that
    the their theirs them themselves then there these they this those through to too under
    until up very was we were what when where which while who whom why will with would you
    your yours yourself yourselves it's that's there's who's let's shall may might must
    upon via per within without among amongst across along around toward towards""".split()
)
MONTHS = frozenset(
    "january february march april may june july august september october november december".split()
)
_WORD = re.compile(r"\w+(?:[-'’.]\w+)*\.?")


@dataclass(frozen=True)
class Difference:
    """One variant, weighed: why it matters, and what it reads in each witness."""

    variant: Variant
    score: int
    change: str  # "unmatched" (added or deleted), "names", "wording", "moved" or "minor"
    headline: str  # the words that differ, edge punctuation dropped
    only_in: tuple[int, ...]  # columns holding the words with no counterpart
    missing_from: tuple[int, ...]  # columns with nothing for them, in their whole text
    unmatched: tuple[str, ...]  # those words, as written
    names: tuple[str, ...]  # names, numbers, dates one reading has and the other text lacks
    quoted_by: tuple[Relation, ...]  # quotations whose quoted passage holds the variant
    notes: tuple[Note, ...]  # editors' notes on a passage the variant touches
    also_in_row: int = 0  # other listed-worthy variants in the same row

    @property
    def reasons(self) -> tuple[str, ...]:
        """The reasons that scored, strongest first (keys of WEIGHTS)."""
        found = []
        if self.change == "unmatched":
            found.append("unmatched")
        if self.quoted_by:
            found.append("quoted")
        if self.notes:
            found.append("noted")
        if self.names:
            found.append("names")
        return tuple(found)


def tokens(text: str) -> list[str]:
    """The words of a reading, lowercased, dots and possessives dropped ("U.S." is "us")."""
    folded = _FOLDED
    return [folded.get(w) or _fold(w) for w in _WORD.findall(text)]


# Each word as folded, once: a few thousand distinct words recur over every
# reading and text weighed (686,000 folds for 3,030 groups at 10,000
# documents, a quarter of the ranking's time).
_FOLDED: dict[str, str] = {}


def _fold(word: str) -> str:
    folded = word.lower().replace("’", "'").replace(".", "").removesuffix("'s")
    if len(_FOLDED) < 200_000:  # bounded: serve runs for days
        _FOLDED[word] = folded
    return folded


def meaning_words(text: str) -> list[str]:
    """The meaning-bearing words of a reading: not function words, not bare numbers of one."""
    return [w for w in tokens(text) if w not in FUNCTION_WORDS]


def _names(text: str, at: int | None, starts: set[int]) -> set[str]:
    """Names, numbers and dates in a reading: digits, month names, capitalized words but
    those opening a sentence (`at`: the reading's offset; `starts`: sentence offsets)."""
    found = set()
    for match in _WORD.finditer(text):
        word, folded = match[0], _fold(match[0])
        opening = at is not None and at + match.start() in starts
        capital = word[:1].isupper() and not opening and folded not in FUNCTION_WORDS
        if capital or folded in MONTHS or any(c.isdigit() for c in word):
            found.add(folded)
    return found


@functools.lru_cache(maxsize=256)
def _text_words(text: str) -> frozenset[str]:
    """Every word of a whole text, as `tokens` gives them."""
    return frozenset(tokens(text))


# The current archive's comparisons as weighed, by the archive's id: the compare/
# index weighs again every group whose page this process has rendered (a third of
# a template edit's render, under pyinstrument at 10,000 documents, was weighing,
# half of it twice). Dropped with the archive, so they never keep its model alive.
_RANKED: dict[int, dict[str, tuple[Comparison, list[Difference]]]] = {}


def ranked(comparison: Comparison, archive: Archive) -> list[Difference]:
    """Every variant of a comparison weighed, best first (reading order breaks ties)."""
    weighed = _RANKED.get(id(archive))
    if weighed is None:
        _RANKED.clear()  # an earlier archive's, still alive: not read again
        weighed = _RANKED[id(archive)] = {}
        weakref.finalize(archive, _RANKED.pop, id(archive), None)
    known = weighed.get(comparison.group.id)
    if known is None or known[0] is not comparison:
        known = weighed[comparison.group.id] = (comparison, _ranked(comparison, archive))
    return list(known[1])


def _ranked(comparison: Comparison, archive: Archive) -> list[Difference]:
    witnesses = comparison.witnesses
    distinct = _distinct_columns(comparison, archive)
    texts = [_text_words(archive.document(w).plain_text) for w in witnesses]
    quotes = _quotations_of(archive, set(witnesses))
    variants = comparison.variants
    found = []
    for index, variant in enumerate(variants):
        # A replacement may come cut in two: a deletion next to an addition in one row.
        neighbours = [
            v
            for v in variants[max(0, index - 1) : index + 2]
            if v is not variant and v.row == variant.row
        ]
        found.append(_weigh(comparison, archive, variant, neighbours, distinct, texts, quotes))
    found.sort(key=_order)
    return found


def _order(difference: Difference) -> tuple[int, int, int]:
    """Best first: the score, then the more words that differ, then reading order."""
    words = sum(len(meaning_words(r)) for r in difference.variant.readings)
    return -difference.score, -words, difference.variant.number


def differences(
    comparison: Comparison,
    archive: Archive,
    shown: int = SHOWN,
    weighed: list[Difference] | None = None,
) -> list[Difference]:
    """What differs in substance: the best variant of each row, best first, at most `shown`.

    `weighed`: the comparison's `ranked` variants, when the caller has them already.
    """
    best: dict[int, Difference] = {}
    worthy: dict[int, int] = {}
    for difference in weighed if weighed is not None else ranked(comparison, archive):
        if difference.score < LISTED:
            continue
        row = difference.variant.row
        worthy[row] = worthy.get(row, 0) + 1
        best.setdefault(row, difference)
    listed = sorted(best.values(), key=_order)[:shown]
    return [replace(d, also_in_row=worthy[d.variant.row] - 1) for d in listed]


def _distinct_columns(comparison: Comparison, archive: Archive) -> list[int]:
    """Columns that are not exact copies of an earlier column (copies would count twice)."""
    copies = copy_columns(comparison, archive)
    return [c for c in range(len(comparison.witnesses)) if c not in copies]


def same_text_classes(archive: Archive, documents: tuple[str, ...]) -> dict[str, int]:
    """For each document: a number shared by exactly the documents of the same text."""
    parent = {d: d for d in documents}

    def root(d: str) -> str:
        while parent[d] != d:
            d = parent[d]
        return d

    by_document = _relations_index(archive.relations)[0]
    for relation in (r for d in documents for r in by_document.get(d, ())):
        a, b = relation.origin.document, relation.target.document
        if a in parent and b in parent:
            parent[root(a)] = root(b)
    roots: dict[str, int] = {}
    return {d: roots.setdefault(root(d), len(roots)) for d in documents}


def copy_columns(comparison: Comparison, archive: Archive) -> dict[int, int]:
    """Columns that are exact copies of an earlier column: column → that column."""
    same = same_text_classes(archive, comparison.witnesses)
    first: dict[int, int] = {}
    copies = {}
    for column, witness in enumerate(comparison.witnesses):
        if same[witness] in first:
            copies[column] = first[same[witness]]
        else:
            first[same[witness]] = column
    return copies


def quotations_of(archive: Archive, documents: tuple[str, ...]) -> tuple[object, ...]:
    """The quotations of these documents, with the quoting documents' publishers."""
    by_target = _relations_index(archive.relations)[1]
    found = [r for d in documents for r in by_target.get(d, ())]
    return tuple((r, archive.document(r.origin.document).publisher) for r in found)


def _quotations_of(archive: Archive, witnesses: set[str]) -> dict[str, tuple[Relation, ...]]:
    by_target = _relations_index(archive.relations)[1]
    return {w: by_target.get(w, ()) for w in witnesses}


# The relations of the last archive seen, indexed once: a list of every group's
# comparisons (the compare/ index) would otherwise scan them once per group.
_INDEXED: dict[str, object] = {}


def _relations_index(
    relations: tuple[Relation, ...],
) -> tuple[dict[str, list[Relation]], dict[str, tuple[Relation, ...]]]:
    """Same-text relations by either document; quotations by the quoted document."""
    if _INDEXED.get("relations") is not relations:
        same: dict[str, list[Relation]] = {}
        by_target: dict[str, list[Relation]] = {}
        for relation in relations:
            if relation.type == "same-text":
                same.setdefault(relation.origin.document, []).append(relation)
                same.setdefault(relation.target.document, []).append(relation)
            elif relation.type == "quotation":
                by_target.setdefault(relation.target.document, []).append(relation)
        _INDEXED.update(
            relations=relations, index=(same, {k: tuple(v) for k, v in by_target.items()})
        )
    return _INDEXED["index"]  # type: ignore[return-value]


def _weigh(
    comparison: Comparison,
    archive: Archive,
    variant: Variant,
    neighbours: list[Variant],
    distinct: list[int],
    texts: list[frozenset[str]],
    quotes: dict[str, tuple[Relation, ...]],
) -> Difference:
    readings = variant.readings
    row = comparison.rows[variant.row]
    only_in: list[int] = []
    missing_from: list[int] = []
    unmatched: list[str] = []
    names: list[str] = []
    moved = meaning = 0
    for column in distinct:
        words = meaning_words(readings[column])
        span = _span(comparison, variant, column)
        starts = {s.start for s in row.cells[column]}
        for other in distinct:
            if other == column or not words:
                continue
            if tokens(readings[other]) or _filled_by_neighbour(neighbours, other, column):
                # Words in its place: a change of wording, of names or numbers perhaps.
                found = _names(readings[column], span[0] if span else None, starts)
                changed = sorted(found - texts[other])
                shown = _as_written(readings[column], changed)
                names += [n for n in shown if n not in names]
                continue
            row_words = set(tokens(" ".join(s.text for s in row.cells[other])))
            meaning += len(words)
            moved += sum(1 for w in words if w in row_words)
            lacking = [w for w in words if w not in texts[other] and w not in row_words]
            if lacking:
                if column not in only_in:
                    only_in.append(column)
                if other not in missing_from:
                    missing_from.append(other)
                shown = _as_written(readings[column], lacking)
                unmatched += [w for w in shown if w not in unmatched]
    any_meaning = any(meaning_words(readings[c]) for c in distinct)
    if meaning and moved * 2 >= meaning:
        change = "moved"
    elif unmatched:
        change = "unmatched"
    elif names:
        change = "names"
    elif any_meaning and variant.kind != "punctuation":
        change = "wording"
    else:
        change = "minor"
    quoted_by = _quoted(comparison, variant, quotes)
    notes = _noted(comparison, archive, variant)
    score = 0
    if change != "minor":
        score += WEIGHTS.get(change, 0)
        if change == "unmatched" and len(unmatched) > 1:
            score += PHRASE  # a phrase left out weighs more than a word
        if change != "names" and names:
            score += WEIGHTS["names"]
        score += WEIGHTS["quoted"] if quoted_by else 0
        score += WEIGHTS["noted"] if notes else 0
    headline = next((_strip(readings[c]) for c in (only_in or distinct) if _strip(readings[c])), "")
    return Difference(
        variant,
        score,
        change,
        headline,
        tuple(only_in),
        tuple(missing_from),
        tuple(unmatched),
        tuple(names) if change not in ("moved", "minor") else (),
        quoted_by if change != "minor" else (),
        notes if change != "minor" else (),
    )


def _as_written(reading: str, folded: list[str]) -> list[str]:
    """Folded words as the reading writes them, in its order."""
    wanted = set(folded)
    return list(
        dict.fromkeys(_strip(m[0]) for m in _WORD.finditer(reading) if _fold(m[0]) in wanted)
    )


def _filled_by_neighbour(neighbours: list[Variant], column: int, empty_in: int) -> bool:
    """Whether a neighbouring variant of the row gives `column` words where `empty_in` has
    none: a replacement the alignment cut into a deletion and an addition."""
    return any(bool(tokens(v.readings[column])) and not v.readings[empty_in] for v in neighbours)


def _strip(reading: str) -> str:
    """A reading without the punctuation at its edges; "D.C." keeps its last dot."""
    stripped = reading.strip(" \t,;:.!?()[]“”‘’\"'«»—–-")
    kept = reading.find(stripped) + len(stripped)
    if "." in stripped.rsplit(" ", 1)[-1] and reading[kept : kept + 1] == ".":
        stripped += "."
    return stripped


def _span(comparison: Comparison, variant: Variant, column: int) -> tuple[int, int] | None:
    """The variant's place in a witness's plain text: its span, or its row's sentences."""
    if variant.spans and column < len(variant.spans):
        return variant.spans[column]
    cell = comparison.rows[variant.row].cells[column]
    return (cell[0].start, cell[-1].end) if cell else None


def _touches(span: tuple[int, int], start: int, end: int) -> bool:
    """Whether a passage [start, end) overlaps a span, or holds an empty one."""
    low, high = span
    if low == high:
        return start <= low <= end
    return start < high and end > low


def _quoted(
    comparison: Comparison, variant: Variant, quotes: dict[str, tuple[Relation, ...]]
) -> tuple[Relation, ...]:
    found = []
    for column, witness in enumerate(comparison.witnesses):
        span = _span(comparison, variant, column)
        if span is None:
            continue
        for relation in quotes.get(witness, ()):
            target = relation.target
            if target.start is None or target.end is None:
                inside = target.paragraph == variant.paragraphs[column]
            else:
                inside = _touches(span, target.start, target.end)
            if inside and relation not in found:
                found.append(relation)
    return tuple(found)


def _noted(comparison: Comparison, archive: Archive, variant: Variant) -> tuple[Note, ...]:
    """Notes on a passage touching the variant; a note on a whole paragraph is about the
    paragraph, not about any one variant in it."""
    found: list[Note] = []
    for column, witness in enumerate(comparison.witnesses):
        span = _span(comparison, variant, column)
        if span is None:
            continue
        for note in archive.notes_on(witness):
            on_passage = note.quote is not None and _touches(span, note.start, note.end)
            if on_passage and note not in found:
                found.append(note)
    return tuple(found)
