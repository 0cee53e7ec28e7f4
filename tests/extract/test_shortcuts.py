"""The extractors' short cuts (early refusals, caches, quicker passes) change no answer.

Each test runs the short cut and the long way on real entries and on mangled ones.
"""

from __future__ import annotations

import copy
from functools import cache

from bench.documents import documents
from hypothesis import given
from hypothesis import strategies as st
from tests.fuzz.strategies import citation_text, mutated_lines, seed_lines

from biblio.documents import read_bytes
from biblio.extract import scholarly
from biblio.extract.archive import _FIELD, _FIELD_HEAD, _plain
from biblio.extract.dates import _read_date, parse_date_segment
from biblio.extract.further import _SENTENCE, _SENTENCE_BREAK, _TITLE_BY, _may_name_by
from biblio.extract.lexicon import _PLACE_LIST, _is_clipped_place
from biblio.extract.listing import _COMMA_DIGIT, _PAGES, _REPRINT, _TITLE_VOLUME, _may_be_dated, _read_listing
from biblio.extract.names import (
    _AND,
    _LEADING_ARTICLE,
    _MAY_SPLIT,
    _SPLIT,
    ORG_WORDS,
    PARTICLES,
    _fold,
    has_digit,
    is_organisation,
    parse_name,
    parse_names,
)
from biblio.extract.scholarly import (
    _APA_YEAR,
    _BRACKET_TAIL,
    _INNER_STOP,
    _LINK,
    _READERS,
    _ROLE_TAIL,
    _TITLE_EDITION,
    _after_initials,
    _Entry,
    _grouped_segments,
    _may_end_in_role,
    _may_locate,
    _names,
    _prepare,
    _read_journal,
    _readers_for,
    _segments,
)
from biblio.extract.segments import split_segments

mangled = st.one_of(mutated_lines(), citation_text)


@cache
def _entries() -> list[str]:
    """Seed lines and generated bench entries of every shape."""
    texts = list(seed_lines())
    for doc in documents(1400, 350):
        texts += [b.text for b in read_bytes(doc.markdown.encode(), doc.name).blocks if b.kind != "heading"]
    return texts


def _pieces(text: str) -> list[str]:
    """The comma and full-stop pieces of an entry, as the readers see them."""
    sentences = [s.rstrip(".").strip() for s in _segments(_prepare(text, {}))]
    return [*sentences, *(p for s in sentences for p in split_segments(s))]


# -- scholarly: segments without brackets, the refusal without an inner stop, gated readers


def _plain_pass_agrees(text: str) -> None:
    prepared = _prepare(text, {})
    assert _segments(prepared) == _grouped_segments(prepared, True), prepared


def test_the_plain_segment_pass_cuts_like_the_general_one() -> None:
    for text in _entries():
        _plain_pass_agrees(text)


@given(mangled)
def test_the_plain_segment_pass_cuts_like_the_general_one_on_mangled_entries(text: str) -> None:
    _plain_pass_agrees(text)


def _no_inner_stop_no_entry(text: str) -> None:
    if _INNER_STOP.search(text):
        return
    segs = _segments(_prepare(text, {}))
    assert len(segs) <= 1, text  # so `_parse` refuses ...
    assert not segs or _after_initials(segs[0]) is None, text  # ... and nothing splits the authors off


def test_without_an_inner_stop_no_scholarly_reading_is_possible() -> None:
    for text in _entries():
        _no_inner_stop_no_entry(text)


@given(mangled)
def test_without_an_inner_stop_no_scholarly_reading_is_possible_on_mangled_entries(text: str) -> None:
    _no_inner_stop_no_entry(text)


_STATES = [
    {},
    {"quoted": True},
    {"dated": True, "date": (2001, 3, 4)},
    {"kind": "chapter"},
    {"quoted": True, "dated": True, "placed": True},
]


def _gated_readers_agree(seg: str) -> None:
    for state in _STATES:
        every, gated = _Entry(**copy.deepcopy(state)), _Entry(**copy.deepcopy(state))
        took = any(reader(every, seg) for reader in _READERS)
        assert any(reader(gated, seg) for reader in _readers_for(seg)) == took, seg
        assert gated == every, seg


#: one piece for each reader, several without a digit
_READER_PIECES = [
    "Vol. IV",
    "Volume two",
    "Second ed",
    "Rev. edn",
    "pp. xi–xx",
    "Some Journal, vol. iv",
    "PhD diss., University of Somewhere",
    "Master's thesis, A College",
    "In Some Book, edited by Ann Ward",
    "Edited by Ann Ward",
    "trans. Bo Lind",
    "Accessed March 3, 2001",
    "With an introduction by Ann Ward",
    "Reprint, London: A Press, 1950",
    "Originally published in Paris",
    "The Daily Paper, March 3, 2001",
    "A Journal 12, no. 3 (1999): 4–9",
    "London: A Press",
]


def test_gated_readers_read_every_piece_like_all_readers() -> None:
    for seg in _READER_PIECES:
        _gated_readers_agree(seg)
    for text in _entries():
        for seg in _pieces(text):
            _gated_readers_agree(seg)


@given(mangled)
def test_gated_readers_read_mangled_pieces_like_all_readers(text: str) -> None:
    for seg in [text, *_pieces(text)]:
        _gated_readers_agree(seg)


def _journal_refusal_holds(seg: str) -> None:
    for state in _STATES:
        entry = _Entry(**copy.deepcopy(state))
        if not _may_locate(entry, seg):
            assert not _read_journal(entry, seg), seg
            assert entry == _Entry(**copy.deepcopy(state)), seg


def test_a_journal_is_refused_only_where_it_could_not_be_read() -> None:
    journals = ["A Journal, 34(2)", "A Journal, 34(2), 165–187", "A Journal, 34, 165–187", "A Journal 34: 1–9"]
    for seg in [*_READER_PIECES, *journals]:
        _journal_refusal_holds(seg)
    for text in _entries():
        for seg in _pieces(text):
            _journal_refusal_holds(seg)


@given(mangled)
def test_a_mangled_journal_is_refused_only_where_it_could_not_be_read(text: str) -> None:
    for seg in [text, *_pieces(text)]:
        _journal_refusal_holds(seg)


def _pattern_gates_hold(seg: str) -> None:
    if _APA_YEAR.search(seg):
        assert "(" in seg, seg
    if _ROLE_TAIL.search(seg):
        assert _may_end_in_role(seg), seg
    if _BRACKET_TAIL.search(seg):
        assert seg.rstrip().endswith(")"), seg
    if _LINK.search(seg):
        assert "10." in seg or "http" in seg.lower(), seg
    if _TITLE_EDITION.search(seg):
        assert " (" in seg, seg
    if _SENTENCE.search(seg):
        assert _SENTENCE_BREAK.search(seg), seg
    if _TITLE_BY.match(seg):
        assert _may_name_by(seg), seg
    if _TITLE_VOLUME.match(seg):
        assert "Vol" in seg, seg
    if _REPRINT.search(seg):
        assert "publ" in seg.lower(), seg
    if _PAGES.search(seg):
        assert _COMMA_DIGIT.search(seg), seg
    if _SPLIT.search(seg):
        assert _MAY_SPLIT.search(seg), seg


_GATED_SAMPLES = [
    "Ward, Ann, ed.",
    "Ward, Ann (Eds.)",
    "Ward, Ann, comps",
    "Ward, Ann, Edſ",
    "Ward, Ann, TRANS.",
    "Ward, A., & Lind, B. (2001)",
    "Ward, A. (n.d.)",
    "A Title (Vol. 3)  ",
    "Retrieved from HTTPS://EXAMPLE.ORG/x",
    "doi: 10.1000/xyz",
    "A Title (2nd ed.)",
    "the end of it. Then more",
    "A Title, EDITED BY Ann Ward",
    "A Title, compiled by Ann Ward",
    "A Title, eds. Ann Ward",
    "A Long Title – Vol. 2 – The Middle",
    "A Title, first published Paris, 1901, REPUBLISHED by A Press",
    "A Title, A Press, 1950, (312 PAGES)",
    "A Title, 12 Leaves",
]


def test_quick_pattern_gates_let_every_match_through() -> None:
    for seg in _GATED_SAMPLES:
        _pattern_gates_hold(seg)
    assert all(_ROLE_TAIL.search(s) for s in _GATED_SAMPLES[:5])
    assert _TITLE_BY.match("A Title, EDITED BY Ann Ward")
    assert _REPRINT.search("A Title, first published Paris, 1901, REPUBLISHED by A Press")
    assert _PAGES.search("A Title, 12 Leaves")
    for text in _entries():
        for seg in [text, *_pieces(text)]:
            _pattern_gates_hold(seg)


@given(
    st.one_of(
        mangled, st.lists(st.sampled_from([*"Edſsp(). ,\n", "eds", "trans", "http", "10."]), max_size=20).map("".join)
    )
)
def test_quick_pattern_gates_let_every_mangled_match_through(text: str) -> None:
    for seg in [text, *_pieces(text)]:
        _pattern_gates_hold(seg)


def _undated_listing_is_refused(text: str) -> None:
    normal = " ".join(text.split())
    if "," in normal and not _may_be_dated(normal):
        assert _read_listing(normal) is None, text


def test_a_listing_without_page_count_or_date_is_refused_only_where_it_reads_nothing() -> None:
    for text in ["A Title, Ann Ward, A Press, London, n.d.", "A Title, s. f., A Press", "Ann Ward, A Title"]:
        _undated_listing_is_refused(text)
    assert _may_be_dated("A Title, Ann Ward, A Press, London, n.d.") and not _may_be_dated("Ann Ward, A Title")
    for text in _entries():
        _undated_listing_is_refused(text)


@given(
    st.one_of(
        mangled, st.lists(st.sampled_from([*"Ab ,.;()", "n.d.", "no date", "s. f.", "o.j"]), max_size=20).map("".join)
    )
)
def test_a_mangled_listing_without_date_is_refused_only_where_it_reads_nothing(text: str) -> None:
    _undated_listing_is_refused(text)


def _is_organisation_as_was(text: str) -> bool:
    """`is_organisation` before its quick paths."""
    text = _LEADING_ARTICLE.sub("", text.strip())
    if not text[:1].isupper():
        return False
    for part in _AND.split(text):
        words = [_fold(w.strip(",.()")) for w in part.split()]
        if any(w in ORG_WORDS for w in words):
            return True
        lower = [w for w in part.split() if w[:1].islower() and _fold(w) not in PARTICLES]
        if len(words) > 5 or (lower and len(words) > 2):
            return True
    return False


def test_organisations_are_told_as_before() -> None:
    samples = ["the Society of Friends", "Ann Ward & Bo Lind", "Ann Ward and the Press", "Bureau of the Census", "Ann"]
    for seg in samples + [p for entry in _entries() for p in split_segments(entry)]:
        assert is_organisation.__wrapped__(seg) == _is_organisation_as_was(seg), seg


@given(
    st.one_of(
        mangled, st.lists(st.sampled_from([*"Aa ,&", "the ", "and ", "Press", "of", "van"]), max_size=12).map("".join)
    )
)
def test_mangled_organisations_are_told_as_before(text: str) -> None:
    assert is_organisation.__wrapped__(text) == _is_organisation_as_was(text)


def test_cached_author_lists_are_handed_out_as_copies() -> None:
    first = _names("Ward, Ann, and Bo Lind")
    assert first is not None
    first[0][0]["family"] = "Changed"
    again = _names("Ward, Ann, and Bo Lind")
    assert again is not None and again[0][0]["family"] == "Ward"
    assert scholarly._read_names.cache_info().hits >= 1


@given(st.text(max_size=20))
def test_the_digit_test_agrees_with_str_isdigit(text: str) -> None:
    assert has_digit(text) == any(ch.isdigit() for ch in text)
    assert has_digit(text + "²") and has_digit(text + "7")


def test_cached_names_are_handed_out_as_copies() -> None:
    parse_name("Ann Ward")["family"] = "Changed"
    parse_names("Ann Ward and Bo Lind")[1]["given"] = "Changed"
    assert parse_name("Ann Ward") == {"family": "Ward", "given": "Ann"}
    assert parse_names("Ann Ward and Bo Lind")[1] == {"family": "Lind", "given": "Bo"}


def _split_by_characters(text: str) -> list[str]:
    """`split_segments` as it was: one character at a time."""
    out: list[str] = []
    depth = start = 0
    for i, ch in enumerate(text):
        if ch in "([{":
            depth += 1
        elif ch in ")]}" and depth:
            depth -= 1
        elif ch == "," and depth == 0:
            out.append(text[start:i].strip())
            start = i + 1
    out.append(text[start:].strip())
    return out


def test_comma_segments_found_by_pattern_match_a_character_scan() -> None:
    for text in _entries():
        assert split_segments(text) == _split_by_characters(text), text


@given(st.one_of(mangled, st.lists(st.sampled_from([*"a ,()[]{}"]), max_size=30).map("".join)))
def test_comma_segments_of_mangled_entries_match_a_character_scan(text: str) -> None:
    assert split_segments(text) == _split_by_characters(text)


# -- dates, places, source fields


def _dates_agree(seg: str) -> None:
    assert parse_date_segment(seg) == _read_date(seg), seg


def test_the_date_short_cut_reads_like_the_full_reader() -> None:
    samples = ["n.d.", " n. d ", "no date.", "Undated", "s. f.", "o.j.", "1941?", "c. 1900", "Fall 1967", "1940s"]
    for seg in samples + [p for text in _entries() for p in split_segments(text)]:
        _dates_agree(seg)


@given(st.one_of(mangled, st.text(max_size=30)))
def test_the_date_short_cut_reads_mangled_segments_like_the_full_reader(seg: str) -> None:
    _dates_agree(seg)


def test_clipped_places_found_by_bisection_match_a_full_scan() -> None:
    keys = [place[:k] for place in _PLACE_LIST for k in range(len(place) + 2)] + ["zz", "evanst", "new yor"]
    for key in keys:
        scan = any(p.startswith(key) and len(key) >= 0.7 * len(p) for p in _PLACE_LIST)
        assert _is_clipped_place(key) == scan, key


def _field_head_holds(text: str) -> None:
    if _FIELD.match(_plain(text)):
        assert _FIELD_HEAD.match(text), text


def test_a_source_field_always_passes_the_quick_test() -> None:
    for text in ["Source : Collected Writings, Vol. 3", "**Publisher**: A Press, 1960", "*First Published:* 1911"]:
        assert _FIELD.match(_plain(text)) and _FIELD_HEAD.match(text)
    for text in _entries():
        _field_head_holds(text)


@given(st.one_of(mangled, st.lists(st.sampled_from([*"Ab /*_:,1 \t"]), max_size=30).map("".join)))
def test_a_mangled_source_field_always_passes_the_quick_test(text: str) -> None:
    _field_head_holds(text)
