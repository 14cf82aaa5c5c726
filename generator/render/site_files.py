"""Every file of the site: the model objects it is made from, and how to make it.

`site_outputs(model, templates)` runs one planner per kind of file (`plans/`),
in a fixed order; `changed.py` decides which files to render, from their keys.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

from generator.model import Archive
from generator.render.output import ALL, Output, Plan
from generator.render.plans.compare_index import compare_index_pages
from generator.render.plans.comparisons import comparison_pages
from generator.render.plans.documents import document_pages
from generator.render.plans.entities import entity_pages
from generator.render.plans.exports import export_files
from generator.render.plans.feeds import feed_files
from generator.render.plans.lists import collection_pages, front_pages, publisher_pages
from generator.render.plans.notes import note_pages
from generator.render.plans.sources import source_copies
from generator.render.plans.static import static_files
from generator.render.plans.translations import translation_pages

__all__ = ["ALL", "PLANNERS", "Output", "site_outputs"]

# The order is the sitemap's, and the order files are rendered in.
PLANNERS: tuple[Callable[[Plan], Iterator[Output]], ...] = (
    front_pages,
    note_pages,
    compare_index_pages,
    comparison_pages,
    translation_pages,
    publisher_pages,
    document_pages,
    entity_pages,
    collection_pages,
    export_files,
    source_copies,
    static_files,
)


def site_outputs(model: Archive, templates: Path) -> Iterator[Output]:
    """Every file of the site, with the model objects it is rendered from."""
    plan = Plan.of(model, templates)
    pages: list[str] = []
    for planner in PLANNERS:
        for output in planner(plan):
            if output.path.endswith(".html"):
                pages.append(output.path)
            yield output
    yield from feed_files(plan, pages)
