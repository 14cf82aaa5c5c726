"""The pages of notes: every note by document, and a page per tag."""

from __future__ import annotations

from collections.abc import Iterator

from generator.render import listings
from generator.render.output import Output, Plan


def note_pages(plan: Plan) -> Iterator[Output]:
    """The notes' pages, made from the notes of the archive each build gives."""
    yield from listings.note_pages(
        plan.page, plan.model, plan.ordered, plan.links.page("notes"), plan.lines
    )
