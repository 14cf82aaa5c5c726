"""The stages, in order, shared by `check`, `build` and `serve` so they always agree.

sources → parse → model → enrich (notes, then versions and quotations) → render → write
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from generator import buildstate
from generator.annotate import annotate
from generator.compare import compare_archive
from generator.diagnostics import Diagnostics
from generator.model import Archive
from generator.notes import load_notes
from generator.render import render_site
from generator.sources import load_archive
from generator.write import OutputError, publish


def load(
    source: Path, base_url: str | None = None, site_url: str | None = None
) -> tuple[Archive, Diagnostics]:
    """sources → parse → model → enrich: the archive ready to render, and its problems."""
    archive, diagnostics = load_archive(source, base_url=base_url, site_url=site_url)
    drafts = load_notes(source, diagnostics)
    archive = annotate(archive, drafts, diagnostics)
    archive = compare_archive(archive, source, diagnostics)
    return archive, diagnostics


@dataclass(frozen=True)
class BuildResult:
    """What a build did: its problems, and what it published if anything."""

    diagnostics: Diagnostics
    documents: int = 0
    files: int = 0
    changed: int = 0  # files whose bytes changed
    output_error: str | None = None  # why the output could not be written
    up_to_date: bool = False  # nothing changed since the last build: nothing was done

    @property
    def published(self) -> bool:
        return not self.diagnostics.has_errors and self.output_error is None


def build(
    source: Path,
    out: Path,
    templates: Path,
    base_url: str | None = None,
    site_url: str | None = None,
    clean: bool = False,
) -> BuildResult:
    """Load, render and publish; on any error the published output stays as it was."""
    inputs = buildstate.fingerprint(source, templates, {"base": base_url, "site": site_url})
    previous = None if clean else buildstate.unchanged(out, inputs)
    if previous is not None:
        documents, warnings = previous
        diagnostics = Diagnostics()
        diagnostics.replay(warnings)
        return BuildResult(diagnostics, documents, up_to_date=True)
    archive, diagnostics = load(source, base_url=base_url, site_url=site_url)
    if diagnostics.has_errors:
        return BuildResult(diagnostics)
    files = render_site(archive, templates)
    try:
        changed = publish(files, out)
    except OutputError as problem:
        return BuildResult(diagnostics, len(archive.documents), len(files), 0, str(problem))
    buildstate.record(out, inputs, len(archive.documents), diagnostics.lines())
    return BuildResult(diagnostics, len(archive.documents), len(files), changed)
