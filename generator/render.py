"""Render the archive into the site's files: HTML pages, static assets, data.

The render stage: `render_site(archive, templates_dir)` returns a mapping of
output path (relative, "/" separators) to bytes. It reads only the model;
writing the files is `write.py`'s job.
"""

from __future__ import annotations

import datetime
import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import jinja2

from generator import annotations, export
from generator.compare_view import document_relations, row_of_paragraph, rows_view, variants_view
from generator.ids import slugify
from generator.marks import annotated_paragraphs
from generator.model import Archive, Document, Note

NEARBY = 3  # documents of the same publisher shown on each side of a document

_MONTH_NAMES = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
]


def default_templates() -> Path:
    """The `templates/` folder shipped beside the package."""
    return Path(__file__).resolve().parent.parent / "templates"


def format_date(iso: str | None) -> str:
    """`2023-12-28` → `28 December 2023`; unknown dates read as such."""
    if not iso:
        return "undated"
    day = datetime.date.fromisoformat(iso)
    return f"{day.day} {_MONTH_NAMES[day.month - 1]} {day.year}"


@dataclass(frozen=True)
class Links:
    """Every internal address, with the base path, so a project site works under /repo/."""

    base: str

    def home(self) -> str:
        return self.base

    def document(self, doc_id: str, paragraph: str | None = None) -> str:
        return f"{self.base}documents/{doc_id}/" + (f"#{paragraph}" if paragraph else "")

    def collection(self, collection_id: str) -> str:
        return f"{self.base}collections/{collection_id}/"

    def publisher(self, slug: str) -> str:
        return f"{self.base}publishers/{slug}/"

    def compare(self, group_id: str, base: str | None = None) -> str:
        return f"{self.base}compare/{group_id}/" + (f"{base}/" if base else "")

    def page(self, name: str) -> str:
        return f"{self.base}{name}/"

    def asset(self, name: str) -> str:
        return f"{self.base}assets/{name}"


def by_date(documents: tuple[Document, ...] | list[Document]) -> list[Document]:
    """Documents by date (undated last), source order breaking ties."""
    order = {id(d): i for i, d in enumerate(documents)}
    return sorted(documents, key=lambda d: (d.date is None, d.date or "", order[id(d)]))


def _environment(templates: Path) -> jinja2.Environment:
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        autoescape=True,  # every template: source text is never trusted markup
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["date"] = format_date
    return env


def render_site(archive: Archive, templates: Path) -> dict[str, bytes]:
    """Every output file of the site, keyed by its path relative to the output root."""
    env = _environment(templates)
    links = Links(archive.config.base_url)
    common = {"site": archive.config, "links": links, "archive": archive}
    files: dict[str, bytes] = {}

    def page(path: str, template: str, **context: object) -> None:
        html = env.get_template(template).render(**common, **context)
        files[path] = html.encode("utf-8")

    ordered = by_date(archive.documents)
    collections = {c.id: c for c in archive.collections}
    page("index.html", "index.html", documents=ordered, collections=archive.collections)
    page("about/index.html", "about.html")
    page("404.html", "404.html")
    page(
        "notes/index.html",
        "notes.html",
        notes_by_document=[(d, archive.notes_on(d.id)) for d in ordered if archive.notes_on(d.id)],
        notes_by_tag=_notes_by_tag(archive.notes),
    )
    comparisons = archive.comparisons
    default = {c.group.id: c for c in comparisons if c.is_default}
    relations = document_relations(archive)
    group_of = {d: g for g in archive.groups for d in g.documents}
    variant_rows = {d: row_of_paragraph(default[g.id], d) for d, g in group_of.items()}
    for comparison in comparisons:
        group = comparison.group
        page(
            f"compare/{group.id}/index.html"
            if comparison.is_default
            else f"compare/{group.id}/{comparison.base}/index.html",
            "compare.html",
            group=group,
            comparison=comparison,
            witnesses=[archive.document(w) for w in comparison.witnesses],
            rows=rows_view(comparison),
            variants=variants_view(comparison, archive),
        )
    publishers = _by_publisher(ordered)
    position = {
        doc.id: (slug, index)
        for slug, (_, docs) in publishers.items()
        for index, doc in enumerate(docs)
    }
    for slug, (name, docs) in publishers.items():
        page(f"publishers/{slug}/index.html", "publisher.html", publisher=name, documents=docs)
    for doc, previous, following in _neighbours(ordered):
        slug, index = position.get(doc.id, (None, 0))
        nearby = publishers[slug][1] if slug else []
        group = group_of.get(doc.id)
        page(
            f"documents/{doc.id}/index.html",
            "document.html",
            doc=doc,
            previous=previous,
            next=following,
            collection=collections.get(doc.collection or ""),
            paragraphs=annotated_paragraphs(doc, archive.notes_on(doc.id)),
            notes=archive.notes_on(doc.id),
            group=group,
            variant_rows=variant_rows.get(doc.id, {}),
            rows_of=variant_rows,
            group_of=group_of,
            relations=relations[doc.id],
            publisher_slug=slug,
            publisher_total=len(nearby),
            same_publisher=[
                d for d in nearby[max(0, index - NEARBY) : index + NEARBY + 1] if d is not doc
            ],
        )
    for collection in archive.collections:
        members = [archive.document(i) for i in collection.documents]
        page(
            f"collections/{collection.id}/index.html",
            "collection.html",
            collection=collection,
            documents=members,
        )
    files["data/annotations.jsonld"] = (
        json.dumps(annotations.collection(archive), ensure_ascii=False) + "\n"
    ).encode("utf-8")
    files["data/archive.json"] = (
        json.dumps(export.archive_data(archive, links), ensure_ascii=False) + "\n"
    ).encode("utf-8")
    files.update(_static_files(templates / "assets"))
    files[".nojekyll"] = b""
    return files


def _by_publisher(ordered: list[Document]) -> dict[str, tuple[str, list[Document]]]:
    """Documents by publisher (in date order), keyed by a unique slug of the name."""
    result: dict[str, tuple[str, list[Document]]] = {}
    slug_of: dict[str, str] = {}
    for doc in ordered:
        if not doc.publisher:
            continue
        slug = slug_of.get(doc.publisher)
        if slug is None:
            base = slugify(doc.publisher)[:60].strip("-") or "publisher"
            slug, counter = base, 2
            while slug in result:
                slug, counter = f"{base}-{counter}", counter + 1
            slug_of[doc.publisher] = slug
            result[slug] = (doc.publisher, [])
        result[slug][1].append(doc)
    return result


def _notes_by_tag(notes: tuple[Note, ...]) -> list[tuple[str, list[Note]]]:
    tags: dict[str, list[Note]] = {}
    for note in notes:
        for tag in note.tags or ("untagged",):
            tags.setdefault(tag, []).append(note)
    return sorted(tags.items())


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
