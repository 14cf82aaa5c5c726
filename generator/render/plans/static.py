"""The files copied as they are: the templates' assets, and `.nojekyll` for branch publishing."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from generator.render.output import Output, Plan


def static_files(plan: Plan) -> Iterator[Output]:
    """Every asset under the templates' `assets/`, and an empty `.nojekyll`."""
    for path, data in _assets(plan.templates / "assets").items():
        yield Output(path, (), lambda archive, data=data: data, exact=True)
    yield Output(".nojekyll", (), lambda archive: b"", exact=True)


def _assets(folder: Path) -> dict[str, bytes]:
    files: dict[str, bytes] = {}
    if folder.is_dir():
        for path in sorted(folder.rglob("*")):
            if path.is_file() and not path.name.startswith("."):
                files["assets/" + path.relative_to(folder).as_posix()] = path.read_bytes()
    return files
