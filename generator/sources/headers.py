"""Find document headers in a bundle: a date line with the short lines around it.

Shapes seen in pastes, each told by its date line and what surrounds it:

- publisher / place / date / title (the example bundles; the place may be missing);
- title / publisher / date / title again (a web page's heading above the byline box);
- title lines / venue / place / date / time (a transcript);
- publisher / place / "Title - 2001-11-11" (the date at the end of the title line).

A header that had to be guessed carries a `Doubt`: a warning the editor
settles by asserting the fields it names in the bundle's corrections.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from generator.sources.dates import DateLine, read_date_line, read_time_line
from generator.sources.layout import Line, join

_BYLINE = re.compile(r"(?:by|By|BY)\s+(?P<name>\S.*)")
_SENTENCE_END = (".", ";", ",")
_OFFICE = re.compile(r"(?:Office|Bureau) of\b|Press Office\b|Oficina de\b")
_MAX_LABELS = 2  # publisher and place
_MAX_TITLE_LINES = 3  # a transcript's title over several lines
_MAX_TAIL = 6  # time, byline, title, kicker, title again, byline: all a header has below its date
HEADER_KEYS = ("publisher", "place", "date", "title", "kicker", "byline")


@dataclass(frozen=True)
class Doubt:
    """A guess in a header: where, what was guessed, and the corrections that settle it."""

    line: int
    message: str
    fields: tuple[str, ...]  # empty: nothing an editor asserts silences it


@dataclass
class Header:
    """A header found in the bundle's units (paragraph-sized runs of lines)."""

    first_unit: int  # index of the header's first unit
    body_unit: int  # index of the first body unit
    first_line: int
    last_line: int
    fields: dict[str, str | None]
    time: str | None = None  # ISO 8601 date-time, when the header gives a time
    doubts: list[Doubt] = field(default_factory=list)


@dataclass
class _Reading:
    fields: dict[str, str | None]
    used_before: int
    used_after: int
    time: str | None
    doubts: list[tuple[str, tuple[str, ...]]]


def is_label_like(text: str) -> bool:
    """Whether a line can be a publisher or place: short, and not a sentence."""
    if len(text) > 80 or len(text.split()) > 10 or read_date_line(text):
        return False
    if text.endswith(_SENTENCE_END):
        last = text.split()[-1]
        return text.endswith(".") and "." in last[:-1]  # "Washington, D.C."
    return not _BYLINE.fullmatch(text)


def is_title_like(text: str) -> bool:
    """Whether a line can be a title: not long, and not ending like a sentence."""
    if len(text) > 300 or read_date_line(text):
        return False
    if text.endswith("."):
        return "." in text.split()[-1][:-1]  # ends with an abbreviation such as "U.S."
    return not text.endswith((",", ";"))


def byline(text: str) -> str | None:
    """The name in a byline ("By Rafael Bernal"), or None."""
    match = _BYLINE.fullmatch(text)
    if match and len(match["name"].split()) <= 8 and not match["name"].endswith("."):
        return match["name"]
    return None


def find_headers(units: list[list[Line]], date_order: str | None = None) -> list[Header]:
    """Every header in reading order, found from its date line."""
    headers: list[Header] = []
    next_free = 0  # units before this belong to the previous header
    index = 0
    while index < len(units):
        header = _header_at(units, index, next_free, date_order)
        if header is None:
            index += 1
            continue
        headers.append(header)
        next_free = index = header.body_unit
    return headers


def _header_at(
    units: list[list[Line]], index: int, earliest: int, date_order: str | None
) -> Header | None:
    """The header whose date line is in unit `index`, if that unit holds one."""
    unit = units[index]
    for position, line in enumerate(unit):
        date = read_date_line(line.text, date_order)
        if date is None:
            continue
        if len(unit) > 1:  # wrapped layout: the header is this block of short lines
            before = [ln.text for ln in unit[:position]]
            after = [[ln] for ln in unit[position + 1 :]]
            reading = _read(before, date, after, joined=True)
            if reading is None or reading.used_before != len(before):
                continue
            body = index + 1
            if reading.used_after == 0 or not (reading.fields["title"] or reading.fields["byline"]):
                body += _read_tail(units[body : body + _MAX_TAIL], reading.fields, joined=False)
            return _header(units, index, body, reading, line.number)
        # line layout: the header's first lines are the single-line units before the date
        before = []
        for back in range(index - 1, max(earliest, index - _MAX_LABELS - _MAX_TITLE_LINES) - 1, -1):
            if len(units[back]) != 1:
                break
            before.insert(0, units[back][0].text)
        reading = _read(before, date, units[index + 1 : index + 1 + _MAX_TAIL], joined=False)
        if reading is None:
            continue
        first = index - reading.used_before
        return _header(units, first, index + 1 + reading.used_after, reading, line.number)
    return None


def _header(
    units: list[list[Line]], first: int, body: int, reading: _Reading, date_line: int
) -> Header:
    doubts = [Doubt(date_line, message, fields) for message, fields in reading.doubts]
    return Header(
        first, body, units[first][0].number, units[body - 1][-1].number,
        reading.fields, reading.time, doubts,
    )  # fmt: skip


def _trailing(texts: list[str], accept, limit: int) -> int:
    """How many of the last `texts` pass `accept`, counting back, at most `limit`."""
    count = 0
    while count < min(limit, len(texts)) and accept(texts[len(texts) - 1 - count]):
        count += 1
    return count


def _read(
    before: list[str], date: DateLine, after: list[list[Line]], *, joined: bool
) -> _Reading | None:
    """Which shape the lines around a date line make, and the fields they give."""
    fields: dict[str, str | None] = dict.fromkeys(HEADER_KEYS)
    fields["date"] = date.date
    doubts: list[tuple[str, tuple[str, ...]]] = []
    if date.ambiguous:
        doubts.append(_ambiguity(date))
    if date.unknown_zone:
        doubts.append((f"time zone '{date.unknown_zone}' is not known; the time is kept "
                       "without an offset", ()))  # fmt: skip
    time, skip = date.time, 0
    texts = [join(u) for u in after]
    if texts and (timed := read_time_line(texts[0], date.date)):
        time, skip = timed[0], 1
    labels = _trailing(before, is_label_like, _MAX_LABELS)
    if date.title is not None:  # publisher / place / "Title - 2001-11-11"
        fields["title"] = date.title
        _labels(fields, before[len(before) - labels :])
        used = skip + _read_byline(texts[skip:], fields)
        return _Reading(fields, labels, _used(after, used, joined), time, doubts)
    if (
        len(before) >= 2
        and skip < len(texts)
        and _same(texts[skip], before[-2])
        and is_label_like(before[-1])
        and is_title_like(before[-2])
    ):  # title / publisher / date / title again
        fields["title"], fields["publisher"] = before[-2], before[-1]
        used = skip + 1 + _read_byline(texts[skip + 1 :], fields)
        return _Reading(fields, 2, _used(after, used, joined), time, doubts)
    if skip and labels == _MAX_LABELS:  # title lines / venue / place / date / time
        rest = before[: len(before) - labels]
        titles = _trailing(rest, _is_transcript_title, _MAX_TITLE_LINES)
        if titles:
            fields["title"] = " ".join(rest[len(rest) - titles :])
            fields["place"] = f"{before[-2]}, {before[-1]}"
            used = skip + _read_byline(texts[skip:], fields)
            doubts.append(
                (
                    f"header read as a transcript's: title '{fields['title']}', venue and "
                    f"place '{fields['place']}', no publisher; set 'publisher' in the "
                    "bundle's corrections",
                    ("publisher",),
                )
            )
            return _Reading(fields, titles + labels, _used(after, used, joined), time, doubts)
    if not labels:
        return None
    _labels(fields, before[len(before) - labels :])
    used = skip + _read_tail(after[skip:], fields, joined=joined)
    return _Reading(fields, labels, used, time, doubts)


def _is_transcript_title(text: str) -> bool:
    # Three words at least: the short lines ending the document above ("###",
    # "Contact: Press Office") are not taken for a transcript's title.
    return is_title_like(text) and not byline(text) and len(text.split()) >= 3


def _used(after: list[list[Line]], used: int, joined: bool) -> int:
    # A header block's own lines all belong to the header.
    return len(after) if joined else used


def _labels(fields: dict[str, str | None], labels: list[str]) -> None:
    """Publisher and place from the short lines above the date."""
    if not labels:
        return
    fields["publisher"] = labels[0]
    if len(labels) > 1:
        if _OFFICE.match(labels[1]):  # "U.S. Department of State" / "Office of the Spokesman"
            fields["publisher"] = f"{labels[0]}, {labels[1]}"
        else:
            fields["place"] = labels[1]


def _same(a: str, b: str) -> bool:
    return a.casefold() == b.casefold()


def _ambiguity(date: DateLine) -> tuple[str, tuple[str, ...]]:
    return (
        f"numeric date could be {date.date} (month first) or {date.ambiguous} (day first); "
        f"read as {date.date}: set 'date_order: dmy' (or 'mdy') in site.yaml or the bundle's "
        "corrections, or the document's 'date'",
        ("date",),
    )


def _read_byline(texts: list[str], fields: dict[str, str | None]) -> int:
    if texts and byline(texts[0]):
        fields["byline"] = byline(texts[0])
        return 1
    return 0


def _read_tail(units: list[list[Line]], fields: dict[str, str | None], *, joined: bool) -> int:
    """Read title, kicker + repeated title and byline after a date; return units used.

    With `joined`, the units are the header block's own lines: all of them
    belong to the header, and consecutive title lines form one title.
    """
    texts = [join(u) for u in units]
    used = 0
    if joined:
        rest = [t for t in texts if not byline(t)]
        for text in texts:
            if byline(text):
                fields["byline"] = byline(text)
        for split in range(1, len(rest) - 1):
            if " ".join(rest[:split]) == " ".join(rest[split + 1 :]):
                fields["kicker"] = rest[split]
                rest = rest[:split]
                break
        if rest:
            fields["title"] = " ".join(rest)
        return len(units)
    if used < len(texts) and byline(texts[used]):
        fields["byline"] = byline(texts[used])
        used += 1
    if used < len(texts) and is_title_like(texts[used]) and len(units[used]) <= 3:
        fields["title"] = texts[used]
        used += 1
        if used + 1 < len(texts) and texts[used + 1] == fields["title"]:
            fields["kicker"] = texts[used]
            used += 2
    if used < len(texts) and not fields["byline"] and byline(texts[used]):
        fields["byline"] = byline(texts[used])
        used += 1
    return used
