"""Parse the text of a source bundle into documents: headers, titles and paragraphs.

A bundle is plain text. Each document starts with a header (found by
`headers.py` from its date line) and runs until the next header. How lines
make paragraphs is `layout.py`'s job: one paragraph per line, blank-line
separated blocks, or hard-wrapped lines with no blank lines between.

This module sees decoded lines only; reading files and building the model is
`archive.py`'s job.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from generator.sources.datelines import read_dateline
from generator.sources.headers import (
    HEADER_KEYS,
    Doubt,
    Header,
    find_headers,
    is_label_like,
    is_title_like,
)
from generator.sources.layout import Line, blocks, is_wrapped, join, normalize_space
from generator.sources.layout import wrapped_paragraphs as _rewrap
from generator.sources.sentences import split_sentences

__all__ = ["Line", "ParsedBundle", "RawDocument", "normalize_space", "parse_bundle"]

_DERIVED_TITLE_MAX = 90
# A line that looks like a date (a year, and a month name or a numeric date)
# without being read as one: "28.12.2023", "Dezember 28, 2023", "Decmber 28 2023".
_YEAR = re.compile(r"\b(?:1[89]|20)\d\d\b")
_MONTHISH = re.compile(
    r"(?i)\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|ene|abr|ago|dic|"
    r"janv|févr|avr|mai|juin|juil|août|déc|märz|okt|dez|gen|giu|lug|ott|set)[a-zäéû]*\.?|"
    r"\b\d{1,2}[./-]\d{1,2}[./-]\d{2,4}\b"
)


@dataclass
class RawDocument:
    """A document as the bundle states it, before ids and editor corrections."""

    line_start: int
    line_end: int
    header: dict[str, str | None]
    title_derived: bool
    paragraphs: list[Line] = field(default_factory=list)  # `number` = first line
    time: str | None = None  # ISO 8601 date-time, when the header gives a time
    derived: dict[str, str] = field(default_factory=dict)  # place, agency from a dateline
    doubts: list[Doubt] = field(default_factory=list)  # guesses the editor may settle


@dataclass
class ParsedBundle:
    """The bundle's own title (if any) and its documents in order."""

    title: str | None
    documents: list[RawDocument]
    warnings: list[tuple[int, str]] = field(default_factory=list)  # (line, message)
    errors: list[tuple[int, str]] = field(default_factory=list)


def parse_bundle(lines: list[str], date_order: str | None = None) -> ParsedBundle:
    """Parse decoded lines (line endings removed, index 0 = line 1) into documents.

    `date_order` ('mdy' or 'dmy') reads numeric dates; see `dates.read_date_line`.
    """
    runs = blocks(lines)
    wrapped = is_wrapped(runs)
    units = runs if wrapped else [[line] for run in runs for line in run]
    headers = find_headers(units, date_order)
    result = ParsedBundle(None, [])
    if not headers:
        if units:
            doc, layout = _headerless(units, wrapped)
            result.documents.append(doc)
            _doubt_provenance(
                doc,
                "no header found (publisher, place and date lines): the text is kept as "
                f"one document of unknown provenance, {_paragraphs_read(doc, layout)}",
            )
            _check_unread_dates(units, result)
        return result

    preamble = units[: headers[0].first_unit]
    if preamble:
        if is_title_like_preamble(preamble):
            result.title = " ".join(join(u) for u in preamble)
        else:
            doc, layout = _headerless(preamble, wrapped)
            result.documents.append(doc)
            _doubt_provenance(
                doc,
                "text before the first header has no header of its own; it is kept as a "
                f"document of unknown provenance, {_paragraphs_read(doc, layout)}",
            )
            _check_unread_dates(preamble, result)
    for index, header in enumerate(headers):
        end = headers[index + 1].first_unit if index + 1 < len(headers) else len(units)
        result.documents.append(_document(header, units[header.body_unit : end], wrapped, result))
    return result


def _document(
    header: Header, body_units: list[list[Line]], wrapped: bool, result: ParsedBundle
) -> RawDocument:
    _check_unread_dates(body_units, result)
    units, _ = _paragraph_units(body_units, wrapped)
    doc = RawDocument(
        line_start=header.first_line,
        line_end=(body_units[-1][-1].number if body_units else header.last_line),
        header=header.fields,
        title_derived=False,
        paragraphs=[Line(u[0].number, join(u)) for u in units],
        time=header.time,
        doubts=list(header.doubts),
    )
    if not doc.header.get("title"):
        doc.header["title"] = None
        doc.title_derived = bool(doc.paragraphs)
    _read_dateline(doc)
    if not doc.paragraphs:
        result.warnings.append((header.first_line, "document has a header but no text"))
    return doc


def derive_title(first_paragraph: str) -> str:
    """A title made from the first sentence, shortened at a word boundary."""
    sentences = split_sentences(first_paragraph)
    sentence = sentences[0] if sentences else first_paragraph
    if len(sentence) <= _DERIVED_TITLE_MAX:
        return sentence
    cut = sentence[:_DERIVED_TITLE_MAX].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


# -- paragraphs -----------------------------------------------------------


def is_title_like_preamble(preamble: list[list[Line]]) -> bool:
    """Whether the lines before the first header are the bundle's own title."""
    return len(preamble) <= 2 and is_title_like(" ".join(join(u) for u in preamble))


def _paragraph_units(units: list[list[Line]], wrapped: bool) -> tuple[list[list[Line]], str]:
    """The units that make paragraphs, and how they were read (for the warnings)."""
    if wrapped:
        return units, "separated by blank lines"
    rewrapped = _rewrap([u[0] for u in units])
    if rewrapped is not None:
        return rewrapped, "hard-wrapped lines joined"
    return units, "one per line"


def _headerless(units: list[list[Line]], wrapped: bool) -> tuple[RawDocument, str]:
    paragraph_units, layout = _paragraph_units(units, wrapped)
    doc = RawDocument(
        line_start=units[0][0].number,
        line_end=units[-1][-1].number,
        header=dict.fromkeys(HEADER_KEYS),
        title_derived=True,
        paragraphs=[Line(u[0].number, join(u)) for u in paragraph_units],
    )
    _read_dateline(doc)
    return doc, layout


def _read_dateline(doc: RawDocument) -> None:
    """Agency, and place when the header has none, from a dateline opening the text."""
    if doc.paragraphs and (dateline := read_dateline(doc.paragraphs[0].text)):
        doc.derived = {"agency": dateline["agency"]}
        if not doc.header.get("place"):
            doc.derived["place"] = dateline["place"]


def _doubt_provenance(doc: RawDocument, message: str) -> None:
    # Settled when the editor gives the document a publisher and a date.
    doc.doubts.append(Doubt(doc.line_start, message, ("publisher", "date")))


def _paragraphs_read(doc: RawDocument, layout: str) -> str:
    count = len(doc.paragraphs)
    noun = "paragraph" if count == 1 else "paragraphs"
    where = (
        f"line {doc.line_start}"
        if doc.line_start == doc.line_end
        else f"lines {doc.line_start}–{doc.line_end}"
    )
    return f"{where} read as {count} {noun} ({layout})"


def _check_unread_dates(units: list[list[Line]], result: ParsedBundle) -> None:
    """An error for each line that looks like a header's date line but could not be read.

    Such a line means two documents were read as one: never let it pass silently.
    """
    lines = [(line, unit) for unit in units for line in unit]
    for (previous, previous_unit), (line, unit) in itertools.pairwise(lines):
        if unit is not previous_unit and (len(unit) > 1 or len(previous_unit) > 1):
            continue  # a header's lines are single units, or one block of short lines
        text = line.text
        if len(text) > 40 or not (_YEAR.search(text) and _MONTHISH.search(text)):
            continue
        words = _MONTHISH.sub(" ", _YEAR.sub(" ", text))
        if len(re.findall(r"[^\W\d]{3,}", words)) > 1 or not is_label_like(previous.text):
            continue
        result.errors.append(
            (
                line.number,
                f"'{text}' looks like the date line of a new document's header, but it cannot "
                "be read as a date, so the lines around it are read as part of the document "
                "above; write the date as '28 December 2023' or '2023-12-28'",
            )
        )
