"""Work grows linearly with the input: no catastrophic regex backtracking, no quadratic loops.

Two kinds of evidence, neither a timing threshold:
- a count of the Python calls made on an input of n and of 4n characters: a linear
  algorithm makes about four times as many, a quadratic one sixteen;
- a generous deadline per 100 kB input (seconds where a sound run takes a fraction of
  one), which only exponential or quadratic regex backtracking can reach; the regex
  engine's own steps are invisible to call counting.
"""

from __future__ import annotations

import signal
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from types import FrameType
from typing import Any

import pytest

from biblio.documents import read_text
from biblio.extract import describe_document, extract_citations
from tests.fuzz.strategies import LONG
from tests.fuzz.test_recognizers import LINE_RECOGNIZERS

#: the repeated units that once made (or could make) a recognizer rescan the rest of a line
SHAPES = [",", "a", "A", "A-", "A'", "Aa ", "A. ", "Jane Doe, ", "(", "[1] ", "“A", ", and "]
if LONG:
    SHAPES += [" ", ".", ", ", "1", '"', "A. B., ", "The Title, ", "A.", "Aa", "A ", "A, ", "Ab. ", "his book ",
               "by A ", "1891 ", "pp. ", "London: ", "(1891) ", "Ed. ", "A and ", "Vol. I, ", "No. 1 ", "— ",
               "--", "*", "_", "<", "\t", "AB'", "A.B.", "O'", "de ", "St. ", "Jr., ", "A Archive "]  # fmt: skip
FORMATS = ["text", "markdown", "html"] if LONG else ["text"]
BIG = 100_000
DEADLINE_SECONDS = 60


class DeadlineExceeded(Exception):
    """An input took far longer than any linear run could."""


@contextmanager
def deadline(seconds: int) -> Iterator[None]:
    """Abort the block after `seconds` (SIGALRM; pytest runs tests in the main thread)."""

    def expire(_signum: int, _frame: FrameType | None) -> None:
        raise DeadlineExceeded(f"more than {seconds} s: super-linear work")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.alarm(seconds)
    try:
        yield
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)


def calls(fn: Callable[[str], Any], text: str) -> int:
    """How many Python and builtin function calls fn(text) makes."""
    count = 0

    def profile(_frame: FrameType, event: str, _arg: Any) -> None:
        nonlocal count
        if event in ("call", "c_call"):
            count += 1

    sys.setprofile(profile)
    try:
        fn(text)
    finally:
        sys.setprofile(None)
    return count


def _extract(fmt: str) -> Callable[[str], Any]:
    def run(text: str) -> None:
        doc = read_text(text, "line", fmt)
        extract_citations(doc)
        describe_document(doc)

    return run


def _line(unit: str, size: int) -> str:
    return unit * (size // len(unit))


@pytest.mark.parametrize("fmt", FORMATS)
@pytest.mark.parametrize("unit", SHAPES)
def test_a_100_kb_line_is_read_and_extracted_in_bounded_time(unit: str, fmt: str) -> None:
    with deadline(DEADLINE_SECONDS):
        _extract(fmt)(_line(unit, BIG))


@pytest.mark.parametrize("name", sorted(LINE_RECOGNIZERS))
@pytest.mark.parametrize("unit", [",", "a", "A", "Jane Doe, "] if not LONG else SHAPES)
def test_each_recognizer_finishes_a_100_kb_line(unit: str, name: str) -> None:
    with deadline(DEADLINE_SECONDS):
        LINE_RECOGNIZERS[name](_line(unit, BIG))


@pytest.mark.parametrize("unit", SHAPES)
def test_python_work_grows_linearly(unit: str) -> None:
    run = _extract("text")
    small, large = calls(run, _line(unit, 2_000)), calls(run, _line(unit, 8_000))
    assert large <= 5 * small + 200, f"{small} calls for n, {large} for 4n"
