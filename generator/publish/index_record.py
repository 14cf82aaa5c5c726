"""What each bundle of the search index was made from, so that a bundle is indexed again
only when the bytes of its pages changed.

A part is indexed again when its key moved, and its key is made of its pages'
keys: after a bundle edit, the pages of the edited document's group and of
the texts that name it get new keys, and most render to the same bytes
(their key names a whole comparison, of which they show a few rows). Pagefind
reads nothing but those bytes, so a bundle's index is a function of them, of
its language, of Pagefind's version and of the code that runs it
(`search.py`, this module). Each bundle's `pagefind-entry.json` says so in
one more key, `RECORD`; a bundle whose pages digest as the previous index's
record says is carried over, by hard links, instead of running Pagefind again
(about 1.4 s of CPU for a part of 1,000 pages). The record lives in the
bundle's own entry file, which is swapped in with it: it can never describe
another index than the one beside it.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
import shutil
from collections.abc import Iterable
from pathlib import Path

from generator.cache import inputs

RECORD = "sourcebook_pages"  # in a bundle's pagefind-entry.json; Pagefind ignores it
_ENTRY = "pagefind-entry.json"
_CODE = ("search.py", "index_record.py")  # the code whose output a record stands for


def pages_digest(pages: Iterable[Path], language: str) -> str:
    """A digest of what Pagefind would make of these pages: their documents and bytes."""
    digest = hashlib.blake2b(digest_size=16)
    digest.update(f"{_indexer()}\0{language}\0".encode())
    for page in pages:
        data = page.read_bytes()
        digest.update(f"{page.parent.name}\0{len(data)}\0".encode())
        digest.update(data)
    return digest.hexdigest()


def reuse(previous: Path, into: Path, digest: str) -> bool:
    """Link the bundle `previous` into `into` if it was made from the pages of `digest`;
    say whether it was."""
    if _recorded(previous) != digest:
        return False
    shutil.rmtree(into, ignore_errors=True)
    into.parent.mkdir(parents=True, exist_ok=True)
    shutil.copytree(previous, into, copy_function=_link)
    return True


def record(bundle: Path, digest: str) -> None:
    """Say, in the entry file of the bundle just indexed, which pages it was made from."""
    entry_file = bundle / _ENTRY
    entry = json.loads(entry_file.read_text(encoding="utf-8"))
    entry[RECORD] = digest
    entry_file.write_text(json.dumps(entry, ensure_ascii=False, separators=(",", ":")))


def _recorded(bundle: Path) -> str | None:
    """The digest of the pages the bundle was made from, if it says."""
    try:
        entry = json.loads((bundle / _ENTRY).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    found = entry.get(RECORD) if isinstance(entry, dict) else None
    return found if isinstance(found, str) else None


@functools.cache
def _indexer() -> str:
    """Pagefind's version and our code that runs it: an upgrade of either indexes anew."""
    code = hashlib.blake2b(digest_size=16)
    for name in _CODE:
        code.update((Path(__file__).parent / name).read_bytes())
    versions = (inputs.version("pagefind"), inputs.version("pagefind_bin"))
    return f"{versions}\0{code.hexdigest()}"


def _link(source: str, target: str) -> None:
    try:
        os.link(source, target)
    except OSError:  # another file system: a copy reads the same
        shutil.copy2(source, target)
