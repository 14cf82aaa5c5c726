"""Remember what a build was made from, so an unchanged archive is not built again.

After a successful build, `.<out>.state.json` beside the output holds a digest
of every input (`inputs.build_digest`: source files, templates, options, the
code and its dependencies' versions) and the size and modification time of
every file written. A later build with the same digest and an intact output
has nothing to do. Any doubt — a missing or unreadable state, a file changed
or removed by hand — means a full build.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from generator.cache.inputs import tree


def state_file(out: Path) -> Path:
    """Where the state of output folder `out` is kept: beside it, never published."""
    return out.with_name(f".{out.name}.state.json")


def modified_since(source: Path, templates: Path, since_ns: int) -> bool:
    """Whether a source or template file was modified at or after `since_ns` (wall clock).

    A file's time comes from a coarse clock, a tick behind: a margin is allowed.
    """
    since = since_ns - _CLOCK_MARGIN_NS
    return any(
        path.stat().st_mtime_ns >= since for root in (source, templates) for path in tree(root)
    )


_CLOCK_MARGIN_NS = 20_000_000


def record(
    out: Path, inputs: str, documents: int, warnings: list[str], pages: dict[str, str]
) -> None:
    """Write the state of a just-published output (best effort: no state, no shortcut).

    `pages` maps each output file to the key of what it was rendered from; it is
    kept here, with the files' sizes and times, so that it can only ever be
    trusted together with the very output it describes.
    """
    files = _file_stats(out)
    try:
        state = {
            "inputs": inputs,
            "documents": documents,
            "warnings": warnings,
            "files": files,
            "pages": pages,
        }
        state_file(out).write_text(json.dumps(state))
    except OSError:
        pass


def rendered_pages(out: Path) -> dict[str, str]:
    """The page keys of the build that made `out`, if nothing touched it since; else {}."""
    try:
        pages = json.loads(state_file(out).read_text())["pages"]
        if isinstance(pages, dict) and intact(out):
            return {str(k): str(v) for k, v in pages.items()}
    except (OSError, ValueError, KeyError, TypeError):
        pass
    return {}


def intact(out: Path, recorded: object = None) -> bool:
    """Whether every file of `out` is as the last recorded build left it (none added).

    `recorded` is the state's "files", when the caller has read the state already.
    """
    try:
        if recorded is None:
            recorded = json.loads(state_file(out).read_text())["files"]
        return isinstance(recorded, dict) and _file_stats(out) == recorded
    except (OSError, ValueError, KeyError, TypeError):
        return False


def _file_stats(out: Path) -> dict[str, list[int]]:
    """[size, modification time] of every file under `out` but hidden ones, by relative path.

    Plain strings and `os.walk`, not `Path` objects: a build with nothing to do
    spends most of its time here (19,000 files at 10,000 documents).
    """
    stats: dict[str, list[int]] = {}
    root = str(out)
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if not d.startswith((".", "__pycache__"))]
        prefix = os.path.relpath(folder, root).replace(os.sep, "/")
        prefix = "" if prefix == "." else prefix + "/"
        for name in names:
            if not name.startswith("."):
                stat = os.stat(os.path.join(folder, name))
                stats[prefix + name] = [stat.st_size, stat.st_mtime_ns]
    return stats


def forget(out: Path) -> None:
    """Drop the record of `out` (its files are about to change outside a full build)."""
    state_file(out).unlink(missing_ok=True)


def unchanged(out: Path, inputs: str) -> tuple[int, list[str]] | None:
    """(documents, warnings) of the build that made `out` from exactly these inputs, if
    nothing has touched the output since; None when a build is needed."""
    try:
        state = json.loads(state_file(out).read_text())
        if state["inputs"] != inputs or not intact(out, state["files"]):
            return None
        return int(state["documents"]), [str(w) for w in state["warnings"]]
    except (OSError, ValueError, KeyError, TypeError):
        return None
