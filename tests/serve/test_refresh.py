"""The served site's search index: refreshed once editing pauses, and on the way out."""

from __future__ import annotations

import gzip
from pathlib import Path

from generator.build.pipeline import build, resume
from generator.publish import search
from generator.render.changed import default_templates
from generator.serve import refresh
from generator.serve.refresh import SearchRefresher


def _indexed_text(out: Path) -> str:
    fragments = sorted((out / "pagefind").glob("*/*/fragment/*.pf_fragment"))
    return "\n".join(gzip.decompress(f.read_bytes()).decode(errors="replace") for f in fragments)


def _edit_note(source: Path, old: str, new: str) -> None:
    notes = source / "notes" / "hill.yaml"
    assert old in notes.read_text()
    notes.write_text(notes.read_text().replace(old, new))


def test_stopping_indexes_what_was_asked_and_a_failed_run_keeps_the_index_on_disk(
    example_source: Path, tmp_path: Path, monkeypatch, capsys
) -> None:
    monkeypatch.setattr(refresh, "QUIET_SECONDS", 60.0)  # only a stop refreshes here
    out = tmp_path / "build"
    templates = default_templates()
    first = build(example_source, out, templates)
    cache = resume(out)
    _edit_note(example_source, "The sources here do not say which.", "Indexed when stopped.")
    second = build(example_source, out, templates, cache=cache)  # in place, not indexed
    assert "Indexed when stopped." not in _indexed_text(out)
    refresher = SearchRefresher(out, first)
    refresher.request(second)
    refresher.stop()
    assert "Indexed when stopped." in _indexed_text(out)
    assert refresher.indexed == search.part_keys(second.page_keys, "en")

    def killed(*args: object) -> None:
        raise search.SearchIndexError("Pagefind could not index the site: killed")

    monkeypatch.setattr(search, "_run_pagefind", killed)
    _edit_note(example_source, "Indexed when stopped.", "Never indexed.")
    third = build(example_source, out, templates, cache=cache)
    refresher = SearchRefresher(out, second)
    refresher.request(third)
    refresher.stop()
    assert capsys.readouterr().err == (
        "warning: search index not refreshed: Pagefind could not index the site: killed\n"
    )
    assert refresher.indexed == second.indexed  # unchanged, as the index on disk
    assert "Indexed when stopped." in _indexed_text(out)
