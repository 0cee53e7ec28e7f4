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


# JSON values with few distinct atoms, so that equal values (and look-alikes: 1, 1.0, True; 0.0, -0.0) recur
_atoms = st.sampled_from(["Harbour", "Harbor", 'say "hi"', "", 1, 1.0, True, 0.0, -0.0, None, 1950])
_values = st.recursive(
    _atoms,
    lambda inner: st.lists(inner, max_size=2) | st.dictionaries(st.sampled_from(["a", "b"]), inner, max_size=2),
    max_leaves=4,
)


@given(st.lists(_values, min_size=1, max_size=4), st.integers(0, 3))
def test_canonical_field_shortcut_agrees_with_the_vote(values: list[object], copies: int) -> None:
    import copy

    from biblio.resolve.canonical import _best, _vote

    values = values + [copy.deepcopy(values[0]) for _ in range(copies)]  # agreement is the common case
    assert _best(values) is _vote(values)  # the very object the vote picks, not only an equal one


_person = st.fixed_dictionaries(
    {"family": st.sampled_from(["Doe", "Dow", "Smith"])},
    optional={"given": st.sampled_from(["W. P.", "William", "J.", ""]), "literal": st.sampled_from(["Harbour Board"])},
)


@given(st.lists(st.lists(_person, max_size=3), min_size=1, max_size=3), st.integers(0, 3))
def test_canonical_names_shortcut_agrees_with_the_alignment(lists: list[list[dict[str, str]]], copies: int) -> None:
    import copy

    from biblio.resolve.canonical import _aligned_names, _canonical_names

    lists = lists + [copy.deepcopy(lists[0]) for _ in range(copies)]
    assert _canonical_names(lists) == _aligned_names(lists)


def _fold_with_patterns(text: str) -> str:
    """`fold_text` as it was before the byte table: transliterate, lower-case, two patterns."""
    import unicodedata

    from anyascii import anyascii

    if not text.isascii():
        text = anyascii(unicodedata.normalize("NFKC", text))
    text = text.lower()
    return " ".join(re.sub(r"[^a-z0-9]+", " ", re.sub(r"['’`]", "", text)).split())


def test_fold_table_agrees_with_the_patterns_on_every_code_point() -> None:
    from biblio.resolve.keys import _fold

    for code in range(0x110000):
        if 0xD800 <= code < 0xE000:  # surrogates are not text
            continue
        text = f"a{chr(code)}B{chr(code)} 9"
        assert _fold.__wrapped__(text) == _fold_with_patterns(text), hex(code)


@given(st.text(max_size=40))
def test_fold_table_agrees_with_the_patterns(text: str) -> None:
    assert fold_text(text) == (_fold_with_patterns(text) if text else "")
