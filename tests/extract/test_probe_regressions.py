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
