"""What `pip install .` installs: a Sourcebook that builds a site from any folder.

The tests otherwise run against the repository (an editable install), where the
templates are found beside the package; an installed copy must carry them.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from tests.conftest import EXAMPLE

ROOT = Path(__file__).resolve().parent.parent

pytestmark = pytest.mark.timeout(300)


# Left by earlier builds or by the tests: a stale setuptools folder would be packaged.
_NOT_SOURCES = shutil.ignore_patterns(
    ".git", ".setuptools-build", "node_modules", "test-artifacts", "*.egg-info",
    "__pycache__", ".*_cache",
)  # fmt: skip


def _not_sources(folder: str, names: list[str]) -> set[str]:
    """What a fresh clone lacks: the ignored files, and the site in the top-level build/."""
    ignored = set(_NOT_SOURCES(folder, names))
    if Path(folder) == ROOT:  # generator/build/ is the build stage's package: keep it
        ignored.add("build")
    return ignored


@pytest.fixture(scope="module")
def checkout(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of the repository as a fresh clone has it."""
    copy = tmp_path_factory.mktemp("checkout") / "sourcebook"
    shutil.copytree(ROOT, copy, ignore=_not_sources)
    return copy


@pytest.fixture(scope="module")
def wheel(checkout: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("wheel")
    subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "-w", str(folder),
         str(checkout)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    return next(folder.glob("sourcebook-*.whl"))


def test_installing_leaves_build_free_for_the_site(wheel: Path, checkout: Path) -> None:
    # pip builds in the source tree; by default setuptools would fill build/, which
    # `sourcebook build` then refuses to replace (it did not write it).
    assert not (checkout / "build").exists()
    assert (checkout / ".setuptools-build").is_dir()


def test_the_wheel_carries_every_template_and_asset(wheel: Path) -> None:
    shipped = {
        p.relative_to(ROOT / "templates").as_posix()
        for p in (ROOT / "templates").rglob("*")
        if p.is_file()
    }
    names = set(zipfile.ZipFile(wheel).namelist())
    assert {f"generator/templates/{rel}" for rel in shipped} <= names
    assert "generator/templates/assets/style.css" in names


def test_an_installed_copy_builds_the_example_from_elsewhere(wheel: Path, tmp_path: Path) -> None:
    target = tmp_path / "installed"
    subprocess.run(
        [sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target",
         str(target), str(wheel)],
        check=True,
        capture_output=True,
    )  # fmt: skip
    work = tmp_path / "work"
    shutil.copytree(EXAMPLE, work / "site_src")
    done = subprocess.run(
        [sys.executable, "-c", "import sys; from generator.cli import main; sys.exit(main())",
         "build"],
        cwd=work,
        # The installed copy first: not the repository's package.
        env={**os.environ, "PYTHONPATH": str(target)},
        capture_output=True,
        text=True,
    )  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("built 5 documents into build/")
    assert (work / "build" / "search" / "index.html").is_file()
    assert (work / "build" / "assets" / "style.css").read_bytes() == (
        ROOT / "templates" / "assets" / "style.css"
    ).read_bytes()
