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
    files = {}
    for path in tree(out):
        stat = path.stat()
        files[path.relative_to(out).as_posix()] = [stat.st_size, stat.st_mtime_ns]
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


def intact(out: Path) -> bool:
    """Whether every file of `out` is as the last recorded build left it (none added)."""
    try:
        recorded = json.loads(state_file(out).read_text())["files"]
        present = {p.relative_to(out).as_posix(): p for p in tree(out)}
        if not isinstance(recorded, dict) or set(present) != set(recorded):
            return False
        for rel, path in present.items():
            stat = path.stat()
            if [stat.st_size, stat.st_mtime_ns] != recorded[rel]:
                return False
        return True
    except (OSError, ValueError, KeyError, TypeError):
        return False


def forget(out: Path) -> None:
    """Drop the record of `out` (its files are about to change outside a full build)."""
    state_file(out).unlink(missing_ok=True)


def unchanged(out: Path, inputs: str) -> tuple[int, list[str]] | None:
    """(documents, warnings) of the build that made `out` from exactly these inputs, if
    nothing has touched the output since; None when a build is needed."""
    try:
        state = json.loads(state_file(out).read_text())
        if state["inputs"] != inputs or not intact(out):
            return None
        return int(state["documents"]), [str(w) for w in state["warnings"]]
    except (OSError, ValueError, KeyError, TypeError):
        return None
