"""Read the dateline that opens a wire story: "WASHINGTON, Dec. 28 (Reuters) - ".

The dateline stays in the text, where readers expect it; its place and agency
are recorded apart, as derived, for a document whose header lacks them.
"""

from __future__ import annotations

import re

# The place in capitals ("MEXICO CITY", "WASHINGTON, D.C.", "SAN JUAN, Puerto Rico"),
# an optional month and day, the agency in brackets, then a dash of any length.
_DATELINE = re.compile(
    r"(?P<place>[A-ZÁÉÍÓÚÑ][A-ZÁÉÍÓÚÑ.'’-]+(?: [A-ZÁÉÍÓÚÑ][A-ZÁÉÍÓÚÑ.'’-]+){0,3}"
    r"(?:, (?:[A-Z]\.[A-Z]\.|[A-Z][a-z]+(?: [A-Z][a-z]+)?))?)"
    r"(?:, (?P<date>[A-Z][a-z]{2,8}\.? \d{1,2}))?"
    r" \((?P<agency>[A-Z][A-Za-z.&/ -]{0,30})\) ?(?:--|-|—|–) "
)


def read_dateline(paragraph: str) -> dict[str, str] | None:
    """The place and agency of a dateline opening `paragraph`, or None."""
    match = _DATELINE.match(paragraph)
    if match is None:
        return None
    return {"place": _place(match["place"]), "agency": match["agency"].strip()}


def _place(text: str) -> str:
    """ "MEXICO CITY" → "Mexico City"; a state or "D.C." after the comma as written."""
    city, _, rest = text.partition(", ")
    words = " ".join(word.capitalize() for word in city.split(" "))
    return f"{words}, {rest}" if rest else words
