"""Faults: a build killed at any moment leaves the published site whole."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from benchmarks.generate_archive import generate

pytestmark = pytest.mark.timeout(300)


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _build(source: Path, out: Path, clean: bool = True) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "generator", "build", *["--clean"] * clean, "--source",
         str(source), "--out", str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip


@pytest.mark.long(35)
def test_sigkill_at_any_moment_leaves_old_or_new_site_whole(tmp_path: Path) -> None:
    source = tmp_path / "src"
    generate(source, 400, seed=3)
    out = tmp_path / "build"
    assert _build(source, out).wait() == 0
    old = _tree(out)
    bundle = sorted((source / "sources").glob("*.txt"))[0]
    texts = {"old": bundle.read_text()}
    texts["new"] = texts["old"].replace("Generated bundle 1", "Edited bundle 1")
    bundle.write_text(texts["new"])
    started = time.perf_counter()
    assert _build(source, tmp_path / "reference").wait() == 0
    duration = time.perf_counter() - started
    new = _tree(tmp_path / "reference")
    assert new != old
    sites = {"old": old, "new": new}
    # Each build is killed on its way from the site published to the other one; when it got
    # through, the next goes back (the sources edited back): no build to restore the site.
    published, outcomes = "old", []
    for fraction in (0.05, 0.2, 0.4, 0.6, 0.8, 0.9, 0.97):
        target = "new" if published == "old" else "old"
        bundle.write_text(texts[target])
        process = _build(source, out)
        time.sleep(duration * fraction)
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        now = _tree(out)
        assert now in (old, new), f"mixed output after a kill at {fraction:.0%} of a build"
        outcomes.append("before the swap" if now == sites[published] else "after")
        published = "new" if now == new else "old"
    assert "before the swap" in outcomes  # at least one kill landed before the swap
    bundle.write_text(texts["new"])
    assert _build(source, out).wait() == 0
    assert _tree(out) == new
    leftovers = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".build"))
    assert leftovers == [".build.cache.sqlite", ".build.spare", ".build.state.json"]


# A build that dies the moment its spare is up to date, before the swap (test below).
_KILLED_BEFORE_THE_SWAP = """
import os, signal, sys
from generator import cli
from generator.publish import write
write._swap_spare = lambda spare, out: os.kill(os.getpid(), signal.SIGKILL)
sys.exit(cli.main(["build", "--source", sys.argv[1], "--out", sys.argv[2]]))
"""


def test_a_kill_between_the_spare_s_update_and_the_swap_leaves_the_old_site(
    tmp_path: Path,
) -> None:
    source = tmp_path / "src"
    generate(source, 60, seed=4)
    out, clean = tmp_path / "build", tmp_path / "clean"
    notes = sorted((source / "notes").glob("*.yaml"))[0]
    for step in range(2):  # the second build leaves a spare, the site of the first
        notes.write_text(notes.read_text().replace("Generated note", f"Edit {step},", 1))
        assert _build(source, out, clean=False).wait() == 0
    old = _tree(out)
    notes.write_text(notes.read_text().replace("Generated note", "Edit 2,", 1))
    killed = subprocess.run(
        [sys.executable, "-c", _KILLED_BEFORE_THE_SWAP, str(source), str(out)],
        capture_output=True,
    )
    assert killed.returncode == -signal.SIGKILL
    assert _tree(out) == old  # the spare was up to date, the site untouched
    assert _tree(tmp_path / ".build.spare") != old
    assert _build(source, out, clean=False).wait() == 0
    assert _build(source, clean).wait() == 0
    assert _tree(out) == _tree(clean) != old
