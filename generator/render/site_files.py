"""Every file of the site: the model objects it is made from, and how to make it.

`site_outputs(model, templates)` lists them all, page by page, with what each
page shows; `render.py` decides which to render, from their keys.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

from generator.model import Archive, Collection, Credit, Document, Entity, Mention
from generator.render import annotations, export, feeds, listings, search_parts
from generator.render.citation import cite
from generator.render.compare_view import (
    DocumentRelations,
    document_relations,
    row_of_paragraph,
    rows_view,
    variants_view,
)
from generator.render.entity_view import (
    credited_documents,
    kinds_view,
    mentions_by_document,
    paginate,
    with_excerpts,
)
from generator.render.marks import annotated_paragraphs
from generator.render.templating import Links, by_date, environment, language_name
from generator.sources.ids import name_slug

NEARBY = 3  # documents of the same publisher shown on each side of a document

ALL = "*"  # in `Output.noted`: the output shows every note of the archive


@dataclass(frozen=True)
class Output:
    """One file of the site: what it is made from, and how to make it on demand.

    `inputs` are model objects made from the sources; `noted` and `counted`
    name the documents whose notes, or note counts, it shows. Notes change far
    more often than sources, so the two parts of a file's key are kept apart.
    `whole`: it reads the whole archive (the data exports). `exact`: its
    `inputs` name everything it shows that the sources make, so a source edit
    that leaves them alone leaves it alone; any other file is made again after
    every source edit (the lists, whose documents' titles and dates they show).
    """

    path: str
    inputs: tuple[object, ...]
    make: Callable[[Archive], bytes]
    noted: tuple[str, ...] = ()
    counted: tuple[str, ...] = ()
    whole: bool = False
    exact: bool = False


def site_outputs(model: Archive, templates: Path) -> Iterator[Output]:
    """Every file of the site, with the model objects it is rendered from."""
    pages: list[str] = []
    for output in _reading_outputs(model, templates):
        if output.path.endswith(".html"):
            pages.append(output.path)
        yield output
    links = Links(model.config.base_url)
    yield Output("robots.txt", (), lambda archive: feeds.robots(archive), exact=True)
    if model.config.site_url:  # sitemaps and feeds need absolute addresses
        yield Output("sitemap.xml", (tuple(pages),), lambda archive: feeds.sitemap(archive, pages))
        yield Output(
            "feed.xml",
            (by_date(model.documents),),
            lambda archive: feeds.atom(archive, links),
            noted=(ALL,),
        )


def _reading_outputs(model: Archive, templates: Path) -> Iterator[Output]:
    """The pages for readers, the data exports and the assets.

    `model` is read for what the sources make (documents, groups, comparisons);
    each `make` reads the notes from the archive it is given, so one plan
    serves every build until the sources change.
    """
    env = environment(templates)
    links = Links(model.config.base_url)

    def page(
        path: str,
        inputs: tuple[object, ...],
        template: str,
        context: Callable[[Archive], dict],
        noted: tuple[str, ...] = (),
        counted: tuple[str, ...] = (),
        exact: bool = False,
    ) -> Output:
        def make(archive: Archive) -> bytes:
            common = {"site": archive.config, "links": links, "archive": archive}
            html = env.get_template(template).render(**common, **context(archive))
            return html.encode("utf-8")

        return Output(path, inputs, make, noted, counted, exact=exact)

    def ids(docs: Iterable[Document]) -> tuple[str, ...]:
        return tuple(d.id for d in docs)

    ordered = by_date(model.documents)
    collections = {c.id: c for c in model.collections}
    publishers = _by_publisher(ordered)
    yield listings.home_page(page, ordered, model.collections, publishers)
    yield from listings.timeline_pages(page, ordered, links.page("timeline"))
    yield page(
        "about/index.html", (len(ordered), len(collections)), "about.html", lambda archive: {}
    )
    yield page("404.html", (), "404.html", lambda archive: {}, exact=True)
    choices = _search_choices(ordered, model.collections)
    index_parts = tuple(search_parts.parts_of(d.id for d in ordered))
    yield page(
        "search/index.html",
        (choices, index_parts),
        "search.html",
        lambda archive: {**choices, "index_parts": index_parts},
    )
    yield from listings.note_pages(page, model, ordered, links.page("notes"))
    default = {c.group.id: c for c in model.comparisons if c.is_default}
    relations = document_relations(model)
    group_of = {d: g for g in model.groups for d in g.documents}
    variant_rows = {d: row_of_paragraph(default[g.id], d) for d, g in group_of.items()}
    for comparison in model.comparisons:
        group = comparison.group
        witnesses = tuple(model.document(w) for w in comparison.witnesses)
        yield page(
            f"compare/{group.id}/index.html"
            if comparison.is_default
            else f"compare/{group.id}/{comparison.base}/index.html",
            (comparison, witnesses),
            "compare.html",
            lambda archive, comparison=comparison, witnesses=witnesses: {
                "group": comparison.group,
                "comparison": comparison,
                "witnesses": list(witnesses),
                "rows": rows_view(comparison),
                "variants": variants_view(comparison, archive),
            },
            noted=comparison.witnesses,
            exact=True,
        )
    position = {
        doc.id: (slug, index)
        for slug, (_, docs) in publishers.items()
        for index, doc in enumerate(docs)
    }
    for slug, (name, docs) in publishers.items():
        yield from listings.document_lists(
            page, "publisher.html", f"publishers/{slug}/", links.publisher(slug), docs,
            {"publisher": name},
        )  # fmt: skip
    for doc, previous, following in _neighbours(ordered):
        slug, index = position.get(doc.id, (None, 0))
        nearby = publishers[slug][1] if slug else []
        same_publisher = [
            d for d in nearby[max(0, index - NEARBY) : index + NEARBY + 1] if d is not doc
        ]
        group = group_of.get(doc.id)
        mine = relations[doc.id]
        # What the "related texts" lines show of the other documents involved.
        others = sorted(_related_documents(mine))
        inputs = (
            doc,
            previous,
            following,
            collections.get(doc.collection or ""),
            default.get(group.id) if group else None,
            mine,
            tuple(
                (model.document(o), default.get(g.id) if (g := group_of.get(o)) else None)
                for o in others
            ),
            tuple(same_publisher),
            slug,
            len(nearby),
            _mentions_shown(model, doc.id),
        )
        context = {
            "doc": doc,
            "previous": previous,
            "next": following,
            "collection": collections.get(doc.collection or ""),
            "group": group,
            "variant_rows": variant_rows.get(doc.id, {}),
            "rows_of": variant_rows,
            "group_of": group_of,
            "relations": mine,
            "publisher_slug": slug,
            "publisher_total": len(nearby),
            "same_publisher": same_publisher,
        }
        yield page(
            f"documents/{doc.id}/index.html",
            inputs,
            "document.html",
            functools.partial(_document_context, context),
            noted=(doc.id,),
            counted=ids(same_publisher),
            exact=True,
        )
    yield from _entity_pages(model, ordered, page)
    for collection in model.collections:
        members = [model.document(i) for i in collection.documents]
        yield from listings.document_lists(
            page, "collection.html", f"collections/{collection.id}/",
            links.collection(collection.id), members, {"collection": collection},
        )  # fmt: skip
    yield Output(
        "data/annotations.jsonld",
        (),
        lambda archive: _json(annotations.collection(archive)),
        noted=(ALL,),
        whole=True,
    )
    yield Output(
        "data/archive.json",
        (
            model.documents,
            model.collections,
            tuple(default.values()),
            model.relations,
            model.entities,
            model.mentions,
            model.credits,
        ),
        lambda archive: _json(export.archive_data(archive, links)),
        whole=True,
    )
    for path, data in _static_files(templates / "assets").items():
        yield Output(path, (), lambda archive, data=data: data, exact=True)
    yield Output(".nojekyll", (), lambda archive: b"", exact=True)


def _document_context(context: dict, archive: Archive) -> dict:
    """A document page's context with its notes, and its paragraphs cut at note marks."""
    notes = archive.notes_on(context["doc"].id)
    citation = cite(context["doc"], archive.config, Links(archive.config.base_url))
    mentions = archive.mentions_in(context["doc"].id)
    paragraphs = annotated_paragraphs(context["doc"], notes, mentions)
    return {**context, "notes": notes, "paragraphs": paragraphs, "citation": citation}


def _mentions_shown(archive: Archive, doc_id: str) -> tuple[object, ...]:
    """What a document page shows of the entities it mentions: where, and their names."""
    mentions = archive.mentions_in(doc_id)
    names = {m.entity: archive.entity(m.entity).name for m in mentions}
    return mentions, tuple(sorted(names.items()))


def _entity_pages(
    model: Archive, ordered: list[Document], page: Callable[..., Output]
) -> Iterator[Output]:
    """The index of names, and each entity's pages of mentions."""
    kinds = kinds_view(model)
    yield page("entities/index.html", (tuple(kinds),), "entities.html", lambda a: {"kinds": kinds})
    position = {d.id: i for i, d in enumerate(ordered)}
    for entity in model.entities:
        pages = paginate(mentions_by_document(model, entity, position))
        credited = credited_documents(model, entity, position)
        documents = sum(len(p) for p in pages)
        total = len(model.mentions_of(entity.id))
        for number, shown in enumerate(pages, 1):
            here = credited if number == 1 else []
            yield page(
                f"entities/{entity.id}/{'' if number == 1 else f'{number}/'}index.html",
                (entity, number, len(pages), documents, total, tuple(shown), tuple(here)),
                "entity.html",
                functools.partial(
                    _entity_context, entity, number, len(pages), documents, shown, here
                ),
                counted=tuple(d.id for _, d in here),  # the credited documents' note counts
            )


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


def _json(data: object) -> bytes:
    return (json.dumps(data, ensure_ascii=False) + "\n").encode("utf-8")


def _related_documents(relations: DocumentRelations) -> set[str]:
    """Every other document a page's "related texts" section names."""
    found = {*relations.copy_of, *relations.copies, *relations.versions}
    for quote in relations.quotes:
        found.add(quote.relation.target.document)
        found.update(quote.matches + quote.misses)
    found.update(r.origin.document for r in relations.quoted_by)
    return found


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


def _by_publisher(ordered: list[Document]) -> dict[str, tuple[str, list[Document]]]:
    """Documents by publisher (in date order), keyed by a unique slug of the name."""
    result: dict[str, tuple[str, list[Document]]] = {}
    slug_of: dict[str, str] = {}
    for doc in ordered:
        if not doc.publisher:
            continue
        slug = slug_of.get(doc.publisher)
        if slug is None:
            slug = name_slug(doc.publisher, "publisher", result)
            slug_of[doc.publisher] = slug
            result[slug] = (doc.publisher, [])
        result[slug][1].append(doc)
    return result


def _neighbours(
    ordered: list[Document],
) -> Iterator[tuple[Document, Document | None, Document | None]]:
    for index, doc in enumerate(ordered):
        previous = ordered[index - 1] if index > 0 else None
        following = ordered[index + 1] if index + 1 < len(ordered) else None
        yield doc, previous, following


def _static_files(folder: Path) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    if folder.is_dir():
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                files["assets/" + path.relative_to(folder).as_posix()] = path.read_bytes()
    return files
