"""Enrich: what the translation stage's child found, handed to the stage as cache entries.

The candidate pairs, their anchors, their sentences' vectors, which are
translations and how their sentences align follow from the documents alone,
long before the stage runs (after the version groups, the quotations and
the comparisons, most of which run on one core). A child forked right after
parsing (`translations.encode_ahead`, through `meaning.encode_ahead`) does
that work meanwhile, into a `Recording` of its copy of the build cache; the
stage takes what it recorded (`Found`) as entries it may use, each stored
into the cache only if the stage asks for it, as if it had computed it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from generator.cache.store import BuildCache
from generator.compare.sentence_alignment import Bead

Pair = tuple[str, str]
# What the child sends back: its pairs, the entries it stored (in order), its beads.
Sent = tuple[list[Pair], list[tuple[str, str, Any]], dict[Pair, list[Bead]]]


class Recording:
    """The child's view of the build cache: reads the forked copy, notes every entry it stores."""

    def __init__(self, cache: BuildCache) -> None:
        self._cache = cache
        self.stored: list[tuple[str, str, Any]] = []

    def lookup(self, stage: str, key: str) -> Any | None:
        """The value kept for `key`, if any; else None."""
        return self._cache.lookup(stage, key)

    def store(self, stage: str, key: str, value: Any) -> None:
        """Keep `value` for `key`, and note it for the parent."""
        self._cache.store(stage, key, value)
        self.stored.append((stage, key, value))


@dataclass
class Found:
    """What the child found: the candidate pairs, the entries it stored, the beads it aligned."""

    pairs: list[Pair]
    entries: dict[str, dict[str, Any]] = field(default_factory=dict)  # stage → key → value
    beads: dict[Pair, list[Bead]] = field(default_factory=dict)

    @classmethod
    def of(cls, sent: Sent) -> Found:
        """What the child sent, as entries by stage."""
        pairs, stored, beads = sent
        entries: dict[str, dict[str, Any]] = {}
        for stage, key, value in stored:
            entries.setdefault(stage, {})[key] = value
        return cls(pairs, entries, beads)

    def take(self, stage: str, key: str) -> Any | None:
        """The child's entry for `key`, handed over once; None if it stored none."""
        return self.entries.get(stage, {}).pop(key, None)
