"""The write stage: atomic publication that never damages what was there."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import jinja2
import pytest

from generator.publish.write import MARKER, OutputError, Published, publish, refuse_reason


def test_publish_writes_files_and_marker(tmp_path: Path) -> None:
    out = tmp_path / "build"
    published = publish({"index.html": b"<p>hi</p>", "a/b/c.txt": b"x"}, out)
    assert published == Published(2)
    assert (out / "index.html").read_bytes() == b"<p>hi</p>"
    assert (out / "a/b/c.txt").read_bytes() == b"x"
    assert (out / MARKER).is_file()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build"]  # no temporaries left


def test_republish_replaces_whole_site_and_keeps_unchanged_files(tmp_path: Path) -> None:
    out = tmp_path / "build"
    publish({"same.html": b"same", "gone.html": b"old", "changed.html": b"v1"}, out)
    same_inode = (out / "same.html").stat().st_ino
    os.utime(out / "same.html", (1_000_000, 1_000_000))
    published = publish({"same.html": b"same", "changed.html": b"v2"}, out)
    assert published == Published(1)
    assert not (out / "gone.html").exists()
    assert (out / "changed.html").read_bytes() == b"v2"
    assert (out / "same.html").stat().st_ino == same_inode
    assert (out / "same.html").stat().st_mtime == 1_000_000


def test_refuses_a_folder_that_is_not_an_earlier_build(tmp_path: Path) -> None:
    source = tmp_path / "src"
    source.mkdir()
    thesis = tmp_path / "thesis"
    thesis.mkdir()
    (thesis / "chapter1.docx").write_text("years of work")
    assert refuse_reason(thesis, source) == (
        f"refusing to replace {thesis}: it is not empty and was not written by sourcebook "
        f"(no {MARKER} file); choose another --out or empty it yourself"
    )
    assert refuse_reason(tmp_path / "fresh", source) is None
    assert refuse_reason(source, source) == (
        f"refusing to write the site into {source}: it holds the sources"
    )
    assert refuse_reason(tmp_path, source) == (
        f"refusing to write the site into {tmp_path}: it holds the sources"
    )
    assert refuse_reason(source / "out", source) == (
        f"refusing to write the site into {source / 'out'}: it is inside the source folder"
    )
    assert refuse_reason(Path("/"), source) == (
        "refusing to write the site into /: choose a dedicated folder"
    )
    assert refuse_reason(Path.home(), source) == (
        f"refusing to write the site into {Path.home().resolve()}: choose a dedicated folder"
    )


def test_interrupted_swap_is_recovered(tmp_path: Path) -> None:
    out = tmp_path / "build"
    publish({"index.html": b"v1"}, out)
    # Simulate a kill between the two renames of the fallback swap.
    os.rename(out, tmp_path / ".build.old")
    leftover = tmp_path / ".build.new-abc"
    leftover.mkdir()
    (leftover / "index.html").write_bytes(b"half")
    publish({"index.html": b"v2"}, out)
    assert (out / "index.html").read_bytes() == b"v2"
    # The old site, restored then swapped out, is kept as the spare.
    assert sorted(p.name for p in tmp_path.iterdir()) == [".build.spare", "build"]
    assert (tmp_path / ".build.spare" / "index.html").read_bytes() == b"v1"


def test_unusable_output_parent_is_a_clear_error(tmp_path: Path) -> None:
    blocker = tmp_path / "blocker"
    blocker.write_text("a file where a folder should be")
    message = f"^cannot write to {blocker}: {blocker} is a file, not a folder$"
    with pytest.raises(OutputError, match=message):
        publish({"index.html": b"x"}, blocker / "build")


def test_full_disk_is_a_clear_error_and_keeps_the_old_site(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "build"
    publish({"index.html": b"v1"}, out)

    def full(self: Path, data: bytes) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(Path, "write_bytes", full)
    with pytest.raises(OutputError, match=f"^cannot write the site to {out}: the disk is full$"):
        publish({"index.html": b"v2"}, out)
    monkeypatch.undo()
    assert (out / "index.html").read_bytes() == b"v1"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["build"]


def test_refuses_paths_that_escape_the_output(tmp_path: Path) -> None:
    out = tmp_path / "build"
    with pytest.raises(OutputError, match=r"refusing to write outside the output folder: \.\./x"):
        publish({"../x": b"evil"}, out)
    assert not (tmp_path / "x").exists()
    assert not out.exists()


def test_an_error_without_a_system_message_is_still_said(tmp_path: Path) -> None:
    """Pages are made as they are written: a missing template surfaces here, as an OSError
    with no strerror (Jinja's TemplateNotFound), and must not read "None"."""
    out = tmp_path / "site"
    publish({"index.html": b"old"}, out)

    def pages():
        yield "a.html", b"a"
        raise jinja2.TemplateNotFound("index.html")

    with pytest.raises(OutputError) as failure:
        publish(pages(), out)
    assert str(failure.value) == f"cannot write the site to {out.resolve()}: index.html"
    assert (out / "index.html").read_bytes() == b"old"
