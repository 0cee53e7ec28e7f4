"""General publishing knowledge: places (exact and misspelt), publisher words, given names."""

from __future__ import annotations

import pytest

from biblio.extract.lexicon import fold, is_given_name, is_place, looks_like_publisher


@pytest.mark.parametrize(
    "text",
    [
        "London",
        "New York",
        "Buenos Aires",
        "Mexico City",
        "New Delhi",
        "Hanoi",
        "Spain",  # countries count as places
        "Vietnam",
        "Ohio",
        "New York, NY",  # a place with a state abbreviation
        "Cambridge, Mass.",
        "LONDON",
    ],
)
def test_known_places_exact(text):
    assert is_place(text, fuzzy=False)


@pytest.mark.parametrize("text", ["Philadelpia", "Edinbrugh", "Liverpol", "Manchestr", "Cleaveland", "Blooming"])
def test_misspelt_or_clipped_places_need_fuzzy(text):
    assert is_place(text)
    assert not is_place(text, fuzzy=False)


@pytest.mark.parametrize(
    "text",
    ["Smith", "Parus", "Harvill Press", "the sea", "Prairie Fire Press", "", "Paris in the spring of 1871"],
)
def test_not_places(text):
    assert not is_place(text)


@pytest.mark.parametrize(
    ("text", "publisher"),
    [
        ("Harvill Press", True),
        ("Verso Books", True),
        ("Ediciones Libertad", True),
        ("Éditions Sociales", True),
        ("Cotta Verlag", True),
        ("Routledge & Kegan Paul Ltd", True),
        ("Foreign Languages Publishing House", True),
        ("Maspero", False),
        ("Emma Thornton", False),
    ],
)
def test_looks_like_publisher(text, publisher):
    assert looks_like_publisher(text) is publisher


@pytest.mark.parametrize(
    ("token", "given"),
    [
        ("Zelda", True),
        ("Sunil", True),
        ("Emma", True),
        ("Karl", True),
        ("Xyzzy", False),
        ("A", False),
        ("Harbour", False),
    ],
)
def test_is_given_name(token, given):
    assert is_given_name(token) is given


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Éditions  Sociales, Paris!", "editions sociales paris"), ("São Paulo", "sao paulo"), ("Kraków", "krakow")],
)
def test_fold(text, expected):
    assert fold(text) == expected
