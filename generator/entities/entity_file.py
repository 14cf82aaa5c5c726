"""Read the editor's `entities.yaml`: the people, organizations and places to index.

A list of entities:

    - name: Elizabeth Sherwood-Randall
      kind: person
      aliases: [Liz Sherwood-Randall, Sherwood-Randall]
      description: White House Homeland Security Advisor.
      link: https://www.whitehouse.gov/

or a mapping from each name to the same fields:

    Elizabeth Sherwood-Randall:
      kind: person
      aliases: [Liz Sherwood-Randall]

This module only reads and validates; finding mentions is `mentions.py`'s job.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml

from generator import safe_yaml
from generator.diagnostics import Diagnostics
from generator.notes.anchor import normalize_quote
from generator.sources.ids import is_valid_id, name_slug

FILE = "entities.yaml"
KEYS = ("name", "kind", "aliases", "description", "link", "id")
DEFAULT_KIND = "other"
_KIND = re.compile(r"[a-z][a-z-]*")


@dataclass(frozen=True)
class EntityDraft:
    """An entity as written, checked, with its id settled."""

    line: int
    id: str
    name: str
    kind: str = DEFAULT_KIND
    aliases: tuple[str, ...] = ()
    description: str | None = None
    description_line: int = 0
    link: str | None = None

    @property
    def forms(self) -> tuple[str, ...]:
        """The name and every alias: the words that mention the entity."""
        return (self.name, *self.aliases)


def load_entities(source: Path, diagnostics: Diagnostics) -> list[EntityDraft]:
    """Every entity of `source/entities.yaml` (none when it is absent); problems reported."""
    path = source / FILE
    if not path.is_file():
        return []
    data, node = safe_yaml.load(path, FILE, diagnostics)
    if data is None or node is None:
        return []
    items: list[tuple[Any, yaml.Node, str | None, int]] = []  # (fields, node, name from key, line)
    if isinstance(data, list) and isinstance(node, yaml.SequenceNode):
        items = [(v, n, None, n.start_mark.line + 1) for v, n in zip(data, node.value, strict=True)]
    elif isinstance(data, dict) and isinstance(node, yaml.MappingNode):
        # Walk the nodes, not the dict: a name given twice must be seen twice.
        for key_node, value_node in node.value:
            value = safe_yaml.construct(value_node, FILE, diagnostics)
            items.append(
                (value or {}, value_node, str(key_node.value), key_node.start_mark.line + 1)
            )
    else:
        diagnostics.error(FILE, 1, "expected a list of entities, each with a 'name'")
        return []
    drafts: list[EntityDraft] = []
    for fields, item_node, key_name, line in items:
        draft = _draft(fields, item_node, key_name, line, diagnostics)
        if draft is not None:
            drafts.append(draft)
    return _settle(drafts, diagnostics)


def _draft(
    item: object, node: yaml.Node, key_name: str | None, line: int, diagnostics: Diagnostics
) -> EntityDraft | None:
    if not isinstance(item, dict):
        diagnostics.error(FILE, line, "an entity must be a mapping with at least a 'name'")
        return None

    def at(key: str) -> int:
        if isinstance(node, yaml.MappingNode):
            for key_node, value_node in node.value:
                if key_node.value == key:
                    return value_node.start_mark.line + 1
        return line

    known = KEYS if key_name is None else tuple(k for k in KEYS if k != "name")
    safe_yaml.warn_unknown_keys(item, known, FILE, at, diagnostics)
    ok = True

    def text(key: str) -> str | None:
        nonlocal ok
        value = item.get(key)
        if value is None:
            return None
        if isinstance(value, bool | dict | list):
            diagnostics.error(FILE, at(key), f"'{key}' must be text")
            ok = False
            return None
        return " ".join(str(value).split()) or None

    name = key_name.strip() if key_name is not None else text("name")
    if not name:
        if ok:
            diagnostics.error(FILE, line, "the entity has no 'name': write it as the texts do")
        return None
    if not any(c.isalnum() for c in name):
        diagnostics.error(FILE, line, f"the name '{name}' has no letters or digits")
        return None
    kind = (text("kind") or DEFAULT_KIND).lower()
    if not _KIND.fullmatch(kind):
        diagnostics.error(
            FILE, at("kind"), f"'kind' must be one word such as person, organization or place, "
            f"not '{kind}'"
        )  # fmt: skip
        ok = False
    aliases = _aliases(item.get("aliases"), name, at("aliases"), diagnostics)
    if aliases is None:
        ok = False
    link = text("link")
    if link is not None and not _is_web_address(link):
        diagnostics.error(
            FILE, at("link"), f"'link' must be a web address starting with https:// or http://, "
            f"not '{link}'"
        )  # fmt: skip
        ok = False
    entity_id = text("id")
    if entity_id is not None and not is_valid_id(entity_id):
        diagnostics.error(
            FILE, at("id"), f"entity id '{entity_id}' must be lowercase letters, digits and hyphens"
        )
        ok = False
    description = item.get("description")
    if description is not None and isinstance(description, bool | dict | list):
        diagnostics.error(FILE, at("description"), "'description' must be text")
        ok = False
    if not ok:
        return None
    return EntityDraft(
        line=line,
        id=entity_id or "",
        name=name,
        kind=kind,
        aliases=aliases or (),
        description=str(description).strip() or None if description is not None else None,
        description_line=at("description"),
        link=link,
    )


def _aliases(
    value: object, name: str, line: int, diagnostics: Diagnostics
) -> tuple[str, ...] | None:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, list) or not all(
        isinstance(a, str | int) and not isinstance(a, bool) for a in value
    ):
        diagnostics.error(
            FILE, line, "'aliases' must be a list of names, e.g. [AMLO, López Obrador]"
        )
        return None
    aliases: list[str] = []
    for alias in (" ".join(str(a).split()) for a in value):
        if not alias:
            continue
        if normalize_quote(alias) in {normalize_quote(f) for f in (name, *aliases)}:
            diagnostics.warning(
                FILE, line, f"'{alias}' is given twice for '{name}'; once is enough"
            )
            continue
        if not any(c.isalnum() for c in alias):
            diagnostics.error(FILE, line, f"the alias '{alias}' has no letters or digits")
            return None
        aliases.append(alias)
    return tuple(aliases)


def _is_web_address(value: str) -> bool:
    parts = urlsplit(value)
    return (
        parts.scheme.lower() in ("http", "https")
        and bool(parts.netloc)
        and not any(c.isspace() or ord(c) < 32 for c in value)
    )


def _settle(drafts: list[EntityDraft], diagnostics: Diagnostics) -> list[EntityDraft]:
    """Drop entities whose names clash with an earlier one's; give each a unique id."""
    owner: dict[str, EntityDraft] = {}  # normalized form → the entity it names
    kept: list[EntityDraft] = []
    for draft in drafts:
        clash = False
        for form in draft.forms:
            other = owner.get(normalize_quote(form))
            if other is not None:
                diagnostics.error(
                    FILE,
                    draft.line,
                    f"'{form}' is already a name of '{other.name}' (line {other.line}); "
                    "a name or alias may belong to one entity only",
                )
                clash = True
        if clash:
            continue
        for form in draft.forms:
            owner[normalize_quote(form)] = draft
        kept.append(draft)
    explicit: dict[str, EntityDraft] = {}
    for draft in kept:
        if draft.id and draft.id in explicit:
            other = explicit[draft.id]
            diagnostics.error(
                FILE,
                draft.line,
                f"entity id '{draft.id}' is already the id of '{other.name}' (line {other.line})",
            )
        elif draft.id:
            explicit[draft.id] = draft
    used = set(explicit)
    settled: list[EntityDraft] = []
    for draft in kept:
        if draft.id:
            if explicit.get(draft.id) is draft:
                settled.append(draft)
            continue
        entity_id = name_slug(draft.name, "entity", used)
        used.add(entity_id)
        settled.append(replace(draft, id=entity_id))
    return settled
