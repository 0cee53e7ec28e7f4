"""One pure computation in a forked child while the caller does other work.

Resolving a large catalog has two phases that need nothing from each other:
clustering the persons' name forms, and building the editions' matching
records (blocking keys, title and publisher keys).  Only comparing works
needs both.  On a machine with a second core the persons are clustered in a
child process forked for it, and come back as one pickled value, while this
process builds the records.

The child inherits everything by fork (nothing is pickled on the way in) and
only computes: it opens no file, takes no lock and touches no database
connection, then leaves with `os._exit`, so nothing of the parent (atexit
handlers, buffered output, a connection's shutdown) runs twice.  Whatever
goes wrong in it (killed, out of memory, an exception, a result that does
not pickle) only means the value is computed here after all: the answer is
the same either way, only later.

`map_beside` balances the two: the records are cut into chunks whose
starts wait in a pipe; this process takes chunks from it at once, the child
once its persons are clustered, and sends back the records it built with
them (pickling them costs less than building them).  Both finish within a
chunk of each other whatever the persons cost against the records (0.4 of
them at 100,000 editions, 0.75 at a million).  Reads of a few bytes from a
pipe are atomic, so no lock is shared: a child killed at any point only
leaves chunks that this process builds after all (docs/performance.md,
item 10).
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
import struct
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

__all__ = ["CHUNK", "MAX_CHUNKS", "Background", "can_fork", "in_background", "map_beside", "usable_cores"]

T = TypeVar("T")
X = TypeVar("X")
R = TypeVar("R")

#: items per chunk of `map_beside`'s queue (one read of the pipe each), at least
CHUNK = 1024
#: chunks in the queue at most: their starts (8 bytes each) fit a pipe's buffer, so writing them never waits
MAX_CHUNKS = 4096
_START = struct.Struct("q")


def usable_cores() -> int:
    """The cores this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


def can_fork() -> bool:
    """True when a child can be forked and there is a second core for it to run on."""
    return hasattr(os, "fork") and usable_cores() >= 2


class Background(Generic[T]):
    """The value of `compute()`, being computed in a child process (or, when none runs, on demand here)."""

    def __init__(self, compute: Callable[[], T], pid: int | None = None, fd: int | None = None) -> None:
        self._compute = compute
        self._pid = pid
        self._fd = fd

    @property
    def forked(self) -> bool:
        """True while a child is computing the value."""
        return self._pid is not None

    def result(self) -> T:
        """The value: the child's, or computed here when there is no child or it failed."""
        if self._pid is None or self._fd is None:
            return self._compute()
        with os.fdopen(self._fd, "rb") as pipe:
            data = pipe.read()
        self._fd = None
        _, status = os.waitpid(self._pid, 0)
        self._pid = None
        if status == 0 and data:
            with contextlib.suppress(Exception):  # a truncated value: computed here instead
                return pickle.loads(data)  # type: ignore[no-any-return]
        return self._compute()

    def cancel(self) -> None:
        """Stop the child if it is still running (the caller gave up: an error, an interrupt)."""
        if self._pid is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.kill(self._pid, signal.SIGKILL)
        os.waitpid(self._pid, 0)
        if self._fd is not None:
            os.close(self._fd)
        self._pid = self._fd = None

    def __enter__(self) -> Background[T]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.cancel()


def in_background(compute: Callable[[], T], fork: bool = True) -> Background[T]:
    """Start computing `compute()` in a forked child; with `fork` False (or no fork, or one core), later here.

    Use it as a context manager so that a child whose value is never asked for is stopped.
    """
    if not fork or not can_fork():
        return Background(compute)
    read_end, write_end = os.pipe()
    try:
        pid = os.fork()
    except OSError:  # no process to spare (a limit, memory): compute it here when asked
        os.close(read_end)
        os.close(write_end)
        return Background(compute)
    if pid == 0:  # the child: compute, send, leave without running any of the parent's exit code
        code = 1
        try:
            os.close(read_end)
            data = pickle.dumps(compute(), protocol=pickle.HIGHEST_PROTOCOL)
            view = memoryview(data)
            while view:
                view = view[os.write(write_end, view) :]
            code = 0
        finally:
            os._exit(code)
    os.close(write_end)
    return Background(compute, pid, read_end)


def map_beside(
    beside: Callable[[], T],
    build: Callable[[X], R],
    items: Sequence[X],
    *,
    fork: bool = True,
    plain: Callable[[R], tuple[object, ...]] | None = None,
    rebuild: Callable[[tuple[object, ...]], R] | None = None,
) -> tuple[T, list[R]]:
    """`beside()` and `[build(x) for x in items]`: the child computes `beside()` and then takes its share of
    the items, chunk by chunk, while this process builds from the same queue; all here when `fork` is False
    or no child can run.  Either way the list is in the items' order.

    `plain` and `rebuild`, when given, turn a built value into a plain tuple and back: the child sends its
    values as plain tuples, which pickle in half the time of named tuples (each of which names its class).
    """
    if not fork or not can_fork():
        return beside(), [build(x) for x in items]
    size = max(CHUNK, -(-len(items) // MAX_CHUNKS))
    starts = list(range(0, len(items), size))
    read_end, write_end = os.pipe()
    try:
        os.write(write_end, b"".join(_START.pack(start) for start in starts))  # fits the pipe: MAX_CHUNKS
    finally:
        os.close(write_end)  # an empty queue then reads as its end, in both processes

    def take(done: dict[int, list[R]]) -> dict[int, list[R]]:
        while len(claim := os.read(read_end, _START.size)) == _START.size:
            (start,) = _START.unpack(claim)
            done[start] = [build(x) for x in items[start : start + size]]
        return done

    def in_child() -> tuple[T, dict[int, list[Any]]]:
        value, done = beside(), take({})
        if plain is not None:
            return value, {start: [plain(r) for r in built] for start, built in done.items()}
        return value, done

    try:
        with in_background(in_child) as pending:
            mine = take({})
            value, theirs = pending.result()
    finally:
        os.close(read_end)
    if plain is not None and rebuild is not None:  # the child's values came as plain tuples
        for built in theirs.values():
            for i, fields in enumerate(built):
                built[i] = rebuild(fields)  # in place: each tuple is freed as its value replaces it
    out: list[R] = []
    for start in starts:  # a chunk the child took but never sent back (it died) is built here
        out += mine.get(start) or theirs.get(start) or [build(x) for x in items[start : start + size]]
    return value, out
