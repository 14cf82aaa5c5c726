"""Shared fixtures: the example archive and small archives written for a test."""

from __future__ import annotations

import fcntl
import os
import shutil
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "site_src"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The long tests (marked `long(seconds)`, roughly their time) first, shared out.

    On two workers (`--dist worksteal`, pyproject.toml) the first worker is given the
    first half of the tests and the second the rest; a worker that runs out takes the
    other's last tests. So the long tests are split in two halves of about equal time,
    each at the head of one half, and both workers end on short tests, together.
    A module marked `long` is one unit: its module-scoped fixtures are set up once.
    """
    units: dict[str, list[pytest.Item]] = {}
    weight: dict[str, float] = {}
    short: list[pytest.Item] = []
    for item in items:
        mark = item.get_closest_marker("long")
        if mark is None:
            short.append(item)
            continue
        module = item.getparent(pytest.Module)
        whole = module is not None and module.get_closest_marker("long") is mark
        unit = module.nodeid if whole else item.nodeid
        units.setdefault(unit, []).append(item)
        weight[unit] = float(mark.args[0])
    halves: tuple[list[pytest.Item], list[pytest.Item]] = ([], [])
    times = [0.0, 0.0]
    for unit in sorted(units, key=lambda u: -weight[u]):  # stable: ties in file order
        lighter = times.index(min(times))
        halves[lighter].extend(units[unit])
        times[lighter] += weight[unit]
    room = max(0, len(items) // 2 - len(halves[0]))
    items[:] = [*halves[0], *short[:room], *halves[1], *short[room:]]


@pytest.fixture(scope="session")
def example_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example archive built with the default options, once a worker: read, never edit."""
    from generator.cli import main

    out = tmp_path_factory.mktemp("example") / "build"
    assert main(["build", "--source", str(EXAMPLE), "--out", str(out)]) == 0
    return out


@pytest.fixture(scope="session")
def large_site(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A generated archive of 1,000 documents, built: versions, quotations, notes, names.

    Built once for the whole run (the first worker to ask builds it, the other waits for
    it): tests read it, serve it, never edit it.
    """
    from generator.cli import main

    sys.path.insert(0, str(ROOT))
    from benchmarks.generate_archive import generate

    if os.environ.get("PYTEST_XDIST_WORKER"):  # the run's folder, which all workers share
        root = tmp_path_factory.getbasetemp().parent / "large-site"
    else:
        root = tmp_path_factory.getbasetemp() / "large-site"
    root.mkdir(exist_ok=True)
    out, done = root / "build", root / "built"
    with (root / "lock").open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not done.exists():
            generate(root / "src", 1000, seed=7)
            assert main(["build", "--source", str(root / "src"), "--out", str(out)]) == 0
            done.touch()
    return out


@pytest.fixture
def example_source(tmp_path: Path) -> Path:
    """A private copy of the example archive, safe to edit."""
    target = tmp_path / "site_src"
    shutil.copytree(EXAMPLE, target)
    return target


@pytest.fixture
def make_source(tmp_path: Path):
    """Write a small archive: {relative path: text or bytes} → its source folder."""

    def make(files: dict[str, str | bytes], name: str = "src") -> Path:
        root = tmp_path / name
        for rel, content in files.items():
            path = root / rel
            path.parent.mkdir(parents=True, exist_ok=True)
            if isinstance(content, bytes):
                path.write_bytes(content)
            else:
                path.write_text(content, encoding="utf-8")
        (root / "sources").mkdir(parents=True, exist_ok=True)
        return root

    return make


@pytest.fixture
def pagefind_runs(monkeypatch: pytest.MonkeyPatch) -> list[Path]:
    """The folders Pagefind is run over (it still runs), from now on in the test."""
    from generator.publish import search

    runs: list[Path] = []
    run_pagefind = search._run_pagefind

    def counted(site: Path, *rest: object) -> None:
        runs.append(site)
        run_pagefind(site, *rest)

    monkeypatch.setattr(search, "_run_pagefind", counted)
    return runs
