"""Session 4's leaner paths read exactly as the code they replace.

Each test runs the new path and the old one (kept here as the reference) on real
entries and on mangled ones, or checks a short cut's premise on every character.
"""

from __future__ import annotations

import re
from itertools import pairwise

from hypothesis import given
from hypothesis import strategies as st
from tests.extract.test_shortcuts import _entries, _pieces, mangled

from biblio.extract import lexicon, names, scholarly, segments
from biblio.extract.dates import parse_date_segment
from biblio.extract.lexicon import _PUNCTUATION, fold, is_given_name, looks_like_publisher
from biblio.extract.names import (
    _AND,
    _ASCII_DIGIT,
    _LEADING_ARTICLE,
    _PAREN,
    ORG_WORDS,
    PARTICLES,
    _fold,
    has_digit,
    is_organisation,
    looks_like_person,
    name_parts,
    split_names,
)
from biblio.extract.scholarly import (
    _DASH,
    _DASH_STARTS,
    _EDITION,
    _MARKER,
    _MARKER_STARTS,
    _ORDER,
    _PAGES,
    _STOP,
    _VOLUME,
    _is_family,
    _is_given,
    _plain_segments,
    _prepare,
    _readers_for,
    parse_scholarly,
)
from biblio.extract.segments import CASELESS, HONORIFICS, single_spaced, split_segments, strip_honorifics


def _every_character() -> list[str]:
    """Every code point, as a string."""
    return [chr(c) for c in range(0x110000)]


#: pieces each reader gate must let through, some in odd letters
_CRAFTED = [
    "MA thesis, University of Yorkton, 1999",
    "Unpublished Master's THESIS",
    "PhD diss., Some University",
    "ReprİNT, London: Hale, 1950",
    "Acceſſed March 3, 2001",
    "ın Another Book",
    "EDıTED by Ann Ward",
    "Vol. 3",
    "VOL. IV",
    "3rd ed.",
    "Second Ed.",
    "pp. 4-5",
    "312 pages",
    "With a foreword by Ann Ward",
    "Prof. Ann Ward",
    "ſir Ann Ward",
    "- A listed entry",
    "12. A numbered entry",
    "———. Another book",
    "Ann Ward and Bo Lee and Cy Day",
    "Ward, Ann, and Bo Lee",
]


def _samples() -> list[str]:
    """Entries, their pieces and their comma segments."""
    out = [*_CRAFTED, *_entries()]
    for text in _entries():
        out += _pieces(text)
        out += split_segments(text)
    return out


# -- premises checked on every character


def test_a_printable_character_is_no_white_space_but_the_space() -> None:
    assert [c for c in _every_character() if c.isspace() and c.isprintable()] == [" "]


def test_the_caseless_mapping_matches_ignorecase_on_every_character() -> None:
    """`_readers_for` reads `_WORDED` and `_NUMBERED` as literals on mapped, lowered text."""
    every = _every_character()
    caseless = {c: c.translate(CASELESS).lower() for c in every}
    assert all(len(m) == 1 for m in caseless.values())  # every position kept
    letters = set("abcdefghijklmnopqrstuvwxyz")
    any_letter = re.compile(r"[a-z]", re.IGNORECASE)
    taken = {c for c in every if any_letter.fullmatch(c)}
    assert taken == {c for c, m in caseless.items() if m in letters}
    for c in taken:  # each matches the letter it is mapped to, and so no other
        assert re.fullmatch(caseless[c], c, re.IGNORECASE), repr(c)
    assert {c for c, m in caseless.items() if m in " ."} == {" ", "."}


def test_lower_casing_keeps_the_edition_and_volume_letters() -> None:
    """`_edition_volume` looks for " ed" and "vol" in `str.lower` text: no other character matches them."""
    letters = re.compile(r"[edvol]", re.IGNORECASE)
    assert {c for c in _every_character() if letters.fullmatch(c)} == set("edvolEDVOL")


def test_every_honorific_starts_with_a_listed_character() -> None:
    first = re.compile(r"[pdsmcrl]", re.IGNORECASE)
    assert {c for c in _every_character() if first.fullmatch(c)} == segments._HONORIFIC_INITIALS
    words = HONORIFICS.pattern.removeprefix("^(?:").split(")")[0].split("|")
    assert {w[0] for w in words} == set("pdsmcrl")


def test_list_markers_and_dashes_start_with_a_listed_character() -> None:
    digit = re.compile(r"\d")
    every = _every_character()
    assert all(c.isdecimal() for c in every if digit.fullmatch(c))
    for c in every:
        if _MARKER.match(c + "1] 2) 3. x") or _MARKER.match(c + " x"):
            assert c in _MARKER_STARTS or c.isdecimal(), repr(c)
        if _DASH.match(c + " x") or _DASH.match(c + c + c + " x"):
            assert c in _DASH_STARTS, repr(c)


# -- the old code, kept as the reference


_WORDED = re.compile(
    r"^(?:accessed|retrieved|last modified|available|with a|introduction|foreword|preface|afterword"
    r"|reprint|originally pub|first pub|edited|translated|compiled|eds?\.|trans\.|comp\.|in )"
    r"| diss| thesis",
    re.IGNORECASE,
)
_NUMBERED = re.compile(r" ed|vol|p\.|\d", re.IGNORECASE)
_NAME_MARKS = str.maketrans("", "", "-'’. ")


def _old_readers_for(seg: str) -> tuple[object, ...]:
    if _WORDED.search(seg):
        return scholarly._READERS
    return scholarly._NUMBER_READERS if _NUMBERED.search(seg) else scholarly._PUBLICATION_ONLY


def _old_fold(text: str) -> str:
    import unicodedata

    if text.isascii():
        text = text.lower()
    else:
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return " ".join(_PUNCTUATION.sub(" ", text).split())


def _old_is_organisation(text: str) -> bool:
    text = text.strip()
    if text[:1] in names._ARTICLE_INITIALS:
        text = _LEADING_ARTICLE.sub("", text)
    if not text[:1].isupper():
        return False
    for part in _AND.split(text) if "&" in text or "and" in text else (text,):
        words = [_fold(w.strip(",.()")) for w in part.split()]
        if not ORG_WORDS.isdisjoint(words) or len(words) > 5:
            return True
        if len(words) > 2 and any(w[:1].islower() and _fold(w) not in PARTICLES for w in part.split()):
            return True
    return False


def _old_looks_like_person(text: str) -> bool:
    text = (_PAREN.sub("", text) if "(" in text else text).strip()
    tokens = text.split()
    if not 1 <= len(tokens) <= 5 or is_organisation(text):
        return False
    for tok in tokens:
        if _fold(tok) in PARTICLES:
            continue
        if not (tok[:1].isupper() and (tok[1:2].isalpha() or tok[1:2] in (".", "-", "'", "’", ""))):
            return False
        if has_digit(tok):
            return False
    return True


def _old_name_strength(name: str) -> int:
    bare = HONORIFICS.sub("", name.strip())
    bare = (segments._PAREN.sub("", bare) if "(" in bare else bare).strip()
    if not bare or not looks_like_person(bare) or looks_like_publisher(bare):
        return 0
    tokens = bare.split()
    if fold(tokens[0]) in ("the", "la", "le", "el", "les", "los", "las", "der", "die", "das"):
        return 0
    if len(tokens) == 1:
        return 0 if lexicon.is_place(bare) or names.is_initials(bare) else 1
    if lexicon.is_place(bare, fuzzy=False):
        return 0
    if any(names.is_initials(t) for t in tokens[:-1]) or is_given_name(tokens[0]):
        return 2
    if len(tokens) <= 3 and any(is_given_name(t) for t in tokens[1:]) and fold(tokens[0]) in names.FAMILY_FIRST:
        return 2
    return 1


def _old_name_words(text: str, words: list[str]) -> bool:
    if not 0 < len(words) <= 4:
        return False
    letters = text.translate(_NAME_MARKS)
    return (not letters or letters.isalpha()) and all(w[0].isupper() or w.lower() in PARTICLES for w in words)


def _old_is_family(text: str) -> bool:
    words = text.split()
    return (
        _old_name_words(text, words)
        and any(w[0].isupper() for w in words)
        and not scholarly._INITIAL.fullmatch(text.rstrip("."))
    )


def _old_is_given(text: str) -> bool:
    words = text.split()
    return (
        _old_name_words(text, words)
        and words[0][0].isupper()
        and (scholarly._all_initials(text) or not scholarly._ARTICLES.intersection(words))
    )


def _old_plain_segments(text: str) -> list[str]:
    out: list[str] = []
    start = 0
    for stop in _STOP.finditer(text):
        i = stop.start()
        word = text[max(text.rfind(" ", start, i) + 1, start) : i]
        if (
            text[i] == "."
            and scholarly._token_kind(word) != scholarly._WORD
            and not scholarly._ends(text, start, i, i + 1, not out)
        ):
            continue
        out.append(text[start : i + 1].strip())
        start = i + 2
    if text[start:].strip():
        out.append(text[start:].strip())
    return out


def _old_split_parts(text: str) -> list[str]:
    """`split_names`' cut as it was: always by `_SPLIT`."""
    text = " ".join(text.split()).strip(" ,.;")
    return [p for p in names._SPLIT.split(text) if p]


# -- the comparisons


def _agree(text: str) -> None:
    assert single_spaced(text) == " ".join(text.split())
    assert fold(text) == _old_fold(text)
    assert lexicon.is_known_place(text) == lexicon.is_place(text, fuzzy=False)
    assert is_organisation(text) == _old_is_organisation(text)
    assert looks_like_person(text) == _old_looks_like_person(text)
    assert strip_honorifics(text) == HONORIFICS.sub("", text.strip())
    assert _readers_for(text) == _old_readers_for(text)
    assert _is_family(text) == _old_is_family(text)
    if text.strip():
        assert _is_given(text) == _old_is_given(text)
    assert segments._name_strength(text) == _old_name_strength(text)
    assert split_names(text) == list(name_parts(text))
    plain = " ".join(text.split()).strip(" ,.;")
    if plain and not any(c in plain for c in ",&;"):
        assert [p for p in plain.split(" and ") if p] == _old_split_parts(text)
    low = text.lower()
    if _EDITION.fullmatch(text):
        assert " ed" in low
    if _VOLUME.fullmatch(text):
        assert "vol" in low
    if _PAGES.fullmatch(text):
        assert "p" in text
    if (date := parse_date_segment(text)) is not None and date.role == "original":
        assert "publ" in low  # the listing reads an original date only there
    prepared = _prepare(text, {})
    if not scholarly._GROUPING.search(prepared):
        assert _plain_segments(prepared) == _old_plain_segments(prepared)
    if _ASCII_DIGIT.search(text) and text.isascii():
        assert has_digit(text)


def test_lean_paths_read_real_entries_as_before() -> None:
    for text in _samples():
        _agree(text)


@given(mangled)
def test_lean_paths_read_mangled_entries_as_before(text: str) -> None:
    _agree(text)
    for piece in _pieces(text):
        _agree(piece)


_ODD = [
    "and",
    "\tand\x1f",
    "Sandra",
    "London",
    "Cambridge, MA",
    "A",
    "a",
    " ",
    "  ",
    "Ed.",
    " ed",
    "vol",
    "p.",
    ",",
    " and ",
    "&",
    ";",
    "ſ",
    "ı",
    "İ",
    "Thesis",
    " diss",
    "In ",
    "1",
    "(",
    "\t",
    "\xa0",
    "Prof. ",
    "—",
]


@given(st.lists(st.sampled_from(_ODD), max_size=12).map("".join))
def test_lean_paths_read_odd_characters_as_before(text: str) -> None:
    _agree(text)


@given(st.permutations([*_ORDER, "unknown"]), st.integers(0, len(_ORDER) + 1))
def test_a_scholarly_reading_puts_its_variables_in_order_as_before(keys: list[str], n: int) -> None:
    csl = {k: k.upper() for k in keys[:n]}
    csl.setdefault("title", "A Title")  # every reading has one
    expected = {k: csl[k] for k in _ORDER if k in csl}  # the old comprehension over `_ORDER`
    found = scholarly._finish(scholarly._Entry(dict(csl), dated=True))
    assert found is not None
    assert list(found[0]) == [k for k in _ORDER if k in expected or k == "type"]
    assert all(found[0][k] == v for k, v in expected.items() if k != "type")


def test_real_scholarly_readings_keep_their_variables_in_order() -> None:
    for text in _entries():
        if (found := parse_scholarly(text)) is not None:
            keys = [k for k in found[0] if k in _ORDER]
            # `_title_brackets` sets a few variables after the ordering, at the end
            head = [
                k for k in keys if k not in ("volume", "genre", "original-date", "editor", "translator", "compiler")
            ]
            assert head == sorted(head, key=_ORDER.index), text


def test_the_order_cache_stays_bounded() -> None:
    scholarly._ORDERS.clear()
    for n in range(scholarly._ORDERS_MAX + 10):
        entry = scholarly._Entry({"title": "T", "author": [], f"x{n}": 1}, dated=True)
        scholarly._finish(entry)
    assert 0 < len(scholarly._ORDERS) <= scholarly._ORDERS_MAX


def test_the_name_dictionary_is_the_packaged_one() -> None:
    from importlib.resources import files

    assert lexicon._dictionary().read_bytes() == files("gender_guesser").joinpath("data/nam_dict.txt").read_bytes()


def _listing_gates_hold(seg: str) -> None:
    from biblio.extract import listing as lst

    patterns = (lst._VOLUME, lst._VOLUME_TITLED, lst._PERIOD, lst._PART, lst._ISSUE, lst._RANGE)
    if seg[:1] not in lst._PART_FIRSTS and not seg[:1].isdecimal():
        assert not any(p.match(seg) for p in patterns), seg
    joined = "\n".join([seg]).lower().replace("ſ", "s")
    if "ed" not in joined and lst._ROLE_MARK.search(joined) is None:
        assert not lst._ROLE_MARK.search(seg.lower().replace("ſ", "s")) and not lst._BARE_ROLE.match(seg), seg


_PART_PIECES = ["Vol. 3", "vOLUME IV", "Tome 2", "Bd. 4", "Fourth Series", "ſecond Part", "Part II – Dawn", "No. 4"]
_PART_PIECES += ["ıssue 5", "İssue 5", "1918–1920", "3rd Phase", "Compiled", "EDıTED", "ſelected", "by Ann", "eds. Bo"]


def test_listing_part_and_role_gates_let_every_match_through() -> None:
    for seg in _PART_PIECES + [s.lstrip(". ") for text in _entries() for s in split_segments(text)]:
        _listing_gates_hold(seg)


@given(mangled)
def test_listing_part_and_role_gates_on_mangled_entries(text: str) -> None:
    for seg in [text, *split_segments(text)]:
        _listing_gates_hold(seg.strip())


def _old_grouped_segments(text: str, strict: bool) -> list[str]:
    """`_grouped_segments` as it was: one pattern search a mark."""
    out: list[str] = []
    start = depth = i = 0
    quoted = False
    while (mark := _OLD_MARKS.search(text, i)) is not None:
        i = mark.start()
        ch = text[i]
        if ch in "([" and strict:
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        elif ch in '"“”' and strict:
            quoted = ch == "“" or (ch == '"' and not quoted)
        elif ch in ".?!" and depth == 0:
            j = i + 1
            while j < len(text) and text[j] in '"”':
                j += 1
            if (
                text[j : j + 1] in ("", " ")
                and (not quoted or j > i + 1)
                and scholarly._ends(text, start, i, j, not out)
            ):
                out.append(text[start:j].strip())
                start, quoted, i = j + 1, False, j + 1
                continue
        i += 1
    if text[start:].strip():
        out.append(text[start:].strip())
    if strict and (quoted or depth):
        return _old_grouped_segments(text, strict=False)
    return out


def _grouped_agree(text: str) -> None:
    prepared = _prepare(text, {})
    for strict in (True, False):
        assert scholarly._grouped_segments(prepared, strict) == _old_grouped_segments(prepared, strict), prepared


_QUOTED = ['Ward, Ann. "A Piece." "Another." Journal 3 (1999): 4.', "Lee, Bo. “Quoted?” Magazine, 2001."]


def test_grouped_segments_cut_real_entries_as_before() -> None:
    for text in _QUOTED + list(_entries()):
        _grouped_agree(text)


@given(st.one_of(mangled, st.lists(st.sampled_from(['"', "”", "“", ".", "?", " ", "(", ")", "A", "Ed."])).map("".join)))
def test_grouped_segments_cut_mangled_entries_as_before(text: str) -> None:
    _grouped_agree(text)


def _initial_gates_hold(seg: str) -> None:
    from biblio.extract import listing as lst

    for pattern, firsts in (
        (lst._NP, lst._NP_FIRSTS),
        (lst._REPRINT_OF, lst._REPRINT_OF_FIRSTS),
        (lst._SPECIAL, lst._SPECIAL_FIRSTS),
        (lst._REPRINTED_FROM, lst._REPRINTED_FIRSTS),
    ):
        if pattern.match(seg):
            assert seg[:1] in firsts, (pattern.pattern, seg)


_INITIAL_PIECES = ["n.p.", "N. P.", "ſ. l.", "No publisher", "A reprint of the 1927 edition", "Facſimile of the 1871"]
_INITIAL_PIECES += [
    "REISSUED of 1920",
    "Special issue of Some Review",
    "ſPECIAL ISSUE OF X",
    "Reprinted from The Times",
]


def test_initial_gates_let_every_match_through() -> None:
    for seg in _INITIAL_PIECES + [s.strip(" .") for text in _entries() for s in split_segments(text)]:
        _initial_gates_hold(seg)
        _initial_gates_hold(seg.strip())


@given(mangled)
def test_initial_gates_on_mangled_entries(text: str) -> None:
    for seg in [text, *split_segments(text)]:
        _initial_gates_hold(seg.strip(" ."))
        _initial_gates_hold(seg.strip())


_OLD_MARKS = re.compile(r"[()\[\]\"“”.?!]")


def _old_inverted(family: str, given: str) -> dict[str, object]:
    name: dict[str, object] = names.parse_inverted_name(f"{family}, {given}")
    words = str(name.get("given", "")).split()
    moved: list[str] = []
    while len(words) > 1 and words[-1].lower() in PARTICLES:
        moved.insert(0, words.pop())
    if moved:
        name.update(family=" ".join([*moved, str(name["family"])]), given=" ".join(words))
    return name


def _inverted_agree(seg: str) -> None:
    pieces = scholarly._NAME_SEP.split(seg)
    for family, first in pairwise(pieces):
        assert scholarly._inverted(family, first) == _old_inverted(family, first), (family, first)


def test_inverted_names_read_as_before() -> None:
    for text in ["Mises, Ludwig von", "Ward,  J.P.", "Lee, ", "Doe, W. P. de la", *_entries()]:
        _inverted_agree(text)


@given(mangled)
def test_inverted_mangled_names_read_as_before(text: str) -> None:
    _inverted_agree(text)


@given(st.text(alphabet="ab ", max_size=12), st.text(alphabet="ab ", max_size=4), st.integers(0, 14))
def test_a_prefix_at_the_offset_is_where_find_finds_it(text: str, head: str, offset: int) -> None:
    """`_citation` takes the offset when the text starts there, else `str.find`."""
    at = offset if text.startswith(head, offset) else text.find(head, offset)
    assert at == text.find(head, offset)
