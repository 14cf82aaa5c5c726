"""A build's inputs: the code and the dependencies' versions are among them."""

from __future__ import annotations

import re
import shutil
import tomllib
from pathlib import Path

import pytest

from generator.cache import inputs
from generator.cache.store import BuildCache
from generator.diagnostics import Diagnostics

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def package(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A copy of the package that `inputs` digests as the code, forgotten afterwards."""
    copy = tmp_path / "generator"
    shutil.copytree(inputs.PACKAGE, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(inputs, "PACKAGE", copy)
    inputs.toolchain.cache_clear()
    yield copy
    inputs.toolchain.cache_clear()


def _normalized(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def test_the_dependencies_are_those_of_pyproject() -> None:
    declared = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["dependencies"]
    names = {_normalized(re.match(r"[A-Za-z0-9._-]+", d).group()) for d in declared}
    assert {_normalized(d) for d in inputs.DEPENDENCIES} == names | {"pagefind-bin"}


def test_what_the_dependencies_require_is_read_from_their_metadata() -> None:
    versions = inputs.dependency_versions()
    assert versions["markupsafe"] is not None  # Jinja2's, not ours
    assert versions["mdurl"] is not None  # markdown-it-py's
    assert versions["pagefind-bin"] is not None
    assert list(versions) == sorted(versions)


def test_an_edit_to_any_module_changes_the_toolchain(package: Path) -> None:
    before = inputs.toolchain()
    assert inputs.toolchain() == before  # once a process
    inputs.toolchain.cache_clear()
    assert inputs.toolchain() == before
    module = package / "render" / "feeds.py"
    module.write_text(module.read_text() + "\n# upgraded\n")
    inputs.toolchain.cache_clear()
    assert inputs.toolchain() != before
    (package / "__pycache__").mkdir()
    (package / "__pycache__" / "model.cpython-311.pyc").write_bytes(b"compiled")
    edited = inputs.toolchain()
    inputs.toolchain.cache_clear()
    assert inputs.toolchain() == edited  # compiled files are not the code


def test_another_version_of_a_dependency_changes_the_toolchain(
    package: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = inputs.toolchain()
    real = inputs.version
    monkeypatch.setattr(inputs, "version", lambda name: "99.0" if name == "mdurl" else real(name))
    inputs.toolchain.cache_clear()
    assert inputs.dependency_versions()["mdurl"] == "99.0"
    assert inputs.toolchain() != before


def test_every_stage_key_covers_the_toolchain(package: Path) -> None:
    cache = BuildCache()
    assert cache.remember("stage", "k", Diagnostics(), lambda found: "old code") == "old code"
    cache.store("other", "k", "old code")
    module = package / "model.py"
    module.write_text(module.read_text() + "\n# upgraded\n")
    inputs.toolchain.cache_clear()
    assert cache.remember("stage", "k", Diagnostics(), lambda found: "new code") == "new code"
    assert cache.lookup("other", "k") is None


def test_the_build_digest_follows_the_toolchain(package: Path, tmp_path: Path) -> None:
    source, templates = tmp_path / "src", tmp_path / "templates"
    source.mkdir()
    templates.mkdir()
    (source / "a.txt").write_text("A text.\n")
    before = inputs.build_digest(source, templates, {"base": None})
    assert inputs.build_digest(source, templates, {"base": None}) == before
    assert inputs.build_digest(source, templates, {"base": "/repo/"}) != before
    (package / "cli.py").write_text((package / "cli.py").read_text() + "\n# upgraded\n")
    inputs.toolchain.cache_clear()
    assert inputs.build_digest(source, templates, {"base": None}) != before
