"""Shortcuts taken for speed never change a result: transliteration triggers, the pre-test before comparing works."""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st

from biblio.resolve.keys import fold_text
from biblio.resolve.persons import _TRANSLIT, normalise_family


def _every_rule(family: str) -> str:
    """The normalisation with every rule applied, as it was before triggers."""
    text = fold_text(family).replace(" ", "")
    for pattern, repl in _TRANSLIT:
        text = re.sub(pattern, repl, text)
    return text


@given(st.text(alphabet="abcdefhijknoprstuvwxyzKTSW -'", max_size=16))
def test_triggers_agree_with_every_rule(family: str) -> None:
    assert normalise_family(family) == _every_rule(family)


_names = st.lists(st.sampled_from(["hrtwl", "grn", "prr", "okfr"]), max_size=2)


@given(
    st.sampled_from(["Harbour Towns", "Harbour Towns Vol. 2", "The Salt Roads", "Ports 1848"]),
    st.sampled_from(["Harbour Towns", "Harbor Towns", "The Salt Road", "Ports 1849"]),
    st.frozensets(st.integers(1, 4), max_size=2),
    st.frozensets(st.integers(1, 4), max_size=2),
    _names,
    _names,
    st.sampled_from([(), (("volume", "2"),), (("volume", "3"),)]),
)
def test_may_be_one_work_is_false_only_for_vetoed_pairs(
    ta: str,
    tb: str,
    pa: frozenset[int],
    pb: frozenset[int],
    na: list[str],
    nb: list[str],
    parts: tuple[tuple[str, str], ...],
) -> None:
    from biblio.resolve.match import Record, compare_works, may_be_one_work

    a = Record.of(1, ta, pa, names=tuple(sorted(set(na))), parts=parts)
    b = Record.of(2, tb, pb, names=tuple(sorted(set(nb))))
    if not may_be_one_work(a, b):
        assert compare_works(a, b).score == 0.0
