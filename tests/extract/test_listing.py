"""Title-first bookseller entries: parse_listing(text) -> (csl, confidence) | None.

Every line here is invented (Spanish Civil War, Paris Commune, labour, colonial
and science history); none is taken from the project's seed documents.
"""

from __future__ import annotations

from typing import Any

import pytest

from biblio.extract.listing import parse_listing


def Y(year: int, **extra: Any) -> dict[str, Any]:
    """A CSL date of one year."""
    return {"date-parts": [[year]], **extra}


def P(family: str, given: str | None = None) -> dict[str, str]:
    """A CSL person."""
    return {"family": family, "given": given} if given else {"family": family}


ABSENT = "_absent"


def check(text: str, expected: dict[str, Any]) -> dict[str, Any]:
    """Parse `text` and compare each expected field exactly; keys in ABSENT must be missing."""
    result = parse_listing(text)
    assert result is not None, f"no reading for {text!r}"
    csl, confidence = result
    assert 0.5 <= confidence <= 0.95
    for key, value in expected.items():
        if key == ABSENT:
            for missing in value:
                assert missing not in csl, f"{missing!r} should be absent: {csl}"
        else:
            assert csl.get(key) == value, f"{key}: {csl.get(key)!r} != {value!r} in {csl}"
    return csl


# --------------------------------------------------------------------------- authors and roles

AUTHORS = [
    pytest.param(
        "Homage to the Barricades, Margaret Ellison, Harvill Press, London, 1938, 312 pages.",
        {
            "type": "book",
            "title": "Homage to the Barricades",
            "author": [P("Ellison", "Margaret")],
            "publisher": "Harvill Press",
            "publisher-place": "London",
            "issued": Y(1938),
            "number-of-pages": "312",
        },
        id="plain",
    ),
    pytest.param(
        "Homage to the Barricades, by Margaret Ellison, Harvill Press, London, 1938, 312 pages.",
        {"author": [P("Ellison", "Margaret")], "publisher": "Harvill Press", "publisher-place": "London"},
        id="by",
    ),
    pytest.param(
        "Madrid Diary, written by Ana Soler, Maspero, Paris, 1970, 300 pages.",
        {"author": [P("Soler", "Ana")], "publisher": "Maspero", "publisher-place": "Paris", "issued": Y(1970)},
        id="written-by",
    ),
    pytest.param(
        "The Commune Remembered, edited by Louise Marchand, Paul Girard and Henri Duval, Maspero, Paris, 1971, "
        "420 pages.",
        {
            "editor": [P("Marchand", "Louise"), P("Girard", "Paul"), P("Duval", "Henri")],
            "publisher": "Maspero",
            "publisher-place": "Paris",
            ABSENT: ["author"],
        },
        id="edited-by-three",
    ),
    pytest.param(
        "Voices from the Ebro, Edited by Pilar Ruiz, Ediciones Libertad, Valencia, 1979, 150 pages.",
        {"editor": [P("Ruiz", "Pilar")], "publisher": "Ediciones Libertad", "publisher-place": "Valencia"},
        id="Edited-capital",
    ),
    pytest.param(
        "Dockers of the Thames, ed. Walter Penrose, Union Books, London, 1962, 210 pages.",
        {"editor": [P("Penrose", "Walter")], "publisher": "Union Books", "title": "Dockers of the Thames"},
        id="ed.",
    ),
    pytest.param(
        "Songs of the Clyde, compiled, with notes by Hamish MacLeod, Clydeside Press, Glasgow, 1952, 96 pages.",
        {
            "compiler": [P("MacLeod", "Hamish")],
            "publisher": "Clydeside Press",
            "publisher-place": "Glasgow",
            "issued": Y(1952),
            "type": "book",
            ABSENT: ["author", "editor"],
        },
        id="compiled-with-notes-by",
    ),
    pytest.param(
        "Songs of Struggle, compiled by Joe Hill, Lumberjack Press, Chicago, 1913, 64 pages.",
        {"compiler": [P("Hill", "Joe")], "publisher": "Lumberjack Press", "publisher-place": "Chicago"},
        id="compiled-by",
    ),
    pytest.param(
        "Rubber and Empire, translated by Pieter de Vries, Zed Books, London, 1984, 260 pages.",
        {"translator": [P("de Vries", "Pieter")], "publisher": "Zed Books"},
        id="translated-by",
    ),
    pytest.param(
        "Madrid Diary, illustrated by Paul Girard, Maspero, Paris, 1970, 30 pages.",
        {"illustrator": [P("Girard", "Paul")], "publisher": "Maspero", "type": "pamphlet"},
        id="illustrated-by",
    ),
    pytest.param(
        "The Miners' Struggle, Arthur Bell and Edith Carter, Coalfield Books, Cardiff, 1985, 250 pages.",
        {
            "author": [P("Bell", "Arthur"), P("Carter", "Edith")],
            "publisher": "Coalfield Books",
            "publisher-place": "Cardiff",
        },
        id="two-authors-and",
    ),
    pytest.param(
        "The Miners' Struggle, Arthur Bell & Edith Carter, Coalfield Books, Cardiff, 1985, 250 pages.",
        {"author": [P("Bell", "Arthur"), P("Carter", "Edith")]},
        id="two-authors-ampersand",
    ),
    pytest.param(
        "The Miners' Struggle, Arthur Bell, Edith Carter, Thomas Ward, Coalfield Books, Cardiff, 1985, 250 pages.",
        {"author": [P("Bell", "Arthur"), P("Carter", "Edith"), P("Ward", "Thomas")], "publisher": "Coalfield Books"},
        id="three-authors-commas",
    ),
    pytest.param(
        "Voices from the Ebro, by Pilar Ruiz and Ana Soler, Ediciones Libertad, Valencia, 1979, 150 pages.",
        {"author": [P("Ruiz", "Pilar"), P("Soler", "Ana")], "publisher": "Ediciones Libertad"},
        id="by-two",
    ),
    pytest.param(
        "Red Clydeside, JT and Mary Gallacher, Lawrence Books, Glasgow, 1934, 180 pages.",
        {"author": [P("Gallacher", "J. T."), P("Gallacher", "Mary")], "publisher": "Lawrence Books"},
        id="shared-family-initials",
    ),
    pytest.param(
        "On the Origin of Coral Reefs, CR and Emily Harwood, Murray and Sons, London, 1851, 214 pages.",
        {"author": [P("Harwood", "C. R."), P("Harwood", "Emily")], "publisher": "Murray and Sons", "issued": Y(1851)},
        id="shared-family-science",
    ),
    pytest.param(
        "On the Origin of Coral Reefs, C Harwood, John Murray, London, 1851, 214 pages.",
        {"author": [P("Harwood", "C.")], "publisher": "John Murray"},
        id="single-initial",
    ),
    pytest.param(
        "The Great Dock Strike, HL Smith and Vaughan Nash, Fisher Unwin, London, 1889, 190 pages.",
        {"author": [P("Smith", "H. L."), P("Nash", "Vaughan")], "publisher": "Fisher Unwin"},
        id="initials-and-full-name",
    ),
    pytest.param(
        "The Great Dock Strike, H. L. Smith and V. Nash, Fisher Unwin, London, 1889, 190 pages.",
        {"author": [P("Smith", "H. L."), P("Nash", "V.")]},
        id="dotted-initials",
    ),
    pytest.param(
        "Voices from the Ebro, Professor Pilar Ruiz, Ediciones Libertad, Valencia, 1979, 150 pages.",
        {"author": [P("Ruiz", "Pilar")]},
        id="honorific-professor",
    ),
    pytest.param(
        "Voices from the Ebro, Dr. Pilar Ruiz, Ediciones Libertad, Valencia, 1979, 150 pages.",
        {"author": [P("Ruiz", "Pilar")]},
        id="honorific-dr",
    ),
    pytest.param(
        "The Colonial Question, Michael (MJ) O'Brien, Irish Press, Dublin, 1932, 60 pages.",
        {"author": [P("O'Brien", "Michael")], "publisher": "Irish Press", "publisher-place": "Dublin"},
        id="parenthetical-initials",
    ),
    pytest.param(
        "Cosmos Explained, Alexander von Humboldt, Cotta Verlag, Stuttgart, 1845, 500 pages.",
        {"author": [P("von Humboldt", "Alexander")], "publisher": "Cotta Verlag", "issued": Y(1845)},
        id="particle",
    ),
    pytest.param(
        "La Guerra en Aragón, Juan Pérez Gómez, Ediciones Libertad, Madrid, 1937, 180 pages.",
        {"author": [P("Pérez Gómez", "Juan")], "publisher-place": "Madrid"},
        id="spanish-double-surname",
    ),
    pytest.param(
        "The Mutiny at Meerut, Anil Kumar Sen, People's Publishing House, New Delhi, 1957, 150 pages.",
        {"author": [P("Sen", "Anil Kumar")], "publisher": "People's Publishing House", "publisher-place": "New Delhi"},
        id="multiword-place",
    ),
    pytest.param(
        "Rice and Revolution, Ho Thi Mai, Foreign Languages Publishing House, Hanoi, 1975, 90 pages.",
        {"author": [P("Ho", "Thi Mai")], "publisher-place": "Hanoi"},
        id="vietnamese-ho",
    ),
    pytest.param(
        "Tithe Wars in Wales, Historical Society of Cardigan, Gomer Press, Cardiff, 1974, 88 pages.",
        {
            "author": [{"literal": "Historical Society of Cardigan"}],
            "publisher": "Gomer Press",
            "publisher-place": "Cardiff",
        },
        id="organisation-author",
    ),
    pytest.param(
        "The Strike at Lawrence, Workers' Educational Association, Oxford University Press, Oxford, 1950, 120 pages.",
        {
            "author": [{"literal": "Workers' Educational Association"}],
            "publisher": "Oxford University Press",
            "publisher-place": "Oxford",
        },
        id="organisation-author-university-press",
    ),
    pytest.param(
        "Notes on the Rubber Trade, Congo Reform Association under the direction of Edmund Parry, Liverpool, "
        "1905, 24 pages.",
        {
            "author": [{"literal": "Congo Reform Association"}],
            "editor": [P("Parry", "Edmund")],
            "publisher-place": "Liverpool",
            "type": "pamphlet",
        },
        id="under-the-direction-of",
    ),
    pytest.param(
        "Harvest of Empire, Pluto Press, London, 1985",
        {
            "title": "Harvest of Empire",
            "publisher": "Pluto Press",
            "publisher-place": "London",
            ABSENT: ["author", "number-of-pages"],
        },
        id="no-author",
    ),
]


@pytest.mark.parametrize(("text", "expected"), AUTHORS)
def test_listing_contributors(text, expected):
    check(text, expected)


# --------------------------------------------------------------------------- places and dates

PLACES_DATES = [
    pytest.param(
        "Strike at the Mill, Agnes Porter, Workers Press, London, n.d., 32 pages.",
        {"publisher": "Workers Press", "publisher-place": "London", "type": "pamphlet", ABSENT: ["issued"]},
        id="n.d.",
    ),
    pytest.param(
        "Strike at the Mill, Agnes Porter, Workers Press, London, nd., 32 pages.",
        {"publisher": "Workers Press", "publisher-place": "London", ABSENT: ["issued"]},
        id="nd.",
    ),
    pytest.param(
        "Strike at the Mill, Agnes Porter, n.p., 1931, 32 pages.",
        {"author": [P("Porter", "Agnes")], "issued": Y(1931), ABSENT: ["publisher", "publisher-place"]},
        id="n.p.",
    ),
    pytest.param(
        "Strike at the Mill, Agnes Porter, np., 1931, 32 pages.",
        {"author": [P("Porter", "Agnes")], "issued": Y(1931), ABSENT: ["publisher"]},
        id="np.",
    ),
    pytest.param(
        "Madrid Diary, Ana Soler, n.p., n.d., 30 pages.",
        {"author": [P("Soler", "Ana")], ABSENT: ["publisher", "issued"]},
        id="n.p.-n.d.",
    ),
    pytest.param(
        "Strike at the Mill, Agnes Porter, Workers Press, London, 1941?, 32 pages.",
        {"issued": Y(1941, circa=True), "publisher-place": "London"},
        id="year-question-mark",
    ),
    pytest.param(
        "Harvest of Empire, Thomas Greene, Pluto Press, London, c. 1985, 200 pages.",
        {"issued": Y(1985, circa=True), "publisher": "Pluto Press"},
        id="c.-year",
    ),
    pytest.param(
        "Harvest of Empire, Thomas Greene, Pluto Press, London, Fall 1985, 200 pages.",
        {"issued": Y(1985, season=3), "publisher-place": "London"},
        id="season",
    ),
    pytest.param(
        "Harvest of Empire, Thomas Greene, Pluto Press, London, no date but probably 1920, 200 pages.",
        {"issued": Y(1920, circa=True), "publisher": "Pluto Press", "publisher-place": "London"},
        id="no-date-but-probably",
    ),
    pytest.param(
        "The Iron Heel Revisited, Carl Jensen, Beacon Books, Boston, 1960, first published 1919, 280 pages.",
        {"issued": Y(1960), "original-date": Y(1919), "publisher": "Beacon Books", "publisher-place": "Boston"},
        id="first-published-year",
    ),
    pytest.param(
        "Land and Liberty, Tomás Herrera, Prairie Fire Press, New York, 1992, originally published 1948, 340 pages.",
        {"issued": Y(1992), "original-date": Y(1948), "publisher-place": "New York"},
        id="originally-published-year",
    ),
    pytest.param(
        "Land and Liberty, Tomás Herrera, first published Allen & Unwin, Sydney, 1948, reprinted version "
        "Prairie Fire Press, New York, 1992, 340 pages.",
        {
            "author": [P("Herrera", "Tomás")],
            "original-publisher": "Allen & Unwin",
            "original-publisher-place": "Sydney",
            "original-date": Y(1948),
            "publisher": "Prairie Fire Press",
            "publisher-place": "New York",
            "issued": Y(1992),
        },
        id="reprint-version",
    ),
    pytest.param(
        "Land and Liberty, Tomás Herrera, first published Allen Books, Sydney, 1948, reprinted by Prairie "
        "Fire Press, New York, 1992, 340 pages.",
        {
            "original-publisher": "Allen Books",
            "original-date": Y(1948),
            "publisher": "Prairie Fire Press",
            "issued": Y(1992),
        },
        id="reprinted-by",
    ),
    pytest.param(
        "Land and Liberty, Tomás Herrera, Verso Books, London, ebook format 2017, 340 pages.",
        {"medium": "ebook", "issued": Y(2017), "publisher": "Verso Books", "publisher-place": "London"},
        id="ebook",
    ),
    pytest.param(
        "Homage to the Barricades, Margaret Ellison, Penn Books, Philadelpia, 1938, 312 pages.",
        {"publisher": "Penn Books", "publisher-place": "Philadelpia"},
        id="misspelt-philadelphia",
    ),
    pytest.param(
        "Rubber and Empire, Pieter de Vries, Zed Books, Liverpol, 1984, 260 pages.",
        {"publisher": "Zed Books", "publisher-place": "Liverpol"},
        id="misspelt-liverpool",
    ),
    pytest.param(
        "Rubber and Empire, Pieter de Vries, Zed Books, Edinbrugh, 1984, 260 pages.",
        {"publisher": "Zed Books", "publisher-place": "Edinbrugh"},
        id="misspelt-edinburgh",
    ),
    pytest.param(
        "Homage to the Barricades, Margaret Ellison, Penn Books, Spain, 1938, 312 pages.",
        {"publisher": "Penn Books", "publisher-place": "Spain"},
        id="country-as-place",
    ),
    pytest.param(
        "Harvest of Empire, Thomas Greene, Pluto Press, 1985",
        {"publisher": "Pluto Press", "issued": Y(1985), "author": [P("Greene", "Thomas")], ABSENT: ["publisher-place"]},
        id="no-place",
    ),
]


@pytest.mark.parametrize(("text", "expected"), PLACES_DATES)
def test_listing_places_and_dates(text, expected):
    check(text, expected)


def test_listing_only_first_published_date():
    check(
        "The May Days in Valencia, Ramon Puig, Harbour Press, London, first published in 1937, 40 pages.",
        {"original-date": Y(1937), "publisher": "Harbour Press", "publisher-place": "London"},
    )


def test_listing_month_day_year():
    check(
        "Harvest of Empire, Thomas Greene, Pluto Press, London, March 3, 2001, 200 pages.",
        {"issued": {"date-parts": [[2001, 3, 3]]}, "publisher": "Pluto Press", "publisher-place": "London"},
    )


def test_listing_city_and_country():
    check(
        "Rubber and Empire, Pieter de Vries, Zed Books, Hamburg, Germany, 1984, 260 pages.",
        {"publisher": "Zed Books", "publisher-place": "Hamburg, Germany"},
    )


def test_listing_city_and_state_abbreviation():
    check(
        "Rubber and Empire, Pieter de Vries, Zed Books, Cambridge, Mass., 1984, 260 pages.",
        {"publisher": "Zed Books", "publisher-place": "Cambridge, Mass."},
    )


# --------------------------------------------------------------------------- types, volumes, parts, issues

STRUCTURE = [
    pytest.param(
        "Why We Strike, Jack Farrow, Labour Press, Leeds, 1926, 48 pages.",
        {"type": "pamphlet", "number-of-pages": "48"},
        id="48-pages-pamphlet",
    ),
    pytest.param(
        "Why We Strike, Jack Farrow, Labour Press, Leeds, 1926, 49 pages.",
        {"type": "book", "number-of-pages": "49"},
        id="49-pages-book",
    ),
    pytest.param(
        "Bread Not Bombs, leaflet, Peace Pledge Union, London, 1939, 2 pages.",
        {"type": "pamphlet", "genre": "leaflet", "publisher": "Peace Pledge Union", "title": "Bread Not Bombs"},
        id="leaflet",
    ),
    pytest.param(
        "The Strike Wave, pamphlet, Direct Action Group, London, 1971, 60 pages.",
        {"type": "pamphlet", "number-of-pages": "60", "publisher": "Direct Action Group"},
        id="pamphlet-word-overrides-pages",
    ),
    pytest.param(
        "Notes on the Rubber Trade, booklet, Congo Reform Association, Liverpool, 1905, 24 pages.",
        {"type": "pamphlet", "publisher": "Congo Reform Association", "publisher-place": "Liverpool"},
        id="booklet",
    ),
    pytest.param(
        "Notes on the Rubber Trade, reprinted as a leaflet from The Labour Leader, 1905, 4 pages.",
        {"type": "pamphlet", "container-title": "The Labour Leader", "issued": Y(1905), ABSENT: ["publisher"]},
        id="reprinted-as-leaflet-from",
    ),
    pytest.param(
        "History of the Paris Commune – Volume 1 – The Siege, Jules Martin, Gallimard Press, Paris, 1961, 400 pages.",
        {
            "title": "History of the Paris Commune",
            "volume": "1",
            "volume-title": "The Siege",
            "author": [P("Martin", "Jules")],
            "publisher": "Gallimard Press",
        },
        id="dash-volume-dash-title",
    ),
    pytest.param(
        "The Ebro Front – Vol. 2 – The Retreat, Luis Romero, Ediciones Libertad, Valencia, 1939, 220 pages.",
        {"title": "The Ebro Front", "volume": "2", "volume-title": "The Retreat"},
        id="dash-vol.-dash-title",
    ),
    pytest.param(
        "The Ebro Front - Volume III: The Retreat, Luis Romero, Ediciones Libertad, Valencia, 1939, 220 pages.",
        {"title": "The Ebro Front", "volume": "III", "volume-title": "The Retreat"},
        id="roman-volume-colon-title",
    ),
    pytest.param(
        "The Ebro Front – Volume 4, Luis Romero, Ediciones Libertad, Valencia, 1939, 220 pages.",
        {"title": "The Ebro Front", "volume": "4", ABSENT: ["volume-title"]},
        id="dash-volume-no-title",
    ),
    pytest.param(
        "Collected Letters, Volume 2, 1950-1960, Ruth Adler, Oxford University Press, Oxford, 1990, 512 pages.",
        {
            "title": "Collected Letters",
            "volume": "2",
            "volume-title": "1950-1960",
            "author": [P("Adler", "Ruth")],
            "publisher": "Oxford University Press",
            "issued": Y(1990),
        },
        id="volume-and-range",
    ),
    pytest.param(
        "Collected Papers, Vol. 3, Marie Lefevre, Hermann Editions, Paris, 1955, 620 pages.",
        {"title": "Collected Papers", "volume": "3", "author": [P("Lefevre", "Marie")]},
        id="vol.-segment",
    ),
    pytest.param(
        "Collected Papers, Volume IV, Marie Lefevre, Hermann Editions, Paris, 1955, 620 pages.",
        {"volume": "IV"},
        id="roman-volume-segment",
    ),
    pytest.param(
        "Chronicle of the Strikes, Second Period, 1900-1910, Edward Blake, Merlin Books, London, 1972, 300 pages.",
        {
            "title": "Chronicle of the Strikes",
            "volume": "Second Period",
            "volume-title": "1900-1910",
            "author": [P("Blake", "Edward")],
        },
        id="second-period",
    ),
    pytest.param(
        "Annals of the Docks, Third Series, 1920-1930, Walter Penrose, Union Books, London, 1962, 210 pages.",
        {"volume": "Third Series", "volume-title": "1920-1930"},
        id="third-series",
    ),
    pytest.param(
        "Annals of the Docks, 1889-1914, Walter Penrose, Union Books, London, 1962, 210 pages.",
        {"title": "Annals of the Docks, 1889-1914", ABSENT: ["volume"]},
        id="range-joins-title",
    ),
    pytest.param(
        "The Long March of Labour, Part 2 – The Great Unrest, Edward Blake, Merlin Books, London, 1972, 300 pages.",
        {
            "title": "The Long March of Labour",
            "part-number": "2",
            "part-title": "The Great Unrest",
            "author": [P("Blake", "Edward")],
        },
        id="part-dash-title",
    ),
    pytest.param(
        "Annals of the Docks, Part 3: The General Strike, Walter Penrose, Union Books, London, 1962, 210 pages.",
        {"part-number": "3", "part-title": "The General Strike"},
        id="part-colon-title",
    ),
    pytest.param(
        "Annals of the Docks, Part II, Walter Penrose, Union Books, London, 1962, 210 pages.",
        {"part-number": "II", ABSENT: ["part-title"]},
        id="part-roman",
    ),
    pytest.param(
        "Special issue of Radical History Journal, Labour and Empire, Volume 12, No. 4, Spring 1985, 80 pages.",
        {
            "type": "periodical",
            "genre": "special issue",
            "container-title": "Radical History Journal",
            "volume": "12",
            "issue": "4",
            "issued": Y(1985, season=1),
            "number-of-pages": "80",
        },
        id="special-issue",
    ),
    pytest.param(
        "Special issue of Colonial Studies Review, The Congo Free State, Vol. 7, No. 2, Winter 1991, 96 pages.",
        {
            "type": "periodical",
            "container-title": "Colonial Studies Review",
            "volume": "7",
            "issue": "2",
            "issued": Y(1991, season=4),
        },
        id="special-issue-vol.",
    ),
]


@pytest.mark.parametrize(("text", "expected"), STRUCTURE)
def test_listing_structure(text, expected):
    check(text, expected)


def test_listing_volume_segment_with_title():
    check(
        "The Commune of 1871, Volume 2 – The Bloody Week, Louis Favre, Maspero, Paris, 1970, 300 pages.",
        {"title": "The Commune of 1871", "volume": "2", "volume-title": "The Bloody Week"},
    )


# --------------------------------------------------------------------------- pages and trailing notes


@pytest.mark.parametrize(
    ("text", "pages"),
    [
        ("Ten Years of Struggle, Sylvia Pankhurst, Women's Press, London, 1920, 64 pages.", "64"),
        ("Ten Years of Struggle, Sylvia Pankhurst, Women's Press, London, 1920, (64 pages)", "64"),
        ("Ten Years of Struggle, Sylvia Pankhurst, Women's Press, London, 1920, 64pp", "64"),
        ("Ten Years of Struggle, Sylvia Pankhurst, Women's Press, London, 1920, 64 p.", "64"),
        ("Ten Years of Struggle, Sylvia Pankhurst, Women's Press, London, 1920, 164 pp.", "164"),
    ],
)
def test_listing_page_count_forms(text, pages):
    csl = check(text, {"publisher": "Women's Press", "publisher-place": "London", "issued": Y(1920)})
    assert csl["number-of-pages"] == pages


@pytest.mark.parametrize(
    ("text", "note"),
    [
        (
            "Homage to the Barricades, Margaret Ellison, Harvill Press, London, 1938, 312 pages. "
            "Signed by the author, dust jacket torn.",
            "Signed by the author, dust jacket torn.",
        ),
        (
            "Songs of the Clyde, Hamish MacLeod, Clydeside Press, Glasgow, 1952, 96 pages. Good condition, "
            "some foxing.",
            "Good condition, some foxing.",
        ),
    ],
)
def test_listing_trailing_note_after_pages(text, note):
    csl = check(text, {"number-of-pages": text.split(" pages")[0].rsplit(", ", 1)[1]})
    assert csl["note"] == note
    # the note does not leak into the other fields
    assert "Signed" not in csl["publisher"] and "foxing" not in csl["publisher"]


def test_listing_description_goes_to_note():
    csl = check(
        "The May Days in Valencia, a first-hand account of the fighting, Ramon Puig, Harbour Press, London, "
        "1937, 40 pages.",
        {"title": "The May Days in Valencia", "author": [P("Puig", "Ramon")], "publisher": "Harbour Press"},
    )
    assert "first-hand account" in csl["note"]


def test_listing_full_entry_confidence_is_high_and_short_entry_lower():
    full = parse_listing("Homage to the Barricades, Margaret Ellison, Harvill Press, London, 1938, 312 pages.")
    short = parse_listing("Harvest of Empire, Thomas Greene, Pluto Press, 1985")
    assert full is not None and short is not None
    assert full[1] > short[1]


# --------------------------------------------------------------------------- known failures


def test_listing_oxford_comma_author_list():
    check(
        "Voices from the Ebro, Pilar Ruiz, Ana Soler, and Marta Vidal, Ediciones Libertad, Valencia, 1979, 150 pages.",
        {"author": [P("Ruiz", "Pilar"), P("Soler", "Ana"), P("Vidal", "Marta")], "publisher": "Ediciones Libertad"},
    )


def test_listing_author_then_translator():
    check(
        "Madrid Diary, Ana Soler, translated by Paul Girard, Maspero, Paris, 1970, 300 pages.",
        {"author": [P("Soler", "Ana")], "translator": [P("Girard", "Paul")], "publisher": "Maspero"},
    )


def test_listing_by_organisation():
    check(
        "The Strike at Lawrence, by Lawrence Historical Society, Merrimack Press, Boston, 1950, 120 pages.",
        {"author": [{"literal": "Lawrence Historical Society"}], "publisher": "Merrimack Press"},
    )


def test_listing_vietnamese_author():
    check(
        "Rice and Revolution, Nguyen Van Linh, Foreign Languages Publishing House, Hanoi, 1975, 90 pages.",
        {"author": [P("Nguyen", "Van Linh")], "publisher": "Foreign Languages Publishing House"},
    )


# --------------------------------------------------------------------------- negatives


@pytest.mark.parametrize(
    "text",
    [
        "In 1917, the war, which had begun in 1914, ended.",
        "After the strike, the miners, tired and hungry, went home in 1926.",
        "By 1936, Spain, like much of Europe, was divided.",
        "The harbour at dawn, 1922",
        "Barricade on the Rue de Rivoli, Paris, 1871",
        "Communards in front of the Hôtel de Ville, Paris, 1871.",
        "Volunteers of the International Brigades, Madrid, November 1936",
        "Photo: the docks at Liverpool, 1911",
        "A portrait of the author, Vienna, c. 1905",
        "Anna Kowalska and her daughter, Warsaw, 1946",
        "This is a sentence without any comma 1917",
        "",
    ],
)
def test_listing_rejects_prose_and_captions(text):
    assert parse_listing(text) is None


def test_listing_rejects_caption_with_city_and_state():
    assert parse_listing("Strikers outside the mill, Lawrence, Massachusetts, 1912") is None
