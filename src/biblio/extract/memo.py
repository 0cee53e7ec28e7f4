"""Caches of the extractor's pure per-segment functions, cheap for the garbage collector.

`functools.lru_cache(maxsize=N)` keeps each entry in a linked list of its own:
one more container per cached value, which the cyclic garbage collector walks
on every full collection.  At 100,000 bench entries those walks (run when the
extractor hands the collector back) cost about a tenth of the extraction.  An
unbounded `functools.cache` keeps entries in one dict only; the bound is kept
by `trim_caches`, which `extract_citations` calls between blocks and at the
end: a cache past its bound is emptied (the functions are pure, so a cleared
cache changes no answer, only the time of the next calls).
"""

from __future__ import annotations

from collections.abc import Callable
from functools import _lru_cache_wrapper, cache
from typing import TypeVar

__all__ = ["bounded_cache", "trim_caches"]

T = TypeVar("T")

_CACHES: list[tuple[_lru_cache_wrapper[object], int]] = []


def bounded_cache(maxsize: int) -> Callable[[Callable[..., T]], _lru_cache_wrapper[T]]:
    """`functools.cache`, emptied by `trim_caches` once it holds more than `maxsize` entries."""

    def wrap(function: Callable[..., T]) -> _lru_cache_wrapper[T]:
        cached = cache(function)
        _CACHES.append((cached, maxsize))
        return cached

    return wrap


def trim_caches() -> None:
    """Empty every cache past its bound."""
    for cached, maxsize in _CACHES:
        if cached.cache_info().currsize > maxsize:
            cached.cache_clear()
