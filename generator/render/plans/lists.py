"""The pages that list the archive: home, timeline, about, 404, search; publishers, collections."""

from __future__ import annotations

from collections.abc import Iterator

from generator.model import Collection, Document
from generator.render import listings, search_parts
from generator.render.findings import ordered_groups
from generator.render.output import Output, Plan
from generator.render.templating import language_name


def front_pages(plan: Plan) -> Iterator[Output]:
    """Home, the timeline, about, 404 and the search page."""
    model, ordered, page = plan.model, plan.ordered, plan.page
    groups = ordered_groups(plan.default, [g.id for g in model.groups])
    yield listings.home_page(page, ordered, model.collections, plan.publishers, groups)
    yield from listings.timeline_pages(page, ordered, plan.links.page("timeline"), plan.lines)
    yield page(
        "about/index.html",
        (len(ordered), len(plan.collections)),
        "about.html",
        lambda archive: {},
        exact=True,
    )
    yield page("404.html", (), "404.html", lambda archive: {}, exact=True)
    choices = _search_choices(ordered, model.collections)
    index_bundles = search_parts.bundles_of({d.id: d.language for d in ordered})
    yield page(
        "search/index.html",
        (choices, index_bundles),
        "search.html",
        lambda archive: {**choices, "index_bundles": index_bundles},
        exact=True,
    )


def publisher_pages(plan: Plan) -> Iterator[Output]:
    """Each publisher's documents, in pages."""
    for slug, (name, docs) in plan.publishers.items():
        yield from listings.document_lists(
            plan.page, "publisher.html", f"publishers/{slug}/", plan.links.publisher(slug), docs,
            {"publisher": name}, plan.lines,
        )  # fmt: skip


def collection_pages(plan: Plan) -> Iterator[Output]:
    """Each collection's documents, in pages."""
    model = plan.model
    for collection in model.collections:
        members = [model.document(i) for i in collection.documents]
        yield from listings.document_lists(
            plan.page, "collection.html", f"collections/{collection.id}/",
            plan.links.collection(collection.id), members, {"collection": collection}, plan.lines,
        )  # fmt: skip


def _search_choices(
    ordered: list[Document], collections: tuple[Collection, ...]
) -> dict[str, tuple[str, ...]]:
    """The values the search page's filters offer, exactly as document pages tag them."""
    return {
        "publishers": tuple(sorted({d.publisher for d in ordered if d.publisher})),
        "years": tuple(sorted({d.date[:4] for d in ordered if d.date}, reverse=True)),
        "languages": tuple(sorted({language_name(d.language) for d in ordered})),
        "collections": tuple(sorted(c.title for c in collections)),
    }
