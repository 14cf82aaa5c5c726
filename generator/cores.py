"""Use the machine's second core for the two heavy loops: comparing and rendering.

`map_on_cores(function, items)` is `[function(x) for x in items]`, computed
half here and half in one forked child, which inherits the archive instead of
receiving it: nothing but the results crosses between the processes. It falls
back to one core where forking is unsafe (a process with threads, such as
`serve` once it runs) or does not pay (few items, one core).
"""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

MIN_ITEMS = 64  # below this, starting a process costs more than it saves

_job: tuple[Callable[[Any], Any], Sequence[Any]] | None = None


def map_on_cores(function: Callable[[T], R], items: Sequence[T]) -> list[R]:
    """`function` over `items`, in order, on two cores when that is safe and pays."""
    if len(items) < MIN_ITEMS or not _can_fork():
        return [function(item) for item in items]
    global _job
    _job = (function, items)
    try:
        with multiprocessing.get_context("fork").Pool(1) as pool:
            theirs = pool.apply_async(_odd_items)
            mine = [function(item) for item in items[0::2]]
            others = theirs.get()
    finally:
        _job = None
    results: list[R] = []
    for index in range(len(items)):
        results.append(mine[index // 2] if index % 2 == 0 else others[index // 2])
    return results


def _odd_items() -> list[Any]:
    assert _job is not None  # set by the parent before it forked
    function, items = _job
    return [function(item) for item in items[1::2]]


def _can_fork() -> bool:
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (
        (cores or 1) >= 2
        and "fork" in multiprocessing.get_all_start_methods()
        and threading.active_count() == 1  # forking a threaded process can deadlock it
        and not os.environ.get("SOURCEBOOK_ONE_CORE")
    )
