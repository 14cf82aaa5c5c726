"""What templates see: addresses, dates, the Jinja environment.

Shared by every page of the site; the render stage (`changed.py`) and the
list of the site's files (`site_files.py`) both build on it.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass
from pathlib import Path

import jinja2

from generator.model import Document

MONTH_NAMES = [
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


def format_date(iso: str | None) -> str:
    """`2023-12-28` → `28 December 2023`; unknown dates read as such."""
    if not iso:
        return "undated"
    day = datetime.date.fromisoformat(iso)
    return f"{day.day} {MONTH_NAMES[day.month - 1]} {day.year}"


# Names readers know, for the languages editors are likeliest to collect; any
# other code is shown as it is.
_LANGUAGE_NAMES = {
    "ar": "Arabic",
    "de": "German",
    "en": "English",
    "es": "Spanish",
    "fr": "French",
    "it": "Italian",
    "ja": "Japanese",
    "pt": "Portuguese",
    "ru": "Russian",
    "uk": "Ukrainian",
    "zh": "Chinese",
}


PASSAGE_HEAD, PASSAGE_TAIL = 6, 4  # words shown of a long passage the page itself holds


def passage(text: str) -> str:
    """A long passage as its first and last words (`head … tail`); a short one whole.

    For the words of the page's own paragraphs, which the paragraph's link
    shows in full: the page carries each text once.
    """
    words = text.split()
    if len(words) <= PASSAGE_HEAD + PASSAGE_TAIL + 4:  # cut only when it saves words
        return text
    return " ".join(words[:PASSAGE_HEAD]) + " … " + " ".join(words[-PASSAGE_TAIL:])


def language_name(code: str) -> str:
    """`en` → `English`; a code not known here is returned as it is."""
    return _LANGUAGE_NAMES.get(code.split("-")[0].lower(), code)


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
        """A group's comparison; with `base`, marked against that witness (in the browser)."""
        return f"{self.base}compare/{group_id}/" + (f"?base={base}" if base else "")

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


def environment(templates: Path) -> jinja2.Environment:
    """The Jinja environment of a templates folder: autoescaped, strict, with our filters."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        autoescape=True,  # every template: source text is never trusted markup
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
    env.filters["date"] = format_date
    env.filters["language_name"] = language_name
    env.filters["passage"] = passage
    return env
