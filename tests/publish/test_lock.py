"""One writer per output folder: a second one waits, then is told who holds it; a lock
left by a killed process is taken over."""

from __future__ import annotations

import errno
import fcntl
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from generator.publish import lock
from tests.conftest import ROOT

pytestmark = pytest.mark.timeout(60)


def _holder(out: Path, seconds: float) -> subprocess.Popen:
    """Another process holding the lock of `out` for `seconds`, once it says `held`."""
    code = (
        "import sys, time\n"
        "from pathlib import Path\n"
        "from generator.publish import lock\n"
        "with lock.hold(Path(sys.argv[1]), 'sourcebook build --out elsewhere'):\n"
        "    print('held', flush=True)\n"
        "    time.sleep(float(sys.argv[2]))\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", code, str(out), str(seconds)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert process.stdout is not None and process.stdout.readline() == "held\n"
    return process


def test_a_second_writer_waits_then_is_told_which_process_holds_the_folder(
    tmp_path: Path,
) -> None:
    out = tmp_path / "build"
    holder = _holder(out, 30)
    try:
        started = time.monotonic()
        with pytest.raises(lock.OutputLocked) as refused, lock.hold(out, "second", wait=0.5):
            pass
        assert time.monotonic() - started >= 0.5
        assert str(refused.value) == (
            f"{out} is being written by process {holder.pid} (sourcebook build --out elsewhere); "
            "try again once it ends, or choose another --out"
        )
    finally:
        holder.kill()
        holder.wait()


def test_a_writer_that_ends_within_the_wait_is_waited_for(tmp_path: Path) -> None:
    out = tmp_path / "build"
    holder = _holder(out, 0.5)
    started = time.monotonic()
    with lock.hold(out, "second", wait=20):
        assert time.monotonic() - started > 0.3  # it waited for the holder to let go
        assert holder.wait() == 0
        assert json.loads(lock.lock_file(out).read_text()) == {
            "pid": os.getpid(),
            "command": "second",
        }
    assert not lock.lock_file(out).exists()  # released: nothing is left beside the output


def test_a_lock_left_by_a_killed_process_is_taken_over_at_once(tmp_path: Path) -> None:
    out = tmp_path / "build"
    holder = _holder(out, 30)
    os.kill(holder.pid, signal.SIGKILL)
    holder.wait()
    left = json.loads(lock.lock_file(out).read_text())
    assert left["pid"] == holder.pid  # its file is still there, naming it
    started = time.monotonic()
    with lock.hold(out, "next", wait=0):  # but the kernel dropped its lock
        assert json.loads(lock.lock_file(out).read_text())["command"] == "next"
    assert time.monotonic() - started < 1


def test_a_child_forked_by_a_killed_writer_does_not_keep_its_lock(tmp_path: Path) -> None:
    out = tmp_path / "build"
    code = (
        "import os, sys, time\n"
        "from pathlib import Path\n"
        "from generator.publish import lock\n"
        "with lock.hold(Path(sys.argv[1]), 'sourcebook build'):\n"
        "    child = os.fork()\n"  # as `cores` forks a process to use the second core
        "    if child == 0:\n"
        "        print(os.getpid(), flush=True)\n"  # it runs: its copy is closed
        "        time.sleep(30)\n"
        "        os._exit(0)\n"
        "    time.sleep(30)\n"
    )
    holder = subprocess.Popen(
        [sys.executable, "-c", code, str(out)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert holder.stdout is not None
    child = int(holder.stdout.readline())
    try:
        os.kill(holder.pid, signal.SIGKILL)
        holder.wait()
        with lock.hold(out, "next", wait=0):  # the child still runs, and holds nothing
            os.kill(child, 0)
    finally:
        os.kill(child, signal.SIGKILL)


def test_without_file_locks_the_recorded_process_is_asked_whether_it_runs(
    tmp_path: Path, monkeypatch
) -> None:
    def unsupported(descriptor: int, operation: int) -> None:
        raise OSError(errno.ENOLCK, "No locks available")

    monkeypatch.setattr(fcntl, "flock", unsupported)
    out = tmp_path / "build"
    path = lock.lock_file(out)
    gone = subprocess.Popen([sys.executable, "-c", ""])
    gone.wait()
    path.write_text(json.dumps({"pid": gone.pid, "command": "sourcebook serve"}))
    with lock.hold(out, "next", wait=0):  # its process is gone: taken over
        pass
    path.write_text(json.dumps({"pid": os.getppid(), "command": "sourcebook serve"}))
    with pytest.raises(lock.OutputLocked) as refused, lock.hold(out, "next", wait=0):
        pass
    assert str(refused.value).startswith(f"{out} is being written by process {os.getppid()} ")
