"""Editors' say over translation groups: the `translations` list of `compare.yaml`.

    translations:
      - id: joint-communique-translations     # optional, [a-z0-9-]
        title: The communiqué and its translations
        documents: [spanish-doc-id, english-doc-id]
        original: spanish-doc-id              # optional: else the earliest dated, else unknown

A declared group takes its documents out of every detected translation group:
that is how an editor splits (declare the parts), merges (declare the union)
or renames one, and names its original.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator import safe_yaml
from generator.compare.config import FILE
from generator.diagnostics import Diagnostics
from generator.sources.ids import is_valid_id

KEY = "translations"


@dataclass(frozen=True)
class DeclaredTranslations:
    """A translation group as an editor wrote it."""

    documents: tuple[str, ...]
    original: str | None = None
    id: str | None = None
    title: str | None = None
    line: int = 0


def load_translation_config(
    source: Path, known: set[str], diagnostics: Diagnostics
) -> tuple[DeclaredTranslations, ...]:
    """The translation groups compare.yaml declares; each problem reported with its line."""
    path = source / FILE
    if not path.is_file():
        return ()
    # config.py reads the file too and reports it if it does not parse: not twice.
    data, node = safe_yaml.load(path, FILE, Diagnostics())
    if not isinstance(data, dict) or data.get(KEY) is None:
        return ()
    raw_groups = data[KEY]
    if not isinstance(raw_groups, list):
        diagnostics.error(FILE, safe_yaml.line_of(node, KEY), f"'{KEY}' must be a list")
        return ()
    declared: list[DeclaredTranslations] = []
    claimed: dict[str, int] = {}
    for index, raw in enumerate(raw_groups):
        line = safe_yaml.line_of(node, KEY, index)
        group = _declared(raw, line, known, claimed, diagnostics)
        if group is not None:
            declared.append(group)
    return tuple(declared)


def _declared(
    raw: object, line: int, known: set[str], claimed: dict[str, int], diagnostics: Diagnostics
) -> DeclaredTranslations | None:
    if not isinstance(raw, dict):
        diagnostics.error(FILE, line, "a translation group must be a mapping with 'documents'")
        return None
    keys = ("id", "title", "documents", "original")
    safe_yaml.warn_unknown_keys(raw, keys, FILE, lambda key: line, diagnostics, ignored=False)
    members = raw.get("documents")
    if not isinstance(members, list) or len(members) < 2:
        diagnostics.error(
            FILE, line, "a translation group needs 'documents': a list of at least two ids"
        )
        return None
    for member in members:
        if not isinstance(member, str) or member not in known:
            hint = safe_yaml.did_you_mean(str(member), known, cutoff=0.5)
            diagnostics.error(FILE, line, f"no document has the id '{member}'{hint}")
            return None
        if member in claimed:
            diagnostics.error(
                FILE,
                line,
                f"'{member}' is already in the translation group declared at line "
                f"{claimed[member]}",
            )
            return None
    documents = tuple(dict.fromkeys(members))
    original = raw.get("original")
    if original is not None and original not in documents:
        diagnostics.error(
            FILE, line, f"the original '{original}' is not one of the group's documents"
        )
        return None
    group_id = raw.get("id")
    if group_id is not None and not (isinstance(group_id, str) and is_valid_id(group_id)):
        diagnostics.error(
            FILE, line, f"group id '{group_id}' must be lowercase letters, digits and hyphens"
        )
        return None
    for member in documents:
        claimed[member] = line
    title = raw.get("title")
    return DeclaredTranslations(
        documents, original, group_id, str(title).strip() if title else None, line
    )
