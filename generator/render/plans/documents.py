"""The document pages: the text with its notes, provenance, citation and related texts."""

from __future__ import annotations

import functools
from collections.abc import Collection, Iterator, Mapping

from generator.model import Archive, Comparison, Document, Group
from generator.render.citation import cite
from generator.render.compare_view import DocumentRelations, document_relations, row_of_paragraph
from generator.render.marks import annotated_paragraphs
from generator.render.output import Output, Plan
from generator.render.source_copy import copy_url
from generator.render.templating import Links


def document_pages(plan: Plan, wanted: Collection[str] | None = None) -> Iterator[Output]:
    """A page per document, keyed by everything it shows of the other documents.

    With `wanted`, only the pages it names (the others cost as much to plan).
    """
    model, default, group_of = plan.model, plan.default, plan.group_of
    only = None if wanted is None else {d for p in wanted if (d := _document_of(p))}
    relations = document_relations(model, only)
    translated = {d: g for g in model.translations for d in g.documents}
    variant_rows = _VariantRows(default, group_of)
    publisher_of = {doc.id: slug for slug, (_, docs) in plan.publishers.items() for doc in docs}
    for doc, previous, following in _neighbours(plan.ordered):
        path = f"documents/{doc.id}/index.html"
        if wanted is not None and path not in wanted:
            continue
        slug = publisher_of.get(doc.id)
        nearby = plan.publishers[slug][1] if slug else []
        group = group_of.get(doc.id)
        mine = relations[doc.id]
        # What the "related texts" lines show of the other documents involved.
        others = sorted(_related_documents(mine))
        collection = plan.collections.get(doc.collection or "")
        inputs = (
            doc,
            previous,
            following,
            collection,
            default.get(group.id) if group else None,
            mine,
            tuple(
                (model.document(o), default.get(g.id) if (g := group_of.get(o)) else None)
                for o in others
            ),
            slug,
            len(nearby),
            _mentions_shown(model, doc.id),
            *((translated[doc.id],) if doc.id in translated else ()),
        )
        context = {
            "doc": doc,
            "previous": previous,
            "next": following,
            "collection": collection,
            "group": group,
            "variant_rows": variant_rows.get(doc.id, {}),
            "rows_of": variant_rows,
            "group_of": group_of,
            "relations": mine,
            "publisher_slug": slug,
            "publisher_total": len(nearby),
            "translations": translated.get(doc.id),
            "source_copy": copy_url(doc.provenance.path, plan.links.base),
        }
        yield plan.page(
            path,
            inputs,
            "document.html",
            functools.partial(_document_context, context),
            noted=(doc.id,),
            exact=True,
        )


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


def _related_documents(relations: DocumentRelations) -> set[str]:
    """Every other document a page's "related texts" section names."""
    found = {*relations.copy_of, *relations.copies, *relations.versions}
    for quote in relations.quotes:
        found.add(quote.relation.target.document)
        found.update(quote.matches + quote.misses)
    found.update(r.origin.document for r in relations.quoted_by)
    found.update(s.other.document for s in relations.shared)
    found.update(p.document for f in relations.fellows for p in f.others)
    return found


class _VariantRows(Mapping[str, dict[int, int]]):
    """Each grouped document's paragraph → row of its variant, worked out when first read.

    A page reads its own and those of the texts it quotes: a build rendering a
    few pages need not read every comparison.
    """

    def __init__(self, default: dict[str, Comparison], group_of: dict[str, Group]) -> None:
        self.default, self.group_of = default, group_of
        self.rows: dict[str, dict[int, int]] = {}

    def __getitem__(self, doc_id: str) -> dict[int, int]:
        rows = self.rows.get(doc_id)
        if rows is None:
            group = self.group_of[doc_id]  # KeyError: not grouped, as a dict would say
            rows = self.rows[doc_id] = row_of_paragraph(self.default[group.id], doc_id)
        return rows

    def __iter__(self) -> Iterator[str]:
        return iter(self.group_of)

    def __len__(self) -> int:
        return len(self.group_of)


def _document_of(path: str) -> str | None:
    """The document a document page's path shows, if it is one."""
    pieces = path.split("/")
    if len(pieces) == 3 and pieces[0] == "documents" and pieces[2] == "index.html":
        return pieces[1]
    return None


def _neighbours(
    ordered: list[Document],
) -> Iterator[tuple[Document, Document | None, Document | None]]:
    for index, doc in enumerate(ordered):
        previous = ordered[index - 1] if index > 0 else None
        following = ordered[index + 1] if index + 1 < len(ordered) else None
        yield doc, previous, following
