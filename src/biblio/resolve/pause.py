"""Pausing the cyclic garbage collector while resolution builds its many small objects.

Resolving a large catalog creates millions of tuples, sets and records that
live until the plan is made; the collector, triggered by every few hundred
allocations, walks them again and again (about 45% of the engine's CPU time
at 100,000 records, see docs/performance.md).  None of them form cycles, so
reference counting frees them; the collector is paused for the duration and
restored after, as it was.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager

__all__ = ["collector_paused"]


@contextmanager
def collector_paused() -> Iterator[None]:
    """Run the block with the cyclic garbage collector off (re-enabled after, if it was on)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
