"""Same sources, same bytes: whatever the time zone, the clock, the hash seed or the folders."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

from tests.conftest import EXAMPLE

ROOT = Path(__file__).resolve().parent.parent


def _tree(root: Path) -> dict[str, bytes]:
    return {p.relative_to(root).as_posix(): p.read_bytes() for p in root.rglob("*") if p.is_file()}


def _build(source: Path, out: Path, cwd: Path, **env: str) -> None:
    environment = {**os.environ, "PYTHONPATH": str(ROOT), **env}
    subprocess.run(
        [sys.executable, "-m", "generator", "build", "--source", str(source), "--out", str(out)],
        cwd=cwd,
        env=environment,
        check=True,
        capture_output=True,
    )


def test_two_builds_on_different_machines_give_the_same_bytes(tmp_path: Path) -> None:
    first_source, second_source = tmp_path / "one" / "site_src", tmp_path / "two" / "archive"
    shutil.copytree(EXAMPLE, first_source)
    shutil.copytree(EXAMPLE, second_source)
    _build(first_source, tmp_path / "one" / "build", tmp_path / "one",
           TZ="UTC", SOURCE_DATE_EPOCH="0", PYTHONHASHSEED="1", LC_ALL="C")  # fmt: skip
    _build(second_source, tmp_path / "elsewhere" / "site", tmp_path,
           TZ="Pacific/Kiritimati", SOURCE_DATE_EPOCH="1900000000", PYTHONHASHSEED="2",
           LC_ALL="C.UTF-8", SOURCEBOOK_ONE_CORE="1")  # fmt: skip
    first, second = _tree(tmp_path / "one" / "build"), _tree(tmp_path / "elsewhere" / "site")
    assert sorted(first) == sorted(second)
    assert [path for path in first if first[path] != second[path]] == []
