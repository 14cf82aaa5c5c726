"""How a bundle's lines make paragraphs: blank-line blocks, hard wraps, joined lines.

Three layouts occur in pastes:

- one paragraph per line (the example bundles);
- paragraphs separated by blank lines, hard-wrapped inside (`is_wrapped`);
- hard-wrapped text with no blank lines at all, as copied from a PDF or a
  wire service's fixed-width feed (`wrapped_paragraphs`): the lines of a
  paragraph are then told apart by their width, their ends in mid-sentence
  and the next line going on in lower case.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

_LONG_LINE = 120  # wrapped text rarely has lines longer than this
_SENTENCE_STOP = (".", "!", "?", '"', "”", "’", ":", ")")
_MAX_WRAP_WIDTH = 100  # fixed-width feeds and PDFs wrap at 60–80 characters
_MIN_WRAPPED_LINES = 4


@dataclass(frozen=True)
class Line:
    """A non-blank line: its 1-based number and its text, whitespace-normalized."""

    number: int
    text: str
    indent: int = 0  # leading spaces in the file: some pastes mark paragraphs so


def normalize_space(text: str) -> str:
    """Collapse every run of whitespace (non-breaking spaces included) to one space."""
    return " ".join(text.split())


def blocks(lines: list[str]) -> list[list[Line]]:
    """Runs of consecutive non-blank lines."""
    found: list[list[Line]] = []
    current: list[Line] = []
    for number, raw in enumerate(lines, start=1):
        text = normalize_space(raw)
        if text:
            indent = 0
            if raw[:1].isspace():
                spaced = raw.expandtabs(4)
                indent = len(spaced) - len(spaced.lstrip())
            current.append(Line(number, text, indent))
        elif current:
            found.append(current)
            current = []
    if current:
        found.append(current)
    return found


def is_wrapped(runs: list[list[Line]]) -> bool:
    """Whether paragraphs are blank-line separated and hard-wrapped inside.

    Wrapped text has blank lines, almost no long lines, and lines that stop in
    mid-sentence with the sentence going on in the next line.
    """
    if len(runs) < 2:
        return False
    lines = [line for run in runs for line in run]
    long_lines = sum(len(line.text) > _LONG_LINE for line in lines)
    if long_lines > max(1, len(lines) // 20):
        return False
    for run in runs:
        for line, following in itertools.pairwise(run):
            stops_mid_sentence = not line.text.endswith((".", "!", "?", '"', "”", ":"))
            goes_on = following.text[:1].islower() or len(following.text) >= 40
            if len(line.text) >= 40 and stops_mid_sentence and goes_on:
                return True
    return False


def join(unit: list[Line]) -> str:
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


def wrapped_paragraphs(lines: list[Line]) -> list[list[Line]] | None:
    """The paragraphs of hard-wrapped lines with no blank lines between, or None.

    None when the lines read as one paragraph per line: the lines are not
    near one width, or too few of them stop in mid-sentence and go on below.
    A paragraph ends at a line that ends a sentence well short of the width,
    or before a line indented more than the text.
    """
    if len(lines) < _MIN_WRAPPED_LINES:
        return None
    width = max(len(line.text) for line in lines)
    if width > _MAX_WRAP_WIDTH:
        return None
    near_width = sum(len(line.text) >= width * 0.75 for line in lines)
    goes_on = sum(
        not line.text.endswith(_SENTENCE_STOP) and len(line.text) >= width * 0.75
        for line in lines[:-1]
    )
    if near_width * 2 < len(lines) or goes_on * 4 < len(lines):
        return None
    body_indent = min(line.indent for line in lines)
    paragraphs: list[list[Line]] = [[lines[0]]]
    for line, following in itertools.pairwise(lines):
        ends_short = line.text.endswith(_SENTENCE_STOP) and len(line.text) < width * 0.85
        if ends_short or following.indent > body_indent:
            paragraphs.append([following])
        else:
            paragraphs[-1].append(following)
    return paragraphs
