"""Recognize the date line of a document header, as pages print it, and turn it into ISO 8601.

A date line may carry a prefix ("For Immediate Release", "Updated:",
"Published :"), a weekday, a time with a zone ("7:15:48 AM ET", "15:53 IST"),
or follow a title ("Talks resume - 2001-11-11"). Everything is decided from
the line itself, never from the clock, so a build reads the same way
whatever day it runs: relative dates ("yesterday") are not dates here.
"""

from __future__ import annotations

import datetime
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

_MONTHS = {
    # English, full and abbreviated
    "january": 1, "jan": 1, "february": 2, "feb": 2, "march": 3, "mar": 3,
    "april": 4, "apr": 4, "may": 5, "june": 6, "jun": 6, "july": 7, "jul": 7,
    "august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9, "october": 10,
    "oct": 10, "november": 11, "nov": 11, "december": 12, "dec": 12,
    # Spanish
    "enero": 1, "febrero": 2, "marzo": 3, "abril": 4, "mayo": 5, "junio": 6,
    "julio": 7, "agosto": 8, "septiembre": 9, "setiembre": 9, "octubre": 10,
    "noviembre": 11, "diciembre": 12,
}  # fmt: skip

# Zones as news and government pages print them. A US zone without S/D
# ("ET") follows daylight saving time on that date; IST is India's (the
# pages that print it are Indian papers).
_FIXED_ZONES = {
    "UTC": 0, "GMT": 0, "Z": 0, "EST": -300, "EDT": -240, "CST": -360, "CDT": -300,
    "MST": -420, "MDT": -360, "PST": -480, "PDT": -420, "IST": 330, "CET": 60,
    "CEST": 120, "BST": 60, "JST": 540, "MSK": 180,
}  # fmt: skip
_DST_ZONES = {
    "ET": "America/New_York",
    "CT": "America/Chicago",
    "MT": "America/Denver",
    "PT": "America/Los_Angeles",
}
WEEKDAYS = (
    "monday|tuesday|wednesday|thursday|friday|saturday|sunday|"
    "mon|tue|tues|wed|thu|thur|thurs|fri|sat|sun|"
    "lunes|martes|miércoles|miercoles|jueves|viernes|sábado|sabado|domingo"
)
_PREFIX = (
    r"(?:(?:for\s+immediate\s+release|para\s+publicación\s+inmediata|last\s+updated|updated|"
    r"published|posted|released|issued|date|actualizado|publicado)\s*:?\s*)?"
)
_WEEKDAY = rf"(?:(?:{WEEKDAYS})\.?,?\s+)?"
_MONTH = r"(?P<month>[A-Za-zÁÉÍÓÚáéíóú]+)\.?"
_DAY_FIRST = rf"(?P<day>\d{{1,2}})\s+{_MONTH},?\s+(?P<year>\d{{4}})"
_MONTH_FIRST = rf"{_MONTH}\s+(?P<day>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<year>\d{{4}})"
_SPANISH = rf"(?P<day>\d{{1,2}})\s+de\s+{_MONTH}\s+(?:de|del)\s+(?P<year>\d{{4}})"
_ISO = r"(?P<year>\d{4})-(?P<mnum>\d{1,2})-(?P<day>\d{1,2})"
_NUMERIC = r"(?P<first>\d{1,2})/(?P<second>\d{1,2})/(?P<year>\d{4})"
TIME = (
    r"(?P<hour>\d{1,2}):(?P<minute>\d{2})(?::(?P<second_>\d{2}))?"
    r"(?:\s*(?P<ampm>[ap])\.?\s?m\.?)?(?:\s+(?P<zone>[A-Z]{1,4}))?"
)
_TIME_PART = rf"(?:(?:,\s*|\s+at\s+|\s*[-|]\s*|T|\s+){TIME})?"
_FORMS = [_ISO, _DAY_FIRST, _MONTH_FIRST, _SPANISH, _NUMERIC]
_LINE_PATTERNS = [
    re.compile(_PREFIX + _WEEKDAY + form + _TIME_PART, re.IGNORECASE) for form in _FORMS
]
# A title with the date at its end: "Chinese FM on the talks - 2001-11-11".
_TITLE_SEPARATOR = re.compile(r"\s[-–—|]\s")
_TIME_LINE = re.compile(TIME, re.IGNORECASE)
_MAX_DATE_LINE = 80
_DIGIT = re.compile(r"\d")
_MAX_TITLE = 200
_MAX_LINE = 2 * (_MAX_TITLE + _MAX_DATE_LINE)  # room for runs of spaces in a paste


@dataclass(frozen=True)
class DateLine:
    """What a date line states: its date, its time if given, and a title before it."""

    date: str  # ISO 8601 date
    time: str | None = None  # ISO 8601 date and time, with the offset when the zone is known
    title: str | None = None  # "Title - 2001-11-11": the title before the date
    ambiguous: str | None = None  # the other reading of a numeric date such as 4/11/2005
    unknown_zone: str | None = None  # a zone abbreviation not in the table


def read_date_line(line: str, date_order: str | None = None) -> DateLine | None:
    """The date (and time) a whole line states, or None when the line is not a date line.

    `date_order` ('mdy' or 'dmy') reads numeric dates such as 4/11/2005; without
    it they are read month first, as US pages print them, and marked ambiguous.
    """
    if len(line) > _MAX_LINE or not _DIGIT.search(line):  # cheap: most lines are text
        return None
    text = " ".join(line.split())
    found = _read(text, date_order)
    if found is not None:
        return found
    for separator in _TITLE_SEPARATOR.finditer(text):
        title = text[: separator.start()].strip()
        found = _read(text[separator.end() :], date_order)
        if found is not None and title and len(title) <= _MAX_TITLE:
            return DateLine(found.date, found.time, title, found.ambiguous, found.unknown_zone)
    return None


def parse_date(line: str) -> str | None:
    """The ISO date a whole line states (`28 December 2023` → `2023-12-28`), or None.

    Only a line that is a date and nothing else counts: a sentence that
    mentions a date is body text, not a header.
    """
    found = read_date_line(line)
    return found.date if found is not None and found.title is None else None


def read_time_line(line: str, date: str) -> tuple[str, str | None] | None:
    """A line that is only a time ("6:21 P.M. EST") on `date`: (ISO date-time, unknown zone)."""
    match = _TIME_LINE.fullmatch(" ".join(line.split()).rstrip())
    if match is None:
        return None
    year, month, day = (int(part) for part in date.split("-"))
    return _time(match.groupdict(), datetime.date(year, month, day))


def _read(text: str, date_order: str | None) -> DateLine | None:
    text = text.strip(" .")
    if len(text) > _MAX_DATE_LINE:
        return None
    for pattern in _LINE_PATTERNS:
        match = pattern.fullmatch(text)
        if match is None:
            continue
        parts = match.groupdict()
        ambiguous = None
        if parts.get("first"):
            first, second = int(parts["first"]), int(parts["second"])
            day_first = first > 12 or (second <= 12 and date_order == "dmy")
            month, day = (second, first) if day_first else (first, second)
            if first <= 12 and second <= 12 and first != second and date_order is None:
                ambiguous = _iso(int(parts["year"]), day, month)
        elif parts.get("mnum"):
            month, day = int(parts["mnum"]), int(parts["day"])
        else:
            month, day = _MONTHS.get(parts["month"].lower(), 0), int(parts["day"])
        iso = _iso(int(parts["year"]), month, day)
        if iso is None:
            return None
        time, unknown_zone = None, None
        if parts.get("hour"):
            timed = _time(parts, datetime.date.fromisoformat(iso))
            if timed is None:
                return None
            time, unknown_zone = timed
        return DateLine(iso, time, None, ambiguous, unknown_zone)
    return None


def _iso(year: int, month: int, day: int) -> str | None:
    try:
        return datetime.date(year, month, day).isoformat()
    except ValueError:
        return None


def _time(parts: dict[str, str | None], date: datetime.date) -> tuple[str, str | None] | None:
    """ISO 8601 date-time for a time on `date`, and the zone when it is not known."""
    hour, minute = int(parts["hour"] or 0), int(parts["minute"] or 0)
    second = int(parts["second_"] or 0)
    ampm = (parts.get("ampm") or "").lower()
    if ampm and not 1 <= hour <= 12:
        return None
    if ampm == "p" and hour != 12:
        hour += 12
    elif ampm == "a" and hour == 12:
        hour = 0
    if hour > 23 or minute > 59 or second > 59:
        return None
    moment = datetime.datetime(date.year, date.month, date.day, hour, minute, second)
    spec = "seconds" if parts["second_"] else "minutes"
    zone = (parts.get("zone") or "").upper()
    if not zone:
        return moment.isoformat(timespec=spec), None
    if zone in _FIXED_ZONES:
        offset = datetime.timezone(datetime.timedelta(minutes=_FIXED_ZONES[zone]))
        return moment.replace(tzinfo=offset).isoformat(timespec=spec), None
    if zone in _DST_ZONES:
        return moment.replace(tzinfo=ZoneInfo(_DST_ZONES[zone])).isoformat(timespec=spec), None
    return moment.isoformat(timespec=spec), zone
