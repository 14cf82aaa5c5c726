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
from generator.cache import BuildCache
from generator.compare_view import (
    DocumentRelations,
    document_relations,
    row_of_paragraph,
    rows_view,
    variants_view,
)
from generator.cores import stream_on_cores
from generator.digests import combine, fields_key, key
from generator.entity_view import (
    credited_documents,
    kinds_view,
    mentions_by_document,
    paginate,
    with_excerpts,
)
from generator.ids import slugify
from generator.marks import annotated_paragraphs
from generator.model import Archive, Credit, Document, Entity, Mention, Note

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

    def entity(self, entity_id: str, page: int = 1) -> str:
        return f"{self.base}entities/{entity_id}/" + (f"{page}/" if page > 1 else "")

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
    """The files to write, produced as the writer takes them, and every file's key."""

    keys: dict[str, str]  # every file of the site → key of what it is made from
    changed: tuple[str, ...]  # files rendered now: new, or their inputs changed
    files: Iterator[tuple[str, bytes]]  # (path, bytes) of the changed files, once, in order

    @property
    def kept(self) -> set[str]:
        """Files not rendered: their inputs, and so their bytes, are as last published."""
        return set(self.keys) - set(self.changed)


ALL = "*"  # in `_Output.noted`: the output shows every note of the archive
LISTED = "list"  # in `_Output.noted`: the output lists every note, without its text


def _listed(note: Note) -> tuple[str | int | tuple[str, ...], ...]:
    """What a list of notes shows of each: not the note's text, so editing it skips the list."""
    return (note.id, note.document, note.number, note.exact, note.tags)


@dataclass(frozen=True)
class _Output:
    """One file of the site: what it is made from, and how to make it on demand.

    `inputs` are model objects made from the sources; `noted` and `counted`
    name the documents whose notes, or note counts, it shows. Notes change far
    more often than sources, so the two parts of a file's key are kept apart.
    """

    path: str
    inputs: tuple[object, ...]
    make: Callable[[Archive], bytes]
    noted: tuple[str, ...] = ()
    counted: tuple[str, ...] = ()


def render_site(archive: Archive, templates: Path) -> dict[str, bytes]:
    """Every output file of the site, keyed by its path relative to the output root."""
    return dict(render_changed(archive, templates, {}).files)


def render_changed(
    archive: Archive,
    templates: Path,
    previous: Mapping[str, str],
    cache: BuildCache | None = None,
) -> Rendered:
    """Render the files whose inputs differ from `previous` (path → key); key them all."""
    plan = _plan(archive, templates, cache)
    notes = _NoteDigests(archive)
    keys: dict[str, str] = {}
    for output, sources_key in plan:
        if output.noted or output.counted:
            keys[output.path] = combine(
                sources_key, notes.of(output.noted), notes.counts(output.counted)
            )
        else:
            keys[output.path] = sources_key
    changed = [output for output, _ in plan if previous.get(output.path) != keys[output.path]]
    # A generator: each page goes to disk as soon as it is made, so a build never
    # holds the whole site in memory.
    made = stream_on_cores(lambda output: (output.path, output.make(archive)), changed)
    return Rendered(keys, tuple(o.path for o in changed), made)


_Plan = list[tuple[_Output, str]]


def _plan(archive: Archive, templates: Path, cache: BuildCache | None) -> _Plan:
    """Every output with the key of its source-made inputs; reused while the sources are."""
    plan_key = key(_folder_digest(templates), archive.config, archive.sources_digest)
    if cache is not None and archive.sources_digest:
        known = cache.memory.get("plan")
        if known is not None and known[0] == plan_key:
            return known[1]
    plan = [(output, key(plan_key, output.inputs)) for output in _outputs(archive, templates)]
    if cache is not None and archive.sources_digest:
        cache.memory["plan"] = (plan_key, plan)
    return plan


class _NoteDigests:
    """The digest of each document's notes and their count, computed once a render."""

    def __init__(self, archive: Archive) -> None:
        self.archive = archive
        self.note_keys = {n.id: fields_key(n) for n in archive.notes}
        self.count: dict[str, int] = {}
        for note in archive.notes:
            self.count[note.document] = self.count.get(note.document, 0) + 1
        self.digests: dict[str, str] = {}

    def of(self, documents: tuple[str, ...]) -> tuple[str, ...]:
        if documents == (ALL,):
            return (combine(tuple(self.note_keys.values())),)
        if documents == (LISTED,):
            return (combine(tuple(_listed(n) for n in self.archive.notes)),)
        found = []
        for doc_id in documents:
            known = self.digests.get(doc_id)
            if known is None:
                notes = self.archive.notes_on(doc_id)
                known = self.digests[doc_id] = combine(tuple(self.note_keys[n.id] for n in notes))
            found.append(known)
        return tuple(found)

    def counts(self, documents: tuple[str, ...]) -> tuple[int, ...]:
        return tuple(self.count.get(d, 0) for d in documents)


def _outputs(model: Archive, templates: Path) -> Iterator[_Output]:
    """Every file of the site, with the model objects it is rendered from.

    `model` is read for what the sources make (documents, groups, comparisons);
    each `make` reads the notes from the archive it is given, so one plan
    serves every build until the sources change.
    """
    env = _environment(templates)
    links = Links(model.config.base_url)

    def page(
        path: str,
        inputs: tuple[object, ...],
        template: str,
        context: Callable[[Archive], dict],
        noted: tuple[str, ...] = (),
        counted: tuple[str, ...] = (),
    ) -> _Output:
        def make(archive: Archive) -> bytes:
            common = {"site": archive.config, "links": links, "archive": archive}
            html = env.get_template(template).render(**common, **context(archive))
            return html.encode("utf-8")

        return _Output(path, inputs, make, noted, counted)

    def ids(docs: Iterable[Document]) -> tuple[str, ...]:
        return tuple(d.id for d in docs)

    ordered = by_date(model.documents)
    collections = {c.id: c for c in model.collections}
    yield page(
        "index.html",
        (ordered, model.collections),
        "index.html",
        lambda archive: {"documents": ordered, "collections": archive.collections},
        counted=ids(ordered),
    )
    yield page(
        "about/index.html", (len(ordered), len(collections)), "about.html", lambda archive: {}
    )
    yield page("404.html", (), "404.html", lambda archive: {})
    yield page(
        "notes/index.html",
        (ordered,),
        "notes.html",
        lambda archive: {
            "notes_by_document": [
                (d, archive.notes_on(d.id)) for d in ordered if archive.notes_on(d.id)
            ],
            "notes_by_tag": _notes_by_tag(archive.notes),
        },
        noted=(LISTED,),
    )
    default = {c.group.id: c for c in model.comparisons if c.is_default}
    relations = document_relations(model)
    group_of = {d: g for g in model.groups for d in g.documents}
    variant_rows = {d: row_of_paragraph(default[g.id], d) for d, g in group_of.items()}
    for comparison in model.comparisons:
        group = comparison.group
        witnesses = tuple(model.document(w) for w in comparison.witnesses)
        yield page(
            f"compare/{group.id}/index.html"
            if comparison.is_default
            else f"compare/{group.id}/{comparison.base}/index.html",
            (comparison, witnesses),
            "compare.html",
            lambda archive, comparison=comparison, witnesses=witnesses: {
                "group": comparison.group,
                "comparison": comparison,
                "witnesses": list(witnesses),
                "rows": rows_view(comparison),
                "variants": variants_view(comparison, archive),
            },
            noted=comparison.witnesses,
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
            (name, tuple(docs)),
            "publisher.html",
            lambda archive, name=name, docs=docs: {"publisher": name, "documents": docs},
            counted=ids(docs),
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
            default.get(group.id) if group else None,
            mine,
            tuple(
                (model.document(o), default.get(g.id) if (g := group_of.get(o)) else None)
                for o in others
            ),
            tuple(same_publisher),
            slug,
            len(nearby),
            _mentions_shown(model, doc.id),
        )
        context = {
            "doc": doc,
            "previous": previous,
            "next": following,
            "collection": collections.get(doc.collection or ""),
            "group": group,
            "variant_rows": variant_rows.get(doc.id, {}),
            "rows_of": variant_rows,
            "group_of": group_of,
            "relations": mine,
            "publisher_slug": slug,
            "publisher_total": len(nearby),
            "same_publisher": same_publisher,
        }
        yield page(
            f"documents/{doc.id}/index.html",
            inputs,
            "document.html",
            functools.partial(_document_context, context),
            noted=(doc.id,),
            counted=ids(same_publisher),
        )
    yield from _entity_pages(model, ordered, page)
    for collection in model.collections:
        members = [model.document(i) for i in collection.documents]
        yield page(
            f"collections/{collection.id}/index.html",
            (collection, tuple(members)),
            "collection.html",
            lambda archive, collection=collection, members=members: {
                "collection": collection,
                "documents": members,
            },
            counted=ids(members),
        )
    yield _Output(
        "data/annotations.jsonld",
        (),
        lambda archive: _json(annotations.collection(archive)),
        noted=(ALL,),
    )
    yield _Output(
        "data/archive.json",
        (
            model.documents,
            model.collections,
            tuple(default.values()),
            model.relations,
            model.entities,
            model.mentions,
            model.credits,
        ),
        lambda archive: _json(export.archive_data(archive, links)),
    )
    for path, data in _static_files(templates / "assets").items():
        yield _Output(path, (), lambda archive, data=data: data)
    yield _Output(".nojekyll", (), lambda archive: b"")


def _document_context(context: dict, archive: Archive) -> dict:
    """A document page's context with its notes, and its paragraphs cut at note marks."""
    notes = archive.notes_on(context["doc"].id)
    mentions = archive.mentions_in(context["doc"].id)
    paragraphs = annotated_paragraphs(context["doc"], notes, mentions)
    return {**context, "notes": notes, "paragraphs": paragraphs}


def _mentions_shown(archive: Archive, doc_id: str) -> tuple[object, ...]:
    """What a document page shows of the entities it mentions: where, and their names."""
    mentions = archive.mentions_in(doc_id)
    names = {m.entity: archive.entity(m.entity).name for m in mentions}
    return mentions, tuple(sorted(names.items()))


def _entity_pages(
    model: Archive, ordered: list[Document], page: Callable[..., _Output]
) -> Iterator[_Output]:
    """The index of names, and each entity's pages of mentions."""
    kinds = kinds_view(model)
    yield page("entities/index.html", (tuple(kinds),), "entities.html", lambda a: {"kinds": kinds})
    position = {d.id: i for i, d in enumerate(ordered)}
    for entity in model.entities:
        pages = paginate(mentions_by_document(model, entity, position))
        credited = credited_documents(model, entity, position)
        documents = sum(len(p) for p in pages)
        total = len(model.mentions_of(entity.id))
        for number, shown in enumerate(pages, 1):
            here = credited if number == 1 else []
            yield page(
                f"entities/{entity.id}/{'' if number == 1 else f'{number}/'}index.html",
                (entity, number, len(pages), documents, total, tuple(shown), tuple(here)),
                "entity.html",
                functools.partial(
                    _entity_context, entity, number, len(pages), documents, shown, here
                ),
                counted=tuple(d.id for _, d in here),  # the credited documents' note counts
            )


def _entity_context(
    entity: Entity,
    number: int,
    pages: int,
    documents: int,
    shown: list[tuple[Document, tuple[Mention, ...]]],
    credited: list[tuple[Credit, Document]],
    archive: Archive,
) -> dict:
    """One page of an entity's mentions: excerpts are cut only when the page is rendered."""
    return {
        "entity": entity,
        "credited": credited,
        "mentioning": with_excerpts(shown),
        "page_number": number,
        "pages": pages,
        "documents": documents,
    }


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
