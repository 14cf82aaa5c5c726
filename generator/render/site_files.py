"""Every file of the site: the model objects it is made from, and how to make it.

`site_outputs(model, templates)` runs one planner per kind of file (`plans/`),
in a fixed order; `changed.py` decides which files to render, from their keys.
Given the files `wanted` (those a build renders, when their keys are known
already), it makes only those: the planners that make many files skip the
work of the others.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterator
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


# The planners of most of the site's files, which skip the files not wanted.
_SKIPPING: tuple[Callable[..., Iterator[Output]], ...] = (
    compare_index_pages,
    comparison_pages,
    document_pages,
    entity_pages,
    export_files,
)


def site_outputs(
    model: Archive,
    templates: Path,
    wanted: Collection[str] | None = None,
    pages: list[str] | None = None,
) -> Iterator[Output]:
    """Every file of the site, with the model objects it is rendered from.

    With `wanted`, only the files it names; `pages` is then every HTML page of
    the site, in order (the sitemap lists them all).
    """
    plan = Plan.of(model, templates)
    listed: list[str] = []
    for planner in PLANNERS:
        made = planner(plan, wanted) if planner in _SKIPPING else planner(plan)
        for output in made:
            if output.path.endswith(".html"):
                listed.append(output.path)
            if wanted is None or output.path in wanted:
                yield output
    for output in feed_files(plan, listed if pages is None else pages):
        if wanted is None or output.path in wanted:
            yield output
