"""Load the archive: find source files, parse them, and build the model.

The sources stage: `load_archive(source_dir)` returns an `Archive` and the
problems found. Nothing here renders or writes.
"""

from __future__ import annotations

import hashlib
import os
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from generator.cache.digests import combine
from generator.cache.store import BuildCache
from generator.diagnostics import Diagnostics
from generator.model import Archive, Collection, Document, Paragraph, Provenance, SourceLine
from generator.sources import ids
from generator.sources.bundle import ParsedBundle, RawDocument, derive_title, parse_bundle
from generator.sources.corrections import BundleCorrections, load_corrections
from generator.sources.language import detect_language
from generator.sources.markdown import parse_markdown_document
from generator.sources.site_config import load_config

MAX_SOURCE_BYTES = 50_000_000


@dataclass(frozen=True)
class _Span:
    """What provenance keeps of the lines a document was read from: their digest and text."""

    sha256: str
    lines: tuple[SourceLine, ...]


def _span(lines: list[bytes], raw: RawDocument) -> _Span:
    """The span of `lines` (a file's, line endings kept) that `raw` was read from."""
    span = lines[raw.line_start - 1 : raw.line_end]
    return _Span(
        hashlib.sha256(b"".join(span)).hexdigest(),
        tuple(SourceLine(raw.line_start + i, _display(line)) for i, line in enumerate(span)),
    )


@dataclass
class _Pending:
    """A document parsed from a file, waiting for its id."""

    raw: RawDocument
    rel: str
    collection: str | None  # collection source path
    position: int
    span: _Span  # the lines it was read from
    corrections: BundleCorrections | None = None  # the bundle's YAML, if any
    language: str | None = None  # from Markdown front matter
    url: str | None = None  # from Markdown front matter
    chosen_id: str | None = None  # from Markdown front matter
    detected: str | None = field(default=None, compare=False)  # the text's language, if told


def load_archive(
    source: Path,
    base_url: str | None = None,
    site_url: str | None = None,
    cache: BuildCache | None = None,
) -> tuple[Archive, Diagnostics]:
    """Parse every source under `source/sources` into an Archive, with its problems.

    With a `cache`, a bundle whose bytes did not change is not parsed again:
    an edit to one bundle of 10,000 documents parses that bundle alone.
    """
    diagnostics = Diagnostics()
    config = load_config(source, diagnostics, base_url=base_url, site_url=site_url)
    pending: list[_Pending] = []
    collections: list[tuple[str, str | None, str]] = []  # (source path, title, rel folder)
    for path, rel in _source_files(source, diagnostics):
        if rel.endswith(".txt"):
            data = _read_bytes(path, rel, diagnostics)
            if data is None:
                continue
            corrections = _corrections_for(path, source, diagnostics)
            date_order = corrections.date_order or config.date_order
            parsed, spans, languages = _bundle(data, rel, diagnostics, date_order, cache)
            if parsed is None:
                continue
            title = corrections.title or parsed.title
            collections.append((rel, title, rel))
            for position, (raw, span, detected) in enumerate(
                zip(parsed.documents, spans, languages, strict=True), start=1
            ):
                pending.append(
                    _Pending(raw, rel, rel, position, span, corrections, detected=detected)
                )
        elif rel.endswith(".md"):
            data = _read_bytes(path, rel, diagnostics)
            if data is None:
                continue
            result = parse_markdown_document(data, rel, diagnostics)
            if result is None:
                continue
            raw, front = result
            span = _span(data.splitlines(keepends=True), raw)
            folder = rel.rsplit("/", 1)[0] if rel.count("/") > 1 else None
            if folder and not any(c[0] == folder for c in collections):
                collections.append((folder, None, folder))
            position = sum(1 for p in pending if p.collection == folder) + 1 if folder else 0
            pending.append(
                _Pending(
                    raw, rel, folder, position, span, None, front.language, front.url, front.id
                )
            )
    documents = _build_documents(pending, collections, diagnostics)
    return Archive(config, tuple(documents), _build_collections(collections, documents)), (
        diagnostics
    )


def _source_files(source: Path, diagnostics: Diagnostics) -> list[tuple[Path, str]]:
    """Bundle and Markdown files under `sources/`, sorted, never leaving the folder."""
    root = source / "sources"
    if not root.is_dir():
        diagnostics.error("sources", 1, f"no 'sources' folder in {source}")
        return []
    real_root = root.resolve()
    found: list[tuple[Path, str]] = []
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            path = Path(folder) / name
            rel = "sources/" + path.relative_to(root).as_posix()
            if name.endswith(".yaml") and not path.with_suffix(".txt").is_file():
                stem = path.with_suffix(".txt").name
                diagnostics.warning(rel, 1, f"no bundle '{stem}' beside this file; it is ignored")
            if name.startswith(".") or not name.endswith((".txt", ".md")):
                continue
            if path.is_symlink() and not path.resolve().is_relative_to(real_root):
                diagnostics.error(rel, 1, "symbolic link points outside the sources folder")
                continue
            found.append((path, rel))
    return found


def _read_bytes(path: Path, rel: str, diagnostics: Diagnostics) -> bytes | None:
    try:
        size = path.stat().st_size
        if size > MAX_SOURCE_BYTES:
            diagnostics.error(rel, 1, f"file is larger than {MAX_SOURCE_BYTES // 1_000_000} MB")
            return None
        return path.read_bytes()
    except OSError as problem:
        diagnostics.error(rel, 1, f"cannot read the file: {problem.strerror}")
        return None


# A parsed bundle, and each document's span and language (told from its text). Not
# the file's lines: kept beside the documents' source lines, they held the cache
# of 10,000 documents' bundles at 36 MB instead of 14 (tracemalloc).
_Bundle = tuple[ParsedBundle | None, list[_Span], list[str]]


def _bundle(
    data: bytes,
    rel: str,
    diagnostics: Diagnostics,
    date_order: str | None,
    cache: BuildCache | None,
) -> _Bundle:
    """A bundle parsed, and each document's language told; with a `cache`, once per content."""

    def parse(found: Diagnostics) -> _Bundle:
        parsed, lines = _parse_bundle_bytes(data, rel, found, date_order)
        documents = parsed.documents if parsed is not None else []
        spans = [_span(lines, raw) for raw in documents]
        return parsed, spans, [detect_language(_opening(raw)) for raw in documents]

    if cache is None:
        return parse(diagnostics)
    digest = hashlib.sha256(data).hexdigest()
    return cache.remember("bundle", combine(rel, digest, date_order or ""), diagnostics, parse)


def _opening(raw: RawDocument) -> str:
    """What a document's language is told from: its first paragraphs."""
    return " ".join(p.text for p in raw.paragraphs[:20])


def _parse_bundle_bytes(
    data: bytes, rel: str, diagnostics: Diagnostics, date_order: str | None = None
) -> tuple[ParsedBundle | None, list[bytes]]:
    """Decode and parse a bundle; report encoding problems with line and byte offset."""
    if b"\x00" in data[:8192]:
        diagnostics.error(rel, 1, "looks like a binary file, not text; remove it from sources/")
        return None, []
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as problem:
        line = data.count(b"\n", 0, problem.start) + 1
        column = problem.start - (data.rfind(b"\n", 0, problem.start) + 1) + 1
        diagnostics.error(
            rel,
            line,
            f"not valid UTF-8: byte 0x{data[problem.start]:02x} at byte offset "
            f"{problem.start} (column {column}); save the file as UTF-8",
        )
        return None, []
    if text.startswith("\ufeff"):
        text = text[1:]
    lines = data.splitlines(keepends=True)
    # Split the decoded text exactly where the bytes split, so numbers agree.
    decoded = [line.decode("utf-8", "replace").rstrip("\r\n").lstrip("\ufeff") for line in lines]
    if not text.strip():
        diagnostics.warning(rel, 1, "the bundle is empty")
        return None, []
    parsed = parse_bundle(decoded, date_order)
    for line, message in parsed.warnings:
        diagnostics.warning(rel, line, message)
    for line, message in parsed.errors:
        diagnostics.error(rel, line, message)
    return parsed, lines


def _corrections_for(bundle: Path, source: Path, diagnostics: Diagnostics) -> BundleCorrections:
    path = bundle.with_suffix(".yaml")
    rel = path.relative_to(source).as_posix()
    if not path.is_file():
        return BundleCorrections(rel)
    return load_corrections(path, rel, diagnostics)


def _build_documents(
    pending: list[_Pending],
    collections: list[tuple[str, str | None, str]],
    diagnostics: Diagnostics,
) -> list[Document]:
    collection_ids = _collection_ids([c[0] for c in collections])
    titles: list[str] = []
    slugs: list[str] = []
    for item in pending:
        raw = item.raw
        title = raw.header.get("title") or (
            derive_title(raw.paragraphs[0].text) if raw.paragraphs else "Untitled document"
        )
        titles.append(title)
        slugs.append(ids.base_id(raw.header.get("date"), raw.header.get("publisher"), title))
    counts: dict[str, int] = {}
    for slug in slugs:
        counts[slug] = counts.get(slug, 0) + 1

    documents: list[Document] = []
    used: dict[str, str] = {}
    matched: set[tuple[str, int | str]] = set()
    for item, title, slug in zip(pending, titles, slugs, strict=True):
        raw = item.raw
        doc_id = slug
        if counts[slug] > 1:
            first = raw.paragraphs[0].text if raw.paragraphs else ""
            doc_id = ids.disambiguate(slug, f"{item.rel}\n{sorted(raw.header.items())}\n{first}")
        corrections: dict[str, str] = {}
        if item.corrections is not None:
            for key in (doc_id, item.position):
                if key in item.corrections.documents:
                    matched.add((item.corrections.path, key))
                    corrections = {**item.corrections.documents[key], **corrections}
        for doubt in raw.doubts:
            # A guess the editor has settled in the corrections is no longer a problem.
            if not doubt.fields or not all(name in corrections for name in doubt.fields):
                diagnostics.warning(item.rel, doubt.line, doubt.message)
        doc_id = corrections.pop("id", item.chosen_id or doc_id)
        if doc_id in used:
            diagnostics.error(
                item.rel,
                raw.line_start,
                f"two documents get the id '{doc_id}' (the other is in {used[doc_id]}); "
                f"set a different 'id' for one of them in the bundle's YAML or front matter",
            )
            continue
        used[doc_id] = item.rel
        documents.append(
            _document(item, doc_id, title, corrections, collection_ids.get(item.collection or ""))
        )
    _report_unmatched(pending, matched, diagnostics)
    return documents


def _document(
    item: _Pending,
    doc_id: str,
    title: str,
    editor: dict[str, str],
    collection: str | None,
) -> Document:
    raw = item.raw
    editor = {k: v for k, v in editor.items() if v != raw.header.get(k)}
    language = (
        editor.get("language") or item.language or item.detected or detect_language(_opening(raw))
    )
    provenance = Provenance(
        path=item.rel,
        line_start=raw.line_start,
        line_end=raw.line_end,
        sha256=item.span.sha256,
        collection=collection,
        position=item.position,
        header=dict(raw.header),
        source_lines=item.span.lines,
        date_time=None if "date" in editor else raw.time,
        derived=dict(raw.derived),
    )
    return Document(
        id=doc_id,
        provenance=provenance,
        paragraphs=tuple(Paragraph(n, p.text, p.number) for n, p in enumerate(raw.paragraphs, 1)),
        title=editor.get("title", title),
        title_derived=raw.header.get("title") is None and "title" not in editor,
        language=language,
        editor=editor,
        url=editor.get("url") or item.url,
    )


def _report_unmatched(
    pending: list[_Pending], matched: set[tuple[str, int | str]], diagnostics: Diagnostics
) -> None:
    """Corrections that name no document: a position too large or an unknown id."""
    # Counted in one pass: counting per corrections file was bundles × documents.
    documents_of = Counter(id(p.corrections) for p in pending if p.corrections is not None)
    seen: set[str] = set()
    for item in pending:
        corrections = item.corrections
        if corrections is None or corrections.path in seen:
            continue
        seen.add(corrections.path)
        count = documents_of[id(corrections)]
        for key, line in corrections.lines.items():
            if (corrections.path, key) in matched:
                continue
            if isinstance(key, int):
                message = f"the bundle has {count} document(s); there is no document {key}"
            else:
                message = f"no document of this bundle has the id '{key}'"
            diagnostics.error(corrections.path, line, message)


def _display(line: bytes) -> str:
    return line.decode("utf-8", "replace").rstrip("\r\n")


def _collection_ids(paths: list[str]) -> dict[str, str]:
    """A unique slug per collection path (`sources/press/a.txt` → `press-a`)."""
    result: dict[str, str] = {}
    seen: set[str] = set()
    for path in paths:
        stem = path.removeprefix("sources/").rsplit(".", 1)[0]
        slug = ids.slugify(stem.replace("/", " ")) or "collection"
        slug = slug[: ids.MAX_ID_LENGTH].strip("-")
        candidate, n = slug, 2
        while candidate in seen:
            candidate, n = f"{slug}-{n}", n + 1
        seen.add(candidate)
        result[path] = candidate
    return result


def _build_collections(
    collections: list[tuple[str, str | None, str]], documents: list[Document]
) -> tuple[Collection, ...]:
    collection_ids = _collection_ids([c[0] for c in collections])
    members_of: dict[str | None, list[str]] = {}
    for doc in documents:
        members_of.setdefault(doc.collection, []).append(doc.id)
    by_id = {doc.id: doc for doc in documents}
    result = []
    for path, title, _ in collections:
        cid = collection_ids[path]
        members = tuple(members_of.get(cid, ()))
        first = by_id[members[0]] if members else None
        result.append(Collection(cid, title or _derived_title(first), title is None, path, members))
    return tuple(result)


_MONTH_NAMES = (
    "January February March April May June July August September October November December"
).split()


def _derived_title(first: Document | None) -> str:
    """A title for a bundle without one: its first document's publisher and date, else that
    document's title. Never the file's name, which readers cannot read."""
    if first is None:
        return "Untitled bundle"
    parts = [first.publisher] if first.publisher else []
    if first.date and len(first.date) == 10:
        year, month, day = first.date.split("-")
        parts.append(f"{int(day)} {_MONTH_NAMES[int(month) - 1]} {year}")
    elif first.date:
        parts.append(first.date)
    return ", ".join(parts) if parts else first.title
