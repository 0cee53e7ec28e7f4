"""A computation in a forked child: the same value as here, and nothing lost when the child fails."""

from __future__ import annotations

import os
import time
from typing import NamedTuple

import pytest

from biblio.resolve import background
from biblio.resolve.background import can_fork, in_background, map_beside


def _pid_unless_child_dies(parent: int) -> int:
    """The pid of whoever computes it; a child dies at once without sending anything."""
    if os.getpid() != parent:
        os._exit(3)
    return os.getpid()


def _raise_in_child(parent: int) -> int:
    if os.getpid() != parent:
        raise RuntimeError("only in the child")
    return 42


def test_the_value_is_computed_in_a_child_when_a_second_core_is_there() -> None:
    with in_background(os.getpid) as pending:
        assert pending.forked == can_fork()
        value = pending.result()
    assert (value != os.getpid()) == can_fork()


def test_without_fork_the_value_is_computed_here() -> None:
    with in_background(os.getpid, fork=False) as pending:
        assert not pending.forked
        assert pending.result() == os.getpid()


def test_a_child_that_dies_only_means_the_value_is_computed_here() -> None:
    parent = os.getpid()
    with in_background(lambda: _pid_unless_child_dies(parent)) as pending:
        assert pending.result() == parent


def test_an_exception_in_the_child_is_not_lost_work() -> None:
    parent = os.getpid()
    with in_background(lambda: _raise_in_child(parent)) as pending:
        assert pending.result() == 42


def test_a_large_value_comes_back_whole() -> None:
    value = [("x" * (i % 50), i) for i in range(200_000)]  # several MiB: more than a pipe's buffer
    with in_background(lambda: value) as pending:
        assert pending.result() == value


def test_cancel_stops_a_child_nobody_waits_for() -> None:
    pending = in_background(lambda: time.sleep(60))
    if not pending.forked:
        pytest.fail("this machine should fork (two cores): the CI machines do")
    pid = pending._pid
    assert pid is not None
    start = time.monotonic()
    with pending:
        pass  # leaving the block without asking for the value
    assert time.monotonic() - start < 30
    with pytest.raises(ChildProcessError):
        os.waitpid(pid, os.WNOHANG)  # already reaped: no zombie left behind


@pytest.mark.parametrize("count", [0, 1, 7, 1000, 5000])
def test_map_beside_builds_every_item_in_order(count: int) -> None:
    items = list(range(count))
    side, built = map_beside(lambda: "side", lambda x: (x, x * x), items)
    assert side == "side"
    assert built == [(x, x * x) for x in items]


def test_map_beside_shares_the_items_with_the_child() -> None:
    parent = os.getpid()

    def slow_here(x: int) -> tuple[int, bool]:
        if os.getpid() == parent:
            time.sleep(0.001)  # this process is slow: the child takes chunks too
        return x, os.getpid() == parent

    items = list(range(20 * background.CHUNK))
    _, built = map_beside(lambda: None, slow_here, items)
    assert [x for x, _ in built] == items
    assert any(here for _, here in built) and (not all(here for _, here in built)) == can_fork()


def test_map_beside_gives_the_serial_answer_when_the_child_fails() -> None:
    parent = os.getpid()
    side, built = map_beside(lambda: _pid_unless_child_dies(parent), str, list(range(100)))
    assert side == parent
    assert built == [str(x) for x in range(100)]


def test_chunks_a_dying_child_took_are_built_here(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(background, "CHUNK", 4)
    parent = os.getpid()

    def build(x: int) -> int:
        if os.getpid() != parent:
            os._exit(3)  # the child dies holding the chunk it took
        time.sleep(0.002)
        return -x

    side, built = map_beside(lambda: "side", build, list(range(400)))
    assert side == "side"
    assert built == [-x for x in range(400)]


class _Pair(NamedTuple):
    x: int
    here: bool


def test_map_beside_sends_plain_tuples_and_rebuilds_them() -> None:
    parent = os.getpid()
    sent: list[object] = []

    def slow_here(x: int) -> _Pair:
        if os.getpid() == parent:
            time.sleep(0.001)  # this process is slow: the child takes chunks too
        return _Pair(x, os.getpid() == parent)

    def plain(pair: _Pair) -> tuple[object, ...]:
        return tuple(pair)

    def rebuild(fields: tuple[object, ...]) -> _Pair:
        sent.append(fields)
        return _Pair(*fields)  # type: ignore[arg-type]

    items = list(range(20 * background.CHUNK))
    _, built = map_beside(lambda: None, slow_here, items, plain=plain, rebuild=rebuild)
    assert [p.x for p in built] == items
    assert all(type(p) is _Pair for p in built)
    from_child = [p for p in built if not p.here]
    assert from_child and can_fork()
    assert len(sent) == len(from_child) and all(type(f) is tuple for f in sent)


def test_plain_tuples_survive_a_failing_child() -> None:
    parent = os.getpid()
    side, built = map_beside(
        lambda: _pid_unless_child_dies(parent),
        lambda x: _Pair(x, True),
        list(range(100)),
        plain=tuple,
        rebuild=lambda f: _Pair(*f),
    )
    assert side == parent
    assert built == [_Pair(x, True) for x in range(100)] and all(type(p) is _Pair for p in built)
