"""What a build did, and the shortcut when the output is already built from the same inputs.

Kept apart from `pipeline.py` so that a build with nothing to do imports none
of the stages (Jinja, numpy for the translation encoder, Pagefind's wrapper):
those imports cost about 0.3 s, most of such a build.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from generator.cache import build_state
from generator.cache.inputs import build_digest
from generator.diagnostics import Diagnostics


@dataclass(frozen=True)
class BuildResult:
    """What a build did: its problems, and what it published if anything."""

    diagnostics: Diagnostics
    documents: int = 0
    files: int = 0
    changed: int = 0  # files whose bytes changed
    output_error: str | None = None  # why the output could not be written
    up_to_date: bool = False  # nothing changed since the last build: nothing was done
    language: str | None = None  # the site's language, once built (what search indexes in)
    page_keys: dict[str, str] = field(default_factory=dict)  # every file published → its key
    # Each search index part on disk → the key of the pages it was made from.
    indexed: dict[int, str] = field(default_factory=dict)

    @property
    def published(self) -> bool:
        return not self.diagnostics.has_errors and self.output_error is None


def inputs_digest(source: Path, templates: Path, base_url: str | None, site_url: str | None) -> str:
    """The digest of everything a build of `source` with these templates and options reads."""
    return build_digest(source, templates, {"base": base_url, "site": site_url})


def up_to_date(
    previous: build_state.Previous | None, inputs: str, strict: bool = False
) -> BuildResult | None:
    """The last build's result, replayed, if it was made from exactly `inputs` and its
    output is as it left it (`previous`, from `build_state.previous`); else None."""
    if previous is None or previous.inputs != inputs:
        return None
    diagnostics = Diagnostics()
    diagnostics.replay(previous.warnings)
    if strict and diagnostics.warnings:
        return BuildResult(diagnostics.strict())
    return BuildResult(diagnostics, previous.documents, up_to_date=True)
