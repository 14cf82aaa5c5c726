"""Split paragraphs into segments for display, so overlapping notes can all be marked.

Each segment is a run of text covered by the same set of notes; the template
wraps covered runs in `<mark>` and links them to every note covering them.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from generator.model import Document, Note


@dataclass(frozen=True)
class Segment:
    """A run of a paragraph's text and the passage notes covering all of it."""

    text: str
    notes: tuple[Note, ...] = ()
    last_of: tuple[Note, ...] = ()  # notes whose passage ends with this segment


@dataclass(frozen=True)
class AnnotatedParagraph:
    """A paragraph ready to show: its segments and the notes shown beside it."""

    number: int
    segments: tuple[Segment, ...]
    notes: tuple[Note, ...]  # notes whose passage starts here, in reading order

    @property
    def id(self) -> str:
        return f"p{self.number}"


def annotated_paragraphs(doc: Document, notes: tuple[Note, ...]) -> list[AnnotatedParagraph]:
    """Every paragraph of `doc` split at the edges of the notes' passages."""
    result = []
    offset = 0
    for paragraph in doc.paragraphs:
        start, end = offset, offset + len(paragraph.text)
        offset = end + 2  # paragraphs are joined by a blank line in the plain text
        passages = [n for n in notes if n.quote is not None and n.start < end and n.end > start]
        cuts = {0, len(paragraph.text)}
        for note in passages:
            cuts.add(max(note.start, start) - start)
            cuts.add(min(note.end, end) - start)
        ordered = sorted(cuts)
        segments = []
        for left, right in itertools.pairwise(ordered):
            covering = tuple(
                n for n in passages if n.start <= start + left and n.end >= start + right
            )
            last = tuple(n for n in covering if n.end == start + right)
            segments.append(Segment(paragraph.text[left:right], covering, last))
        here = tuple(n for n in notes if start <= n.start <= end)
        result.append(AnnotatedParagraph(paragraph.number, tuple(segments), here))
    return result
