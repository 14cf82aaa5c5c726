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


def _build(source: Path, out: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "generator", "build", "--clean", "--source", str(source),
         "--out", str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip


def test_sigkill_at_any_moment_leaves_old_or_new_site_whole(tmp_path: Path) -> None:
    source = tmp_path / "src"
    generate(source, 400, seed=3)
    out = tmp_path / "build"
    assert _build(source, out).wait() == 0
    old = _tree(out)
    bundle = sorted((source / "sources").glob("*.txt"))[0]
    bundle.write_text(bundle.read_text().replace("Generated bundle 1", "Edited bundle 1"))
    started = time.perf_counter()
    assert _build(source, tmp_path / "reference").wait() == 0
    duration = time.perf_counter() - started
    new = _tree(tmp_path / "reference")
    assert new != old
    outcomes = []
    for fraction in (0.05, 0.2, 0.4, 0.6, 0.8, 0.9, 0.97):
        process = _build(source, out)
        time.sleep(duration * fraction)
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        now = _tree(out)
        assert now in (old, new), f"mixed output after a kill at {fraction:.0%} of a build"
        outcomes.append("new" if now == new else "old")
        if now == new:  # restore the old site for the next kill
            (source / "sources" / bundle.name).write_text(
                bundle.read_text().replace("Edited bundle 1", "Generated bundle 1")
            )
            assert _build(source, out).wait() == 0
            bundle.write_text(bundle.read_text().replace("Generated bundle 1", "Edited bundle 1"))
    assert "old" in outcomes  # at least one kill landed before the swap
    assert _build(source, out).wait() == 0
    assert _tree(out) == new
    leftovers = sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".build"))
    assert leftovers == [".build.cache.sqlite", ".build.state.json"]
