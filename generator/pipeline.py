"""The stages up to the model, shared by `check`, `build` and `serve` so they always agree."""

from __future__ import annotations

from pathlib import Path

from generator.annotate import annotate
from generator.diagnostics import Diagnostics
from generator.model import Archive
from generator.notes import load_notes
from generator.sources import load_archive


def load(
    source: Path, base_url: str | None = None, site_url: str | None = None
) -> tuple[Archive, Diagnostics]:
    """sources → parse → model → enrich: the archive ready to render, and its problems."""
    archive, diagnostics = load_archive(source, base_url=base_url, site_url=site_url)
    drafts = load_notes(source, diagnostics)
    archive = annotate(archive, drafts, diagnostics)
    return archive, diagnostics
