"""Split prose into sentences without breaking at initials or abbreviations."""

from __future__ import annotations

import re

# Words that end with a period without ending a sentence (compared lowercased).
_ABBREVIATIONS = frozenset(
    [
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "gen",
        "adm",
        "alm",
        "lt",
        "col",
        "capt",
        "sgt",
        "sen",
        "rep",
        "gov",
        "hon",
        "st",
        "jr",
        "sr",
        "sra",
        "dra",
        "no",
        "vs",
        "etc",
        "inc",
        "corp",
        "co",
        "ltd",
        "dept",
        "est",
        "approx",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
        "lic",
        "ing",
        # titles and offices, English and Spanish: "Pres. López", "Sec. Blinken", "Sra. Bárcena"
        "pres",
        "sec",
        "secs",
        "amb",
        "gob",
        "sres",
        "srta",
        "dip",
        "gral",
        "ptes",
        "pdte",
        "excmo",
        "excma",
        "mtro",
        "mtra",
        "supt",
        "cmdr",
    ]
)
# "p.m." and "a.m." end a sentence when a capital follows, unless it names the zone.
_TIMES = frozenset(["a.m", "p.m"])
_ZONE_WORDS = re.compile(
    r"\s+[\"'“‘(\[]?(?:[ECMP][SD]?T|GMT|UTC|Eastern|Central|Mountain|Pacific|local)\b"
)
# A candidate boundary: terminal punctuation, optional closing quotes or
# brackets, whitespace, then what may start a sentence.
_BOUNDARY = re.compile(r"[.!?…][\"'”’)\]]*\s+(?=[\"'“‘(\[¿¡]?[A-ZÁÉÍÓÚÑ0-9])")


def _is_abbreviation(text: str, end: int) -> bool:
    """Whether the period at `end` closes an abbreviation or an initial, not a sentence."""
    if text[end] != ".":
        return False
    start = end
    while start > 0 and not text[start - 1].isspace():
        start -= 1
    token = text[start:end].lstrip("\"'“‘([")
    if token.lower() in _TIMES:
        return bool(_ZONE_WORDS.match(text, end + 1))
    if len(token) == 1 and token.isalpha():  # an initial: "Antony J. Blinken"
        return True
    if "." in token:  # "U.S.", "D.C."
        return True
    return token.lower() in _ABBREVIATIONS


def split_sentences(text: str) -> list[str]:
    """The sentences of `text`, each stripped; their concatenation keeps every word."""
    sentences: list[str] = []
    start = 0
    for match in _BOUNDARY.finditer(text):
        if _is_abbreviation(text, match.start()):
            continue
        sentence = text[start : match.end()].strip()
        if sentence:
            sentences.append(sentence)
        start = match.end()
    rest = text[start:].strip()
    if rest:
        sentences.append(rest)
    return sentences
