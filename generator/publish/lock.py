"""One writer per output folder: `build` and `serve` hold a lock beside it while they write.

The lock is an `flock(2)` on `.<out>.lock`, beside the output (the output
folder itself is swapped whole by every build). The kernel drops it when its
process ends, however it ends, SIGKILL included: a lock file left by a
killed process holds no lock, and the next writer simply takes it over. No
process id is ever trusted to say who holds it (ids are reused); the file
records the holder's id and command only to tell a second writer whom it
waits for. Where the file system cannot lock files, the recorded process is
asked whether it still runs instead.
"""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import time
from collections.abc import Iterator
from pathlib import Path

from generator.publish.write import OutputError, make_parent

WAIT_SECONDS = 5.0  # a build that is about to finish is waited for; a long serve is not
_POLL_SECONDS = 0.1
_UNSUPPORTED = (errno.ENOLCK, errno.EOPNOTSUPP, errno.EINVAL, errno.ENOSYS)
# The descriptors of the locks this process holds. A forked child (`cores` forks
# one to use the second core) would hold each lock with its copy of them, and
# keep it held after this process is killed: children close their copies.
_HELD: set[int] = set()


def _forget_in_child() -> None:
    for descriptor in _HELD:
        with contextlib.suppress(OSError):
            os.close(descriptor)  # closed, not unlocked: the lock is still this process's
    _HELD.clear()


os.register_at_fork(after_in_child=_forget_in_child)


class OutputLocked(Exception):
    """Another process is writing the output folder; the message says which, in one line."""


def lock_file(out: Path) -> Path:
    """Where the lock of output folder `out` is kept: beside it, never published."""
    out = out.resolve()
    return out.with_name(f".{out.name}.lock")


@contextlib.contextmanager
def hold(out: Path, command: str, wait: float | None = None) -> Iterator[None]:
    """Hold the lock of `out` while the block runs, waiting `wait` seconds for it at most.

    Raises OutputLocked when another process still holds it after the wait,
    OutputError when the lock cannot be made at all.
    """
    path = lock_file(out)
    deadline = time.monotonic() + (WAIT_SECONDS if wait is None else wait)
    make_parent(out)
    try:
        while True:
            descriptor = _take(path, command)
            if descriptor is not None:
                break
            if time.monotonic() >= deadline:
                raise OutputLocked(_held_message(path, out))
            time.sleep(_POLL_SECONDS)
    except OSError as problem:
        raise OutputError(f"cannot write to {path.parent}: {problem.strerror}") from None
    _HELD.add(descriptor)
    try:
        yield
    finally:
        # Removed while still held, so that no one can take a lock on a file
        # about to disappear (a taker checks that it locked the file in place).
        path.unlink(missing_ok=True)
        _HELD.discard(descriptor)
        os.close(descriptor)


def _take(path: Path, command: str) -> int | None:
    """The descriptor of the lock file, locked and naming this process; None if held."""
    while True:
        descriptor = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        try:
            locked = _lock(descriptor, path)
            if locked and _in_place(descriptor, path):
                holder = json.dumps({"pid": os.getpid(), "command": command}).encode()
                os.ftruncate(descriptor, 0)
                os.pwrite(descriptor, holder, 0)
                return descriptor
        except BaseException:
            os.close(descriptor)
            raise
        os.close(descriptor)
        if not locked:
            return None
        # Locked, but its holder removed the file as we opened it: again, on a new one.


def _lock(descriptor: int, path: Path) -> bool:
    """Lock the open file `descriptor` without waiting; False if another process holds it."""
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return False
    except OSError as problem:
        if problem.errno not in _UNSUPPORTED:
            raise
        return not _holder_runs(path)  # no file locks here: the recorded process holds it
    return True


def _in_place(descriptor: int, path: Path) -> bool:
    """Whether the open file `descriptor` is still the one at `path`."""
    try:
        return os.stat(path).st_ino == os.fstat(descriptor).st_ino
    except FileNotFoundError:
        return False


def _holder(path: Path) -> tuple[int, str] | None:
    """The process id and command recorded in the lock file, if it names one."""
    try:
        recorded = json.loads(path.read_text(encoding="utf-8"))
        return int(recorded["pid"]), str(recorded["command"])
    except (OSError, ValueError, KeyError, TypeError):
        return None


def _holder_runs(path: Path) -> bool:
    holder = _holder(path)
    if holder is None or holder[0] == os.getpid():
        return False
    try:
        os.kill(holder[0], 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # it runs, as another user
    return True


def _held_message(path: Path, out: Path) -> str:
    holder = _holder(path)
    who = f"process {holder[0]} ({holder[1]})" if holder else "another process"
    return f"{out} is being written by {who}; try again once it ends, or choose another --out"
