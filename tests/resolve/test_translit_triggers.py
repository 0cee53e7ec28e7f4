"""Skipping a transliteration rule whose trigger text is absent never changes the result."""

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
