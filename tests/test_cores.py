"""Two cores for the heavy loops: same results, same order, really another process."""

from __future__ import annotations

import gc
import multiprocessing
import os
import signal
import threading
import time
from pathlib import Path

import pytest

from generator import cores
from generator.cores import map_on_cores


def _pid_and_square(x: int) -> tuple[int, int]:
    return os.getpid(), x * x


@pytest.fixture
def alone(monkeypatch: pytest.MonkeyPatch) -> None:
    """This worker's only thread, as in a build, whatever earlier tests left running.

    Playwright leaves an asyncio thread that waits on its driver's exit for a moment
    after a browser test; it made these tests fall back to one core in CI. The guard
    itself is tested with a thread of our own (test_one_core_while_another_thread_runs).
    """
    monkeypatch.setattr(cores, "only_thread", lambda: True)


@pytest.mark.usefixtures("alone")
def test_results_in_order_half_computed_by_a_child_process() -> None:
    items = list(range(200))
    results = map_on_cores(_pid_and_square, items)
    assert [square for _, square in results] == [x * x for x in items]
    chunks = [results[i : i + cores.CHUNK] for i in range(0, len(results), cores.CHUNK)]
    assert {pid for chunk in chunks[0::2] for pid, _ in chunk} == {os.getpid()}
    children = {pid for chunk in chunks[1::2] for pid, _ in chunk}
    assert len(children) == 1 and os.getpid() not in children


@pytest.mark.usefixtures("alone")
def test_results_stream_out_before_all_are_computed() -> None:
    seen: list[int] = []

    def record(x: int) -> int:
        seen.append(x)  # only this process's list: the child's calls are not seen here
        return x

    stream = cores.stream_on_cores(record, list(range(10 * cores.CHUNK)))
    assert next(stream) == 0
    assert len(seen) == 1  # the parent computed one item, not its whole share
    assert list(stream) == list(range(1, 10 * cores.CHUNK))


@pytest.mark.usefixtures("alone")
@pytest.mark.timeout(30)
def test_ctrl_c_at_the_worker_leaves_the_stream_to_finish() -> None:
    def slow(x: int) -> tuple[int, int]:
        time.sleep(0.002)
        return os.getpid(), x

    stream = cores.stream_on_cores(slow, list(range(20 * cores.CHUNK)))
    results = [next(stream) for _ in range(2 * cores.CHUNK)]  # the child's first chunk too
    child = next(pid for pid, _ in results if pid != os.getpid())
    os.kill(child, signal.SIGINT)  # as a terminal sends it to the whole process group
    results += list(stream)
    assert [x for _, x in results] == list(range(20 * cores.CHUNK))


def test_a_closure_over_local_data_works_without_pickling_it() -> None:
    table = {x: object() for x in range(100)}  # objects that cannot cross processes by value
    assert map_on_cores(lambda x: id(table[x]) > 0 and x, list(table)) == list(table)


def test_one_core_while_another_thread_runs() -> None:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        results = map_on_cores(_pid_and_square, list(range(200)))
    finally:
        stop.set()
        thread.join()
    assert {pid for pid, _ in results} == {os.getpid()}


@pytest.mark.skipif(not cores.two_cores(), reason="needs two cores")
def test_two_cores_beside_other_threads_when_this_thread_vouches_for_them() -> None:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        with cores.forking_beside_threads():
            vouched = map_on_cores(_pid_and_square, list(range(200)))
        after = map_on_cores(_pid_and_square, list(range(200)))
    finally:
        stop.set()
        thread.join()
    assert len({pid for pid, _ in vouched}) == 2
    assert {pid for pid, _ in after} == {os.getpid()}


def test_a_thread_vouches_only_for_its_own_forks() -> None:
    seen: list[bool] = []
    other = threading.Thread(target=lambda: seen.append(cores.fork_is_safe()))
    with cores.forking_beside_threads():
        here = cores.fork_is_safe()
        other.start()
        other.join()
    assert (here, seen) == (True, [False])


def test_few_items_stay_on_one_core() -> None:
    results = map_on_cores(_pid_and_square, list(range(cores.MIN_ITEMS - 1)))
    assert {pid for pid, _ in results} == {os.getpid()}


@pytest.mark.usefixtures("alone")
def test_the_child_runs_at_most_a_few_chunks_ahead(tmp_path) -> None:
    log = tmp_path / "computed"

    def record(x: int) -> int:
        with log.open("a") as stream:  # appends from both processes, one line each
            stream.write(f"{os.getpid()}\n")
        return x

    stream = cores.stream_on_cores(record, list(range(40 * cores.CHUNK)))
    assert next(stream) == 0
    time.sleep(1.0)  # ample time for the child to compute its whole share, were it free to
    by_child = [pid for pid in log.read_text().split() if int(pid) != os.getpid()]
    assert len(by_child) == cores.AHEAD * cores.CHUNK
    assert list(stream) == list(range(1, 40 * cores.CHUNK))


@pytest.mark.usefixtures("alone")
def test_in_child_computes_in_another_process_and_returns_the_result() -> None:
    child, result = cores.in_child(lambda: (os.getpid(), [1, 2]))
    assert child != os.getpid() and result == [1, 2]


@pytest.mark.usefixtures("alone")
def test_what_fails_in_the_child_is_computed_here() -> None:
    parent = os.getpid()

    def only_here() -> int:
        if os.getpid() != parent:
            raise RuntimeError("in the child")
        return 7

    assert cores.in_child(only_here) == 7


@pytest.mark.usefixtures("alone")
def test_in_child_runs_meanwhile_here_while_the_child_works(tmp_path: Path) -> None:
    started, parent = tmp_path / "started", os.getpid()

    def slow() -> int:
        started.touch()
        time.sleep(0.5)
        return os.getpid()

    seen: list[tuple[int, bool]] = []

    def meanwhile() -> None:
        deadline = time.monotonic() + 10
        while not started.exists() and time.monotonic() < deadline:
            time.sleep(0.01)
        seen.append((os.getpid(), bool(multiprocessing.active_children())))

    child = cores.in_child(slow, meanwhile)
    assert child != parent and seen == [(parent, True)]


def test_without_a_child_meanwhile_runs_after_the_function() -> None:
    order: list[str] = []
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)  # no fork beside another thread
    thread.start()
    try:
        cores.in_child(lambda: order.append("function"), lambda: order.append("meanwhile"))
    finally:
        stop.set()
        thread.join()
    assert order == ["function", "meanwhile"]


@pytest.mark.usefixtures("alone")
def test_what_meanwhile_raises_is_raised_once_the_child_is_gone() -> None:
    def fails() -> None:
        raise ValueError("meanwhile")

    with pytest.raises(ValueError, match="meanwhile"):
        cores.in_child(lambda: time.sleep(0.2), fails)
    assert multiprocessing.active_children() == []


def test_in_child_computes_here_while_another_thread_runs() -> None:
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert cores.in_child(os.getpid) == os.getpid()
    finally:
        stop.set()
        thread.join()


def test_in_child_forks_with_one_core_asked_for(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("SOURCEBOOK_ONE_CORE", "1")  # one core busy at a time: the parent waits
    monkeypatch.setattr(cores, "only_thread", lambda: True)
    assert cores.in_child(os.getpid) != os.getpid()
    assert map_on_cores(lambda x: os.getpid(), list(range(100))) == [os.getpid()] * 100


def test_objects_made_before_a_fork_are_thawed_after_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(cores, "only_thread", lambda: True)
    frozen = cores.in_child(gc.get_freeze_count)
    assert frozen > 0  # the child inherited them out of the collector's reach
    assert gc.get_freeze_count() == 0
    list(cores.stream_on_cores(lambda x: x, list(range(100))))
    assert gc.get_freeze_count() == 0
