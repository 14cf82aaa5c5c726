"""Read a document an editor typed in: Markdown with YAML front matter.

    ---
    publisher: The Hill
    place: Washington DC
    date: 2023-12-28
    title: Biden administration backtracks...
    byline: Rafael Bernal
    url: https://example.org/article
    language: en
    id: 2023-12-28-hill-backtracks     # optional: the document's id
    ---
    First paragraph...

The front matter is the document's own header; paragraphs are the Markdown
blocks, reduced to plain text.
"""

from __future__ import annotations

from dataclasses import dataclass

from markdown_it import MarkdownIt

from generator import safe_yaml
from generator.diagnostics import Diagnostics
from generator.model import EDITABLE_FIELDS, HEADER_FIELDS
from generator.sources.bundle import Line, RawDocument, normalize_space
from generator.sources.dates import parse_date
from generator.sources.ids import is_valid_id

_MARKDOWN = MarkdownIt("commonmark", {"html": False})


@dataclass(frozen=True)
class FrontMatter:
    """What front matter says beyond the header: fields a bundle sets in its YAML."""

    language: str | None = None
    url: str | None = None
    id: str | None = None  # the editor's choice of id, instead of the derived one


def parse_markdown_document(
    data: bytes, rel: str, diagnostics: Diagnostics
) -> tuple[RawDocument, FrontMatter] | None:
    """The document and what else its front matter sets; None after reporting a problem."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as problem:
        line = data.count(b"\n", 0, problem.start) + 1
        diagnostics.error(
            rel, line, f"not valid UTF-8 (byte offset {problem.start}); save the file as UTF-8"
        )
        return None
    lines = text.splitlines()
    header: dict[str, str | None] = dict.fromkeys(HEADER_FIELDS)
    language = url = chosen_id = None
    body_start = 0
    if lines and lines[0].strip() == "---":
        end = next((i for i in range(1, len(lines)) if lines[i].strip() in ("---", "...")), None)
        if end is None:
            diagnostics.error(rel, 1, "front matter starts with '---' but never ends")
            return None
        node = safe_yaml.compose("\n".join(lines[1:end]), rel, diagnostics)
        meta = safe_yaml.construct(node, rel, diagnostics) if node is not None else None
        if meta is not None and not isinstance(meta, dict):
            diagnostics.error(rel, 2, "front matter must be a mapping of fields")
            meta = None
        for key, value in (meta or {}).items():
            line = safe_yaml.line_of(node, key) + 1  # +1: the opening '---'
            if key not in EDITABLE_FIELDS:
                diagnostics.warning(rel, line, safe_yaml.unknown_key(key, EDITABLE_FIELDS, "field"))
                continue
            if value is None:
                continue
            value = normalize_space(str(value))
            if key == "date":
                iso = parse_date(value)
                if iso is None:
                    diagnostics.error(rel, line, f"cannot read '{value}' as a date")
                    continue
                value = iso
            if key == "url" and not value.startswith(("http://", "https://")):
                diagnostics.error(rel, line, f"url '{value}' must start with http:// or https://")
                continue
            if key == "id" and not is_valid_id(value):
                diagnostics.error(
                    rel, line, f"id '{value}' must be lowercase letters, digits and hyphens"
                )
                continue
            if key == "id":
                chosen_id = value
            elif key == "language":
                language = value
            elif key == "url":
                url = value
            else:
                header[key] = value
        body_start = end + 1
    paragraphs = _paragraphs("\n".join(lines[body_start:]), offset=body_start)
    if not paragraphs:
        diagnostics.warning(rel, body_start + 1, "the document has no text")
    raw = RawDocument(
        line_start=1,
        line_end=max(len(lines), 1),
        header=header,
        title_derived=header["title"] is None,
        paragraphs=paragraphs,
    )
    return raw, FrontMatter(language, url, chosen_id)


def _paragraphs(body: str, offset: int) -> list[Line]:
    """Plain text of each Markdown block (paragraph, heading, list item), in order."""
    tokens = _MARKDOWN.parse(body)
    result: list[Line] = []
    for index, token in enumerate(tokens):
        if token.type != "inline" or token.children is None:
            continue
        parts = []
        for child in token.children:
            if child.type in ("text", "code_inline"):
                parts.append(child.content)
            elif child.type in ("softbreak", "hardbreak"):
                parts.append(" ")
        text = normalize_space("".join(parts))
        if text:
            block = tokens[index - 1] if index else token
            line = (block.map[0] if block.map else 0) + offset + 1
            result.append(Line(line, text))
    return result
