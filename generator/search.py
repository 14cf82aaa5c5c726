"""The search index: Pagefind, run over the rendered document pages.

Pagefind reads the HTML the render stage wrote (what to index and the filters
are marked in templates/document.html with `data-pagefind-*` attributes) and
writes a static index that the search page loads in chunks, on demand, with no
server. `build` runs it over the staged site before the swap, so a failed index
leaves the published site as it was; `serve` refreshes it in the background.
"""

from __future__ import annotations

import gzip
import hashlib
import json
import os
import shutil
import subprocess
from collections.abc import Mapping
from pathlib import Path

import cbor2

from generator.write import link_identical

FOLDER = "pagefind"
INDEXED = "documents/*/index.html"
# Parts of a document page that are not its text or notes (the provenance panel is
# marked in the template instead: the filters it holds must still be read).
_NOT_TEXT = "h1 .origin, .cite, .relations, .pnum, .refs, .para-links, .note-head, .note-meta"
_TIMEOUT_SECONDS = 600
_SIGNATURE = b"pagefind_dcd"  # what every index file starts with, once unzipped


class SearchIndexError(Exception):
    """Pagefind could not index the site; the message says why, in one line."""


def index_key(page_keys: Mapping[str, str], language: str) -> str:
    """A digest of everything the index is made from: the indexed pages' keys."""
    digest = hashlib.sha256(f"pagefind\0{language}\0".encode())
    for path in sorted(page_keys):
        if path.startswith("documents/") and path.endswith("/index.html"):
            digest.update(f"{path}\0{page_keys[path]}\0".encode())
    return digest.hexdigest()


def index_files(site: Path) -> list[str]:
    """The index's files in `site`, as paths relative to it."""
    folder = site / FOLDER
    if not folder.is_dir():
        return []
    return sorted(
        path.relative_to(site).as_posix() for path in folder.rglob("*") if path.is_file()
    )


def write_index(
    site: Path,
    language: str,
    into: Path | None = None,
    previous: Path | None = None,
    background: bool = False,
) -> None:
    """Index the document pages of `site` into `into` (default: `site/pagefind`).

    Files identical to those of a `previous` index are hard-linked to them, so
    they keep their timestamps and a deploy uploads only what changed. In the
    `background`, Pagefind runs at a low priority, behind the rebuilds.
    """
    into = into or site / FOLDER
    if not any(site.glob(INDEXED)):
        return  # an archive with no documents yet: nothing to search, no index
    # Every page goes into one index, in the site's language: Pagefind keeps one
    # index per page language, and a search page only searches its own.
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
    _make_stable(into)
    if previous is not None:
        link_identical(into, previous)


def refresh_index(site: Path, language: str) -> None:
    """Rebuild `site/pagefind` beside the served site, then put it in place in one rename."""
    fresh = site / f".{FOLDER}.new"
    stale = site / f".{FOLDER}.old"
    for leftover in (fresh, stale):
        shutil.rmtree(leftover, ignore_errors=True)
    current = site / FOLDER
    write_index(site, language, into=fresh, previous=current, background=True)
    if current.exists():
        os.rename(current, stale)
    os.rename(fresh, current)
    shutil.rmtree(stale, ignore_errors=True)


def _make_stable(folder: Path) -> None:
    """Put the filter indexes in a fixed order, so the same pages give the same bytes.

    Pagefind (1.5) writes each filter's values, and the list of filters, in hash
    map order: a new order, and new file names, on every run (Pagefind issue 638).
    Sorting them, then naming the files by what they now hold, makes the index
    reproducible and lets an unchanged index keep its files between builds.
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
