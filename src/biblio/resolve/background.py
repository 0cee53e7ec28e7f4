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

`map_beside` balances the two: the child also builds the first quarter of
the records and sends them back with the persons (pickling them costs less
than building them), so both processes finish at about the same time
(docs/performance.md, item 10).
"""

from __future__ import annotations

import contextlib
import os
import pickle
import signal
from collections.abc import Callable, Sequence
from typing import Generic, TypeVar

__all__ = ["CHILD_SHARE", "Background", "can_fork", "in_background", "map_beside"]

T = TypeVar("T")
X = TypeVar("X")
R = TypeVar("R")

#: the share of `map_beside`'s items the child builds after its own computation (persons cost about
#: 0.4 of building the records at 100,000 editions: 0.25 leaves both processes about equally busy)
CHILD_SHARE = 0.25


def can_fork() -> bool:
    """True when a child can be forked and there is a second core for it to run on."""
    if not hasattr(os, "fork"):
        return False
    try:
        cores = len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        cores = os.cpu_count() or 1
    return cores >= 2


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
    pid = os.fork()
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
    share: float = CHILD_SHARE,
    fork: bool = True,
) -> tuple[T, list[R]]:
    """`beside()` and `[build(x) for x in items]`, the child computing `beside()` and the first `share` of the
    items while this process builds the rest; all here when `fork` is False or no child can run."""
    cut = int(len(items) * share)

    def child() -> tuple[T, list[R]]:
        return beside(), [build(x) for x in items[:cut]]

    with in_background(child, fork=fork) as pending:
        if not pending.forked:
            return beside(), [build(x) for x in items]
        rest = [build(x) for x in items[cut:]]
        value, first = pending.result()
    return value, first + rest
