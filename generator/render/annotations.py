"""Export the notes in the W3C Web Annotation Data Model: `data/annotations.jsonld`.

Each note targets its document's page with the standard selector pair:
a TextQuoteSelector (exact, prefix, suffix) and a TextPositionSelector whose
offsets count code points in the document's plain text (its paragraphs, as in
`archive.json`, joined by a blank line).
"""

from __future__ import annotations

from typing import Any

from generator.model import Archive, Note

CONTEXT = "http://www.w3.org/ns/anno.jsonld"


def _address(archive: Archive, path: str) -> str:
    """Absolute when the site's address is known, else relative to this file.

    JSON-LD resolves a relative id against the address of the file that holds
    it, `data/annotations.jsonld`, so the site root is one folder up.
    """
    site = archive.config.site_url
    return site + path if site else "../" + path


def annotation(archive: Archive, note: Note) -> dict[str, Any]:
    """One note as a Web Annotation."""
    page = _address(archive, f"documents/{note.document}/")
    body: list[dict[str, Any]] = [
        {
            "type": "TextualBody",
            "value": note.body_html,
            "format": "text/html",
            "language": archive.config.language,  # the editors' words, not the source's
            "purpose": "commenting",
        }
    ]
    body.extend({"type": "TextualBody", "purpose": "tagging", "value": t} for t in note.tags)
    item: dict[str, Any] = {
        "id": f"{page}#{note.id}",
        "type": "Annotation",
        "motivation": "commenting",
        "body": body,
        "target": {
            "source": page,
            "selector": [
                {
                    "type": "TextQuoteSelector",
                    "exact": note.exact,
                    "prefix": note.prefix,
                    "suffix": note.suffix,
                },
                {"type": "TextPositionSelector", "start": note.start, "end": note.end},
            ],
        },
    }
    if note.author:
        item["creator"] = {"type": "Person", "name": note.author}
    if note.date:
        item["created"] = f"{note.date}T00:00:00Z"
    return item


def collection(archive: Archive) -> dict[str, Any]:
    """All notes as one AnnotationCollection with a single page of items."""
    address = _address(archive, "data/annotations.jsonld")
    return {
        "@context": CONTEXT,
        "id": address,
        "type": "AnnotationCollection",
        "label": f"Notes of {archive.config.title}",
        "total": len(archive.notes),
        "first": {
            "id": f"{address}#page-1",
            "type": "AnnotationPage",
            "startIndex": 0,
            "items": [annotation(archive, n) for n in archive.notes],
        },
    }
