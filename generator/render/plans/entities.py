"""The index of names, and each entity's pages of mentions."""

from __future__ import annotations

import functools
from collections.abc import Collection, Iterator

from generator.model import Archive, Credit, Document, Entity, Mention
from generator.render.entity_view import (
    credited_documents,
    kinds_view,
    mentions_by_document,
    paginate,
    with_excerpts,
)
from generator.render.output import Output, Plan


def entity_pages(plan: Plan, wanted: Collection[str] | None = None) -> Iterator[Output]:
    """The index of names, then every entity's pages, in the order `entities.yaml` lists them.

    With `wanted`, only the entities with a page it names are paged.
    """
    model = plan.model
    # An entity's pages are known only once its mentions are paged: skip by folder.
    folders = None
    if wanted is not None:
        folders = {p.split("/")[1] for p in wanted if p.startswith("entities/")}
    kinds = kinds_view(model)
    yield plan.page(
        "entities/index.html",
        (tuple(kinds), len(model.entities), len(model.mentions)),
        "entities.html",
        lambda a: {"kinds": kinds},
        exact=True,
    )
    position = {d.id: i for i, d in enumerate(plan.ordered)}
    for entity in model.entities:
        if folders is not None and entity.id not in folders:
            continue
        pages = paginate(mentions_by_document(model, entity, position))
        credited = credited_documents(model, entity, position)
        documents = sum(len(p) for p in pages)
        total = len(model.mentions_of(entity.id))
        for number, shown in enumerate(pages, 1):
            here = credited if number == 1 else []
            yield plan.page(
                f"entities/{entity.id}/{'' if number == 1 else f'{number}/'}index.html",
                (entity, number, len(pages), documents, total, _shown(shown), _credited(here)),
                "entity.html",
                functools.partial(
                    _entity_context, entity, number, len(pages), documents, shown, here
                ),
                counted=tuple(d.id for _, d in here),  # the credited documents' note counts
                # Its inputs name what it shows of each document, no more: an edit
                # elsewhere in a text leaves the pages of the names it mentions alone.
                exact=True,
            )


def _shown(shown: list[tuple[Document, tuple[Mention, ...]]]) -> tuple[object, ...]:
    """What a page of mentions shows of each document: its heading line, and the
    paragraphs its excerpts are cut from (`templates/entity.html`)."""
    return tuple(
        (
            (doc.id, doc.title, doc.publisher, doc.date, doc.language),
            mentions,
            tuple(doc.paragraphs[n - 1].text for n in dict.fromkeys(m.paragraph for m in mentions)),
        )
        for doc, mentions in shown
    )


def _credited(credited: list[tuple[Credit, Document]]) -> tuple[object, ...]:
    """What the list of documents an entity published or signed shows of each (`doc_line`)."""
    return tuple((c, (d.id, d.title, d.publisher, d.date)) for c, d in credited)


def _entity_context(
    entity: Entity,
    number: int,
    pages: int,
    documents: int,
    shown: list[tuple[Document, tuple[Mention, ...]]],
    credited: list[tuple[Credit, Document]],
    archive: Archive,
) -> dict:
    """One page of an entity's mentions: excerpts are cut only when the page is rendered."""
    return {
        "entity": entity,
        "credited": credited,
        "mentioning": with_excerpts(shown),
        "page_number": number,
        "pages": pages,
        "documents": documents,
    }
