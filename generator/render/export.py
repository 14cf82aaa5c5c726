"""The documented data export, `data/archive.json`: the model as plain JSON.

Each text is held once, in its document's paragraphs; relations, mentions,
variants and unmatched sentences point into them by document, paragraph and
code-point offsets instead of repeating the words (docs/data.md).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from generator.model import Archive, Document, Passage, Relation

if TYPE_CHECKING:
    from generator.model import Comparison, Sentence, TranslationGroup
    from generator.render.templating import Links

FORMAT_VERSION = 2  # 2: words held once, in the paragraphs; the rest refers to them


def document_data(doc: Document, links: Links) -> dict[str, Any]:
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
    }


def _paragraph_starts(doc: Document) -> list[int]:
    """Where each paragraph starts in the document's plain text (joined by blank lines)."""
    starts, at = [], 0
    for paragraph in doc.paragraphs:
        starts.append(at)
        at += len(paragraph.text) + 2
    return starts


def relation_data(relation: Relation, archive: Archive) -> dict[str, Any]:
    """A relation with both ends and their offsets in their paragraph (the words are there)."""
    return {
        "type": relation.type,
        "from": _passage(relation.origin, archive),
        "to": _passage(relation.target, archive),
        "exact": relation.exact,
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

    return {
        "id": group.id,
        "url": links.compare(group.id).removeprefix(links.base),
        "title": group.title,
        "declared": group.declared,
        "documents": list(witnesses),
        "base": comparison.base,
        "similarity": [
            {"documents": [a, b], "value": round(v, 4)} for a, b, v in comparison.similarity
        ],
        "variants": [
            {
                "id": f"v{v.number}",
                "paragraphs": {
                    w: f"p{p}"
                    for w, p in zip(witnesses, v.paragraphs, strict=True)
                    if p is not None
                },
                "offsets": {
                    w: offsets(w, p, s)
                    for w, p, s in zip(witnesses, v.paragraphs, v.spans, strict=True)
                    if p is not None and s is not None
                },
                "kind": v.kind,
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
                        "kind": u.kind,
                        "pair": u.pair,
                    }
                    for u in a.unmatched
                ],
            }
            for a in group.alignments
        ],
    }


def archive_data(archive: Archive, links: Links) -> dict[str, Any]:
    """The whole archive as exported in `data/archive.json`."""
    grouped = {d for c in archive.comparisons for d in c.witnesses}
    starts = {d.id: _paragraph_starts(d) for d in archive.documents if d.id in grouped}
    return {
        "format": FORMAT_VERSION,
        "site": {
            "title": archive.config.title,
            "site_url": archive.config.site_url,
            "base_url": archive.config.base_url,
            "language": archive.config.language,
        },
        "documents": [document_data(d, links) for d in archive.documents],
        "collections": [
            {
                "id": c.id,
                "url": links.collection(c.id).removeprefix(links.base),
                "title": c.title,
                "title_derived": c.title_derived,
                "source_path": c.source_path,
                "documents": list(c.documents),
            }
            for c in archive.collections
        ],
        "comparisons": [
            comparison_data(c, links, starts) for c in archive.comparisons if c.is_default
        ],
        "translations": [translation_data(g, links) for g in archive.translations],
        "relations": [relation_data(r, archive) for r in archive.relations],
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
        "mentions": [
            {
                "entity": m.entity,
                "document": m.document,
                "paragraph": f"p{m.paragraph}",
                "start": m.start,
                "end": m.end,
            }
            for m in archive.mentions
        ],
    }
