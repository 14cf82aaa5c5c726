"""Readable, stable document ids and safe slugs.

An id is made from the document's own date, publisher and title words only,
so adding, removing or editing another document never changes it. Two
documents that would get the same id are told apart by a short hash of their
own source path and header (see `docs/format.md`).
"""

from __future__ import annotations

import hashlib
import re
import unicodedata
from collections.abc import Container

_STOPWORDS = frozenset(
    [
        "a",
        "an",
        "the",
        "of",
        "and",
        "or",
        "on",
        "in",
        "at",
        "for",
        "to",
        "by",
        "with",
        "from",
        "as",
        "is",
        "are",
        "was",
        "be",
        "will",
        "their",
        "its",
        "our",
        "de",
        "la",
        "el",
        "los",
        "las",
        "y",
        "del",
        "en",
        "por",
        "para",
        "su",
        "sus",
    ]
)
_RESERVED = frozenset(
    [
        "con",
        "prn",
        "aux",
        "nul",
        "com1",
        "com2",
        "com3",
        "lpt1",
        "lpt2",
        "lpt3",
        "index",
        "data",
        "assets",
    ]
)
MAX_ID_LENGTH = 80
ID_PATTERN = re.compile(r"[a-z0-9]+(?:-[a-z0-9]+)*")


def slugify(text: str, max_words: int | None = None, skip_stopwords: bool = False) -> str:
    """Lowercase ASCII words of `text` joined by hyphens (`U.S.` → `us`, `é` → `e`)."""
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = re.sub(r"(?<=\w)[.'’](?=\w)", "", text.lower())  # U.S. → us, don't → dont
    words = re.findall(r"[a-z0-9]+", text.encode("ascii", "ignore").decode())
    if skip_stopwords:
        words = [w for w in words if w not in _STOPWORDS] or words
    if max_words is not None:
        words = words[:max_words]
    return "-".join(words)


def name_slug(name: str, fallback: str, taken: Container[str]) -> str:
    """An address slug for a name, at most 60 characters, unique among `taken`."""
    return unused(slugify(name)[:60].strip("-") or fallback, taken)


def unused(slug: str, taken: Container[str]) -> str:
    """`slug`, or the first of `slug-2`, `slug-3`… that `taken` does not hold."""
    candidate, counter = slug, 2
    while candidate in taken:
        candidate, counter = f"{slug}-{counter}", counter + 1
    return candidate


def _truncate(slug: str, limit: int = MAX_ID_LENGTH) -> str:
    if len(slug) <= limit:
        return slug
    return slug[:limit].rsplit("-", 1)[0]


def base_id(date: str | None, publisher: str | None, title: str) -> str:
    """The readable id for a document: date, publisher words, title words."""
    parts = [
        date or "",
        slugify(publisher or "", 3, skip_stopwords=True),
        slugify(title, 5, skip_stopwords=True),
    ]
    slug = _truncate("-".join(p for p in parts if p)) or "document"
    if slug in _RESERVED:
        slug += "-doc"
    return slug


def disambiguate(slug: str, identity: str) -> str:
    """`slug` with a short suffix drawn from the document's own identity."""
    digest = hashlib.sha256(identity.encode()).hexdigest()[:6]
    return f"{_truncate(slug, MAX_ID_LENGTH - 7)}-{digest}"


def is_valid_id(value: str) -> bool:
    """Whether an editor-given id is a safe, lowercase slug."""
    return len(value) <= MAX_ID_LENGTH and ID_PATTERN.fullmatch(value) is not None
