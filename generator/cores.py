"""Use the machine's second core for the two heavy loops: comparing and rendering.

`map_on_cores(function, items)` is `[function(x) for x in items]`, computed
half here and half in one forked child (`stream_on_cores` yields the results
as they come), which inherits the archive instead of
receiving it: nothing but the results crosses between the processes. It falls
back to one core where forking is unsafe (a process with threads, unless
the thread that forks vouches for the others, as `serve`'s rebuilder does) or
does not pay (few items, one core).

`in_child(function)` computes `function()` in a forked child for its memory,
not its speed: the child's temporaries die with it, where this process's
allocator would keep the arenas they shared with what lives on.
"""

from __future__ import annotations

import collections
import contextlib
import gc
import itertools
import multiprocessing
import os
import signal
import threading
from collections.abc import Callable, Iterator, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

MIN_ITEMS = 64  # below this, starting a process costs more than it saves
CHUNK = 32  # items a process computes before the other's turn
# Chunks the child may have computed before this process takes them. Unbounded,
# a child faster than this process (which also writes the pages) piled its
# results up here: 100 to 250 MB of pages at 10,000 documents, depending on the disk.
AHEAD = 4

_job: tuple[Callable[[Any], Any], Sequence[Any]] | None = None


def map_on_cores(function: Callable[[T], R], items: Sequence[T]) -> list[R]:
    """`function` over `items`, in order, on two cores when that is safe and pays."""
    return list(stream_on_cores(function, items))


def stream_on_cores(function: Callable[[T], R], items: Sequence[T]) -> Iterator[R]:
    """`function` over `items`, yielded in order as they are computed.

    Chunks alternate between this process and the child, so only a few chunks
    of results are ever held at once (the pages of a site, unlike the site).
    """
    if len(items) < MIN_ITEMS or not can_fork():
        yield from (function(item) for item in items)
        return
    global _job
    spans = [(start, min(start + CHUNK, len(items))) for start in range(0, len(items), CHUNK)]
    theirs = iter(spans[1::2])
    _job = (function, items)
    try:
        with _frozen(), multiprocessing.get_context("fork").Pool(1, _deaf) as pool:
            asked = collections.deque(
                pool.apply_async(_span, (span,)) for span in itertools.islice(theirs, AHEAD)
            )
            for number, (start, end) in enumerate(spans):
                if number % 2:
                    done = asked.popleft().get()
                    following = next(theirs, None)
                    if following is not None:
                        asked.append(pool.apply_async(_span, (following,)))
                    yield from done
                else:
                    yield from (function(items[i]) for i in range(start, end))
    finally:
        _job = None


def in_child(function: Callable[[], R], meanwhile: Callable[[], None] | None = None) -> R:
    """`function()`, computed in a forked child when that is safe; here if not, or if it fails.

    Only the result crosses back, pickled. This process runs `meanwhile()`
    while the child works (after `function()`, without a child), then waits:
    `SOURCEBOOK_ONE_CORE` does not keep the child here.
    """
    if not fork_is_safe():
        result = function()
        if meanwhile is not None:
            meanwhile()
        return result
    receive, send = multiprocessing.Pipe(duplex=False)
    child = multiprocessing.get_context("fork").Process(target=_send, args=(function, send))
    with _frozen():
        child.start()
        send.close()
        try:
            if meanwhile is not None:
                meanwhile()  # what it raises is raised, once the child is gone
            try:
                sent = receive.recv()  # before joining: a large result fills the pipe
            except Exception:  # the child died, or what it sent cannot be read here
                sent = None
        finally:
            receive.close()
            child.join()
    return sent[0] if sent is not None else function()


@contextlib.contextmanager
def _frozen() -> Iterator[None]:
    """The objects made so far, out of the cyclic collector's reach while a forked child runs.

    A collection writes into the header of every object it visits, and so copies,
    in the child, the pages it inherited, and in this process the pages the child
    still shares. Frozen, those objects are only collected once thawed; the
    objects made meanwhile are collected as usual. At 10,000 documents (one
    clean build each way) the grouping child's own pages went from 580 to 549 MB;
    the render worker's hardly moved (310 to 301 MB): what it reads, it copies
    anyway, by counting references to it.
    """
    if gc.get_freeze_count():  # frozen already, by a caller: it thaws them
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _send(function: Callable[[], Any], send: Any) -> None:
    try:
        result = function()
    except BaseException:  # this process computes it again, and raises it with its context
        send.close()
        return
    send.send((result,))
    send.close()


def _deaf() -> None:
    """Leave Ctrl-C and a closed terminal to this process's parent, which decides.

    They reach the whole process group. A worker they killed took its chunk
    with it, and the parent waited for it forever: under `serve`, whose main
    thread takes them and lets the rebuild under way finish, the stop hung.
    The parent still ends the worker (SIGTERM) once the stream is done or given up.
    """
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)


def _span(span: tuple[int, int]) -> list[Any]:
    assert _job is not None  # set by the parent before it forked
    function, items = _job
    return [function(items[i]) for i in range(*span)]


def can_fork() -> bool:
    """Whether a child can be forked safely, and pays: two cores, no other thread."""
    return two_cores() and fork_is_safe()


def two_cores() -> bool:
    """Whether this process may keep two cores busy (not with `SOURCEBOOK_ONE_CORE` set)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    return (cores or 1) >= 2 and not os.environ.get("SOURCEBOOK_ONE_CORE")


def fork_is_safe() -> bool:
    """Whether a child can be forked here: a start method to fork with, and no other thread."""
    return "fork" in multiprocessing.get_all_start_methods() and only_thread()


def only_thread() -> bool:
    """Whether this process runs one thread, or this thread may fork beside the others."""
    return threading.active_count() == 1 or getattr(_beside, "trusted", False)


# A forked child holds only the thread that forked; a lock another thread held
# at that moment stays held in the child forever. That is what makes forking a
# threaded process unsafe in general, and why the check above counts threads.
_beside = threading.local()


@contextlib.contextmanager
def forking_beside_threads() -> Iterator[None]:
    """While the block runs, this thread may fork though others run: they hold no lock
    a child takes.

    For `serve`, whose other threads answer requests, watch files and run
    Pagefind: its children render pages, compare texts and encode sentences
    from the model they inherit, and send the results through their own pipe.
    None of that takes a lock of those threads' (the server's, watchdog's, the
    state's), and CPython re-creates at fork the locks it does take (the GIL,
    the import lock, logging's, concurrent.futures'). Without it, serve rendered
    on one core: a template edit rewrote 10,000 pages in 26 s.
    """
    before = getattr(_beside, "trusted", False)
    _beside.trusted = True
    try:
        yield
    finally:
        _beside.trusted = before
