"""What one build keeps for the next: stage results and page keys, by content digest.

`serve` keeps one `BuildCache` in memory across rebuilds; `build` saves it
beside the output (`.<out>.cache.pickle`) and loads it the next time. Every
entry is keyed by digests of the exact bytes it was computed from and of the
code that computed it (`inputs.toolchain`), so a stale entry can only be
missed, never used. `--clean` starts from an empty cache.
"""

from __future__ import annotations

import hashlib
import os
import pickle
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from generator import __version__
from generator.cache import inputs
from generator.diagnostics import Diagnostic, Diagnostics

T = TypeVar("T")

# A file modified this recently may be modified again within the file system's
# timestamp granularity without its size or mtime changing: always re-read it.
_RACY_SECONDS = 2.0


@dataclass
class BuildCache:
    """Stage results and rendered page keys of the last build, by content digest."""

    # path → ((size, mtime_ns, inode), sha256 hex) of files read before
    files: dict[str, tuple[tuple[int, int, int], str]] = field(default_factory=dict)
    # stage → key → (value, problems found computing it)
    entries: dict[str, dict[str, tuple[Any, tuple[Diagnostic, ...]]]] = field(default_factory=dict)
    # output path → key of what it was rendered from, for the output as last published
    # (`serve` keeps it here; `build` keeps it in the output's state file, beside it)
    pages: dict[str, str] = field(default_factory=dict)
    # name → (key, value) kept in memory only, for `serve`: never saved
    memory: dict[str, tuple[str, Any]] = field(default_factory=dict, repr=False)
    _used: dict[str, set[str]] = field(default_factory=dict, repr=False)

    def file_digest(self, path: Path) -> str:
        """The SHA-256 of a file's bytes; re-read only when its size, mtime or inode moved."""
        stat = path.stat()
        signature = (stat.st_size, stat.st_mtime_ns, stat.st_ino)
        known = self.files.get(str(path))
        racy = time.time_ns() - stat.st_mtime_ns < _RACY_SECONDS * 1e9
        if known is not None and known[0] == signature and not racy:
            return known[1]
        value = hashlib.sha256(path.read_bytes()).hexdigest()
        self.files[str(path)] = (signature, value)
        return value

    def tree_digest(self, root: Path, skip: Callable[[str], bool] = lambda rel: False) -> str:
        """A digest of every file under `root` (names and bytes), except those `skip` names."""
        digest = hashlib.sha256()
        if root.is_dir():
            for folder, dirs, names in os.walk(root):
                dirs.sort()
                for name in sorted(names):
                    path = Path(folder) / name
                    rel = path.relative_to(root).as_posix()
                    if skip(rel) or not path.is_file():
                        continue
                    digest.update(f"{rel}\0{self.file_digest(path)}\0".encode())
        return digest.hexdigest()

    def remember(
        self, stage: str, key: str, diagnostics: Diagnostics, compute: Callable[[Diagnostics], T]
    ) -> T:
        """`compute`'s result for `key`, computed once; its problems are reported every time."""
        key = scoped(key)
        entries = self.entries.setdefault(stage, {})
        self._used.setdefault(stage, set()).add(key)
        hit = entries.get(key)
        if hit is None:
            found = Diagnostics()
            value = compute(found)
            hit = entries[key] = (value, tuple(found.items))
        diagnostics.items.extend(hit[1])
        return hit[0]

    def lookup(self, stage: str, key: str) -> Any | None:
        """The value kept for `key`, if any (kept for the next build too); else None."""
        key = scoped(key)
        self._used.setdefault(stage, set()).add(key)
        hit = self.entries.get(stage, {}).get(key)
        return None if hit is None else hit[0]

    def store(self, stage: str, key: str, value: Any) -> None:
        """Keep `value` for `key` (a result that reports no problems)."""
        key = scoped(key)
        self._used.setdefault(stage, set()).add(key)
        self.entries.setdefault(stage, {})[key] = (value, ())

    def keep_only(self, stage: str, key: str, value: Any) -> None:
        """Keep `value` as the one entry of `stage` (a result only the next build reads)."""
        key = scoped(key)
        self._used[stage] = {key}
        self.entries[stage] = {key: (value, ())}

    def settle(self) -> None:
        """Forget the entries this build did not use, so the cache stays the archive's size.

        A stage this build did not run at all keeps its entries: the groups'
        comparisons, say, when the whole model was reused.
        """
        for stage, entries in self.entries.items():
            used = self._used.get(stage)
            if used is None:
                continue
            for stale in [k for k in entries if k not in used]:
                del entries[stale]
        self._used = {}

    def save(self, path: Path) -> None:
        """Write the cache (best effort: without it the next build does everything)."""
        temporary = path.with_name(path.name + ".tmp")
        try:
            with temporary.open("wb") as stream:
                pickle.dump((__version__, inputs.toolchain(), self.files, self.entries), stream, 5)
            os.replace(temporary, path)
        except (OSError, pickle.PicklingError):
            temporary.unlink(missing_ok=True)

    @classmethod
    def load(cls, path: Path) -> BuildCache:
        """The cache saved by the last build, or an empty one if it is missing or stale."""
        try:
            with path.open("rb") as stream:
                version, code, files, entries = pickle.load(stream)
        except Exception:  # unreadable, truncated, from another version: start afresh
            return cls()
        if version != __version__ or code != inputs.toolchain():
            return cls()
        return cls(files=files, entries=entries)


def cache_file(out: Path) -> Path:
    """Where the cache of output folder `out` is kept: beside it, never published."""
    return out.with_name(f".{out.name}.cache.pickle")


def scoped(key: str) -> str:
    """A stage's key for `key` as this code computes it: the code is an input of every result."""
    return hashlib.blake2b(f"{inputs.toolchain()}\0{key}".encode(), digest_size=16).hexdigest()
