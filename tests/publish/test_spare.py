"""The spare: the site of the build before, brought up to date and swapped in."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from generator.cache.build_state import listing
from generator.publish import write
from generator.publish.spare import spare_of
from generator.publish.write import MARKER, OutputError, Published, StaleOutput, publish


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _folders(root: Path) -> list[str]:
    return sorted(p.relative_to(root).as_posix() for p in root.rglob("*") if p.is_dir())


def _inodes(root: Path) -> dict[str, int]:
    return {p.relative_to(root).as_posix(): p.stat().st_ino for p in root.rglob("*") if p.is_file()}


SITE_A = {"index.html": b"A", "same.html": b"same", "p/a/index.html": b"doc a", ".nojekyll": b""}
SITE_B = {"index.html": b"B", "same.html": b"same", "p/b/index.html": b"doc b", ".nojekyll": b""}


def _two_builds(tmp_path: Path) -> Path:
    """An output of SITE_B whose spare is SITE_A: what two builds leave."""
    out = tmp_path / "build"
    publish(SITE_A, out)
    publish(SITE_B, out)
    assert _tree(spare_of(out)) == {MARKER: write._MARKER_TEXT, **SITE_A}
    return out


def test_the_spare_is_updated_in_place_and_swapped_in(tmp_path: Path) -> None:
    out = _two_builds(tmp_path)
    before = _inodes(out)
    spare_folder = spare_of(out).stat().st_ino
    published_folder = out.stat().st_ino
    site_c = {"index.html": b"C", "p/c/index.html": b"doc c"}
    result = publish(site_c, out, keep=["same.html", ".nojekyll"], current=listing(out))
    assert result == Published(2, listing(out))  # the listing, known without a walk
    assert _tree(out) == {MARKER: write._MARKER_TEXT, **site_c, "same.html": b"same",
                          ".nojekyll": b""}  # fmt: skip
    assert _folders(out) == ["p", "p/c"]  # p/a, emptied, is gone
    # No new tree: the spare became the site, and the site the spare.
    assert out.stat().st_ino == spare_folder
    assert spare_of(out).stat().st_ino == published_folder
    assert _tree(spare_of(out)) == {MARKER: write._MARKER_TEXT, **SITE_B}
    after = _inodes(out)
    assert {rel for rel in after if after[rel] != before.get(rel)} == {
        "index.html",
        "p/c/index.html",
    }
    assert sorted(p.name for p in tmp_path.iterdir()) == [".build.spare", "build"]


def test_a_spare_edited_by_hand_is_set_right(tmp_path: Path) -> None:
    out = _two_builds(tmp_path)
    spare = spare_of(out)
    os.unlink(spare / "same.html")  # a shared file replaced: a new inode, same size
    (spare / "same.html").write_bytes(b"SAME")
    (spare / "extra.html").write_bytes(b"not of any build")
    (spare / "empty" / "deeper").mkdir(parents=True)
    (spare / "p" / "b").mkdir(parents=True)
    (spare / "p" / "b" / "index.html").mkdir()  # a folder where a file must go
    (spare / "p" / "b" / "index.html" / "x").write_bytes(b"x")
    (spare / ".index.html.sourcebook-new").write_bytes(b"half")  # left by a killed build
    before = _inodes(out)
    publish({"index.html": b"C"}, out, keep=["same.html", "p/b/index.html", ".nojekyll"],
            current=listing(out))  # fmt: skip
    assert _tree(out) == {MARKER: write._MARKER_TEXT, "index.html": b"C", "same.html": b"same",
                          "p/b/index.html": b"doc b", ".nojekyll": b""}  # fmt: skip
    assert _folders(out) == ["p", "p/b"]
    after = _inodes(out)
    assert {rel for rel in after if after[rel] != before.get(rel)} == {"index.html"}


def test_a_failure_while_the_spare_is_updated_leaves_the_site_and_the_next_build_mends_it(
    tmp_path: Path,
) -> None:
    out = _two_builds(tmp_path)
    site_b = _tree(out)

    def pages():
        yield "index.html", b"C"
        yield "p/c/index.html", b"doc c"
        raise OSError("a template went missing")

    with pytest.raises(OutputError, match="a template went missing"):
        publish(pages(), out, keep=["same.html"], current=listing(out))
    assert _tree(out) == site_b

    def index(site: Path) -> list[str]:
        raise KeyboardInterrupt  # as a kill would: after the update, before the swap

    with pytest.raises(KeyboardInterrupt):
        publish({"index.html": b"D"}, out, keep=["same.html"], finish=index,
                current=listing(out))  # fmt: skip
    assert _tree(out) == site_b
    result = publish({"index.html": b"E"}, out, keep=["same.html", ".nojekyll"],
                     current=listing(out))  # fmt: skip
    assert _tree(out) == {MARKER: write._MARKER_TEXT, "index.html": b"E", "same.html": b"same",
                          ".nojekyll": b""}  # fmt: skip
    assert result == Published(1, listing(out))


def test_the_search_index_written_by_finish_is_listed(tmp_path: Path) -> None:
    out = _two_builds(tmp_path)

    def index(site: Path) -> list[str]:
        (site / "pagefind" / "0").mkdir(parents=True)
        (site / "pagefind" / "0" / "entry.json").write_bytes(b"{}")
        return ["pagefind/0"]

    result = publish({"index.html": b"C"}, out, keep=["same.html"], finish=index,
                     current=listing(out))  # fmt: skip
    assert _tree(out)["pagefind/0/entry.json"] == b"{}"
    assert result.files == listing(out)
    assert "pagefind/0/entry.json" in listing(out)


def test_a_file_to_keep_that_is_gone_is_a_stale_output(tmp_path: Path) -> None:
    out = _two_builds(tmp_path)
    current = listing(out)
    with pytest.raises(StaleOutput):
        publish({"index.html": b"C"}, out, keep=["gone.html"], current=current)
    assert _tree(out) == {MARKER: write._MARKER_TEXT, **SITE_B}


def test_without_a_spare_or_a_listing_the_site_is_staged_whole(tmp_path: Path) -> None:
    out = _two_builds(tmp_path)
    spare_folder = spare_of(out).stat().st_ino
    assert publish({"index.html": b"C"}, out, keep=["same.html"]) == Published(1)
    assert out.stat().st_ino != spare_folder  # a new tree, not the spare
    assert _tree(spare_of(out)) == {MARKER: write._MARKER_TEXT, **SITE_B}
    write.shutil.rmtree(spare_of(out))
    current = listing(out)
    assert publish({"index.html": b"D"}, out, keep=["same.html"], current=current) == Published(1)
    assert _tree(out) == {MARKER: write._MARKER_TEXT, "index.html": b"D", "same.html": b"same"}
    assert _tree(spare_of(out))["index.html"] == b"C"


def test_without_an_atomic_exchange_the_three_renames_recover(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = _two_builds(tmp_path)
    monkeypatch.setattr(write, "_exchange", lambda a, b: False)
    renames = []
    rename = os.rename

    def killed_at_the_third(a: Path, b: Path) -> None:
        renames.append(Path(b).name)
        if len(renames) == 3:
            raise KeyboardInterrupt
        rename(a, b)

    monkeypatch.setattr(write.os, "rename", killed_at_the_third)
    with pytest.raises(KeyboardInterrupt):
        publish({"index.html": b"C"}, out, keep=["same.html"], current=listing(out))
    monkeypatch.setattr(write.os, "rename", rename)
    assert renames == [".build.old", "build", ".build.spare"]
    assert sorted(p.name for p in tmp_path.iterdir()) == [".build.old", "build"]
    assert _tree(out)["index.html"] == b"C"
    publish({"index.html": b"D"}, out, keep=["same.html"], current=listing(out))
    assert _tree(out) == {MARKER: write._MARKER_TEXT, "index.html": b"D", "same.html": b"same"}
    assert sorted(p.name for p in tmp_path.iterdir()) == [".build.spare", "build"]


def test_a_folder_named_as_the_spare_that_sourcebook_did_not_write_is_left_alone(
    tmp_path: Path,
) -> None:
    out = tmp_path / "build"
    publish(SITE_A, out)
    mine = spare_of(out)
    mine.mkdir()
    (mine / "notes.txt").write_bytes(b"mine")
    publish(SITE_B, out)
    assert publish({"index.html": b"C"}, out, current=listing(out)) == Published(1)
    assert _tree(mine) == {"notes.txt": b"mine"}
    assert _tree(out) == {MARKER: write._MARKER_TEXT, "index.html": b"C"}
