"""Render the archive into the site's files: HTML pages, static assets, data.

The render stage: `render_site(archive, templates_dir)` returns a mapping of
output path (relative, "/" separators) to bytes. It reads only the model;
writing the files is `write.py`'s job.
"""

from __future__ import annotations

import datetime
import functools
import hashlib
import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import jinja2

from generator import annotations, export
from generator.compare_view import (
    DocumentRelations,
    document_relations,
    row_of_paragraph,
    rows_view,
    variants_view,
)
from generator.digests import key
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


@dataclass(frozen=True)
class Rendered:
    """The files a render produced, and the key of every output file's inputs."""

    files: dict[str, bytes]  # rendered now: new files, and those whose inputs changed
    keys: dict[str, str]  # every file of the site → key of what it is made from

    @property
    def kept(self) -> set[str]:
        """Files not rendered: their inputs, and so their bytes, are as last published."""
        return set(self.keys) - set(self.files)


@dataclass(frozen=True)
class _Output:
    """One file to produce: from what (`inputs`, for its key) and how (`make`, on demand)."""

    path: str
    inputs: tuple[object, ...]
    make: Callable[[], bytes]


def render_site(archive: Archive, templates: Path) -> dict[str, bytes]:
    """Every output file of the site, keyed by its path relative to the output root."""
    return render_changed(archive, templates, {}).files


def render_changed(archive: Archive, templates: Path, previous: Mapping[str, str]) -> Rendered:
    """Render the files whose inputs differ from `previous` (path → key); key them all."""
    common_key = key(_folder_digest(templates), archive.config)
    files: dict[str, bytes] = {}
    keys: dict[str, str] = {}
    for output in _outputs(archive, templates):
        keys[output.path] = key(common_key, output.inputs)
        if previous.get(output.path) != keys[output.path]:
            files[output.path] = output.make()
    return Rendered(files, keys)


def _outputs(archive: Archive, templates: Path) -> Iterator[_Output]:
    """Every file of the site, with the model objects it is rendered from."""
    env = _environment(templates)
    links = Links(archive.config.base_url)
    common = {"site": archive.config, "links": links, "archive": archive}

    def page(path: str, inputs: tuple[object, ...], template: str, **context: object) -> _Output:
        return _Output(path, inputs, lambda: _html(env, template, common, context))

    def lazy_page(
        path: str, inputs: tuple[object, ...], template: str, context: Callable[[], dict]
    ) -> _Output:
        return _Output(path, inputs, lambda: _html(env, template, common, context()))

    def counted(docs: Iterable[Document]) -> tuple[tuple[Document, int], ...]:
        """Documents with their note counts: what a list of documents shows of each."""
        return tuple((d, len(archive.notes_on(d.id))) for d in docs)

    ordered = by_date(archive.documents)
    collections = {c.id: c for c in archive.collections}
    yield page(
        "index.html",
        (counted(ordered), archive.collections),
        "index.html",
        documents=ordered,
        collections=archive.collections,
    )
    yield page("about/index.html", (len(ordered), len(collections)), "about.html")
    yield page("404.html", (), "404.html")
    yield lazy_page(
        "notes/index.html",
        (archive.notes, tuple(d for d in ordered if archive.notes_on(d.id))),
        "notes.html",
        lambda: {
            "notes_by_document": [
                (d, archive.notes_on(d.id)) for d in ordered if archive.notes_on(d.id)
            ],
            "notes_by_tag": _notes_by_tag(archive.notes),
        },
    )
    comparisons = archive.comparisons
    default = {c.group.id: c for c in comparisons if c.is_default}
    relations = document_relations(archive)
    group_of = {d: g for g in archive.groups for d in g.documents}
    variant_rows = {d: row_of_paragraph(default[g.id], d) for d, g in group_of.items()}
    for comparison in comparisons:
        group = comparison.group
        witnesses = tuple(archive.document(w) for w in comparison.witnesses)
        yield lazy_page(
            f"compare/{group.id}/index.html"
            if comparison.is_default
            else f"compare/{group.id}/{comparison.base}/index.html",
            (comparison, witnesses, tuple(archive.notes_on(w) for w in comparison.witnesses)),
            "compare.html",
            lambda comparison=comparison, witnesses=witnesses: {
                "group": comparison.group,
                "comparison": comparison,
                "witnesses": list(witnesses),
                "rows": rows_view(comparison),
                "variants": variants_view(comparison, archive),
            },
        )
    publishers = _by_publisher(ordered)
    position = {
        doc.id: (slug, index)
        for slug, (_, docs) in publishers.items()
        for index, doc in enumerate(docs)
    }
    for slug, (name, docs) in publishers.items():
        yield page(
            f"publishers/{slug}/index.html",
            (name, counted(docs)),
            "publisher.html",
            publisher=name,
            documents=docs,
        )
    for doc, previous, following in _neighbours(ordered):
        slug, index = position.get(doc.id, (None, 0))
        nearby = publishers[slug][1] if slug else []
        same_publisher = [
            d for d in nearby[max(0, index - NEARBY) : index + NEARBY + 1] if d is not doc
        ]
        group = group_of.get(doc.id)
        mine = relations[doc.id]
        # What the "related texts" lines show of the other documents involved.
        others = sorted(_related_documents(mine))
        inputs = (
            doc,
            previous,
            following,
            collections.get(doc.collection or ""),
            archive.notes_on(doc.id),
            default.get(group.id) if group else None,
            mine,
            tuple(
                (archive.document(o), default.get(g.id) if (g := group_of.get(o)) else None)
                for o in others
            ),
            counted(same_publisher),
            slug,
            len(nearby),
        )
        context = {
            "doc": doc,
            "previous": previous,
            "next": following,
            "collection": collections.get(doc.collection or ""),
            "notes": archive.notes_on(doc.id),
            "group": group,
            "variant_rows": variant_rows.get(doc.id, {}),
            "rows_of": variant_rows,
            "group_of": group_of,
            "relations": mine,
            "publisher_slug": slug,
            "publisher_total": len(nearby),
            "same_publisher": same_publisher,
        }
        yield lazy_page(
            f"documents/{doc.id}/index.html",
            inputs,
            "document.html",
            functools.partial(_with_paragraphs, context),
        )
    for collection in archive.collections:
        members = [archive.document(i) for i in collection.documents]
        yield page(
            f"collections/{collection.id}/index.html",
            (collection, counted(members)),
            "collection.html",
            collection=collection,
            documents=members,
        )
    yield _Output(
        "data/annotations.jsonld",
        (archive.notes,),
        lambda: _json(annotations.collection(archive)),
    )
    yield _Output(
        "data/archive.json",
        (archive.documents, archive.collections, tuple(default.values()), archive.relations),
        lambda: _json(export.archive_data(archive, links)),
    )
    for path, data in _static_files(templates / "assets").items():
        yield _Output(path, (), lambda data=data: data)
    yield _Output(".nojekyll", (), lambda: b"")


def _with_paragraphs(context: dict) -> dict:
    """A document page's context with its paragraphs cut at note marks (costly: on demand)."""
    return {**context, "paragraphs": annotated_paragraphs(context["doc"], context["notes"])}


def _html(env: jinja2.Environment, template: str, common: dict, context: dict) -> bytes:
    return env.get_template(template).render(**common, **context).encode("utf-8")


def _json(data: object) -> bytes:
    return (json.dumps(data, ensure_ascii=False) + "\n").encode("utf-8")


def _related_documents(relations: DocumentRelations) -> set[str]:
    """Every other document a page's "related texts" section names."""
    found = {*relations.copy_of, *relations.copies, *relations.versions}
    for quote in relations.quotes:
        found.add(quote.relation.target.document)
        found.update(quote.matches + quote.misses)
    found.update(r.origin.document for r in relations.quoted_by)
    return found


def _folder_digest(folder: Path) -> str:
    """A digest of every file of the templates folder: any change re-renders every page."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest() + b"\0")
    return digest.hexdigest()


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
