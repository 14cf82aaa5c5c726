"""Unchanged archive, no work: and any doubt means a full build."""

from __future__ import annotations

import os
from pathlib import Path

from generator.build.pipeline import build
from generator.cache import build_state
from generator.render.changed import default_templates


def _build(source: Path, out: Path, **options):
    return build(source, out, default_templates(), **options)


def _inodes(out: Path) -> dict[str, int]:
    return {p.relative_to(out).as_posix(): p.stat().st_ino for p in out.rglob("*")}


def test_nothing_changed_means_nothing_done(make_source, tmp_path: Path) -> None:
    source = make_source({"sources/a.txt": "A text. More.\n", "site.yaml": "titel: typo\n"})
    out = tmp_path / "build"
    first = _build(source, out)
    assert first.published and not first.up_to_date
    before = _inodes(out)
    second = _build(source, out)
    assert second.up_to_date and second.documents == 1
    assert second.diagnostics.lines() == first.diagnostics.lines() != []  # warnings replayed
    assert _inodes(out) == before
    assert not (out / ".sourcebook-state.json").exists()
    assert (tmp_path / ".build.state.json").is_file()


def test_any_change_or_doubt_means_a_full_build(make_source, tmp_path: Path) -> None:
    source = make_source({"sources/a.txt": "A text. More.\n"})
    out = tmp_path / "build"
    _build(source, out)
    (source / "sources" / "a.txt").write_text("A changed text. More.\n")
    assert not _build(source, out).up_to_date
    page = next((out / "documents").rglob("index.html"))
    page.write_text("edited by hand")
    rebuilt = _build(source, out)
    assert not rebuilt.up_to_date
    assert "A changed text." in page.read_text()
    assert not _build(source, out, clean=True).up_to_date
    assert not _build(source, out, base_url="/repo/").up_to_date
    (tmp_path / ".build.state.json").write_text("{not json")
    assert not _build(source, out, base_url="/repo/").up_to_date


def test_template_change_rebuilds(make_source, tmp_path: Path) -> None:
    import shutil

    templates = tmp_path / "templates"
    shutil.copytree(default_templates(), templates)
    source = make_source({"sources/a.txt": "A text. More.\n"})
    out = tmp_path / "build"
    build(source, out, templates)
    assert build(source, out, templates).up_to_date
    (templates / "404.html").write_text((templates / "404.html").read_text() + "\n")
    assert not build(source, out, templates).up_to_date


def test_a_file_replaced_with_the_same_size_and_time_means_a_full_build(
    make_source, tmp_path: Path
) -> None:
    source = make_source({"sources/a.txt": "A text. More.\n"})
    out = tmp_path / "build"
    _build(source, out)
    page = out / "robots.txt"
    stat = page.stat()
    data = page.read_bytes()
    other = tmp_path / "other"  # made before the old one goes: another inode
    other.write_bytes(data.upper())
    os.utime(other, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    os.replace(other, page)  # in its place: same size and time
    assert page.stat().st_ino != stat.st_ino
    assert build_state.previous(out) is None
    assert not _build(source, out).up_to_date
    assert page.read_bytes() == data


def test_the_listing_is_every_file_but_hidden_ones(tmp_path: Path) -> None:
    for rel in ("index.html", "a/b/c.txt", ".nojekyll", ".hidden/x", "__pycache__/m.pyc", "a/.t"):
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_bytes(b"12345"[: len(rel) % 5 + 1])
    files = build_state.listing(tmp_path)
    assert sorted(files) == ["a/b/c.txt", "index.html"]
    for rel, entry in files.items():
        stat = (tmp_path / rel).stat()
        assert entry == [stat.st_size, stat.st_mtime_ns, stat.st_ino]
        assert build_state.stat_of(tmp_path / rel) == entry
    assert build_state.listing(tmp_path, "a") == {"a/b/c.txt": files["a/b/c.txt"]}
    assert build_state.listing(tmp_path, "none") == {}
    assert [build_state.listed(rel) for rel in ("a/b/c.txt", ".nojekyll", "x/.y", ".p/q")] == [
        True, False, False, False
    ]  # fmt: skip
