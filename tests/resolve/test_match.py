"""Scored matching of made-up records: same work? same edition?"""

from __future__ import annotations

from typing import Any

import pytest

from biblio.resolve.match import (
    WORK_REVIEW,
    WORK_SAME,
    Record,
    block_keys,
    compare_editions,
    compare_works,
    record_of,
)


def rec(
    rid: int,
    title: str,
    persons: tuple[int, ...] = (1,),
    year: int | None = None,
    publisher: str = "",
    place: str = "",
    pages: str = "",
    **fields: Any,
) -> Record:
    """A record from a CSL item built of the given values (extra CSL fields with _ for -)."""
    csl: dict[str, Any] = {"type": "book", "title": title}
    if year is not None:
        csl["issued"] = {"date-parts": [[year]]}
    if publisher:
        csl["publisher"] = publisher
    if place:
        csl["publisher-place"] = place
    if pages:
        csl["number-of-pages"] = pages
    csl.update({k.replace("_", "-"): v for k, v in fields.items()})
    return record_of(rid, csl, persons)


def both_ways(fn: Any, a: Record, b: Record) -> float:
    """The score, checked to be symmetric."""
    ab, ba = fn(a, b).score, fn(b, a).score
    assert ab == pytest.approx(ba)
    return float(ab)


# --- record_of ------------------------------------------------------------------------


def test_record_of_reads_the_csl_item() -> None:
    csl = {
        "type": "book",
        "title": "The Long Road Home",
        "issued": {"date-parts": [[1950, 3]]},
        "publisher": "Harbour Press",
        "publisher-place": "London",
        "number-of-pages": "210",
        "volume": "II",
        "part-number": 3,
    }
    r = record_of(7, csl, [3, 4, 3])
    assert r.id == 7
    assert r.title == "The Long Road Home"
    assert r.year == 1950
    assert r.publisher == "Harbour Press"
    assert r.place == "London"
    assert r.pages == "210"
    assert r.persons == frozenset({3, 4})
    assert set(dict(r.parts)) == {"volume", "part-number"}
    assert dict(r.parts)["part-number"] == "3"
    assert r.kind == "book"


def test_record_of_without_date_or_with_a_bad_date() -> None:
    assert record_of(1, {"title": "X"}, []).year is None
    assert record_of(1, {"title": "X", "issued": {"date-parts": [["1950"]]}}, []).year is None
    assert record_of(1, {"title": "X", "issued": {"literal": "c. 1950"}}, []).year is None


# --- titles ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("The Art of War", "Art of War"),
        ("The Art of War", "THE ART OF WAR."),
        ("Art of War", "The art of war"),
        ("The Long Road Home", "Long Road Home"),
        ("Kriegskunst, Die", "Die Kriegskunst"),
    ],
)
def test_title_variants_are_one_work(a: str, b: str) -> None:
    assert both_ways(compare_works, rec(1, a), rec(2, b)) >= WORK_SAME


def test_different_titles_are_not_one_work() -> None:
    assert both_ways(compare_works, rec(1, "The Art of War"), rec(2, "The Craft of Peace")) < WORK_REVIEW
    assert both_ways(compare_works, rec(1, "Paper Harbours"), rec(2, "Maps of Nowhere")) < WORK_REVIEW


# --- volumes, parts and numbers -----------------------------------------------------------


@pytest.mark.parametrize(
    ("fa", "fb"),
    [
        ({"volume": "1"}, {"volume": "2"}),
        ({"volume": "I"}, {"volume": "II"}),
        ({"volume": "First Period"}, {"volume": "Second Period"}),
        ({"part-number": 1}, {"part-number": 2}),
        ({"part-number": "1"}, {"part-number": "2"}),
        ({"volume": "1"}, {}),
    ],
)
def test_different_volumes_or_parts_never_merge(fa: dict[str, Any], fb: dict[str, Any]) -> None:
    base = {"title": "History of the Harbour Guild", "issued": {"date-parts": [[1950]]}, "publisher": "Harbour Press"}
    a = record_of(1, {**base, **fa}, [1])
    b = record_of(2, {**base, **fb}, [1])
    assert both_ways(compare_works, a, b) == 0.0
    assert both_ways(compare_editions, a, b) == 0.0
    assert any("volume" in r for r in compare_works(a, b).reasons)


def test_same_volume_merges() -> None:
    a = rec(1, "History of the Harbour Guild", volume="2")
    b = rec(2, "The History of the Harbour Guild", volume="2")
    assert both_ways(compare_works, a, b) >= WORK_SAME


@pytest.mark.parametrize("field_name", ["issue", "number"])
def test_different_issues_never_merge(field_name: str) -> None:
    a = rec(1, "Harbour Monthly", **{field_name: "3"})
    b = rec(2, "Harbour Monthly", **{field_name: "4"})
    assert both_ways(compare_works, a, b) < WORK_REVIEW


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("History of the Guild, First Period", "History of the Guild, Second Period"),
        ("History of the Guild, Vol. I", "History of the Guild, Vol. II"),
        ("History of the Guild, Book One", "History of the Guild, Book Two"),
    ],
)
def test_ordinals_in_titles_never_merge(a: str, b: str) -> None:
    assert both_ways(compare_works, rec(1, a), rec(2, b)) < WORK_REVIEW


@pytest.mark.parametrize(("va", "vb"), [("II", "2"), ("iv", "4"), ("Second Period", "second period")])
def test_one_volume_written_two_ways_is_one_volume(va: str, vb: str) -> None:
    assert (
        both_ways(compare_works, rec(1, "History of the Guild", volume=va), rec(2, "History of the Guild", volume=vb))
        >= WORK_SAME
    )


def test_roman_volume_above_ten_is_its_arabic_number() -> None:
    assert (
        both_ways(
            compare_works, rec(1, "History of the Guild", volume="XII"), rec(2, "History of the Guild", volume="12")
        )
        >= WORK_SAME
    )


def test_volume_label_does_not_make_another_volume() -> None:
    assert (
        both_ways(
            compare_works, rec(1, "History of the Guild", volume="Vol. 2"), rec(2, "History of the Guild", volume="2")
        )
        >= WORK_SAME
    )


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Economy 1917-1947", "Economy"),
        ("Economy 1917-1947", "Economy 1917-1948"),
        ("Report No. 3", "Report No. 4"),
        ("Twelve Essays 2", "Twelve Essays 3"),
    ],
)
def test_titles_with_different_numbers_never_merge(a: str, b: str) -> None:
    assert both_ways(compare_works, rec(1, a), rec(2, b)) == 0.0
    assert "different numbers in the titles" in compare_works(rec(1, a), rec(2, b)).reasons


def test_titles_with_the_same_numbers_merge() -> None:
    a, b = rec(1, "The Economy 1917-1947"), rec(2, "Economy, 1917-1947")
    assert both_ways(compare_works, a, b) >= WORK_SAME


# --- contributors ---------------------------------------------------------------------------


def test_no_contributor_in_common_vetoes() -> None:
    a, b = rec(1, "The Art of War", persons=(1, 2)), rec(2, "The Art of War", persons=(3,))
    d = compare_works(a, b)
    assert d.score == 0.0
    assert "no contributor in common" in d.reasons


def test_one_shared_contributor_is_enough() -> None:
    a, b = rec(1, "The Art of War", persons=(1, 2)), rec(2, "The Art of War", persons=(2, 3))
    assert both_ways(compare_works, a, b) >= WORK_SAME


def test_contributors_on_one_side_only_lower_the_score() -> None:
    full = compare_works(rec(1, "The Art of War", persons=(1,)), rec(2, "Art of War", persons=(1,))).score
    one = both_ways(compare_works, rec(1, "The Art of War", persons=(1,)), rec(2, "Art of War", persons=()))
    assert one < full
    assert one >= WORK_REVIEW


def test_score_is_bounded_for_similar_titles() -> None:
    d = compare_works(rec(1, "X Y Z"), rec(2, "X Y Z"))
    assert 0.0 <= d.score <= 1.0


def test_score_is_never_negative() -> None:
    d = compare_works(rec(1, "Moon", persons=()), rec(2, "Sky", persons=(1,)))
    assert 0.0 <= d.score <= 1.0


# --- editions -------------------------------------------------------------------------------


def test_same_work_different_years_is_not_one_edition() -> None:
    a = rec(1, "The Long Road Home", year=1950, publisher="Harbour Press")
    b = rec(2, "Long Road Home", year=1962, publisher="Harbour Press")
    assert both_ways(compare_works, a, b) >= WORK_SAME
    assert both_ways(compare_editions, a, b) == 0.0
    assert any("different years" in r for r in compare_editions(a, b).reasons)


def test_different_years_are_never_an_edition_review() -> None:
    a = rec(1, "The Long Road Home", persons=(1,), year=1950, publisher="Harbour Press")
    b = rec(2, "The Long Road Home Again", persons=(), year=1951, publisher="Harbour Press")
    assert WORK_REVIEW <= compare_works(a, b).score < WORK_SAME
    assert both_ways(compare_editions, a, b) < WORK_REVIEW


def test_same_work_different_publishers_is_not_one_edition() -> None:
    a = rec(1, "The Long Road Home", year=1950, publisher="Harbour Press")
    b = rec(2, "Long Road Home", year=1950, publisher="Lantern House")
    assert both_ways(compare_works, a, b) >= WORK_SAME
    assert both_ways(compare_editions, a, b) == 0.0


@pytest.mark.parametrize(
    ("pa", "pb"),
    [
        ("Gollancz", "Victor Gollancz"),
        ("Penguin Books", "Penguin"),
        ("Harbour Press", "The Harbour Press"),
        ("Lawrence & Wishart", "Lawrence and Wishart"),
        ("Allen & Unwin", "George Allen & Unwin Ltd"),
        ("Gollanz", "Gollancz"),
    ],
)
def test_publisher_variants_are_one_edition(pa: str, pb: str) -> None:
    a = rec(1, "The Long Road Home", year=1950, publisher=pa)
    b = rec(2, "Long Road Home", year=1950, publisher=pb)
    assert both_ways(compare_editions, a, b) >= WORK_SAME


@pytest.mark.parametrize(
    ("pa", "pb"),
    [
        ("Penguin", "Pelican"),
        ("Oxford University Press", "Cambridge University Press"),
        ("Macmillan", "Methuen"),
    ],
)
def test_different_publishers_are_different_editions(pa: str, pb: str) -> None:
    a = rec(1, "The Long Road Home", year=1950, publisher=pa)
    b = rec(2, "Long Road Home", year=1950, publisher=pb)
    assert both_ways(compare_editions, a, b) == 0.0


@pytest.mark.parametrize(
    "detail",
    [
        {"year": 1950, "publisher": "Harbour Press"},
        {"year": 1950},
        {"publisher": "Harbour Press"},
    ],
)
def test_edition_without_details_never_merges_with_one_that_has_them(detail: dict[str, Any]) -> None:
    a = rec(1, "The Long Road Home", **detail)
    b = rec(2, "The Long Road Home")
    assert both_ways(compare_works, a, b) >= WORK_SAME
    assert both_ways(compare_editions, a, b) == 0.0


def test_two_mentions_without_details_are_one_edition() -> None:
    a, b = rec(1, "The Long Road Home"), rec(2, "Long Road Home")
    assert both_ways(compare_editions, a, b) >= WORK_SAME


def test_year_only_on_one_side_and_publisher_on_the_other_never_merge() -> None:
    a = rec(1, "The Long Road Home", year=1950)
    b = rec(2, "The Long Road Home", publisher="Harbour Press")
    assert both_ways(compare_editions, a, b) == 0.0


def test_publisher_on_one_side_only_with_same_year_never_merges() -> None:
    a = rec(1, "The Long Road Home", year=1950, publisher="Harbour Press")
    b = rec(2, "The Long Road Home", year=1950)
    assert both_ways(compare_editions, a, b) == 0.0


def test_different_page_counts_or_places_are_different_editions() -> None:
    base = {"year": 1950, "publisher": "Harbour Press"}
    assert (
        both_ways(
            compare_editions,
            rec(1, "The Long Road Home", pages="210", **base),
            rec(2, "The Long Road Home", pages="211", **base),
        )
        == 0.0
    )
    assert (
        both_ways(
            compare_editions,
            rec(1, "The Long Road Home", place="London", **base),
            rec(2, "The Long Road Home", place="New York", **base),
        )
        == 0.0
    )
    # the same place or page count written alike is fine
    assert (
        both_ways(
            compare_editions,
            rec(1, "The Long Road Home", place="London", pages="210", **base),
            rec(2, "Long Road Home", place="LONDON", pages="210", **base),
        )
        >= WORK_SAME
    )


def test_edition_decision_inherits_work_vetoes() -> None:
    a = rec(1, "The Long Road Home", persons=(1,), year=1950, publisher="Harbour Press")
    b = rec(2, "The Long Road Home", persons=(2,), year=1950, publisher="Harbour Press")
    assert compare_editions(a, b).score == 0.0


# --- blocking ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("The Art of War", "Art of War"),
        ("The Long Road Home", "Long Road Home, an account of the war years"),
        ("The Long Road Home", "Long Road Home: Letters"),
        ("Intervention in Russia", "The Intervention in Russia 1918-1920"),
        ("Paper Harbours of the North", "Paper Harbours North"),
    ],
)
def test_close_titles_share_a_block_key(a: str, b: str) -> None:
    ka, kb = block_keys(rec(1, a)), block_keys(rec(2, b))
    assert ka & kb


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("History of the Harbour Guild", "A History of the Harbor Guild"),
        ("Colour of Memory", "Color of Memory"),
        ("Intervention in Russia", "The Intervention in Soviet Russia"),
    ],
)
def test_titles_scored_as_one_work_share_a_block_key(a: str, b: str) -> None:
    ra, rb = rec(1, a), rec(2, b)
    assert compare_works(ra, rb).score >= WORK_SAME
    assert block_keys(ra) & block_keys(rb)


def test_unrelated_titles_share_no_block_key() -> None:
    assert not block_keys(rec(1, "The Art of War")) & block_keys(rec(2, "Maps of Nowhere"))


def test_block_keys_of_a_title_of_stop_words_only() -> None:
    keys = block_keys(rec(1, "The"))
    assert keys
    assert keys == block_keys(rec(2, "the"))
