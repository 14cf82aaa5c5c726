"""Parse the text of a source bundle into documents: headers, titles and paragraphs.

A bundle is plain text. Each document starts with a header (publisher, place,
date, then optionally title, kicker + repeated title, byline) and runs until
the next header. Two layouts occur in the wild and are told apart per file:

- line layout: one paragraph per line (the sample bundles);
- wrapped layout: paragraphs separated by blank lines, hard-wrapped inside;
  a header is then a run of consecutive short lines.

This module sees decoded lines only; reading files and building the model is
`archive.py`'s job.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field

from generator.sources.dates import parse_date
from generator.sources.sentences import split_sentences

_BYLINE = re.compile(r"(?:by|By|BY)\s+(?P<name>\S.*)")
_SENTENCE_END = (".", ";", ",")
_LONG_LINE = 120  # wrapped text rarely has lines longer than this
_DERIVED_TITLE_MAX = 90


@dataclass(frozen=True)
class Line:
    """A non-blank line: its 1-based number and its text, whitespace-normalized."""

    number: int
    text: str


@dataclass
class RawDocument:
    """A document as the bundle states it, before ids and editor corrections."""

    line_start: int
    line_end: int
    header: dict[str, str | None]
    title_derived: bool
    paragraphs: list[Line] = field(default_factory=list)  # `number` = first line


@dataclass
class ParsedBundle:
    """The bundle's own title (if any) and its documents in order."""

    title: str | None
    documents: list[RawDocument]
    warnings: list[tuple[int, str]] = field(default_factory=list)  # (line, message)


def normalize_space(text: str) -> str:
    """Collapse every run of whitespace (non-breaking spaces included) to one space."""
    return " ".join(text.split())


def parse_bundle(lines: list[str]) -> ParsedBundle:
    """Parse decoded lines (line endings removed, index 0 = line 1) into documents."""
    blocks = _blocks(lines)
    if _is_wrapped(blocks):
        units = blocks
    else:
        units = [[line] for block in blocks for line in block]
    headers = _find_headers(units)
    if not headers:
        body = [line for unit in units for line in unit]
        if not body:
            return ParsedBundle(None, [])
        return ParsedBundle(None, [_headerless(units)])

    result = ParsedBundle(None, [])
    preamble = units[: headers[0].first_unit]
    if preamble:
        if _is_title_like(" ".join(_join(u) for u in preamble)) and len(preamble) <= 2:
            result.title = " ".join(_join(u) for u in preamble)
        else:
            result.documents.append(_headerless(preamble))
            result.warnings.append(
                (
                    preamble[0][0].number,
                    "text before the first header has no header of its own; "
                    "it is kept as a document of unknown provenance",
                )
            )
    for index, header in enumerate(headers):
        end = headers[index + 1].first_unit if index + 1 < len(headers) else len(units)
        body_units = units[header.body_unit : end]
        doc = RawDocument(
            line_start=header.first_line,
            line_end=(body_units[-1][-1].number if body_units else header.last_line),
            header=header.fields,
            title_derived=False,
            paragraphs=[_paragraph(u) for u in body_units],
        )
        if not doc.header.get("title"):
            doc.header["title"] = None
            doc.title_derived = bool(doc.paragraphs)
        if not doc.paragraphs:
            result.warnings.append((header.first_line, "document has a header but no text"))
        result.documents.append(doc)
    return result


def derive_title(first_paragraph: str) -> str:
    """A title made from the first sentence, shortened at a word boundary."""
    sentences = split_sentences(first_paragraph)
    sentence = sentences[0] if sentences else first_paragraph
    if len(sentence) <= _DERIVED_TITLE_MAX:
        return sentence
    cut = sentence[:_DERIVED_TITLE_MAX].rsplit(" ", 1)[0].rstrip(",;:")
    return cut + "…"


# -- layout ---------------------------------------------------------------


def _blocks(lines: list[str]) -> list[list[Line]]:
    """Runs of consecutive non-blank lines."""
    blocks: list[list[Line]] = []
    current: list[Line] = []
    for number, raw in enumerate(lines, start=1):
        text = normalize_space(raw)
        if text:
            current.append(Line(number, text))
        elif current:
            blocks.append(current)
            current = []
    if current:
        blocks.append(current)
    return blocks


def _is_wrapped(blocks: list[list[Line]]) -> bool:
    """Whether paragraphs are blank-line separated and hard-wrapped inside.

    Wrapped text has blank lines, almost no long lines, and lines that stop in
    mid-sentence with the sentence going on in the next line.
    """
    if len(blocks) < 2:
        return False
    lines = [line for block in blocks for line in block]
    long_lines = sum(len(line.text) > _LONG_LINE for line in lines)
    if long_lines > max(1, len(lines) // 20):
        return False
    for block in blocks:
        for line, following in itertools.pairwise(block):
            stops_mid_sentence = not line.text.endswith((".", "!", "?", '"', "”", ":"))
            goes_on = following.text[:1].islower() or len(following.text) >= 40
            if len(line.text) >= 40 and stops_mid_sentence and goes_on:
                return True
    return False


def _join(unit: list[Line]) -> str:
    """The text of a unit's lines joined; a line ending in a hyphen joins without a space."""
    text = ""
    for line in unit:
        if not text:
            text = line.text
        elif text.endswith("-") and text[-2:-1].isalpha():
            text += line.text
        else:
            text += " " + line.text
    return text


def _paragraph(unit: list[Line]) -> Line:
    return Line(unit[0].number, _join(unit))


def _headerless(units: list[list[Line]]) -> RawDocument:
    paragraphs = [_paragraph(u) for u in units]
    return RawDocument(
        line_start=units[0][0].number,
        line_end=units[-1][-1].number,
        header=dict.fromkeys(("publisher", "place", "date", "title", "kicker", "byline")),
        title_derived=True,
        paragraphs=paragraphs,
    )


# -- headers --------------------------------------------------------------


@dataclass
class _Header:
    first_unit: int  # index of the unit holding the publisher line
    body_unit: int  # index of the first body unit
    first_line: int
    last_line: int
    fields: dict[str, str | None]


def _is_label_like(text: str) -> bool:
    """Whether a line can be a publisher or place: short, and not a sentence."""
    if len(text) > 80 or len(text.split()) > 10 or parse_date(text):
        return False
    if text.endswith(_SENTENCE_END):
        last = text.split()[-1]
        return text.endswith(".") and "." in last[:-1]  # "Washington, D.C."
    return not _BYLINE.fullmatch(text)


def _is_title_like(text: str) -> bool:
    """Whether a line can be a title: not long, and not ending like a sentence."""
    if len(text) > 300 or parse_date(text):
        return False
    if text.endswith("."):
        return "." in text.split()[-1][:-1]  # ends with an abbreviation such as "U.S."
    return not text.endswith((",", ";"))


def _byline(text: str) -> str | None:
    match = _BYLINE.fullmatch(text)
    if match and len(match["name"].split()) <= 8 and not match["name"].endswith("."):
        return match["name"]
    return None


def _find_headers(units: list[list[Line]]) -> list[_Header]:
    """Every header in reading order, found from its date line."""
    headers: list[_Header] = []
    next_free = 0  # units before this belong to the previous header
    index = 0
    while index < len(units):
        header = _header_at(units, index, next_free)
        if header is None:
            index += 1
            continue
        headers.append(header)
        next_free = index = header.body_unit
    return headers


def _header_at(units: list[list[Line]], index: int, earliest: int) -> _Header | None:
    """The header whose date line is in unit `index`, if that unit holds one."""
    unit = units[index]
    for position, line in enumerate(unit):
        date = parse_date(line.text)
        if date is None:
            continue
        if len(unit) > 1:  # wrapped layout: the header is this block of short lines
            before = [ln.text for ln in unit[:position]]
            if not 1 <= len(before) <= 2 or not all(map(_is_label_like, before)):
                continue
            fields = _label_fields(before, date)
            _read_tail([[ln] for ln in unit[position + 1 :]], fields, joined=True)
            body = index + 1
            body += _read_tail(units[body:], fields, joined=False, only_if_empty=True)
            return _Header(index, body, unit[0].number, units[body - 1][-1].number, fields)
        # line layout: publisher and place are the lines before the date line
        before_units = []
        for back in (index - 1, index - 2):
            if back < earliest or len(units[back]) != 1 or not _is_label_like(units[back][0].text):
                break
            before_units.insert(0, back)
        if not before_units:
            continue
        fields = _label_fields([units[i][0].text for i in before_units], date)
        body = index + 1 + _read_tail(units[index + 1 :], fields, joined=False)
        first = before_units[0]
        return _Header(first, body, units[first][0].number, units[body - 1][-1].number, fields)
    return None


def _label_fields(labels: list[str], date: str) -> dict[str, str | None]:
    fields: dict[str, str | None] = dict.fromkeys(
        ("publisher", "place", "date", "title", "kicker", "byline")
    )
    fields["publisher"] = labels[0]
    fields["place"] = labels[1] if len(labels) > 1 else None
    fields["date"] = date
    return fields


def _read_tail(
    units: list[list[Line]],
    fields: dict[str, str | None],
    *,
    joined: bool,
    only_if_empty: bool = False,
) -> int:
    """Read title, kicker + repeated title and byline after a date; return units used.

    With `joined`, the units are the header block's own lines: all of them
    belong to the header, and consecutive title lines form one title.
    """
    if only_if_empty and (fields["title"] or fields["byline"]):
        return 0
    texts = [_join(u) for u in units]
    used = 0
    if joined:
        rest = [t for t in texts if not _byline(t)]
        for text in texts:
            if _byline(text):
                fields["byline"] = _byline(text)
        for split in range(1, len(rest) - 1):
            if " ".join(rest[:split]) == " ".join(rest[split + 1 :]):
                fields["kicker"] = rest[split]
                rest = rest[:split]
                break
        if rest:
            fields["title"] = " ".join(rest)
        return len(units)
    if used < len(texts) and _byline(texts[used]):
        fields["byline"] = _byline(texts[used])
        used += 1
    if used < len(texts) and _is_title_like(texts[used]) and len(units[used]) <= 3:
        fields["title"] = texts[used]
        used += 1
        if used + 1 < len(texts) and texts[used + 1] == fields["title"]:
            fields["kicker"] = texts[used]
            used += 2
    if used < len(texts) and not fields["byline"] and _byline(texts[used]):
        fields["byline"] = _byline(texts[used])
        used += 1
    return used
