"""Read an editor's corrections for a bundle: `<bundle>.yaml` beside `<bundle>.txt`.

    title: Optional title for the bundle (collection)
    documents:
      1:                       # the document's position in the bundle...
        publisher: Secretaría de Relaciones Exteriores
        url: https://example.org/original
      2023-12-28-the-hill-...: # ...or its id
        byline: Rafael Bernal

What an editor writes here is kept apart from what the source says: pages and
exports show both.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from generator import safe_yaml
from generator.diagnostics import Diagnostics
from generator.model import EDITABLE_FIELDS
from generator.sources.dates import parse_date
from generator.sources.ids import is_valid_id
from generator.sources.site_config import DATE_ORDERS, date_order_problem


@dataclass
class BundleCorrections:
    """Corrections for one bundle, keyed by position (int) or document id (str)."""

    path: str
    title: str | None = None
    date_order: str | None = None  # 'mdy' or 'dmy', for this bundle's numeric dates
    documents: dict[int | str, dict[str, str]] = field(default_factory=dict)
    lines: dict[int | str, int] = field(default_factory=dict)  # key → YAML line


def load_corrections(path: Path, rel: str, diagnostics: Diagnostics) -> BundleCorrections:
    """Corrections from a bundle's YAML file; problems are reported, never raised."""
    result = BundleCorrections(rel)
    data, node = safe_yaml.load(path, rel, diagnostics)
    if data is None:
        return result
    if not isinstance(data, dict):
        diagnostics.error(rel, 1, "expected a mapping with 'title' and/or 'documents'")
        return result
    safe_yaml.warn_unknown_keys(
        data,
        ("title", "date_order", "documents"),
        rel,
        lambda key: safe_yaml.line_of(node, key),
        diagnostics,
    )
    if isinstance(data.get("title"), str):
        result.title = data["title"].strip()
    if data.get("date_order") is not None:
        if data["date_order"] in DATE_ORDERS:
            result.date_order = data["date_order"]
        else:
            line = safe_yaml.line_of(node, "date_order")
            diagnostics.error(rel, line, date_order_problem(str(data["date_order"])))
    documents = data.get("documents") or {}
    if not isinstance(documents, dict):
        line = safe_yaml.line_of(node, "documents")
        diagnostics.error(rel, line, "'documents' must map a position or an id to fields")
        return result
    for key, fields in documents.items():
        line = safe_yaml.line_of(node, "documents", key)
        if not isinstance(key, int | str) or isinstance(key, bool):
            diagnostics.error(rel, line, f"'{key}' is neither a position nor a document id")
            continue
        if not isinstance(fields, dict):
            diagnostics.error(rel, line, f"document '{key}' must map field names to values")
            continue
        result.documents[key] = _fields(fields, rel, line, node, key, diagnostics)
        result.lines[key] = line
    return result


def _fields(
    fields: dict,
    rel: str,
    line: int,
    node: object,
    key: int | str,
    diagnostics: Diagnostics,
) -> dict[str, str]:
    clean: dict[str, str] = {}
    for name, value in fields.items():
        field_line = safe_yaml.line_of(node, "documents", key, name)  # type: ignore[arg-type]
        if name not in EDITABLE_FIELDS:
            warning = safe_yaml.unknown_key(name, EDITABLE_FIELDS, "field")
            diagnostics.warning(rel, field_line, warning)
            continue
        if value is None:
            continue
        text = " ".join(str(value).split())
        if name == "date":
            iso = parse_date(text)
            if iso is None:
                diagnostics.error(rel, field_line, f"cannot read '{text}' as a date")
                continue
            text = iso
        if name == "id" and not is_valid_id(text):
            diagnostics.error(
                rel, field_line, f"id '{text}' must be lowercase letters, digits and hyphens"
            )
            continue
        if name == "url" and not text.startswith(("http://", "https://")):
            diagnostics.error(rel, field_line, f"url '{text}' must start with http:// or https://")
            continue
        clean[name] = text
    return clean
