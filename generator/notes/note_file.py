"""Read editors' notes from `notes/**/*.yaml`: forgiving to write, exact in its errors.

A notes file is a list of notes, or a mapping with a default `doc:` and a
`notes:` list:

    - doc: 2023-12-28-hill-biden-administration-backtracks-democratic-decline
      quote: hours later deleted the phrase
      note: The State Department's page kept the phrase; see [its text](...).
      tags: [context]

This module only reads and validates; anchoring is `annotate.py`'s job.
"""

from __future__ import annotations

import datetime
import os
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from generator import safe_yaml
from generator.diagnostics import Diagnostics
from generator.sources.dates import parse_date

KEYS = ("doc", "quote", "occurrence", "prefix", "suffix", "paragraph", "note", "author", "date",
        "tags", "id")  # fmt: skip


@dataclass(frozen=True)
class NoteDraft:
    """A note as written, before anchoring."""

    source: str
    line: int
    doc: str
    doc_line: int
    note: str
    note_line: int
    quote: str | None = None
    occurrence: int | None = None
    prefix: str | None = None
    suffix: str | None = None
    paragraph: int | None = None
    author: str | None = None
    date: str | None = None
    tags: tuple[str, ...] = ()
    id: str | None = None
    # (key, line) of each key written: a problem points at the key at fault.
    lines: tuple[tuple[str, int], ...] = field(default=(), compare=False)

    def line_of(self, key: str) -> int:
        """The line of `key` in the notes file, or the note's first line without it."""
        return next((line for name, line in self.lines if name == key), self.line)


def load_notes(source: Path, diagnostics: Diagnostics) -> list[NoteDraft]:
    """Every note under `source/notes`, in file then file order; problems reported."""
    drafts: list[NoteDraft] = []
    for path, rel in note_files(source, diagnostics):
        drafts.extend(load_notes_file(path, rel, diagnostics))
    return drafts


def note_files(source: Path, diagnostics: Diagnostics) -> list[tuple[Path, str]]:
    """The notes files under `source/notes` (path, path relative to `source`), in order."""
    root = source / "notes"
    found: list[tuple[Path, str]] = []
    if not root.is_dir():
        return found
    for folder, dirs, files in os.walk(root):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in sorted(files):
            path = Path(folder) / name
            rel = path.relative_to(source).as_posix()
            if name.startswith(".") or not name.endswith((".yaml", ".yml")):
                continue
            if path.is_symlink() and not path.resolve().is_relative_to(root.resolve()):
                diagnostics.error(rel, 1, "symbolic link points outside the notes folder")
                continue
            found.append((path, rel))
    return found


def load_notes_file(path: Path, rel: str, diagnostics: Diagnostics) -> list[NoteDraft]:
    """The notes of one file, in file order; problems reported."""
    return _load_file(path, rel, diagnostics)


def _load_file(path: Path, rel: str, diagnostics: Diagnostics) -> list[NoteDraft]:
    data, node = safe_yaml.load(path, rel, diagnostics)
    if data is None or node is None:
        return []
    default_doc: str | None = None
    default_line = 1
    items_node: yaml.Node = node
    if isinstance(data, dict):
        safe_yaml.warn_unknown_keys(
            data, ("doc", "notes"), rel, lambda key: safe_yaml.line_of(node, key), diagnostics
        )
        default_doc = data.get("doc")
        default_line = safe_yaml.line_of(node, "doc")
        items = data.get("notes")
        if not isinstance(items, list):
            diagnostics.error(rel, 1, "expected a list of notes, or 'notes:' with a list")
            return []
        items_node = _value_node(node, "notes") or node
    elif isinstance(data, list):
        items = data
    else:
        diagnostics.error(rel, 1, "expected a list of notes, or 'notes:' with a list")
        return []
    drafts = []
    for index, item in enumerate(items):
        item_node = items_node.value[index] if isinstance(items_node, yaml.SequenceNode) else node
        draft = _draft(item, item_node, rel, default_doc, default_line, diagnostics)
        if draft is not None:
            drafts.append(draft)
    return drafts


def _value_node(node: yaml.Node, key: str) -> yaml.Node | None:
    if isinstance(node, yaml.MappingNode):
        for key_node, value_node in node.value:
            if key_node.value == key:
                return value_node
    return None


def _draft(
    item: object,
    node: yaml.Node,
    rel: str,
    default_doc: str | None,
    default_line: int,
    diagnostics: Diagnostics,
) -> NoteDraft | None:
    line = node.start_mark.line + 1
    if not isinstance(item, dict):
        diagnostics.error(rel, line, "a note must be a mapping with 'doc', 'quote' and 'note'")
        return None

    def at(key: str) -> int:
        """The line of `key` itself (its value may start on the next one)."""
        if isinstance(node, yaml.MappingNode):
            for key_node, _ in node.value:
                if key_node.value == key:
                    return key_node.start_mark.line + 1
        return line

    safe_yaml.warn_unknown_keys(item, KEYS, rel, at, diagnostics)
    ok = True

    def text(key: str) -> str | None:
        nonlocal ok
        value = item.get(key)
        if value is None:
            return None
        if isinstance(value, bool | dict | list):
            diagnostics.error(rel, at(key), f"'{key}' must be text")
            ok = False
            return None
        return str(value).strip() or None

    doc = text("doc") or default_doc
    body = text("note")
    quote = text("quote")
    paragraph = _paragraph(item.get("paragraph"), rel, at("paragraph"), diagnostics)
    occurrence = item.get("occurrence")
    if doc is None:
        diagnostics.error(rel, line, "the note has no 'doc': give the id of the document")
        ok = False
    if body is None:
        diagnostics.error(rel, line, "the note has no 'note': write the note's text")
        ok = False
    if quote is None and item.get("paragraph") is None:
        diagnostics.error(
            rel, line, "the note needs a 'quote' (the exact passage) or a 'paragraph' (e.g. p3)"
        )
        ok = False
    if quote is not None and item.get("paragraph") is not None:
        diagnostics.error(rel, at("paragraph"), "give either 'quote' or 'paragraph', not both")
        ok = False
    if occurrence is not None and (
        isinstance(occurrence, bool) or not isinstance(occurrence, int) or occurrence < 1
    ):
        diagnostics.error(rel, at("occurrence"), "'occurrence' must be a whole number from 1")
        ok = False
    if item.get("paragraph") is not None and paragraph is None:
        ok = False
    tags = _tags(item.get("tags"), rel, at("tags"), diagnostics)
    date = item.get("date")
    if isinstance(date, datetime.datetime):
        # A note is dated by day; the export adds the time of day itself.
        date = date.date()
    if isinstance(date, datetime.date):
        date = date.isoformat()
    elif date is not None:
        iso = parse_date(str(date))
        if iso is None:
            diagnostics.warning(rel, at("date"), f"cannot read '{date}' as a date; it is ignored")
        date = iso
    if not ok or doc is None or body is None:
        return None
    return NoteDraft(
        source=rel,
        line=line,
        doc=doc,
        doc_line=at("doc") if "doc" in item else default_line,
        note=body,
        note_line=at("note"),
        quote=quote,
        occurrence=occurrence,
        prefix=text("prefix"),
        suffix=text("suffix"),
        paragraph=paragraph,
        author=text("author"),
        date=str(date).strip() if date is not None else None,
        tags=tags or (),
        id=text("id"),
        lines=tuple((str(key), at(str(key))) for key in item),
    )


def _paragraph(value: object, rel: str, line: int, diagnostics: Diagnostics) -> int | None:
    if value is None:
        return None
    raw = str(value).strip().lower().removeprefix("p")
    if isinstance(value, bool) or not raw.isdigit() or int(raw) < 1:
        diagnostics.error(rel, line, f"'paragraph' must look like p3, not '{value}'")
        return None
    return int(raw)


def _tags(value: object, rel: str, line: int, diagnostics: Diagnostics) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [t for t in value.replace(",", " ").split() if t]
    if not isinstance(value, list) or not all(isinstance(t, str | int) for t in value):
        diagnostics.error(rel, line, "'tags' must be a list of words, e.g. [variant, context]")
        return ()
    return tuple(dict.fromkeys(str(t).strip().lower() for t in value if str(t).strip()))
