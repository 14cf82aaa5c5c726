"""Editors' say over version groups: `compare.yaml`, and how it meets detection.

    groups:
      - id: joint-communique                  # optional, [a-z0-9-]
        title: Joint communiqué of 28 December 2023
        documents: [state-doc-id, ministry-doc-id, copy-doc-id]
        base: state-doc-id                    # optional: the first listed
    ungrouped: [some-doc-id]                  # never put these in a detected group

A declared group takes its documents out of every detected group: that is
how an editor renames (declare the same members with a title), splits
(declare the parts) or merges (declare the union) groups.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path

from generator import safe_yaml
from generator.diagnostics import Diagnostics
from generator.model import Document, Group
from generator.sources.ids import is_valid_id, slugify, unused

FILE = "compare.yaml"


@dataclass(frozen=True)
class DeclaredGroup:
    """A group as an editor wrote it."""

    documents: tuple[str, ...]  # base first
    id: str | None = None
    title: str | None = None


@dataclass(frozen=True)
class CompareConfig:
    """Everything compare.yaml says."""

    groups: tuple[DeclaredGroup, ...] = ()
    ungrouped: frozenset[str] = field(default_factory=frozenset)


def load_compare_config(source: Path, known: set[str], diagnostics: Diagnostics) -> CompareConfig:
    """Read compare.yaml if present; report unknown ids and contradictions."""
    path = source / FILE
    if not path.is_file():
        return CompareConfig()
    data, node = safe_yaml.load(path, FILE, diagnostics)
    if data is None:
        return CompareConfig()
    if not isinstance(data, dict):
        diagnostics.error(FILE, 1, "expected a mapping with 'groups' and/or 'ungrouped'")
        return CompareConfig()
    safe_yaml.warn_unknown_keys(
        data,
        ("groups", "ungrouped", "translations"),  # translations: translation_config.py
        FILE,
        lambda key: safe_yaml.line_of(node, key),
        diagnostics,
        ignored=False,
    )

    def check_id(doc_id: object, line: int) -> str | None:
        if not isinstance(doc_id, str) or doc_id not in known:
            hint = safe_yaml.did_you_mean(str(doc_id), known, cutoff=0.5)
            diagnostics.error(FILE, line, f"no document has the id '{doc_id}'{hint}")
            return None
        return doc_id

    groups: list[DeclaredGroup] = []
    claimed: dict[str, int] = {}
    raw_groups = data.get("groups") or []
    if not isinstance(raw_groups, list):
        diagnostics.error(FILE, safe_yaml.line_of(node, "groups"), "'groups' must be a list")
        raw_groups = []
    for index, raw in enumerate(raw_groups):
        line = safe_yaml.line_of(node, "groups", index)
        group = _declared(raw, line, check_id, claimed, diagnostics)
        if group is not None:
            groups.append(group)
    ungrouped = data.get("ungrouped") or []
    if not isinstance(ungrouped, list):
        diagnostics.error(FILE, safe_yaml.line_of(node, "ungrouped"), "'ungrouped' must be a list")
        ungrouped = []
    line = safe_yaml.line_of(node, "ungrouped")
    kept = {d for d in (check_id(u, line) for u in ungrouped) if d is not None}
    return CompareConfig(tuple(groups), frozenset(kept))


def _declared(
    raw: object,
    line: int,
    check_id: Callable[[object, int], str | None],
    claimed: dict[str, int],
    diagnostics: Diagnostics,
) -> DeclaredGroup | None:
    if not isinstance(raw, dict):
        diagnostics.error(FILE, line, "a group must be a mapping with 'documents'")
        return None
    keys = ("id", "title", "documents", "base")
    safe_yaml.warn_unknown_keys(raw, keys, FILE, lambda key: line, diagnostics, ignored=False)
    members = raw.get("documents")
    if not isinstance(members, list) or len(members) < 2:
        diagnostics.error(FILE, line, "a group needs 'documents': a list of at least two ids")
        return None
    ids = [check_id(m, line) for m in members]
    if None in ids:
        return None
    documents = list(dict.fromkeys(i for i in ids if i is not None))
    for doc_id in documents:
        if doc_id in claimed:
            diagnostics.error(
                FILE, line, f"'{doc_id}' is already in the group declared at line {claimed[doc_id]}"
            )
            return None
    base = raw.get("base")
    if base is not None:
        if base not in documents:
            diagnostics.error(FILE, line, f"the base '{base}' is not one of the group's documents")
            return None
        documents.remove(base)
        documents.insert(0, base)
    group_id = raw.get("id")
    if group_id is not None and not (isinstance(group_id, str) and is_valid_id(group_id)):
        diagnostics.error(
            FILE, line, f"group id '{group_id}' must be lowercase letters, digits and hyphens"
        )
        return None
    for doc_id in documents:
        claimed[doc_id] = line
    title = raw.get("title")
    return DeclaredGroup(tuple(documents), group_id, str(title).strip() if title else None)


def resolve_groups(
    detected: list[list[str]],
    config: CompareConfig,
    documents: list[Document],
    quoted: Mapping[str, int] | None = None,
) -> tuple[Group, ...]:
    """Final groups: declared ones as written, detected ones minus what editors claimed.

    A detected group's base is its earliest dated version with a known
    source; among versions of one day, the one other documents quote most
    (the text the archive's reports cite); then the document id. Never the
    order of the files. Groups are ordered, and their ids made unique, the same way.
    """
    by_id = {d.id: d for d in documents}
    quoted = quoted or {}
    claimed = {d for g in config.groups for d in g.documents} | set(config.ungrouped)

    def standing(doc_id: str) -> tuple[bool, str, int, str]:
        doc = by_id[doc_id]
        return doc.publisher is None, doc.date or "9999", -quoted.get(doc_id, 0), doc_id

    groups: list[Group] = []
    taken: set[str] = set()
    for declared in config.groups:
        base = by_id[declared.documents[0]]
        group_id = declared.id or _group_id(base, taken)
        taken.add(group_id)
        groups.append(Group(group_id, declared.title or base.title, declared.documents, True))
    found = [sorted((m for m in members if m not in claimed), key=standing) for members in detected]
    for remaining in sorted((f for f in found if len(f) > 1), key=lambda f: standing(f[0])):
        base = by_id[remaining[0]]
        group_id = _group_id(base, taken)
        taken.add(group_id)
        groups.append(Group(group_id, base.title, tuple(remaining)))
    groups.sort(key=lambda g: standing(g.base))
    return tuple(groups)


def _group_id(base: Document, taken: set[str]) -> str:
    return unused(slugify(base.title, 6, skip_stopwords=True) or "group", taken)
