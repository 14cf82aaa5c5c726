"""How to cite a document: for people, a formatted line; for machines, schema.org JSON-LD.

BibTeX and CSL-JSON are made from the JSON-LD by the page's script
(`assets/document.js`), so a page does not carry the same citation four times.

The citation names the original publisher and title, the date the source
gives, the archive and the document's permanent address here. The date of
access is the reader's to add: a build never writes the clock into a page.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from generator.model import Document, SiteConfig
from generator.render.templating import Links, format_date


@dataclass(frozen=True)
class Citation:
    """One document's citation in every form a document page offers."""

    address: str  # absolute when the site's address is known, else from the site root
    text: str
    json_ld: str  # safe inside <script type="application/ld+json">
    description: str  # a short excerpt, for Open Graph and link previews


def cite(doc: Document, config: SiteConfig, links: Links) -> Citation:
    """The citation of `doc` as published in this archive."""
    address = (config.site_url or links.base) + links.document(doc.id).removeprefix(links.base)
    author = _author(doc)
    parts = [f"{author}." if author else "", f"“{doc.title}.”"]
    if doc.publisher and doc.publisher != author:
        parts.append(f"{doc.publisher},")
    parts.append(f"{format_date(doc.date)}." if doc.date else "Undated.")
    parts.append(f"In {config.title}. {address} (accessed [date]).")
    excerpt = doc.paragraphs[0].text if doc.paragraphs else ""
    if len(excerpt) > 200:
        excerpt = excerpt[:200].rsplit(" ", 1)[0] + "…"
    return Citation(
        address=address,
        text=" ".join(p for p in parts if p),
        json_ld=_script_safe(
            json.dumps(
                _schema_org(doc, config, address, author),
                ensure_ascii=False,
                separators=(",", ":"),  # no spaces: a page carries it for machines
            )
        ),
        description=excerpt,
    )


def _author(doc: Document) -> str | None:
    """The byline without its "By", else nothing: the publisher is not the author."""
    if not doc.byline:
        return None
    return re.sub(r"^(by|por)\s+", "", doc.byline.strip(), flags=re.IGNORECASE) or None


def _schema_org(doc: Document, config: SiteConfig, address: str, author: str | None) -> dict:
    """What the page says of the document in schema.org terms, and all document.js needs."""
    data: dict = {
        "@context": "https://schema.org",
        "@type": "NewsArticle" if author else "Article",
        "headline": doc.title,
        "url": address,
        "inLanguage": doc.language,
        "isPartOf": {"@type": "WebSite", "name": config.title},
        "isBasedOn": doc.url
        or {
            "@type": "CreativeWork",
            "name": doc.provenance.path,
            "identifier": f"sha256:{doc.provenance.sha256}",
        },
    }
    if doc.date:
        # The source's time too, when its header gives one (never the editor's date's).
        data["datePublished"] = doc.provenance.date_time or doc.date
    if doc.publisher:
        data["publisher"] = {"@type": "Organization", "name": doc.publisher}
    if author:
        data["author"] = {"@type": "Person", "name": author}
    return data


def _script_safe(text: str) -> str:
    """JSON that cannot end its <script> element early, whatever the strings hold."""
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
