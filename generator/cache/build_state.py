"""Remember what a build was made from, so an unchanged archive is not built again.

After a successful build, `.<out>.state.json` beside the output holds a digest
of every input (`inputs.build_digest`: source files, templates, options, the
code and its dependencies' versions) and the size, modification time and
inode of every file written. A later build with the same digest and an intact
output has nothing to do. Any doubt — a missing or unreadable state, a file
changed, replaced or removed by hand — means a full build.

The output is walked once per build: `previous` reads the state and checks the
output against it in one go, and the publish stage hands `record` the new
output's files, worked out from what it wrote (a walk only when it cannot).
"""

from __future__ import annotations

import json
import os
from collections.abc import Mapping
from dataclasses import dataclass
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


# Each output file's [size, modification time (ns), inode], by path relative to the output.
Listing = dict[str, list[int]]


def record(
    out: Path,
    inputs: str,
    documents: int,
    warnings: list[str],
    pages: dict[str, str],
    files: Mapping[str, list[int]] | None = None,
) -> None:
    """Write the state of a just-published output (best effort: no state, no shortcut).

    `pages` maps each output file to the key of what it was rendered from; it is
    kept here, with the files' sizes and times, so that it can only ever be
    trusted together with the very output it describes. `files` is the output's
    listing when the caller knows it (what `listing` would find); else it is walked.
    """
    try:
        state = {
            "inputs": inputs,
            "documents": documents,
            "warnings": warnings,
            "files": listing(out) if files is None else dict(files),
            "pages": pages,
        }
        state_file(out).write_text(json.dumps(state))
    except OSError:
        pass


@dataclass(frozen=True)
class Previous:
    """What the build that made an output recorded, the output being just as it left it."""

    inputs: str
    documents: int
    warnings: list[str]
    pages: dict[str, str]  # every file it published → its key
    files: Listing  # the output's files, as walked now (and as recorded)


def previous(out: Path) -> Previous | None:
    """The record of the build that made `out`, if nothing touched the output since; else None."""
    try:
        state = json.loads(state_file(out).read_text())
        pages, recorded = state["pages"], state["files"]
        if not isinstance(pages, dict) or not isinstance(recorded, dict):
            return None
        files = listing(out)
        if files != recorded:
            return None
        return Previous(
            str(state["inputs"]),
            int(state["documents"]),
            [str(w) for w in state["warnings"]],
            {str(k): str(v) for k, v in pages.items()},
            files,
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None


def rendered_pages(out: Path) -> dict[str, str]:
    """The page keys of the build that made `out`, if nothing touched it since; else {}."""
    found = previous(out)
    return found.pages if found is not None else {}


def listed(rel: str) -> bool:
    """Whether `listing` would list the file at `rel` (it skips hidden files and folders)."""
    *folders, name = rel.split("/")
    return not name.startswith(".") and not any(
        folder.startswith((".", "__pycache__")) for folder in folders
    )


def stat_of(path: str | os.PathLike[str]) -> list[int]:
    """The [size, modification time, inode] that `listing` gives the file at `path`."""
    stat = os.stat(path)
    return [stat.st_size, stat.st_mtime_ns, stat.st_ino]


def listing(out: Path, under: str = "") -> Listing:
    """[size, modification time, inode] of every file under `out` (or its folder `under`)
    but hidden ones, by path relative to `out`.

    `os.scandir`, with paths built from the folder's prefix and each name, not
    `os.walk` and `relpath`: a build with nothing to do spends most of its time
    here (15,000 files at 10,000 documents).
    """
    stats: Listing = {}
    pending = [(f"{under}/" if under else "", os.path.join(out, under) if under else str(out))]
    while pending:
        prefix, folder = pending.pop()
        try:
            entries = os.scandir(folder)
        except FileNotFoundError:
            if prefix == "":
                raise  # no output at all
            continue  # `under` is not there: nothing in it
        with entries:
            for entry in entries:
                name = entry.name
                if name.startswith("."):
                    continue
                if entry.is_dir(follow_symlinks=False):
                    if not name.startswith("__pycache__"):
                        pending.append((f"{prefix}{name}/", entry.path))
                else:
                    stat = entry.stat()
                    stats[prefix + name] = [stat.st_size, stat.st_mtime_ns, stat.st_ino]
    return stats


def forget(out: Path) -> None:
    """Drop the record of `out` (its files are about to change outside a full build)."""
    state_file(out).unlink(missing_ok=True)
