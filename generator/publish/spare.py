"""The spare: the site of the build before, kept beside the output and brought up to date.

Every build swaps its new site with the published one; the tree the swap takes
out is kept as `.<out>.spare` instead of being deleted. It is the site as it
was one build ago: most of its files are the very files of the published site
(hard links, one inode), because a build links every file it does not change.
The next build makes the spare into the new site by touching only the paths
where it differs: a file whose inode is not the published one's is replaced,
a file the new site lacks is deleted, and then the spare is swapped in. So
publishing costs what changed, not a tree of every file made and another
deleted (10,000 documents: 3.5 s before).

Nothing in the spare is taken on trust. Which of its files are the published
ones is read from the folder itself (a `readdir` gives each name's inode, no
`stat` needed), not from a record of what the last build changed, so a spare
left half-updated by a killed build, touched by `serve`, or edited by hand
comes out right all the same: a file edited in place that is shared with the
published site changed that site too, and the output check before the build
(`cache.build_state.previous`) sends it to a full render; any other is
replaced. A file is never written in place: each is written (or linked)
under a temporary name and renamed over its path, because a shared inode
written in place would change the published site under the readers' feet.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Mapping
from pathlib import Path

from generator.cache.build_state import Listing, listed, listing, stat_of


def spare_of(out: Path) -> Path:
    """Where the spare of output folder `out` is kept: beside it, never published."""
    return out.with_name(f".{out.name}.spare")


class Spare:
    """A spare tree being brought up to date with a new site, file by file.

    `current` is the published site's listing, as checked against its record.
    """

    def __init__(self, root: Path, out: Path, current: Mapping[str, list[int]]) -> None:
        self.root, self.out, self.current = root, out, current
        self.found, self.folders, self.empty = _read(root)
        self.wanted: set[str] = set()
        self.fresh: set[str] = set()  # paths given a new inode (written, not linked)

    def write(self, rel: str, data: bytes) -> bool:
        """Make `rel` hold `data`: the published file if it holds them; True if written anew."""
        self.wanted.add(rel)
        if same_bytes(self.out / rel, data):
            try:
                self._link(rel)
                return False
            except OSError:
                pass  # a copy of our own is as good, only newer
        temporary = self._prepare(rel)
        temporary.write_bytes(data)
        os.replace(temporary, self.root / rel)
        self.found[rel] = -1
        self.fresh.add(rel)
        return True

    def keep(self, rel: str) -> bool:
        """Make `rel` the published file; False when the published site has none."""
        self.wanted.add(rel)
        try:
            self._link(rel)
        except FileNotFoundError:
            return False
        return True

    def prune(self) -> None:
        """Delete what the new site lacks, and the folders that leaves empty."""
        emptied = set(self.empty)
        for rel in sorted(self.found.keys() - self.wanted):
            (self.root / rel).unlink()
            emptied.add(rel.rpartition("/")[0])
        for folder in sorted(emptied, key=lambda f: f.count("/"), reverse=True):
            while folder:
                try:
                    (self.root / folder).rmdir()  # only succeeds when empty
                except OSError:
                    break
                folder = folder.rpartition("/")[0]

    def files(self, rewritten: Iterable[str]) -> Listing:
        """The spare's listing once up to date: what `build_state.listing` would find.

        The folders `rewritten` by another program since (the search index) are
        walked; every other file's entry is the published one's, unless it was
        written anew.
        """
        rewritten = list(rewritten)
        inside = tuple(f"{folder}/" for folder in rewritten)
        files = {}
        for rel in self.wanted:
            if listed(rel) and not (inside and rel.startswith(inside)):
                known = None if rel in self.fresh else self.current.get(rel)
                files[rel] = known if known is not None else stat_of(self.root / rel)
        for folder in rewritten:
            files.update(listing(self.root, folder))
        return files

    def _link(self, rel: str) -> None:
        published = self._published_inode(rel)
        if self.found.get(rel) == published:
            return  # already the published file
        temporary = self._prepare(rel)
        os.link(self.out / rel, temporary)
        os.replace(temporary, self.root / rel)
        self.found[rel] = published

    def _published_inode(self, rel: str) -> int:
        entry = self.current.get(rel)
        if entry is not None:
            return entry[2]
        return os.lstat(self.out / rel).st_ino  # a hidden file: not in the listing

    def _prepare(self, rel: str) -> Path:
        """Make ready to place `rel`; return the temporary name to write it under."""
        folder, _, name = rel.rpartition("/")
        if rel in self.folders:  # a folder where the file must go (left by another site)
            shutil.rmtree(self.root / rel)
            self._forget(rel)
        if folder not in self.folders:
            prefix = ""
            for part in folder.split("/"):
                prefix = f"{prefix}/{part}" if prefix else part
                if self.found.pop(prefix, None) is not None:  # a file where a folder must be
                    (self.root / prefix).unlink()
                self.folders[prefix] = None
            (self.root / folder).mkdir(parents=True, exist_ok=True)
        temporary = f"{folder}/.{name}.sourcebook-new" if folder else f".{name}.sourcebook-new"
        if self.found.pop(temporary, None) is not None:  # left by a killed build
            (self.root / temporary).unlink()
        return self.root / temporary

    def _forget(self, gone: str) -> None:
        """Drop what was under folder `gone`, now deleted, from what the spare holds."""
        inside = f"{gone}/"
        for known in (self.found, self.folders):
            for rel in [r for r in known if r == gone or r.startswith(inside)]:
                del known[rel]
        self.empty = {f for f in self.empty if f != gone and not f.startswith(inside)}


def _read(root: Path) -> tuple[dict[str, int], dict[str, None], set[str]]:
    """Every file (by inode) and folder under `root`, hidden ones included, by relative
    path, and the folders with nothing in them.

    `readdir` alone: a name's inode comes with it, and no file is `stat`ed.
    """
    found: dict[str, int] = {}
    folders: dict[str, None] = {}
    empty: set[str] = set()
    pending = [("", str(root))]
    while pending:
        rel, folder = pending.pop()
        folders[rel] = None
        prefix = f"{rel}/" if rel else ""
        count = 0
        with os.scandir(folder) as entries:
            for entry in entries:
                count += 1
                if entry.is_dir(follow_symlinks=False):
                    pending.append((prefix + entry.name, entry.path))
                else:
                    found[prefix + entry.name] = entry.inode()
        if count == 0 and rel:
            empty.add(rel)
    return found, folders, empty


def same_bytes(path: Path, data: bytes) -> bool:
    """Whether the file at `path` holds exactly `data` (a symbolic link never does)."""
    try:
        if path.is_symlink() or path.stat().st_size != len(data):
            return False
        return path.read_bytes() == data
    except OSError:
        return False
