"""The search index: Pagefind, run over the rendered document pages, in parts.

Pagefind reads the HTML the render stage wrote (what to index and the filters
are marked in templates/document.html with `data-pagefind-*` attributes) and
writes a static index that the search page loads in chunks, on demand, with no
server. `build` runs it over the staged site before the swap, so a failed index
leaves the published site as it was; `serve` refreshes it in the background.

The documents are split into parts of at most `search_parts.PART_SIZE`, and
each part into one bundle per language of its pages (`<html lang>`), each
indexed by its own Pagefind run into `pagefind/<n>/<language>/`, with that
language's stemmer. Pagefind holds about 0.2 MB per page while it indexes
(1.1 GB for 10,000 documents in one run), so parts bound its memory whatever
the archive's size, and a changed page re-indexes only its own part.

Pagefind searches every bundle merged into one with the WebAssembly (the
stemmer) of the first it loaded, and two Pagefinds loaded from one copy of
its program share that WebAssembly. So each bundle carries Pagefind's
program and its own language's WebAssembly, and the search page loads one
copy per language, from that language's first bundle, merges the language's
other bundles into it, and merges the languages' results by score.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import re
import shutil
import subprocess
from collections.abc import Collection, Mapping
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import cbor2

from generator.publish import index_record
from generator.publish.write import link_identical, swap_in
from generator.render.search_parts import parts_of

FOLDER = "pagefind"
INDEXED = "documents/*/index.html"
# Parts of a document page that are not its text or notes (the provenance panel is
# marked in the template instead: the filters it holds must still be read).
_NOT_TEXT = "h1 .origin, .cite, .relations, .pnum, .refs, .para-links, .note-head, .note-meta"
# What Pagefind writes that the search page never loads: its own ready-made interfaces.
_UNUSED = (
    "pagefind-ui.*",
    "pagefind-component-ui.*",
    "pagefind-modular-ui.*",
    "pagefind-highlight.js",
)
# A page's language, as the render stage writes it (templates/base.html).
_PAGE_LANGUAGE = re.compile(rb'<html lang="([A-Za-z0-9-]+)"')
_TIMEOUT_SECONDS = 600
_CONCURRENT_RUNS = 2
_SIGNATURE = b"pagefind_dcd"  # what every index file starts with, once unzipped


class SearchIndexError(Exception):
    """Pagefind could not index the site; the message says why, in one line."""


def part_keys(page_keys: Mapping[str, str], language: str) -> dict[int, str]:
    """Each part's key: a digest of what it is made from, its document pages' keys."""
    pages = {doc_id: path for path in page_keys if (doc_id := _document_id(path))}
    parts = parts_of(pages)
    layout = " ".join(map(str, parts))
    keys = {}
    for number, members in parts.items():
        digest = hashlib.sha256(f"pagefind by language\0{language}\0{number}\0{layout}\0".encode())
        for doc_id in members:
            digest.update(f"{pages[doc_id]}\0{page_keys[pages[doc_id]]}\0".encode())
        keys[number] = digest.hexdigest()
    return keys


def document_ids(page_keys: Mapping[str, str]) -> list[str]:
    """The documents whose pages are among the site's files (path → key)."""
    return [doc_id for path in page_keys if (doc_id := _document_id(path))]


def reusable(previous: Mapping[str, str], keys: Mapping[int, str]) -> tuple[set[str], list[int]]:
    """From the last build's index files (path → key): those to keep, and the parts to redo.

    A part is kept whole when every file it had carries its key of now.
    """
    by_part: dict[int, list[str]] = {}
    for path in previous:
        part = part_of_file(path)
        if part is not None:
            by_part.setdefault(part, []).append(path)
    kept = {
        part
        for part, paths in by_part.items()
        if part in keys and all(previous[path] == keys[part] for path in paths)
    }
    return {path for part in kept for path in by_part[part]}, [p for p in keys if p not in kept]


def keyed_files(site: Path, keys: Mapping[int, str]) -> dict[str, str]:
    """The index's files in `site`, each with the key of its part."""
    found = {}
    for path in index_files(site):
        part = part_of_file(path)
        if part in keys:
            found[path] = keys[part]
    return found


def part_of_file(rel: str) -> int | None:
    """The part an index file (a path relative to the site) belongs to, if any."""
    pieces = rel.split("/")
    if len(pieces) > 2 and pieces[0] == FOLDER and pieces[1].isdigit():
        return int(pieces[1])
    return None


def index_files(site: Path) -> list[str]:
    """The index's files in `site`, as paths relative to it."""
    folder = site / FOLDER
    if not folder.is_dir():
        return []
    return sorted(path.relative_to(site).as_posix() for path in folder.rglob("*") if path.is_file())


def write_index(
    site: Path,
    language: str,
    into: Path | None = None,
    previous: Path | None = None,
    background: bool = False,
    parts: Collection[int] | None = None,
    documents: Collection[str] | None = None,
    reuse: bool = True,
) -> None:
    """Index the document pages of `site` into `into` (default: `site/pagefind`), by part.

    Only the `parts` named are written (default: all). Files identical to those
    of a `previous` index are hard-linked to them, so they keep their timestamps
    and a deploy uploads only what changed. In the `background`, Pagefind runs
    at a low priority, behind the rebuilds. `documents` are the ids of the
    document pages in `site`, when the caller knows them (else they are looked for).
    """
    into = into or site / FOLDER
    if documents is None:  # a glob of 10,000 folders costs a note edit 0.2 s
        documents = [page.parent.name for page in site.glob(INDEXED)]
    if not documents:
        return  # an archive with no documents yet: nothing to search, no index
    members = parts_of(documents)
    chosen = sorted(members if parts is None else set(parts) & members.keys())

    def page(doc_id: str) -> Path:  # only the chosen parts': 10,000 Paths cost 0.1 s
        return site / INDEXED.replace("*", doc_id)

    for number in chosen:
        shutil.rmtree(into / str(number), ignore_errors=True)
    # A bundle whose pages are byte for byte those the previous index was made from
    # is carried over: their keys moved, not what Pagefind reads (`index_record`).
    bundles = []
    for number in chosen:
        pages = [page(doc_id) for doc_id in members[number]]
        for bundle_language, bundle_pages in by_language(pages, language).items():
            digest = index_record.pages_digest(bundle_pages, bundle_language)
            folder = into / str(number) / bundle_language
            old = previous / str(number) / bundle_language if previous is not None else None
            if old is None or not reuse or not index_record.reuse(old, folder, digest):
                bundles.append((number, bundle_language, bundle_pages, digest))

    def index(bundle: tuple[int, str, list[Path], str]) -> None:
        number, bundle_language, bundle_pages, digest = bundle
        folder = into / str(number) / bundle_language
        _index_bundle(bundle_pages, folder, bundle_language, background)
        index_record.record(folder, digest)
        if previous is not None:
            link_identical(folder, previous / str(number) / bundle_language)

    # One Pagefind run keeps about 1.5 cores busy: two at once fill both (10,000
    # documents: 8.2 s, against 13.3 s one part at a time). In the background,
    # one at a time leaves a core to the rebuilds.
    at_once = 1 if background else _CONCURRENT_RUNS
    with ThreadPoolExecutor(at_once) as runs:
        list(runs.map(index, bundles))


def by_language(pages: list[Path], default: str) -> dict[str, list[Path]]:
    """The pages by their language (`<html lang>`, else `default`), languages in order."""
    found: dict[str, list[Path]] = {}
    for page in pages:
        with page.open("rb") as opened:
            said = _PAGE_LANGUAGE.search(opened.read(512))
        found.setdefault(said.group(1).decode() if said else default, []).append(page)
    return dict(sorted(found.items()))


def _index_bundle(pages: list[Path], into: Path, language: str, background: bool) -> None:
    """Run Pagefind over `pages` alone, in `language`, seen at their addresses in the site."""
    # Pagefind takes a folder, not a list: the bundle's pages are linked into one.
    into.parent.mkdir(parents=True, exist_ok=True)
    pages_folder = into.parent / f".{into.name}.pages"
    shutil.rmtree(pages_folder, ignore_errors=True)
    try:
        for page in pages:
            target = pages_folder / "documents" / page.parent.name / page.name
            target.parent.mkdir(parents=True)
            try:
                os.link(page, target)
            except OSError:  # another file system: a copy reads the same
                shutil.copyfile(page, target)
        _run_pagefind(pages_folder, into, language, background)
    finally:
        shutil.rmtree(pages_folder, ignore_errors=True)
    wasm = _make_stable(into)
    # Each bundle keeps Pagefind's program and its own language's WebAssembly: which
    # bundle is the first of its language depends on the other parts, which may not
    # be indexed again when it changes.
    unused = [*_UNUSED]
    unused += [p.name for p in into.glob("wasm.*.pagefind") if p.name != f"wasm.{wasm}.pagefind"]
    for pattern in unused:
        for path in into.glob(pattern):
            path.unlink()


def _run_pagefind(site: Path, into: Path, language: str, background: bool) -> None:
    # Forced, so that the bundle holds one index: the one every search of it finds.
    lower = ["nice", "-n", "10"] if background and shutil.which("nice") else []
    command = [
        *lower,
        _executable(),
        "--site",
        str(site),
        "--glob",
        INDEXED,
        "--output-path",
        str(into),
        "--force-language",
        language,
        "--exclude-selectors",
        _NOT_TEXT,
        "--silent",
    ]
    try:
        done = subprocess.run(
            command, capture_output=True, text=True, timeout=_TIMEOUT_SECONDS, check=False
        )
    except (OSError, subprocess.TimeoutExpired) as problem:
        raise SearchIndexError(f"cannot run Pagefind to index the site: {problem}") from None
    if done.returncode != 0:
        lines = [line.strip() for line in (done.stderr or done.stdout).splitlines()]
        said = " ".join(dict.fromkeys(line for line in lines if line))  # it repeats itself
        said = said or f"exit code {done.returncode}"
        raise SearchIndexError(f"Pagefind could not index the site: {said}")


def _document_id(path: str) -> str | None:
    """The document a page path shows, if it is a document page."""
    pieces = path.split("/")
    if len(pieces) == 3 and pieces[0] == "documents" and pieces[2] == "index.html":
        return pieces[1]
    return None


def refresh_index(
    site: Path, language: str, parts: Collection[int] | None = None, background: bool = True
) -> None:
    """Rebuild `site/pagefind` beside the served site, then put it in place in one step.

    Only the `parts` named are indexed anew (default: all); the others are
    carried over from the current index by hard links. In the `background`,
    Pagefind runs one part at a time, at a low priority.
    """
    fresh = site / f".{FOLDER}.new"
    stale = site / f".{FOLDER}.old"
    for leftover in (fresh, stale):
        shutil.rmtree(leftover, ignore_errors=True)
    current = site / FOLDER
    members = parts_of(page.parent.name for page in site.glob(INDEXED))
    # A part the current index lacks cannot be carried over: it is indexed too.
    redo = set(members) if parts is None else set(parts) & members.keys()
    redo |= {n for n in members if not (current / str(n)).is_dir()}
    if members and not redo:
        return
    write_index(site, language, into=fresh, previous=current, background=background, parts=redo)
    if not fresh.is_dir():
        return  # no document pages: nothing was indexed
    for number in members.keys() - redo:
        shutil.copytree(current / str(number), fresh / str(number), copy_function=os.link)
    # Exchanged in one step: a `serve` killed here leaves the old index or the new one.
    swap_in(fresh, current)


def _make_stable(folder: Path) -> str:
    """Put the filter indexes in a fixed order, so the same pages give the same bytes.

    Pagefind (1.5) writes each filter's values, and the list of filters, in hash
    map order: a new order, and new file names, on every run (Pagefind issue 638).
    Sorting them, then naming the files by what they now hold, makes the index
    reproducible and lets an unchanged index keep its files between builds.
    Returns the name of the WebAssembly the bundle's one language uses.
    """
    entry_file = folder / "pagefind-entry.json"
    entry = json.loads(entry_file.read_text(encoding="utf-8"))
    for language in entry["languages"].values():
        old_meta = folder / f"pagefind.{language['hash']}.pf_meta"
        meta = _read(old_meta)
        prefix = language["hash"].split("_")[0]
        filters = []
        for name, old_hash in meta[3]:
            old_file = folder / "filter" / f"{old_hash}.pf_filter"
            label, values = _read(old_file)
            stable = _encode([label, sorted(values, key=lambda value: value[0])])
            new_hash = f"{prefix}_{hashlib.sha256(stable).hexdigest()[:7]}"
            old_file.unlink()
            (folder / "filter" / f"{new_hash}.pf_filter").write_bytes(_zip(stable))
            filters.append([name, new_hash])
        meta[3] = sorted(filters)
        stable = _encode(meta)
        language["hash"] = f"{prefix}_{hashlib.sha256(stable).hexdigest()[:10]}"
        old_meta.unlink()
        (folder / f"pagefind.{language['hash']}.pf_meta").write_bytes(_zip(stable))
    entry_file.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")))
    return next(iter(entry["languages"].values()))["wasm"] or "unknown"


def _read(path: Path) -> list:
    data = gzip.decompress(path.read_bytes())
    if not data.startswith(_SIGNATURE):
        raise SearchIndexError(f"{path}: not a Pagefind index file this version knows")
    return cbor2.loads(data[len(_SIGNATURE) :])


def _encode(value: list) -> bytes:
    return _SIGNATURE + cbor2.dumps(value)


def _zip(data: bytes) -> bytes:
    return gzip.compress(data, mtime=0)


def _executable() -> str:
    try:
        from pagefind_bin import get_executable
    except ImportError:
        raise SearchIndexError(
            "Pagefind is not installed: python3 -m pip install 'pagefind[bin]'"
        ) from None
    try:
        return str(get_executable())
    except FileNotFoundError as problem:
        raise SearchIndexError(f"Pagefind's program is missing: {problem}") from None
