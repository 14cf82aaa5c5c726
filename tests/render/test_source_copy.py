"""The source-file copies: one per file, numbered lines, remade when and only when the
file's documents' lines change."""

from __future__ import annotations

import shutil
from pathlib import Path

from generator.build.pipeline import load
from generator.cache.store import BuildCache
from generator.model import SourceLine
from generator.render.changed import default_templates, render_changed
from generator.render.source_copy import copy_path, copy_url, source_copy
from tests.conftest import EXAMPLE

HILLS_FILE = "sources/002_27c17665a4c0d5c7.txt"
HEADERLESS_FILE = "sources/000_ffddd273545a426c.txt"


def test_a_copy_is_published_beside_its_files_place_as_text() -> None:
    assert copy_path("sources/press/a.txt") == "sources/press/a.txt"
    assert copy_path("sources/press/typed.md") == "sources/press/typed.md.txt"
    # A name a URL or a file system would not take plainly is published under a slug.
    assert copy_path('sources/<b> & "q".txt') == "sources/b-q-c6e5d2bf.txt"
    assert copy_url("sources/dir/a b.md", "/repo/") == "/repo/sources/dir-a-b-afcdbf5c.txt"


def test_a_copy_numbers_each_line_once_in_file_order() -> None:
    lines = [SourceLine(12, "second doc"), SourceLine(2, "Title\tTab"), SourceLine(3, "")]
    assert source_copy(lines) == "\ufeff2\tTitle\tTab\n3\t\n12\tsecond doc\n".encode()


def test_the_example_files_copy_holds_its_documents_lines() -> None:
    archive, _ = load(EXAMPLE)
    rendered = render_changed(archive, default_templates(), {})
    copies = sorted(p for p in rendered.keys if p.startswith("sources/"))
    assert copies == [HEADERLESS_FILE, HILLS_FILE]
    text = dict(rendered.files)[HILLS_FILE].decode("utf-8")
    lines = text.removeprefix("\ufeff").splitlines()
    # The bundle's own title (line 1) is no document's; the documents start at line 2.
    assert lines[0] == "2\tUnited States Department of State"
    assert "36\tby Rafael Bernal" in lines
    assert lines[-1].startswith("45\t")


def _rebuilt(source: Path, cache: BuildCache, edit) -> set[str]:
    """The source-file copies a build after `edit` rewrites."""
    edit(source)
    archive, _ = load(source, cache=cache)
    rendered = render_changed(archive, default_templates(), cache.pages)
    cache.pages = rendered.keys
    return {p for p in rendered.changed if p.startswith("sources/")}


def test_a_copy_is_remade_when_and_only_when_its_file_changes(tmp_path: Path) -> None:
    source = tmp_path / "src"
    shutil.copytree(EXAMPLE, source)
    cache = BuildCache()
    archive, _ = load(source, cache=cache)
    cache.pages = render_changed(archive, default_templates(), {}).keys

    def edit_bundle(root: Path) -> None:
        bundle = root / HILLS_FILE
        text = bundle.read_text(encoding="utf-8")
        bundle.write_text(text.replace("did not immediately respond", "did not respond"))

    def edit_note(root: Path) -> None:
        path = sorted((root / "notes").glob("*.yaml"))[0]
        path.write_text(path.read_text().replace("note:", "note: Edited.", 1))

    def edit_other_bundle(root: Path) -> None:
        bundle = root / HEADERLESS_FILE
        text = bundle.read_text(encoding="utf-8")
        bundle.write_text(text.replace("met yesterday", "met on Wednesday"))

    assert _rebuilt(source, cache, edit_bundle) == {HILLS_FILE}
    assert _rebuilt(source, cache, edit_note) == set()
    assert _rebuilt(source, cache, edit_other_bundle) == {HEADERLESS_FILE}
