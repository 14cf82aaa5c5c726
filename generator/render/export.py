"""The documented data export: `data/archive.json` and one part per collection.

`data/archive.json` is the index (the site, the collections, the entities);
`data/collections/<id>.json` holds a collection's documents with their
mentions, and the comparisons, translations and relations that start there,
so that no file grows with the archive and a bundle's edit rewrites its part.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from generator.model import (
    Archive,
    Comparison,
    Document,
    Mention,
    Passage,
    Relation,
    TranslationGroup,
)

if TYPE_CHECKING:
    from generator.model import Sentence
    from generator.render.templating import Links

FORMAT_VERSION = 2


UNCOLLECTED = "data/uncollected.json"  # the part of the documents outside any collection


def part_path(collection_id: str | None) -> str:
    """Where a collection's part of the export is (None: no collection's), from the site's root."""
    return UNCOLLECTED if collection_id is None else f"data/collections/{collection_id}.json"


def document_data(
    doc: Document, links: Links, mentions: tuple[Mention, ...] = ()
) -> dict[str, Any]:
    """One document as exported: effective metadata, source, editor's assertions, text."""
    provenance = doc.provenance
    return {
        "id": doc.id,
        "url": links.document(doc.id).removeprefix(links.base),
        "title": doc.title,
        "title_derived": doc.title_derived,
        "publisher": doc.publisher,
        "place": doc.place,
        "date": doc.date,
        "byline": doc.byline,
        "kicker": doc.kicker,
        "language": doc.language,
        "collection": doc.collection,
        "position": provenance.position,
        "word_count": doc.word_count,
        "original_url": doc.url,
        "source": {
            "path": provenance.path,
            "line_start": provenance.line_start,
            "line_end": provenance.line_end,
            "sha256": provenance.sha256,
            "header": dict(provenance.header),
            # Only when known, so that archives without them export as before.
            **({"date_time": provenance.date_time} if provenance.date_time else {}),
            **({"derived": dict(provenance.derived)} if provenance.derived else {}),
        },
        "editor": dict(sorted(doc.editor.items())),
        "paragraphs": [{"id": p.id, "text": p.text} for p in doc.paragraphs],
        "mentions": [
            {
                "entity": m.entity,
                "paragraph": f"p{m.paragraph}",
                "start": m.start,
                "end": m.end,
                "text": m.text,
            }
            for m in mentions
        ],
    }


def _paragraph_starts(doc: Document) -> list[int]:
    """Where each paragraph starts in the document's plain text (joined by blank lines)."""
    starts, at = [], 0
    for paragraph in doc.paragraphs:
        starts.append(at)
        at += len(paragraph.text) + 2
    return starts


def relation_data(relation: Relation, archive: Archive) -> dict[str, Any]:
    """A relation with both ends, their offsets in their paragraph, and both ends' words."""
    return {
        "type": relation.type,
        "from": _passage(relation.origin, archive),
        "to": _passage(relation.target, archive),
        "exact": relation.exact,
        "text": relation.text,
        "source_text": relation.source_text,
    }


def _passage(passage: Passage, archive: Archive) -> dict[str, Any]:
    """A passage with code-point offsets into its paragraph's text (null: the whole text)."""
    start = end = None
    if passage.start is not None and passage.end is not None:
        doc = archive.document(passage.document)
        # Document.plain_text, which the passage counts in, joins paragraphs with a blank line.
        offset = sum(len(p.text) + 2 for p in doc.paragraphs[: passage.paragraph - 1])
        start, end = passage.start - offset, passage.end - offset
    return {
        "document": passage.document,
        "paragraph": f"p{passage.paragraph}",
        "start": start,
        "end": end,
    }


def comparison_data(
    comparison: Comparison, links: Links, starts: Mapping[str, list[int]]
) -> dict[str, Any]:
    """A group's comparison against its base, with every variant.

    `starts`: per document, where each paragraph starts in its plain text, to
    give each reading's offsets in its paragraph's text.
    """
    group = comparison.group
    witnesses = comparison.witnesses

    def offsets(doc_id: str, paragraph: int | None, span: tuple[int, int] | None) -> list[int]:
        assert paragraph is not None and span is not None
        start = starts[doc_id][paragraph - 1]
        return [span[0] - start, span[1] - start]

    # Each document id is given once, in `documents`; the variants list one
    # entry per document in that order (ids spelled in every variant made the
    # comparisons half of the export).
    return {
        "id": group.id,
        "url": links.compare(group.id).removeprefix(links.base),
        "title": group.title,
        "declared": group.declared,
        "documents": list(witnesses),
        "base": comparison.base,
        "similarity": [
            [witnesses.index(a), witnesses.index(b), round(v, 4)]
            for a, b, v in comparison.similarity
        ],
        "variants": [
            {
                "id": f"v{v.number}",
                "kind": v.kind,
                "readings": list(v.readings),
                "paragraphs": [None if p is None else f"p{p}" for p in v.paragraphs],
                "offsets": [
                    offsets(w, p, s) if p is not None and s is not None else None
                    for w, p, s in zip(witnesses, v.paragraphs, v.spans, strict=True)
                ],
            }
            for v in comparison.variants
        ],
    }


def _sentence(sentence: Sentence) -> dict[str, Any]:
    return {
        "index": sentence.index,
        "paragraph": f"p{sentence.paragraph}",
        "start": sentence.start,
        "end": sentence.end,
    }


def translation_data(group: TranslationGroup, links: Links) -> dict[str, Any]:
    """A translation group: its original, and each translation aligned sentence by sentence."""
    return {
        "id": group.id,
        "url": links.page(f"translations/{group.id}").removeprefix(links.base),
        "title": group.title,
        "declared": group.declared,
        "documents": list(group.documents),
        "original": group.original,
        "original_reason": group.original_reason,
        "alignments": [
            {
                "documents": [a.left, a.right],
                "coverage": {a.left: a.coverage[0], a.right: a.coverage[1]},
                "pairs": [
                    {
                        a.left: [_sentence(s) for s in pair.left],
                        a.right: [_sentence(s) for s in pair.right],
                        "similarity": pair.similarity,
                    }
                    for pair in a.pairs
                ],
                "unmatched": [
                    {
                        "document": u.document,
                        "paragraph": f"p{u.paragraph}",
                        "start": u.start,
                        "end": u.end,
                        "text": u.text,
                        "kind": u.kind,
                        "pair": u.pair,
                    }
                    for u in a.unmatched
                ],
            }
            for a in group.alignments
        ],
    }


def archive_index(archive: Archive, links: Links, parts: list[Part]) -> dict[str, Any]:
    """What `data/archive.json` holds: the site, the parts, the collections, the entities."""
    return {
        "format": FORMAT_VERSION,
        "site": {
            "title": archive.config.title,
            "site_url": archive.config.site_url,
            "base_url": archive.config.base_url,
            "language": archive.config.language,
        },
        "parts": [part_path(p.collection) for p in parts],
        "collections": [
            {
                "id": c.id,
                "url": links.collection(c.id).removeprefix(links.base),
                "title": c.title,
                "title_derived": c.title_derived,
                "source_path": c.source_path,
                "documents": list(c.documents),
                "part": part_path(c.id),
            }
            for c in archive.collections
        ],
        "entities": [
            {
                "id": e.id,
                "url": links.entity(e.id).removeprefix(links.base),
                "name": e.name,
                "kind": e.kind,
                "aliases": list(e.aliases),
                "description": e.description,
                "link": e.link,
                "credits": [
                    {"document": c.document, "role": c.role} for c in archive.credits_of(e.id)
                ],
            }
            for e in archive.entities
        ],
    }


@dataclass(frozen=True)
class Part:
    """A part of the export: its documents and what starts from them."""

    collection: str | None  # None: the documents outside any collection
    documents: tuple[str, ...]
    comparisons: tuple[Comparison, ...] = ()
    translations: tuple[TranslationGroup, ...] = ()
    relations: tuple[Relation, ...] = ()


def parts(archive: Archive) -> list[Part]:
    """The export's parts, a collection's first, in their order; then any document outside one.

    What starts from a document is in its part: a comparison in its base's, a
    translation group in its first document's, a relation in its `from` document's.
    """
    part_of: dict[str, str | None] = {d: c.id for c in archive.collections for d in c.documents}
    loose = tuple(d.id for d in archive.documents if d.id not in part_of)
    part_of.update(dict.fromkeys(loose))
    members: dict[str | None, tuple[str, ...]] = {c.id: c.documents for c in archive.collections}
    if loose:
        members[None] = loose
    found: dict[str | None, dict[str, list[Any]]] = {c: {} for c in members}

    def add(doc_id: str, kind: str, item: object) -> None:
        found[part_of[doc_id]].setdefault(kind, []).append(item)

    for comparison in archive.comparisons:
        if comparison.is_default:
            add(comparison.base, "comparisons", comparison)
    for group in archive.translations:
        add(group.documents[0], "translations", group)
    for relation in archive.relations:
        add(relation.origin.document, "relations", relation)
    return [
        Part(c, docs, **{k: tuple(v) for k, v in found[c].items()}) for c, docs in members.items()
    ]


def part_data(archive: Archive, links: Links, part: Part) -> dict[str, Any]:
    """A part of the export as written: its documents with their mentions, and what starts there."""
    witnesses = {d for c in part.comparisons for d in c.witnesses}
    starts = {d: _paragraph_starts(archive.document(d)) for d in witnesses}
    return {
        "format": FORMAT_VERSION,
        "collection": part.collection,
        "documents": [
            document_data(archive.document(d), links, archive.mentions_in(d))
            for d in part.documents
        ],
        "comparisons": [comparison_data(c, links, starts) for c in part.comparisons],
        "translations": [translation_data(g, links) for g in part.translations],
        "relations": [relation_data(r, archive) for r in part.relations],
    }
