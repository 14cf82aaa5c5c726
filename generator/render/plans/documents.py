"""The document pages: the text with its notes, provenance, citation and related texts."""

from __future__ import annotations

import functools
from collections.abc import Collection, Iterator, Mapping

from generator.model import Archive, Comparison, Document, Group, TranslationGroup
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
            _neighbour_shown(previous),
            _neighbour_shown(following),
            collection,
            default.get(group.id) if group else None,
            mine,
            tuple(_other_shown(model.document(o)) for o in others),
            # A quotation whose words some versions lack links to its row there.
            tuple(
                (t, g.id, default.get(g.id))
                for t in _compared_targets(mine)
                if (g := group_of.get(t)) is not None
            ),
            slug,
            len(nearby),
            _mentions_shown(model, doc.id),
            *(_translations_shown(model, translated[doc.id]) if doc.id in translated else ()),
        )
        context = {
            "doc": doc,
            "previous": previous,
            "next": following,
            "collection": collection,
            "group": group,
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
    # Read here, not when planning: a grouped page's rows unpickle its group's comparison
    # (at 10,000 documents, 1.4 s to plan every page after a bundle edit).
    rows = context["rows_of"].get(context["doc"].id, {})
    notes = archive.notes_on(context["doc"].id)
    citation = cite(context["doc"], archive.config, Links(archive.config.base_url))
    mentions = archive.mentions_in(context["doc"].id)
    paragraphs = annotated_paragraphs(context["doc"], notes, mentions)
    return {
        **context,
        "variant_rows": rows,
        "notes": notes,
        "paragraphs": paragraphs,
        "citation": citation,
    }


def _compared_targets(relations: DocumentRelations) -> list[str]:
    """The quoted documents whose comparison rows the page links to: those of the
    quotations some versions of the quoted text lack (`quote.misses`)."""
    return sorted({q.relation.target.document for q in relations.quotes if q.misses})


def _neighbour_shown(doc: Document | None) -> tuple[str, str] | None:
    """What a page shows of the documents before and after it: the link and its title.

    Not the whole document: a neighbour's text edited leaves the page (and its
    part of the search index) alone.
    """
    return (doc.id, doc.title) if doc is not None else None


def _other_shown(doc: Document) -> tuple[str, str | None, str, str, str]:
    """What the "related texts" lines show of another document: its link, publisher,
    title, source file and language (`templates/document.html`, `doc_ref` and after)."""
    return doc.id, doc.publisher, doc.title, doc.provenance.path, doc.language


def _translations_shown(archive: Archive, group: TranslationGroup) -> tuple[object, ...]:
    """A translation group, and what its line shows of each member (publisher, language)."""
    return group, tuple(_other_shown(archive.document(d)) for d in group.documents)


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
