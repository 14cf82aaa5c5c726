"""Split paragraphs into segments for display, so overlapping notes can all be marked.

Each segment is a run of text covered by the same set of notes and by the
same entity mention, if any; the template wraps covered runs in `<mark>`,
links them to every note covering them, and wraps the runs of one mention in
one link to the entity's page. A note whose passage ends inside a mention has
its reference mark after the mention's link, so no link is ever nested.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

from generator.model import Document, Mention, Note


@dataclass(frozen=True)
class Segment:
    """A run of a paragraph's text, the passage notes covering all of it, and its mention."""

    text: str
    notes: tuple[Note, ...] = ()
    last_of: tuple[Note, ...] = ()  # notes whose reference marks follow this segment
    mention: Mention | None = None  # the mention this run is part of
    opens: bool = False  # the first run of its mention: the link starts here
    closes: bool = False  # the last run of its mention: the link ends here


@dataclass(frozen=True)
class AnnotatedParagraph:
    """A paragraph ready to show: its segments and the notes shown beside it."""

    number: int
    segments: tuple[Segment, ...]
    notes: tuple[Note, ...]  # notes whose passage starts here, in reading order

    @property
    def id(self) -> str:
        return f"p{self.number}"


def annotated_paragraphs(
    doc: Document, notes: tuple[Note, ...], mentions: tuple[Mention, ...] = ()
) -> list[AnnotatedParagraph]:
    """Every paragraph of `doc` split at the edges of the notes' passages and the mentions."""
    mentions_in: dict[int, list[Mention]] = {}
    for mention in mentions:
        mentions_in.setdefault(mention.paragraph, []).append(mention)
    result = []
    offset = 0
    for paragraph in doc.paragraphs:
        start, end = offset, offset + len(paragraph.text)
        offset = end + 2  # paragraphs are joined by a blank line in the plain text
        passages = [n for n in notes if n.quote is not None and n.start < end and n.end > start]
        named = mentions_in.get(paragraph.number, [])
        cuts = {0, len(paragraph.text)}
        for note in passages:
            cuts.add(max(note.start, start) - start)
            cuts.add(min(note.end, end) - start)
        for mention in named:
            cuts.update((mention.start, mention.end))
        segments = []
        deferred: tuple[Note, ...] = ()  # notes ending inside the current mention
        for left, right in itertools.pairwise(sorted(cuts)):
            covering = tuple(
                n for n in passages if n.start <= start + left and n.end >= start + right
            )
            last = tuple(n for n in covering if n.end == start + right)
            mention = next((m for m in named if m.start <= left and m.end >= right), None)
            closes = mention is not None and mention.end == right
            if mention is not None and not closes:
                deferred, last = deferred + last, ()
            elif closes:
                deferred, last = (), deferred + last
            segments.append(
                Segment(
                    paragraph.text[left:right],
                    covering,
                    last,
                    mention,
                    opens=mention is not None and mention.start == left,
                    closes=closes,
                )
            )
        here = tuple(n for n in notes if start <= n.start <= end)
        result.append(AnnotatedParagraph(paragraph.number, tuple(segments), here))
    return result
