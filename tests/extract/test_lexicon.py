"""General publishing knowledge: places (exact and misspelt), publisher words, given names."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import assume
from hypothesis import given as for_all
from hypothesis import strategies as st

from biblio.extract import lexicon
from biblio.extract.lexicon import NameIndex, fold, is_given_name, is_place, looks_like_publisher


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


def _dictionary_names() -> frozenset[str]:
    """Every folded given name of the dictionary, parsed from the file itself."""
    return lexicon._parse_dictionary(lexicon._dictionary().read_bytes())


def test_given_name_index_holds_exactly_the_dictionary():
    names = _dictionary_names()
    index = lexicon._given_names()
    assert len(names) > 30_000
    assert set(index) == names
    assert all(name in index for name in names)
    # near misses of every name: in the index exactly when in the dictionary
    for name in list(names)[:5000]:
        for probe in (name + "x", name[:-1], name[1:], name.upper()):
            assert (probe in index) is (probe in names)


# the index's separators (" " between names, "\n" between lines) are never in the dictionary's
# names (its pattern takes no ASCII white space); other white space is ("\xa0")
_NAMES = st.text(alphabet=st.characters(blacklist_characters=" \n"), min_size=1, max_size=6)


@for_all(st.lists(_NAMES), st.text(max_size=6))
def test_name_index_answers_as_a_set(words, probe):
    index = NameIndex(words)
    kept = {w for w in words if len(w) > 1}
    expected = probe in kept
    assert (probe in index) is expected


def test_given_names_cache_is_written_then_read_back(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    lexicon._given_names.cache_clear()
    try:
        parsed = lexicon._given_names()  # no cache yet: parsed from the dictionary, then written
        files = list((tmp_path / "biblio").glob("given-names-*.txt"))
        assert len(files) == 1 and not list((tmp_path / "biblio").glob("*.tmp"))
        lexicon._given_names.cache_clear()
        read_back = lexicon._given_names()
        assert set(read_back) == set(parsed) == _dictionary_names()
    finally:
        lexicon._given_names.cache_clear()


def test_given_names_without_a_writable_cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    blocked = tmp_path / "file"
    blocked.write_text("not a folder")  # the cache folder cannot be made under a file
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocked))
    lexicon._given_names.cache_clear()
    try:
        assert "zelda" in lexicon._given_names()
        assert set(lexicon._given_names()) == _dictionary_names()
    finally:
        lexicon._given_names.cache_clear()


# as the dictionary's names: no separators, no "\t" (the bytes form's), no surrogates
_NAME_CHARACTERS = st.characters(blacklist_categories=["Cs"], blacklist_characters=" \n\t")


@for_all(st.lists(st.text(alphabet=_NAME_CHARACTERS, min_size=1, max_size=6)), st.text(max_size=6))
def test_name_index_read_back_from_bytes_answers_as_before(words, probe):
    """The cache's form (`to_bytes`, prefixes on the first line) answers as the index it was made from."""
    index = NameIndex(words)
    assume(list(index))  # an empty index is refused: the cache is never written empty
    read_back = NameIndex.from_bytes(index.to_bytes())
    assert (probe in read_back) is (probe in index)
    assert sorted(read_back) == sorted(index)
    assert list(read_back) == list(index)


def test_a_damaged_name_index_is_refused():
    data = NameIndex(["anna", "bob", "bea"]).to_bytes()
    with pytest.raises(ValueError):
        NameIndex.from_bytes(data + b"\nextra line")
    with pytest.raises(ValueError):
        NameIndex.from_bytes(b"\xff\xfe" + data)
    with pytest.raises(ValueError):
        NameIndex.from_bytes(b"")


def test_given_names_with_a_damaged_cache_are_parsed_again(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    lexicon._given_names.cache_clear()
    try:
        lexicon._given_names()
        [cache] = (tmp_path / "biblio").glob("given-names-*.txt")
        cache.write_bytes(cache.read_bytes()[:5000])  # cut short
        lexicon._given_names.cache_clear()
        assert set(lexicon._given_names()) == _dictionary_names()
        assert NameIndex.from_bytes(cache.read_bytes())  # written whole again
    finally:
        lexicon._given_names.cache_clear()


def test_a_cache_damaged_inside_a_line_is_parsed_again_when_first_read(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """A line's bytes are decoded only when a name of its prefix is asked: damage there shows mid-extraction."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    lexicon._given_names.cache_clear()
    lexicon.is_given_name.cache_clear()
    try:
        lexicon._given_names()
        [cache] = (tmp_path / "biblio").glob("given-names-*.txt")
        data = cache.read_bytes()
        start = data.index(b"\nze") + 1  # the line of the names starting "ze"
        cache.write_bytes(data[:start] + b"\xff\xfe" + data[start + 2 :])  # same length, not UTF-8
        lexicon._given_names.cache_clear()
        assert lexicon.is_given_name("Zelda")  # no UnicodeDecodeError: the dictionary is read again
        assert set(lexicon._given_names()) == _dictionary_names()
        assert b"\xff\xfe" not in cache.read_bytes()  # and the cache written anew
    finally:
        lexicon._given_names.cache_clear()
        lexicon.is_given_name.cache_clear()
