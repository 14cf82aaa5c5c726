"""For machines that follow or index the archive: `sitemap.xml`, `feed.xml` (Atom), `robots.txt`.

Sitemaps and Atom need absolute addresses, so the sitemap and the feed are
written only when the site's address is known (`site_url` in `site.yaml`, or
`--site-url`). Every date comes from the sources and the notes, never from
the clock, so the same archive always gives the same bytes.
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from generator.model import Archive, Document, Note
from generator.render.templating import Links, by_date

FEED_ENTRIES = 50  # the newest documents and notes; a feed is for what is new

_SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
_ATOM = "http://www.w3.org/2005/Atom"


def robots(archive: Archive) -> bytes:
    """Everything may be crawled; the sitemap is named when there is one."""
    lines = ["User-agent: *", "Allow: /"]
    if archive.config.site_url:
        lines.append(f"Sitemap: {archive.config.site_url}sitemap.xml")
    return ("\n".join(lines) + "\n").encode()


def sitemap(archive: Archive, pages: list[str]) -> bytes:
    """Every HTML page (`pages`: output paths) at its absolute address, in path order."""
    site = archive.config.site_url or ""
    urls = []
    for path in sorted(pages):
        if path == "404.html":
            continue
        address = site + path.removesuffix("index.html")
        urls.append(f"<url><loc>{escape(address)}</loc></url>")
    return _xml(f'<urlset xmlns="{_SITEMAP}">\n' + "\n".join(urls) + "\n</urlset>")


def atom(archive: Archive, links: Links) -> bytes:
    """The newest documents and notes as an Atom feed, newest first."""
    site = archive.config.site_url or ""
    entries = sorted(
        [_document_entry(doc, site, links) for doc in by_date(archive.documents) if doc.date]
        + [
            _note_entry(note, archive, site, links)
            for note in archive.notes
            if note.date or archive.document(note.document).date  # Atom entries need a date
        ],
        key=lambda entry: (entry[0], entry[1]),
        reverse=True,
    )[:FEED_ENTRIES]
    updated = entries[0][0] if entries else "1970-01-01"
    head = (
        f'<feed xmlns="{_ATOM}">\n'
        f"<id>{escape(site)}</id>\n"
        f"<title>{escape(archive.config.title)}</title>\n"
        f"<updated>{updated}T00:00:00Z</updated>\n"
        f'<link rel="self" href={quoteattr(site + "feed.xml")}/>\n'
        f"<link href={quoteattr(site)}/>\n"
        f"<author><name>{escape(', '.join(archive.config.editors) or archive.config.title)}"
        "</name></author>\n"
    )
    return _xml(head + "".join(entry[2] for entry in entries) + "</feed>")


def _document_entry(doc: Document, site: str, links: Links) -> tuple[str, str, str]:
    address = site + links.document(doc.id).removeprefix(links.base)
    summary = doc.paragraphs[0].text[:300] if doc.paragraphs else ""
    xml = (
        "<entry>"
        f"<id>{escape(address)}</id>"
        f"<title>{escape(doc.title)}</title>"
        f"<updated>{doc.date}T00:00:00Z</updated>"
        f"<published>{doc.date}T00:00:00Z</published>"
        f"<link href={quoteattr(address)}/>"
        + (f"<author><name>{escape(doc.publisher)}</name></author>" if doc.publisher else "")
        + f"<summary>{escape(summary)}</summary>"
        "</entry>\n"
    )
    return doc.date or "", "document " + doc.id, xml


def _note_entry(note: Note, archive: Archive, site: str, links: Links) -> tuple[str, str, str]:
    doc = archive.document(note.document)
    when = note.date or doc.date or ""
    address = site + links.document(doc.id, note.id).removeprefix(links.base)
    xml = (
        "<entry>"
        f"<id>{escape(address)}</id>"
        f"<title>Note {note.number} on {escape(doc.title)}</title>"
        f"<updated>{when}T00:00:00Z</updated>"
        f"<link href={quoteattr(address)}/>"
        + (f"<author><name>{escape(note.author)}</name></author>" if note.author else "")
        + f'<content type="html">{escape(note.body_html)}</content>'
        "</entry>\n"
    )
    return when, "note " + note.id, xml


def _xml(body: str) -> bytes:
    return ('<?xml version="1.0" encoding="utf-8"?>\n' + body + "\n").encode("utf-8")
