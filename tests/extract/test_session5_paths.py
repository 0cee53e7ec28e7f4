"""Session 5's leaner paths read exactly as the code they replace.

The replaced code is kept here as the reference; each test runs both on real
entries, crafted and mangled text, or on every character.
"""

from __future__ import annotations

import re

from hypothesis import given
from hypothesis import strategies as st
from tests.extract.test_lean_paths import _CRAFTED, _every_character, _samples
from tests.extract.test_shortcuts import _entries, mangled

from biblio.extract import listing, scholarly
from biblio.extract.scholarly import _GROUPING, _grouped_segments, _prepare, _segments
from biblio.extract.segments import CASELESS, split_segments

# -- the old paths, as they were before session 5


def _old_segments(text: str) -> list[str]:
    """`_segments` (strict) before: the plain pass only without any grouping character."""
    if not _GROUPING.search(text):
        return scholarly._plain_segments(text)
    return _grouped_segments(text, True)


def _old_initial(text: str) -> str:
    return text[:1].translate(CASELESS).lower()


def _old_readers_for(seg: str) -> tuple[object, ...]:
    low = seg.translate(CASELESS).lower()
    if low.startswith(scholarly._WORDED_STARTS) or " diss" in low or " thesis" in low:
        return scholarly._READERS
    if " ed" in low or "vol" in low or "p." in low or scholarly._DIGIT.search(seg) is not None:
        return scholarly._NUMBER_READERS
    return scholarly._PUBLICATION_ONLY


_OLD_NAME_MARKS = str.maketrans("", "", "-'’. ")


def _old_name_words(text: str, words: list[str]) -> bool:
    if not 0 < len(words) <= 4:
        return False
    letters = text.translate(_OLD_NAME_MARKS)
    if letters and not letters.isalpha():
        return False
    return all(w[0].isupper() or w.lower() in scholarly.PARTICLES for w in words)


# -- segments: one bare bracket goes to the plain pass


_BRACKETED = [
    "Ward, A. (2001). A Title. Place: House.",
    "Ward, A. (Ed.). (2001). A Title.",
    "Ward, A. (n.d.). A Title. House.",
    "Ward, A. (2001. A Title). House.",
    "Ward, A. 2001). A Title (Vol. 2. Part). House.",
    "Ward, A. (Ed. A Title. House.",
    "Ward, A. )2001(. A Title. House.",
    "Ward, A. (2001)? A Title! House.",
    "(Ed.). A Title. Place: House, 2001.",
    "Lee, Bo (eds.). A Title. (Second Printing.) House.",
    "Lee, Bo. A Title (2nd ed.). House, 2001.",
    "Lee, Bo. [2001]. A Title. House.",
    'Lee, Bo (2001). "A Title." Journal 3: 4.',
]


def _segments_agree(text: str) -> None:
    for candidate in (text, _prepare(text, {})):
        assert _segments(candidate) == _old_segments(candidate), candidate


def test_one_bare_bracket_is_cut_as_before() -> None:
    for text in _BRACKETED + _CRAFTED + list(_entries()):
        _segments_agree(text)


def test_the_bare_bracket_short_cut_is_taken_by_apa_years() -> None:
    """The short cut is taken where it is meant to be, and refused where the bracket matters."""
    assert scholarly._one_bare_bracket("Ward, A. (2001). A Title. House.")
    assert not scholarly._one_bare_bracket("Ward, A. (Ed. A Title. House.")  # unbalanced
    assert not scholarly._one_bare_bracket("Ward, A. (2001. A Title). House.")  # a stop inside
    assert not scholarly._one_bare_bracket("Ward, A. (n.d.). A Title.")  # a stop before ")"
    assert not scholarly._one_bare_bracket("Ward, A. )2001(. A Title.")
    assert not scholarly._one_bare_bracket('Ward, A. (2001). "A Title." House.')


_BRACKET_ALPHABET = ["(", ")", ".", " ", "?", "A", "Ed.", "ed.", "J.", "2001", "In ", ",", "Vol.", "n.d.", "[", '"']


@given(st.one_of(mangled, st.lists(st.sampled_from(_BRACKET_ALPHABET), max_size=24).map("".join)))
def test_one_bare_bracket_cut_as_before_on_mangled_text(text: str) -> None:
    _segments_agree(text)


@given(st.lists(st.sampled_from(_BRACKET_ALPHABET[:-2]), max_size=24).map("".join))
def test_one_bare_bracket_cut_as_before_on_bracketed_words(text: str) -> None:
    _segments_agree(f"Ward, A. ({text}). A Title. House.")
    _segments_agree(f"Ward, A. {text} (2001) {text}")


# -- ASCII text needs no CASELESS mapping


def test_caseless_maps_no_ascii_character() -> None:
    assert all(chr(c).translate(CASELESS) == chr(c) for c in range(128))


def test_readers_for_as_before() -> None:
    for seg in _samples():
        assert scholarly._readers_for.__wrapped__(seg) == _old_readers_for(seg), seg


@given(mangled)
def test_readers_for_as_before_on_mangled_text(text: str) -> None:
    for seg in (text, *text.split(". ")):
        assert scholarly._readers_for.__wrapped__(seg) == _old_readers_for(seg), seg


# -- name letters by str.replace


def test_name_words_as_before() -> None:
    for text in _samples():
        for piece in (text, *text.split(", ")):
            assert scholarly._name_words(piece, piece.split()) == _old_name_words(piece, piece.split()), piece


def test_name_words_as_before_on_every_character() -> None:
    for c in _every_character():
        text = f"A{c}b"
        assert scholarly._name_words(text, text.split()) == _old_name_words(text, text.split()), repr(c)


@given(st.text(alphabet=st.sampled_from(list("Ab -'’.ſ1\t_é")), max_size=20))
def test_name_words_as_before_on_mangled_names(text: str) -> None:
    assert scholarly._name_words(text, text.split()) == _old_name_words(text, text.split())


# -- first letters as sets of characters


def test_first_letter_sets_hold_every_character_of_their_initials() -> None:
    for letters, firsts in (
        ("ns", listing._NP_FIRSTS),
        ("arf", listing._REPRINT_OF_FIRSTS),
        ("s", listing._SPECIAL_FIRSTS),
        ("r", listing._REPRINTED_FIRSTS),
        ("vtbfsenpi", listing._PART_FIRSTS),
        ("k", listing._firsts("k")),  # the Kelvin sign
    ):
        assert {c for c in _every_character() if _old_initial(c) in letters} == firsts, letters


# -- archive fields need a colon


def _old_field(text: str) -> tuple[str, str] | None:
    from biblio.extract import archive

    if not archive._FIELD_HEAD.match(text):
        return None
    m = archive._FIELD.match(archive._plain(text))
    return (m.group("key").strip().lower(), m.group("value").strip()) if m else None


def _field_agrees(text: str) -> None:
    from biblio.extract import archive
    from biblio.model import Block

    assert archive._field(Block(text, 1, "paragraph", None, 0, False)) == _old_field(text), text


def test_archive_fields_as_before() -> None:
    for text in ["Source : A Title, Vol. 3", "*Publisher*: A House, 1960", "From: X", "Source", *_samples()]:
        _field_agrees(text)


@given(st.one_of(mangled, st.lists(st.sampled_from(["Source", " ", ":", "*", "_", "x", ",", "\n"])).map("".join)))
def test_archive_fields_as_before_on_mangled_text(text: str) -> None:
    _field_agrees(text)


# -- the year gate


def test_every_character_that_may_start_a_year_passes_the_gate() -> None:
    first = re.compile(r"[(\dnfi]", re.IGNORECASE)  # the first characters of `_YEAR`'s branches
    assert all(scholarly._may_be_year(c) for c in _every_character() if first.fullmatch(c))
    assert scholarly._may_be_year("1999") and scholarly._may_be_year("(n.d.)")
    assert not scholarly._may_be_year("") and not scholarly._may_be_year("A Title")


def _year_gate_holds(text: str) -> None:
    for t in (text, text.rstrip(".")):
        if scholarly._YEAR.fullmatch(t.rstrip(".")) or scholarly._YEAR.fullmatch(t):
            assert scholarly._may_be_year(t), t


def test_the_year_gate_lets_every_year_through() -> None:
    for text in ["1999", "(2001, March 3)", "1987 [1935].", "n.d.", "N. D.", "Forthcoming", "İn press", *_samples()]:
        _year_gate_holds(text)


_YEAR_PIECES = ["(", ")", "1999", "n.d", ".", " ", "In press", "ı", "x"]


@given(st.one_of(mangled, st.lists(st.sampled_from(_YEAR_PIECES)).map("".join)))
def test_the_year_gate_on_mangled_text(text: str) -> None:
    _year_gate_holds(text)


# -- small gates: an empty note, a year's length


def test_an_empty_note_is_no_original_date() -> None:
    assert scholarly._ORIGINAL_NOTE.match("") is None


def _old_join_month_days(segs: list[str]) -> list[str]:
    out: list[str] = []
    for seg in segs:
        if out and listing._FOUR_DIGITS.fullmatch(seg.strip(" .")) and listing._MONTH_DAY.match(out[-1]):
            out[-1] = f"{out[-1]}, {seg}"
        else:
            out.append(seg)
    return out


def _month_days_agree(text: str) -> None:
    segs = [s.lstrip(". ") for s in split_segments(text)]
    assert listing._join_month_days(list(segs)) == _old_join_month_days(list(segs)), text


def test_month_days_joined_as_before() -> None:
    for text in ["A Title, March 3, 2001", "A Title, 3 March, ٢٠٠١.", "March 3, 19991", *_samples()]:
        _month_days_agree(text)


@given(st.one_of(mangled, st.lists(st.sampled_from(["March 3", "2001", "٢٠٠١", ", ", ".", " ", "x"])).map("".join)))
def test_month_days_joined_as_before_on_mangled_text(text: str) -> None:
    _month_days_agree(text)


# -- an undated segment is short


def test_the_longest_undated_segment() -> None:
    from re import _parser

    from biblio.extract.dates import _NO_DATE

    assert _parser.parse(_NO_DATE.pattern, _NO_DATE.flags).getwidth()[1] == listing._UNDATED_LONGEST


def _old_may_be_dated(text: str) -> bool:
    from biblio.extract.dates import parse_date_segment

    if listing._ANY_DIGIT.search(text) or "publ" in text.lower():
        return True
    return any(parse_date_segment(s.lstrip(". ")) is not None for s in split_segments(text.rstrip(" .")))


_UNDATED = ["A Title, n.d.", "A Title, ....n. d.", "A Title,  No date  ", "Ann Ward, Undated.", "x, s. f.", "x, O.J."]
_UNDATED += ["A Title, n.d" + "." * 20 + ", x", "A Title, No date .......   , x", "A Title, undated\n.\n...., x"]


def test_undated_listings_as_before() -> None:
    for text in _UNDATED + _samples():
        assert listing._may_be_dated(text) == _old_may_be_dated(text), text


_UNDATED_PIECES = ["n.d", "no date", ", ", ".", "....", " ", "\n", "x", "ſ. f."]


@given(st.one_of(mangled, st.lists(st.sampled_from(_UNDATED_PIECES)).map("".join)))
def test_undated_listings_as_before_on_mangled_text(text: str) -> None:
    assert listing._may_be_dated(text) == _old_may_be_dated(text)
