"""Recognize a date line of a document header and turn it into ISO 8601."""

from __future__ import annotations

import datetime
import re

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

_MONTH = r"(?P<month>[A-Za-zÁÉÍÓÚáéíóú]+)\.?"
_WEEKDAY = r"(?:[A-Za-zéá]+,?\s+)?"  # "Thursday, " / "jueves, " before a date
_PATTERNS = [
    re.compile(r"(?P<year>\d{4})-(?P<mnum>\d{1,2})-(?P<day>\d{1,2})"),
    re.compile(_WEEKDAY + r"(?P<day>\d{1,2})\s+" + _MONTH + r",?\s+(?P<year>\d{4})"),
    re.compile(_WEEKDAY + _MONTH + r"\s+(?P<day>\d{1,2})(?:st|nd|rd|th)?,?\s+(?P<year>\d{4})"),
    re.compile(
        _WEEKDAY + r"(?P<day>\d{1,2})\s+de\s+" + _MONTH + r"\s+(?:de|del)\s+(?P<year>\d{4})",
        re.IGNORECASE,
    ),
]


def parse_date(line: str) -> str | None:
    """The ISO date a whole line states (`28 December 2023` → `2023-12-28`), or None.

    Only a line that is a date and nothing else counts: a sentence that
    mentions a date is body text, not a header.
    """
    text = " ".join(line.split()).strip(" .")
    if len(text) > 40:
        return None
    for pattern in _PATTERNS:
        match = pattern.fullmatch(text)
        if match is None:
            continue
        parts = match.groupdict()
        if parts.get("mnum"):
            month = int(parts["mnum"])
        else:
            month = _MONTHS.get(parts["month"].lower(), 0)
        try:
            return datetime.date(int(parts["year"]), month, int(parts["day"])).isoformat()
        except ValueError:
            return None
    return None
