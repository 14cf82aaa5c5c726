"""Write the rendered site atomically: the published folder is never half-written.

The whole site is made in a sibling folder, then swapped with the published
one in a single `renameat2(RENAME_EXCHANGE)` call. A build killed at any
moment leaves either the old site or the new one, never a mix; a leftover
temporary folder is removed by the next build. Files whose bytes did not
change are hard-links to the previous output's, so they keep their inode and
timestamp and a deploy uploads only what changed.

The tree the swap takes out, the site of the build before, is kept beside the
output as its spare (`spare.py`). When the caller knows the published files
(`current`, checked against the state the last build recorded), the next
build brings the spare up to date, touching only the files that differ, and
swaps it in: publishing costs what changed. Without them, or without a spare,
the site is staged whole in a new folder, every unchanged file linked, and
the old spare is deleted once that folder is in place.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import errno
import itertools
import os
import shutil
import tempfile
from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path

from generator.cache.build_state import Listing
from generator.publish.spare import Spare, same_bytes, spare_of

MARKER = ".sourcebook-build"
_MARKER_TEXT = b"This folder is written by `sourcebook build`; it is replaced on every build.\n"
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


class OutputError(Exception):
    """The output folder cannot be used or written; the message says why, in one line."""


class StaleOutput(Exception):
    """A file to keep from the previous output is gone: render everything instead."""


def refuse_reason(out: Path, source: Path) -> str | None:
    """Why `out` must not be used as the output folder, or None when it is safe."""
    target = out.resolve()
    source = source.resolve()
    home = Path.home().resolve()
    if target == Path(target.anchor) or target == home:
        return f"refusing to write the site into {target}: choose a dedicated folder"
    if target == source or source.is_relative_to(target):
        return f"refusing to write the site into {target}: it holds the sources"
    if target.is_relative_to(source):
        return f"refusing to write the site into {target}: it is inside the source folder"
    if target.exists() and not target.is_dir():
        return f"{target} exists and is not a folder"
    if target.is_dir() and any(target.iterdir()) and not (target / MARKER).is_file():
        return (
            f"refusing to replace {target}: it is not empty and was not written by "
            f"sourcebook (no {MARKER} file); choose another --out or empty it yourself"
        )
    return None


def make_parent(out: Path) -> Path:
    """Make the folder that holds `out` if need be, and return it; OutputError if it cannot be."""
    parent = out.resolve().parent
    blocker = next((p for p in (parent, *parent.parents) if p.exists()), None)
    if blocker is not None and not blocker.is_dir():
        raise OutputError(f"cannot write to {parent}: {blocker} is a file, not a folder")
    try:
        parent.mkdir(parents=True, exist_ok=True)
    except OSError as problem:
        raise OutputError(f"cannot write to {parent}: {_reason(problem)}") from None
    return parent


# The files of a site: a mapping, or (path, bytes) pairs produced as they are read.
Files = Mapping[str, bytes] | Iterable[tuple[str, bytes]]


def _pairs(files: Files) -> Iterable[tuple[str, bytes]]:
    return files.items() if isinstance(files, Mapping) else files


@dataclass(frozen=True)
class Published:
    """What `publish` did: the files it rewrote, and the new output's listing if it knows it."""

    changed: int
    files: Listing | None = None  # None: walk the output to know it


def publish(
    files: Files,
    out: Path,
    keep: Collection[str] = (),
    finish: Callable[[Path], Iterable[str]] | None = None,
    current: Mapping[str, list[int]] | None = None,
) -> Published:
    """Replace the site in `out` with `files` in one atomic swap; say what it rewrote.

    `keep` names files of the current output to carry over unchanged (hard-linked).
    `finish`, if given, completes the staged site (the search index) before the swap,
    and returns the folders it wrote in: whatever it raises, the published site
    stays as it was. `current` is the published site's listing
    (`build_state.listing`), known to be as the state records it: with it, the
    spare is updated and swapped in instead of a new tree.
    """
    out = out.resolve()
    parent = make_parent(out)
    try:
        _recover(out)
        if current is not None and out.is_dir() and _is_spare(spare_of(out)):
            return _publish_spare(files, out, keep, finish, current)
        staging = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=parent))
    except OSError as problem:
        raise OutputError(f"cannot write to {parent}: {_reason(problem)}") from None
    try:
        staging.chmod(0o755)
        changed = _write_tree(files, staging, out)
        _keep_tree(keep, staging, out)
        if finish is not None:
            finish(staging)
        _swap_staging(staging, out)
    except StaleOutput:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    except OSError as problem:
        shutil.rmtree(staging, ignore_errors=True)
        raise OutputError(f"cannot write the site to {out}: {_reason(problem)}") from None
    except BaseException:
        shutil.rmtree(staging, ignore_errors=True)
        raise
    return Published(changed)


def _publish_spare(
    files: Files,
    out: Path,
    keep: Collection[str],
    finish: Callable[[Path], Iterable[str]] | None,
    current: Mapping[str, list[int]],
) -> Published:
    """Bring the spare up to date with the new site and swap it in: see `spare.py`.

    On any failure the spare stays as far as it got (the next build sets it
    right) and the published site as it was.
    """
    try:
        spare = Spare(spare_of(out), out, current)
        changed = 0
        for rel, data in itertools.chain([(MARKER, _MARKER_TEXT)], _pairs(files)):
            _check_relative(rel)
            changed += spare.write(rel, data) and rel != MARKER
        for rel in keep:
            _check_relative(rel)
            if not spare.keep(rel):
                raise StaleOutput(rel)
        spare.prune()
        rewritten = finish(spare.root) if finish is not None else ()
        listing = spare.files(rewritten) if rewritten is not None else None
        _swap_spare(spare.root, out)
    except OSError as problem:
        raise OutputError(f"cannot write the site to {out}: {_reason(problem)}") from None
    return Published(changed, listing)


def _write_tree(files: Files, staging: Path, previous: Path) -> int:
    changed = 0
    made: set[Path] = set()
    for rel, data in itertools.chain([(MARKER, _MARKER_TEXT)], _pairs(files)):
        _check_relative(rel)
        target = staging / rel
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        old = previous / rel
        if same_bytes(old, data):
            with contextlib.suppress(OSError):
                os.link(old, target)
                continue
        target.write_bytes(data)
        changed += rel != MARKER
    return changed


def _keep_tree(keep: Collection[str], staging: Path, previous: Path) -> None:
    made: set[Path] = set()
    for rel in sorted(keep):
        _check_relative(rel)
        target = staging / rel
        if target.parent not in made:
            target.parent.mkdir(parents=True, exist_ok=True)
            made.add(target.parent)
        try:
            os.link(previous / rel, target)
        except FileNotFoundError:
            raise StaleOutput(rel) from None


def publish_in_place(
    files: Files,
    out: Path,
    keep: Collection[str],
    removed: Collection[str],
    placed: Callable[[str], None] | None = None,
) -> int:
    """Update `out` file by file (each replaced atomically); delete the `removed` ones.

    For `serve` only: a reader may briefly see old and new pages side by side,
    but no page is ever half-written, and small edits show at once. `placed`
    is told each file's path once the file is in place.
    """
    if not (out / MARKER).is_file():
        return publish(files, out, keep).changed
    changed = 0
    try:
        written = set()
        for rel, data in _pairs(files):
            written.add(rel)
            _check_relative(rel)
            target = out / rel
            if not same_bytes(target, data):
                target.parent.mkdir(parents=True, exist_ok=True)
                temporary = target.with_name(f".{target.name}.new")
                temporary.write_bytes(data)
                os.replace(temporary, target)
                changed += 1
            if placed is not None:
                placed(rel)
        for rel in sorted(set(removed) - written - set(keep) - {MARKER}):
            _check_relative(rel)
            (out / rel).unlink(missing_ok=True)
            for folder in (out / rel).parents:
                if folder == out:
                    break
                with contextlib.suppress(OSError):
                    folder.rmdir()  # only succeeds when empty
    except OSError as problem:
        raise OutputError(f"cannot write the site to {out}: {_reason(problem)}") from None
    return changed


def link_identical(new: Path, old: Path) -> None:
    """Make each file under `new` that has the same bytes as its namesake under `old` a
    hard link to it, so that it keeps its timestamp (for files written by another
    program, such as the search index)."""
    for path in new.rglob("*"):
        before = old / path.relative_to(new)
        try:
            if path.is_file() and before.is_file() and same_bytes(before, path.read_bytes()):
                linked = path.with_name(f".{path.name}.link")
                os.link(before, linked)
                os.replace(linked, path)
        except OSError:
            pass  # a copy of our own is as good, only newer


def _reason(problem: OSError) -> str:
    """Why writing failed, in words: not every OSError carries a system message (a
    template that cannot be found, met while the pages are made, is one too)."""
    if problem.errno == errno.ENOSPC:
        return "the disk is full"
    return problem.strerror or str(problem) or type(problem).__name__


def _check_relative(rel: str) -> None:
    parts = rel.split("/")
    if rel.startswith("/") or ".." in parts or "" in parts or "\\" in rel:
        raise OutputError(f"refusing to write outside the output folder: {rel}")


def swap_in(staging: Path, out: Path) -> None:
    """Put folder `staging` in place of `out` in one step; remove the old one afterwards."""
    if not out.exists():
        os.rename(staging, out)
        return
    if _exchange(staging, out):
        shutil.rmtree(staging, ignore_errors=True)  # staging now holds the old site
        return
    # No atomic exchange on this file system: two renames, recoverable by _recover.
    old = out.with_name(f".{out.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    os.rename(out, old)
    os.rename(staging, out)
    shutil.rmtree(old, ignore_errors=True)


def _exchange(a: Path, b: Path) -> bool:
    libc_name = ctypes.util.find_library("c")
    try:
        libc = ctypes.CDLL(libc_name, use_errno=True)
        renameat2 = libc.renameat2
    except (OSError, AttributeError):
        return False
    result = renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), _RENAME_EXCHANGE)
    return result == 0


def _swap_staging(staging: Path, out: Path) -> None:
    """Put a staged site in place of `out`; the site it replaces becomes the spare."""
    if not out.exists():
        os.rename(staging, out)
        return
    if not _exchange(staging, out):
        swap_in(staging, out)  # no atomic exchange on this file system: no spare either
        return
    # `staging` now holds the old site: it takes the old spare's place, deleted after.
    spare = spare_of(out)
    if not spare.exists():
        os.rename(staging, spare)
    elif _is_spare(spare) and _exchange(staging, spare):
        shutil.rmtree(staging, ignore_errors=True)  # the old spare
    else:
        shutil.rmtree(staging, ignore_errors=True)  # a folder not ours there: left alone


def _is_spare(folder: Path) -> bool:
    """Whether `folder` is a tree this program wrote (a spare is deleted at will)."""
    return folder.is_dir() and (folder / MARKER).is_file()


def _swap_spare(spare: Path, out: Path) -> None:
    """Swap the up-to-date spare with `out`: the old site is the spare from now on."""
    if _exchange(spare, out):
        return
    # No atomic exchange on this file system: three renames, recoverable by _recover.
    old = out.with_name(f".{out.name}.old")
    shutil.rmtree(old, ignore_errors=True)
    os.rename(out, old)
    os.rename(spare, out)
    os.rename(old, spare)


def _recover(out: Path) -> None:
    """Undo what an interrupted earlier build left: restore the site, drop temporaries."""
    old = out.with_name(f".{out.name}.old")
    if old.is_dir() and (old / MARKER).is_file():
        if not out.exists():
            os.rename(old, out)
        elif not spare_of(out).exists():
            os.rename(old, spare_of(out))  # killed between the spare's renames
        else:
            shutil.rmtree(old, ignore_errors=True)
    for leftover in out.parent.glob(f".{out.name}.new-*"):
        if leftover.is_dir():
            shutil.rmtree(leftover, ignore_errors=True)
