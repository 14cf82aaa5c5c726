"""One published copy per source file of its documents' lines, numbered as in the file.

A document page used to repeat its source lines; now each page links to its file's
copy and its script shows the document's lines from there, so each line is published
once. The copy holds every line some document of the file spans (a bundle's title
lines before its first header belong to no document and are left out), one line
`<number>\\t<text>` each, in file order.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable
from urllib.parse import quote

from generator.model import SourceLine
from generator.sources.ids import slugify

# A file name outside these is published under a slug (a file's name can hold anything).
_PLAIN_NAME = re.compile(r"[A-Za-z0-9._-]+(/[A-Za-z0-9._-]+)*")

# A byte order mark, so that a browser opening the copy reads UTF-8 whatever the server
# says (a .txt is often served without a charset); fetch() drops it.
BOM = "\ufeff"


def copy_path(source_path: str) -> str:
    """Where the copy of a source file (its path in the source folder) is published."""
    rel = source_path.removeprefix("sources/")
    if not _PLAIN_NAME.fullmatch(rel) or ".." in rel.split("/"):
        # The slug, made unique by the path's digest: the same file, the same address.
        digest = hashlib.sha256(rel.encode("utf-8")).hexdigest()[:8]
        rel = f"{slugify(rel.rsplit('.', 1)[0]) or 'source'}-{digest}.txt"
    return f"sources/{rel}" if rel.endswith(".txt") else f"sources/{rel}.txt"


def copy_url(source_path: str, base: str) -> str:
    """The copy's address under the site's base path, escaped for a URL."""
    return base + quote(copy_path(source_path))


def source_copy(lines: Iterable[SourceLine]) -> bytes:
    """The copy's bytes: each line once, numbered, in file order."""
    by_number = {line.number: line.text for line in lines}
    body = "".join(f"{number}\t{by_number[number]}\n" for number in sorted(by_number))
    return (BOM + body).encode("utf-8")
