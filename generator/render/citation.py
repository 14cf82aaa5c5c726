"""How to cite a document, for people (a formatted line) and for machines (BibTeX, CSL-JSON,
schema.org JSON-LD).

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
    bibtex: str
    csl_json: str
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
        bibtex=_bibtex(doc, config, address, author),
        csl_json=json.dumps(_csl(doc, config, address, author), ensure_ascii=False, indent=2),
        json_ld=_script_safe(json.dumps(_schema_org(doc, address, author), ensure_ascii=False)),
        description=excerpt,
    )


def _author(doc: Document) -> str | None:
    """The byline without its "By", else nothing: the publisher is not the author."""
    if not doc.byline:
        return None
    return re.sub(r"^(by|por)\s+", "", doc.byline.strip(), flags=re.IGNORECASE) or None


def _bibtex(doc: Document, config: SiteConfig, address: str, author: str | None) -> str:
    fields = [
        ("title", f"{{{_tex(doc.title)}}}"),
        # A person's name is parsed by BibTeX; an organization's is kept whole.
        ("author", _tex(author) if author else f"{{{_tex(doc.publisher or 'Unknown')}}}"),
        ("organization", _tex(doc.publisher)) if doc.publisher else None,
        ("date", doc.date) if doc.date else None,
        ("howpublished", f"\\url{{{address}}}"),
        ("note", f"In: {_tex(config.title)}"),
    ]
    body = ",\n".join(f"  {name} = {{{value}}}" for name, value in filter(None, fields))
    return f"@misc{{{doc.id},\n{body}\n}}"


# latexcodec (PyPI) was tried: its "ulatex+utf8" codec leaves \ { } $ ^ as they are and
# writes ~ as "\textasciitilde\ ", so a title holding them breaks the entry. One pass
# over this table escapes all ten; the rest of Unicode is left to biblatex's UTF-8 input.
_TEX_SPECIALS = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "%": r"\%",
    "&": r"\&",
    "$": r"\$",
    "#": r"\#",
    "_": r"\_",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_TEX_SPECIAL = re.compile("|".join(re.escape(char) for char in _TEX_SPECIALS))


def _tex(text: str | None) -> str:
    """Text safe inside a BibTeX value: each of TeX's special characters escaped once."""
    return _TEX_SPECIAL.sub(lambda match: _TEX_SPECIALS[match[0]], text or "")


def _csl(doc: Document, config: SiteConfig, address: str, author: str | None) -> dict:
    item: dict = {
        "id": doc.id,
        "type": "article-newspaper" if author else "document",
        "title": doc.title,
        "container-title": config.title,
        "URL": address,
        "language": doc.language,
    }
    if author:
        item["author"] = [{"literal": author}]
    if doc.publisher:
        item["publisher"] = doc.publisher
    if doc.date:
        item["issued"] = {"date-parts": [[int(part) for part in doc.date.split("-")]]}
    return item


def _schema_org(doc: Document, address: str, author: str | None) -> dict:
    data: dict = {
        "@context": "https://schema.org",
        "@type": "NewsArticle" if author else "Article",
        "headline": doc.title,
        "url": address,
        "inLanguage": doc.language,
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
