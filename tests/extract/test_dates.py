"""Dates as bibliography lines write them."""

from __future__ import annotations

import pytest

from biblio.extract.dates import DatePart, csl_date, parse_date_segment


@pytest.mark.parametrize("text", ["n.d.", "n.d", "nd.", "nd", "N.D.", "no date", "undated"])
def test_no_date(text):
    part = parse_date_segment(text)
    assert part is not None
    assert part.role == "none"
    assert part.year is None


@pytest.mark.parametrize(
    ("text", "year", "circa"),
    [
        ("1936", 1936, False),
        ("1936.", 1936, False),
        ("[1923]", 1923, False),
        ("1941?", 1941, True),
        ("c. 1900", 1900, True),
        ("c.1900", 1900, True),
        ("ca. 1900", 1900, True),
        ("circa 1900", 1900, True),
        ("no date but probably 1920", 1920, True),
    ],
)
def test_year_and_circa(text, year, circa):
    part = parse_date_segment(text)
    assert part is not None
    assert (part.year, part.circa, part.role) == (year, circa, "issued")


@pytest.mark.parametrize(
    ("text", "year", "season"),
    [("Fall 1967", 1967, 3), ("Autumn 1967", 1967, 3), ("Spring 1985", 1985, 1), ("winter 2003", 2003, 4)],
)
def test_seasons(text, year, season):
    part = parse_date_segment(text)
    assert part is not None
    assert (part.year, part.season) == (year, season)
    assert csl_date(part) == {"date-parts": [[year]], "season": season}


@pytest.mark.parametrize(
    ("text", "parts"),
    [
        ("March 3, 2001", [2001, 3, 3]),
        ("3 March 2001", [2001, 3, 3]),
        ("Mar. 2001", [2001, 3]),
        ("Sept 1936", [1936, 9]),
        ("May 1968", [1968, 5]),
        ("July 19, 1936", [1936, 7, 19]),
    ],
)
def test_month_dates(text, parts):
    part = parse_date_segment(text)
    assert part is not None
    assert csl_date(part) == {"date-parts": [parts]}


@pytest.mark.parametrize("text", ["ebook format 2017", "e-book 2017", "Kindle edition 2019", "digital edition 2020"])
def test_ebook(text):
    part = parse_date_segment(text)
    assert part is not None
    assert part.medium == "ebook"
    assert part.year == int(text[-4:])


@pytest.mark.parametrize(
    ("text", "year"),
    [("first published in 1919", 1919), ("first published 1919", 1919), ("originally published 1948", 1948)],
)
def test_first_published_is_original(text, year):
    part = parse_date_segment(text)
    assert part is not None
    assert (part.year, part.role) == (year, "original")


@pytest.mark.parametrize("text", ["early 1940's?", "1930s"])
def test_decades_are_vague(text):
    part = parse_date_segment(text)
    assert part is not None
    assert part.vague and part.year is None


@pytest.mark.parametrize(
    "text",
    ["London", "Harvill Press", "1350", "2101", "Smarch 3, 2001", "1919-1920", "2001 March", "312 pages", ""],
)
def test_not_dates(text):
    assert parse_date_segment(text) is None


def test_csl_date_circa_flag():
    assert csl_date(DatePart(year=1941, circa=True)) == {"date-parts": [[1941]], "circa": True}


def test_csl_date_day_without_month_is_dropped():
    assert csl_date(DatePart(year=1871, day=18)) == {"date-parts": [[1871]]}
