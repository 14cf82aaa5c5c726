"""What a comparison page and a document page show of comparisons and relations.

Render-side only: the variants with the notes that touch them, the rows a
paragraph links to, and each document's copies, versions and quotations. The
aligned rows themselves are in `compare_rows.py`.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from generator.model import Archive, Comparison, Group, Note, Passage, Relation, Variant


@dataclass(frozen=True)
class VariantView:
    """A variant with the editor notes that touch it."""

    variant: Variant
    notes: tuple[Note, ...]


def variants_view(comparison: Comparison, archive: Archive) -> list[VariantView]:
    """Each variant with the notes (on any witness) whose passage overlaps its readings."""
    views = []
    for variant in comparison.variants:
        row = comparison.rows[variant.row]
        touching: list[Note] = []
        for column, cell in enumerate(row.cells):
            if not cell:
                continue
            doc_id = comparison.witnesses[column]
            start, end = cell[0].start, cell[-1].end
            reading = variant.readings[column]
            for note in archive.notes_on(doc_id):
                overlaps = note.start < end and note.end > start
                if overlaps and (not reading or reading in note.exact or note.exact in reading):
                    touching.append(note)
        views.append(VariantView(variant, tuple(dict.fromkeys(touching))))
    return views


def row_of_paragraph(comparison: Comparison, doc_id: str) -> dict[int, int]:
    """For each paragraph of `doc_id` that has a variant: the row number to link to."""
    column = comparison.witnesses.index(doc_id)
    result: dict[int, int] = {}
    for variant in comparison.variants:
        paragraph = variant.paragraphs[column]
        if paragraph is not None and paragraph not in result:
            result[paragraph] = variant.row + 1
    return result


@dataclass(frozen=True)
class QuoteView:
    """A quotation seen from one of its two ends."""

    relation: Relation
    matches: tuple[str, ...]  # group members of the quoted text that contain the words
    misses: tuple[str, ...]  # group members that do not


@dataclass(frozen=True)
class SharedView:
    """A passage this document shares with another, with no direction claimed."""

    mine: Passage
    other: Passage
    exact: bool
    text: str  # the words as this document has them


@dataclass(frozen=True)
class FellowView:
    """Words this document quotes that other documents quote too, in their own marks."""

    mine: Passage
    text: str
    others: tuple[Passage, ...]  # the other quoting passages, earliest first


@dataclass(frozen=True)
class DocumentRelations:
    """Everything inferred about a document's links to others, for its page."""

    copy_of: tuple[str, ...]  # documents this one is an exact copy of
    copies: tuple[str, ...]  # documents that are exact copies of this one
    versions: tuple[str, ...]  # other members of its version group
    quotes: tuple[QuoteView, ...]  # passages of this document quoting others
    quoted_by: tuple[Relation, ...]  # passages of others quoting this one
    shared: tuple[SharedView, ...] = ()  # passages shared with others, no direction known
    fellows: tuple[FellowView, ...] = ()  # quotes others make of the same words

    def on_paragraph(self, number: int) -> tuple[list[Passage], list[Passage]]:
        """The paragraphs one paragraph quotes, and those quoting it, each once."""
        made = [q.relation.target for q in self.quotes if q.relation.origin.paragraph == number]
        received = [r.origin for r in self.quoted_by if r.target.paragraph == number]
        return _distinct_paragraphs(made), _distinct_paragraphs(received)


def _distinct_paragraphs(passages: list[Passage]) -> list[Passage]:
    seen: dict[tuple[str, int], Passage] = {}
    for passage in passages:
        seen.setdefault((passage.document, passage.paragraph), passage)
    return list(seen.values())


def document_relations(
    archive: Archive, only: Collection[str] | None = None
) -> dict[str, DocumentRelations]:
    """For every document (or each `only` names): the copies, versions and quotations of it."""
    group_of = {d: g for g in archive.groups for d in g.documents}
    involving: dict[str, list[Relation]] = {d.id: [] for d in archive.documents}
    for relation in archive.relations:
        involving[relation.origin.document].append(relation)
        if relation.target.document != relation.origin.document:
            involving[relation.target.document].append(relation)
    result = {}
    for doc in archive.documents:
        if only is not None and doc.id not in only:
            continue  # a build rendering a few pages: the others' views cost as much
        mine = involving[doc.id]
        same = [r for r in mine if r.type == "same-text"]
        copy_of = tuple(r.target.document for r in same if r.origin.document == doc.id)
        copies = tuple(r.origin.document for r in same if r.target.document == doc.id)
        group = group_of.get(doc.id)
        versions = tuple(
            d
            for d in (group.documents if group else ())
            if d != doc.id and d not in copy_of + copies
        )
        made = [r for r in mine if r.type == "quotation" and r.origin.document == doc.id]
        quoted_by = tuple(r for r in mine if r.type == "quotation" and r.target.document == doc.id)
        shared = [r for r in mine if r.type == "shared-passage"]
        quotes = _quote_views(made, [r for r in shared if r.origin.document == doc.id], group_of)
        result[doc.id] = DocumentRelations(
            copy_of,
            copies,
            versions,
            quotes,
            quoted_by,
            _shared_views(doc.id, shared),
            _fellow_views(doc.id, [r for r in mine if r.type == "same-quote"], archive),
        )
    return result


def _quote_views(
    made: list[Relation], shared: list[Relation], group_of: dict[str, Group]
) -> tuple[QuoteView, ...]:
    """One view per quoting passage, however many texts of a group it matches."""
    by_passage: dict[tuple[int | None, int | None], list[Relation]] = {}
    for relation in made:
        by_passage.setdefault((relation.origin.start, relation.origin.end), []).append(relation)
    # A version dated later, or undated, holds the words too: it shares the passage.
    holding: dict[tuple[int | None, int | None], set[str]] = {}
    for relation in shared:
        where = (relation.origin.start, relation.origin.end)
        holding.setdefault(where, set()).add(relation.target.document)
    views = []
    for where, relations in by_passage.items():
        first = relations[0]
        group = group_of.get(first.target.document)
        members = group.documents if group else (first.target.document,)
        found = {r.target.document for r in relations} | holding.get(where, set())
        views.append(
            QuoteView(
                first,
                tuple(m for m in members if m in found),
                tuple(m for m in members if m not in found),
            )
        )
    return tuple(views)


def _shared_views(doc_id: str, shared: list[Relation]) -> tuple[SharedView, ...]:
    """Each shared passage seen from this document's end."""
    views = []
    for r in shared:
        if r.origin.document == doc_id:
            views.append(SharedView(r.origin, r.target, r.exact, r.text or ""))
        else:
            views.append(SharedView(r.target, r.origin, r.exact, r.source_text or ""))
    return tuple(views)


def _fellow_views(doc_id: str, same: list[Relation], archive: Archive) -> tuple[FellowView, ...]:
    """Per quoting passage of this document: the others quoting the same words."""
    mine: dict[tuple[int | None, int | None], tuple[Passage, str]] = {}
    others: dict[tuple[int | None, int | None], dict[tuple[str, int | None], Passage]] = {}
    for r in same:
        here, there, text = (
            (r.origin, r.target, r.text)
            if r.origin.document == doc_id
            else (r.target, r.origin, r.source_text)
        )
        where = (here.start, here.end)
        mine.setdefault(where, (here, text or ""))
        others.setdefault(where, {}).setdefault((there.document, there.start), there)

    def earliest(passage: Passage) -> tuple[bool, str, str]:
        date = archive.document(passage.document).date
        return (date is None, date or "", passage.document)

    return tuple(
        FellowView(passage, text, tuple(sorted(others[where].values(), key=earliest)))
        for where, (passage, text) in mine.items()
    )
