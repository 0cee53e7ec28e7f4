"""The scholarly recognizer: Chicago, APA and MLA entries in, CSL-JSON out (made-up works only)."""

from __future__ import annotations

import time
from typing import Any

import pytest

from biblio.extract.scholarly import parse_scholarly

MIRIAM = {"family": "Hartwell", "given": "Miriam"}
TOBIAS = {"family": "Grün", "given": "Tobias"}
ANA = {"family": "Pereira", "given": "Ana"}


def parse(text: str, previous: list[dict[str, Any]] | None = None) -> tuple[dict[str, Any], float]:
    """Parse and insist that the entry was recognised."""
    found = parse_scholarly(text, previous)
    assert found is not None, text
    return found


def year(csl: dict[str, Any]) -> list[int]:
    """The issued date parts."""
    return list(csl["issued"]["date-parts"][0])


# --- books -------------------------------------------------------------------------------------

BOOKS = [
    (  # Chicago author-date
        "Hartwell, Miriam. 2004. The Salt Roads: Trade and Empire in the Baltic. Chicago: University of Chicago Press.",
        {
            "author": [MIRIAM],
            "title": "The Salt Roads: Trade and Empire in the Baltic",
            "publisher": "University of Chicago Press",
            "publisher-place": "Chicago",
            "issued": [2004],
        },
    ),
    (
        "Hartwell, Miriam, and Tobias Grün. 1998. Harbour Towns. London: Verso.",
        {"author": [MIRIAM, TOBIAS], "title": "Harbour Towns", "publisher": "Verso", "issued": [1998]},
    ),
    (
        "Hartwell, Miriam, Tobias Grün, and Ana Pereira. 2011. Ports and People. 2nd ed. Oxford: Clarendon Press.",
        {"author": [MIRIAM, TOBIAS, ANA], "edition": "2", "publisher-place": "Oxford", "issued": [2011]},
    ),
    (  # Chicago notes-bibliography
        "Okafor, Chidi. The Long Weather. New York: Farrar, Straus and Giroux, 2015.",
        {
            "author": [{"family": "Okafor", "given": "Chidi"}],
            "title": "The Long Weather",
            "publisher": "Farrar, Straus and Giroux",
            "publisher-place": "New York",
            "issued": [2015],
        },
    ),
    (
        "Lindqvist, Erik, ed. Essays on Northern Light. Stockholm: Nordic Press, 1987.",
        {"editor": [{"family": "Lindqvist", "given": "Erik"}], "title": "Essays on Northern Light"},
    ),
    (
        "Lindqvist, Erik, and Maja Holm, eds. Essays on Northern Light. Stockholm: Nordic Press, 1987.",
        {"editor": [{"family": "Lindqvist", "given": "Erik"}, {"family": "Holm", "given": "Maja"}]},
    ),
    (
        "Moreau, Jean. The Quiet Garden. Translated by Alice Fern. Paris: Gallimard, 1972.",
        {
            "author": [{"family": "Moreau", "given": "Jean"}],
            "translator": [{"family": "Fern", "given": "Alice"}],
            "publisher": "Gallimard",
            "issued": [1972],
        },
    ),
    (
        "Moreau, Jean. The Quiet Garden. Edited by Alice Fern. 3rd ed. Paris: Gallimard, 1972.",
        {"editor": [{"family": "Fern", "given": "Alice"}], "edition": "3"},
    ),
    (  # APA
        "Brandt, K. (2009). Measuring the tides. Coastal Press.",
        {
            "author": [{"family": "Brandt", "given": "K."}],
            "title": "Measuring the tides",
            "publisher": "Coastal Press",
            "issued": [2009],
        },
    ),
    (
        "Brandt, K., & Iversen, L. M. (2013). Measuring the tides (2nd ed.). Coastal Press.",
        {
            "author": [{"family": "Brandt", "given": "K."}, {"family": "Iversen", "given": "L. M."}],
            "title": "Measuring the tides",
            "edition": "2",
            "issued": [2013],
        },
    ),
    (
        "Brandt, K. (Ed.). (2009). Measuring the tides. Coastal Press.",
        {"editor": [{"family": "Brandt", "given": "K."}], "issued": [2009]},
    ),
    (
        "Brandt, K., & Iversen, L. (Eds.). (2009). Measuring the tides. Coastal Press.",
        {"editor": [{"family": "Brandt", "given": "K."}, {"family": "Iversen", "given": "L."}]},
    ),
    (  # MLA
        "Delacroix, Hélène. Paper Moons. Penguin, 2002.",
        {
            "author": [{"family": "Delacroix", "given": "Hélène"}],
            "title": "Paper Moons",
            "publisher": "Penguin",
            "issued": [2002],
        },
    ),
    (  # corporate author
        "United Nations. 2004. World Water Report. New York: UN Publications.",
        {"author": [{"literal": "United Nations"}], "title": "World Water Report", "issued": [2004]},
    ),
    (
        "World Health Organization. Global Report on Sleep. Geneva: WHO Press, 2010.",
        {"author": [{"literal": "World Health Organization"}], "publisher": "WHO Press"},
    ),
    (  # initials written without dots are normalised; particles join the family name
        "Mises, Ludwig von. 1949. Human Action Again. New Haven: Yale University Press.",
        {"author": [{"family": "von Mises", "given": "Ludwig"}]},
    ),
    (
        "Iversen, LM. 2013. Tides. Bergen: Coastal Press.",
        {"author": [{"family": "Iversen", "given": "L. M."}]},
    ),
    (  # a middle initial with no year after it still ends the author segment
        "Okafor, Chidi Q. The Long Weather. New York: Farrar, 2015.",
        {"author": [{"family": "Okafor", "given": "Chidi Q."}], "title": "The Long Weather"},
    ),
    (
        "Ward, J. R. The Grey Hills. London: Allen, 1955.",
        {"author": [{"family": "Ward", "given": "J. R."}], "title": "The Grey Hills", "issued": [1955]},
    ),
    (  # a title ending in "?" keeps its subtitle; suffixes stay on the name
        "Baker, Tom, Jr. 2010. Why Now? The Case for Slowness. London: Verso.",
        {"author": [{"family": "Baker", "given": "Tom", "suffix": "Jr"}], "title": "Why Now? The Case for Slowness"},
    ),
    (
        "Pereira, Ana. Tidal Voices. 2 vols. Lisbon: Tinta, 2012.",
        {"number-of-volumes": "2", "publisher": "Tinta"},
    ),
    (
        "Haddad, Samir. 2010. Desert Lines. Studies in Arid History 12. Leiden: Brill.",
        {"collection-title": "Studies in Arid History", "collection-number": "12", "publisher": "Brill"},
    ),
    (
        "Hartwell, Miriam. 1987 [1935]. The Salt Roads. Chicago: Lakeside.",
        {"issued": [1987], "original-date": {"date-parts": [[1935]]}},
    ),
]


@pytest.mark.parametrize(("text", "expected"), BOOKS)
def test_books(text: str, expected: dict[str, Any]) -> None:
    csl, confidence = parse(text)
    assert csl["type"] == "book"
    assert confidence >= 0.8
    for key, value in expected.items():
        assert (year(csl) if key == "issued" else csl[key]) == value, key


# --- articles, chapters, newspapers ------------------------------------------------------------

JOURNALS = [
    'Novak, Petra. 1999. "Counting Sheep in the Highlands." Journal of Rural Studies 34 (2): 165–87.',
    'Novak, Petra. "Counting Sheep in the Highlands." Journal of Rural Studies 34, no. 2 (1999): 165–87.',
    "Novak, P. (1999). Counting Sheep in the Highlands. Journal of Rural Studies, 34(2), 165–87.",
    "Novak, Petra. “Counting Sheep in the Highlands.” Journal of Rural Studies, vol. 34, no. 2, 1999, pp. 165–87.",
]


@pytest.mark.parametrize("text", JOURNALS)
def test_journal_articles(text: str) -> None:
    csl, confidence = parse(text)
    assert confidence >= 0.8
    assert csl["type"] == "article-journal"
    assert csl["title"] == "Counting Sheep in the Highlands"
    assert csl["container-title"] == "Journal of Rural Studies"
    assert (csl["volume"], csl["issue"], csl["page"]) == ("34", "2", "165–87")
    assert year(csl) == [1999]
    assert csl["author"][0]["family"] == "Novak"


def test_apa_article_with_doi() -> None:
    csl, _ = parse(
        "Novak, P., & Brandt, K. (2001). Sheep again. Journal of Rural Studies, 36, 12–19. "
        "https://doi.org/10.1016/j.jrs.2001.02.003"
    )
    assert csl["DOI"] == "10.1016/j.jrs.2001.02.003"
    assert "URL" not in csl
    assert csl["page"] == "12–19" and "issue" not in csl
    assert [a["family"] for a in csl["author"]] == ["Novak", "Brandt"]


CHAPTERS = [
    'Ferreira, Lucas. 2005. "Rivers of Memory." In The Atlas of Feeling, edited by Nora Beck and Ian Shaw, '
    "45–67. Boston: Beacon Press.",
    'Ferreira, Lucas. "Rivers of Memory." In The Atlas of Feeling, edited by Nora Beck and Ian Shaw, 45–67. '
    "Boston: Beacon Press, 2005.",
    "Ferreira, L. (2005). Rivers of Memory. In N. Beck & I. Shaw (Eds.), The Atlas of Feeling (pp. 45–67). "
    "Beacon Press.",
]


@pytest.mark.parametrize("text", CHAPTERS)
def test_chapters(text: str) -> None:
    csl, confidence = parse(text)
    assert confidence >= 0.8
    assert csl["type"] == "chapter"
    assert csl["title"] == "Rivers of Memory"
    assert csl["container-title"] == "The Atlas of Feeling"
    assert [e["family"] for e in csl["editor"]] == ["Beck", "Shaw"]
    assert csl["page"] == "45–67"
    assert csl["publisher"] == "Beacon Press"
    assert year(csl) == [2005]


@pytest.mark.parametrize(
    ("text", "kind", "container", "date"),
    [
        (
            'Tanaka, Yuki. 2001. "City Council Votes on Bridge." New York Times, March 3, 2001.',
            "article-newspaper",
            "New York Times",
            [2001, 3, 3],
        ),
        (
            'Tanaka, Yuki. 1998. "Rain Again." The Guardian, 12 May 1998.',
            "article-newspaper",
            "The Guardian",
            [1998, 5, 12],
        ),
        (
            'Tanaka, Yuki. 2001. "Bridge Vote." New York Times, Mar. 3.',
            "article-newspaper",
            "New York Times",
            [2001, 3, 3],
        ),
        (
            'Tanaka, Yuki. 2003. "The Last Lighthouse Keeper." Harper\'s Magazine, June 2003.',
            "article-magazine",
            "Harper's Magazine",
            [2003, 6],
        ),
        (
            "Tanaka, Y. (2001, March 3). City council votes on bridge. The Daily Ledger.",
            "article-newspaper",
            "The Daily Ledger",
            [2001, 3, 3],
        ),
    ],
)
def test_newspapers_and_magazines(text: str, kind: str, container: str, date: list[int]) -> None:
    csl, confidence = parse(text)
    assert confidence >= 0.8
    assert (csl["type"], csl["container-title"], year(csl)) == (kind, container, date)


def test_thesis() -> None:
    csl, _ = parse('Pereira, Ana. 2012. "Tidal Voices." PhD diss., University of Lisbon.')
    assert (csl["type"], csl["publisher"], csl["title"]) == ("thesis", "University of Lisbon", "Tidal Voices")


def test_webpage_with_access_date() -> None:
    csl, confidence = parse(
        'Brandt, Karl. 2019. "The Map Room." Cartography Blog. Accessed May 2, 2020. https://example.org/map_room.html.'
    )
    assert csl["type"] == "webpage"
    assert csl["container-title"] == "Cartography Blog"
    assert csl["URL"] == "https://example.org/map_room.html"
    assert csl["accessed"] == {"date-parts": [[2020, 5, 2]]}
    assert confidence >= 0.8


# --- markers, dashes, missing dates ------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "1. Hartwell, Miriam. 2004. *The Salt Roads*. Chicago: Lakeside.",
        "[3] Hartwell, Miriam. 2004. _The Salt Roads_. Chicago: Lakeside.",
        "- Hartwell, Miriam. 2004. The Salt Roads. Chicago: Lakeside.",
        "  12) Hartwell,   Miriam.  2004.  “The Salt Roads.”  Chicago: Lakeside.",
    ],
)
def test_list_markers_and_emphasis_are_dropped(text: str) -> None:
    csl, _ = parse(text)
    assert csl["title"] == "The Salt Roads"
    assert csl["author"] == [MIRIAM]
    assert csl["publisher"] == "Lakeside"


@pytest.mark.parametrize("dash", ["———", "---", "——", "___"])
def test_repeated_author_dash_takes_previous_authors(dash: str) -> None:
    csl, confidence = parse(f"{dash}. 2006. The Salt Roads Revisited. Chicago: Lakeside.", [MIRIAM, TOBIAS])
    assert csl["author"] == [MIRIAM, TOBIAS]
    assert csl["title"] == "The Salt Roads Revisited"
    assert confidence >= 0.8


def test_repeated_author_dash_with_a_role_and_without_previous() -> None:
    csl, _ = parse("———, ed. 2006. Salt Essays. Chicago: Lakeside.", [MIRIAM])
    assert csl["editor"] == [MIRIAM] and "author" not in csl
    csl, low = parse("———. 2006. Salt Essays. Chicago: Lakeside.")
    _, high = parse("———. 2006. Salt Essays. Chicago: Lakeside.", [MIRIAM])
    assert "author" not in csl
    assert low < high and low < 0.8


def test_previous_authors_are_copied_not_shared() -> None:
    previous = [dict(MIRIAM)]
    csl, _ = parse("———. 2006. Salt Essays. Chicago: Lakeside.", previous)
    csl["author"][0]["given"] = "changed"
    assert previous == [MIRIAM]


def test_no_date() -> None:
    csl, confidence = parse("Hartwell, Miriam. n.d. Notes on Salt. Chicago: Lakeside.")
    assert "issued" not in csl
    assert csl["title"] == "Notes on Salt"
    assert confidence >= 0.8


def test_partial_shapes_are_less_sure() -> None:
    _, full = parse("Hartwell, Miriam. 2004. The Salt Roads. Chicago: Lakeside.")
    _, dated_only = parse("Hartwell, Miriam. 2004. The Salt Roads.")
    assert dated_only < 0.8 <= full
    assert parse_scholarly("Hartwell, Miriam. The Salt Roads.") is None


def test_titles_keep_their_spelling_and_drop_quotes() -> None:
    csl, _ = parse('Novak, Petra. 1999. "Colour of the Harbour." Journal of Rural Studies 34 (2): 1–9.')
    assert csl["title"] == "Colour of the Harbour"


# --- not citations -----------------------------------------------------------------------------

PROSE = [
    "Smith, however, argued that the war was lost. He left in 1920.",
    "Paris, France. The city was quiet in 1920. Nobody came.",
    "In 1920, the Committee met in London. It decided nothing.",
    "Note, however, that in 2001 the Press changed its policy. See above.",
    "Thanks, Bob. See you in 2020.",
    "Berlin, Germany, 1923. Prices rose every hour. London: nobody cared.",
    "Ten Days, by a witness",
    "Ten Days, by a witness. London: Nobody, 1920.",
    "Moscow Correspondent, Ralph Parker. London: Muller, 1949.",
    "He wrote to Jones, Mary and the others.",
    "",
    "   ",
    "...",
]


@pytest.mark.parametrize("text", PROSE)
def test_prose_is_not_a_citation(text: str) -> None:
    assert parse_scholarly(text) is None


BOOKSELLER = [
    "Armed Neutrality in the North, W. P. Harlow, Gollancz, London, 1935, 400 pages.",
    "The Harbour Question, Ann Lee and Tom Baker, Verso, London, 1948, 96 pages.",
    "Salt and Iron, a history of the northern ports, Miriam Hartwell, Lakeside, Chicago, 1950, 210 pages.",
    "Harbour Towns. Tobias Grün. London: Verso, 1998.",
]


@pytest.mark.parametrize("text", BOOKSELLER)
def test_title_first_lines_are_left_to_other_recognizers(text: str) -> None:
    found = parse_scholarly(text)
    assert found is None or found[1] < 0.5


def test_sentence_after_an_author_and_year_is_doubtful() -> None:
    found = parse_scholarly("Jones, Mary. 1920. She went home. It was cold.")
    assert found is None or found[1] < 0.5


# --- performance -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "," * 100_000,
        "a" * 100_000,
        ". " * 50_000,
        "Smith, " + "J. " * 33_000,
        "(" * 100_000,
        "a" + "_" * 100_000 + "b",
        'Smith, John. 2001. "Title." ' + "A 1 " * 25_000,
        "Smith, John. 2001. Title. In " + "A, " * 33_000,
    ],
    ids=["commas", "letters", "stops", "initials", "parens", "underscores", "journal-ish", "chapter-ish"],
)
def test_long_junk_is_fast(text: str) -> None:
    start = time.perf_counter()
    parse_scholarly(text)
    assert time.perf_counter() - start < 1.0
