"""Regressions found by extracting made-up documents the recognizers had never seen."""

from __future__ import annotations

from biblio.extract.archive import parse_source_block
from biblio.extract.listing import parse_listing
from biblio.extract.scholarly import parse_scholarly
from biblio.model import Block


def test_apa_author_with_a_lone_initial_a() -> None:
    found = parse_scholarly("Diallo, S., & Fofana, A. (2015). The Long Road North. Dakar: Sahel Press.")
    assert found is not None
    csl, _ = found
    assert csl["author"] == [{"family": "Diallo", "given": "S."}, {"family": "Fofana", "given": "A."}]
    assert (csl["title"], csl["publisher"], csl["issued"]) == (
        "The Long Road North",
        "Sahel Press",
        {"date-parts": [[2015]]},
    )


def test_reprint_of_an_edition_after_the_year() -> None:
    found = parse_listing(
        "The Great Lock-out, Ellen Marsh, Pluto Press, London, 1972, reprint of the 1927 edition, 210 pages."
    )
    assert found is not None
    csl, _ = found
    assert (csl["publisher"], csl["publisher-place"]) == ("Pluto Press", "London")
    assert csl["issued"] == {"date-parts": [[1972]]} and csl["original-date"] == {"date-parts": [[1927]]}


def test_first_published_line_above_the_source_block() -> None:
    blocks = [
        Block("First Published: 1911", 5),
        Block("Source : Selected Writings, Vol. 2, 1910-1911", 7),
        Block("Publisher : Northern Press, Chicago, 1960", 9),
    ]
    assert parse_source_block(blocks, 0) is None
    found = parse_source_block(blocks, 1)
    assert found is not None
    csl, used = found
    assert (csl["title"], csl["volume"], csl["publisher"], used) == ("Selected Writings", "2", "Northern Press", 2)


def test_prose_author_elsewhere_in_the_sentence_and_details_after_the_title() -> None:
    from biblio.extract.prose import find_prose_citations

    found = find_prose_citations(
        "In his famous book The Seventy-Two Days, the journalist Étienne Marchal described the barricades."
    )
    assert [(c["title"], c.get("author")) for c, _, _ in found] == [
        ("The Seventy-Two Days", [{"family": "Marchal", "given": "Étienne"}])
    ]
    found = find_prose_citations(
        "Walter Penrose told it in his famous book The Tanner and the Crown, published by the Labour Press in 1912."
    )
    csl = found[0][0]
    assert (csl["publisher"], csl["issued"]) == ("Labour Press", {"date-parts": [[1912]]})
    found = find_prose_citations("Louis Vernet's memoir Under the Red Flag of Belleville (1891) is vivid.")
    csl = found[0][0]
    assert (csl["title"], csl["author"], csl["issued"]) == (
        "Under the Red Flag of Belleville",
        [{"family": "Vernet", "given": "Louis"}],
        {"date-parts": [[1891]]},
    )


def test_apa_brackets_after_the_title() -> None:
    csl, _ = parse_scholarly(
        "Guzmán, M. L. (1965). *The Eagle and the Serpent* (H. de Onís, Trans.). "
        "Garden City, NY: Doubleday. (Original work published 1928)"
    ) or ({}, 0)
    assert (csl["title"], csl["translator"], csl["original-date"]) == (
        "The Eagle and the Serpent",
        [{"family": "de Onís", "given": "H."}],
        {"date-parts": [[1928]]},
    )
    csl, _ = parse_scholarly(
        "Rivera, A. (2016). *Land and water, 1915–1940* (Doctoral dissertation). University of the North."
    ) or ({}, 0)
    assert (csl["type"], csl["title"], csl["publisher"]) == (
        "thesis",
        "Land and water, 1915–1940",
        "University of the North",
    )
    csl, _ = parse_scholarly("Instituto Nacional. (1985). *Crónica ilustrada* (Vol. 3). Mexico City: INEHRM.") or (
        {},
        0,
    )
    assert (csl["title"], csl["volume"]) == ("Crónica ilustrada", "3")


def test_chicago_footnote_first_citation() -> None:
    from biblio.extract.footnote import parse_footnote

    found = parse_footnote("Henri Lacombe, *The Commune and the Provinces* (Paris: Éditions Sociales, 1964), 112.")
    assert found is not None
    csl, _ = found
    assert (csl["title"], csl["author"], csl["publisher"], csl["publisher-place"], csl["issued"]) == (
        "The Commune and the Provinces",
        [{"family": "Lacombe", "given": "Henri"}],
        "Éditions Sociales",
        "Paris",
        {"date-parts": [[1964]]},
    )
    assert parse_footnote("In 1917, the war (which began in 1914), ended.") is None
    assert parse_footnote("Smith, however, argued (London: X, 1990) nothing.") is None


def test_apa_newspaper_with_page() -> None:
    found = parse_scholarly("Whitaker, H. (1914, April 22). Marines land at the harbour. *The Evening Courier*, p. 1.")
    assert found is not None
    csl, _ = found
    assert (csl["type"], csl["container-title"], csl["page"], csl["issued"]) == (
        "article-newspaper",
        "The Evening Courier",
        "1",
        {"date-parts": [[1914, 4, 22]]},
    )
