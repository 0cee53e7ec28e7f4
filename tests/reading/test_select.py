"""Selection: what each criterion takes, how they combine, orders, notes, and errors against the catalog."""

from __future__ import annotations

import pytest

from biblio.catalog import Catalog
from biblio.reading.select import Selection
from biblio.reading.theme import ThemeError, parse_theme


def _select(catalog: Catalog, sections: str, head: str = "") -> Selection:
    return catalog.reading_list(parse_theme(f'title = "T"\n{head}\n{sections}', "t.toml"))


def _titles(selection: Selection, section: int = 0) -> list[str]:
    return [e.work.title for e in selection.sections[section].entries]


def test_a_work_is_one_entry_with_all_its_editions(shelf_catalog: Catalog) -> None:
    selection = _select(shelf_catalog, '[[sections]]\nheading = "a"\nauthors = ["Doe"]\n')
    by_title = {e.work.title: e for e in selection.sections[0].entries}
    assert set(by_title) == {"A Long History of Rivers", "A Short History of Lakes"}
    rivers = by_title["A Long History of Rivers"]
    assert rivers.work.keys == ["doe1950long", "doelong"]  # the dated edition first
    assert [c.line for c in rivers.work.citing] == [7, 13]
    assert rivers.reasons == ["by Doe"]


def test_criteria_combine_with_and_values_with_or(shelf_catalog: Catalog) -> None:
    either = _select(shelf_catalog, '[[sections]]\nheading = "a"\nauthors = ["Doe", "Poe"]\n')
    assert len(either.sections[0].entries) == 3
    both = _select(shelf_catalog, '[[sections]]\nheading = "a"\nauthors = ["Doe", "Poe"]\nyears = "1940..1970"\n')
    assert _titles(both) == ["A Long History of Rivers", "Deserts"]
    assert both.sections[0].entries[1].reasons == ["by Poe", "first published 1962"]


def test_text_type_documents_and_listing_sections(shelf_catalog: Catalog) -> None:
    assert _titles(_select(shelf_catalog, '[[sections]]\nheading = "a"\ntext = "methuen"\n')) == [
        "A Short History of Lakes"
    ]
    listed = _select(
        shelf_catalog, '[[sections]]\nheading = "a"\nlisted_under = ["further reading"]\norder = "title"\n'
    )
    assert _titles(listed) == ["Deserts", "A Long History of Rivers", "Mountains and Men"]
    cited = _select(shelf_catalog, '[[sections]]\nheading = "a"\ncited_in = ["essay.md"]\ntypes = ["book"]\n')
    assert len(cited.sections[0].entries) == 4  # the essay's own record is a document, not a book


def test_tags_select_and_follow_the_catalog(shelf_catalog: Catalog) -> None:
    shelf_catalog.tag("poe1962deserts", ["dry"])
    selection = _select(shelf_catalog, '[[sections]]\nheading = "a"\ntags = ["dry", "wet"]\n')
    assert _titles(selection) == ["Deserts"]
    assert selection.sections[0].entries[0].reasons == ["tagged 'dry'"]


def test_orders(shelf_catalog: Catalog) -> None:
    books = '[[sections]]\nheading = "a"\ncited_in = ["essay"]\ntypes = ["book"]\norder = "{}"\n'
    assert _titles(_select(shelf_catalog, books.format("first-published"))) == [
        "A Short History of Lakes",
        "A Long History of Rivers",
        "Deserts",
        "Mountains and Men",
    ]
    assert _titles(_select(shelf_catalog, books.format("author"))) == [
        "A Short History of Lakes",
        "A Long History of Rivers",
        "Deserts",
        "Mountains and Men",
    ]
    assert _titles(_select(shelf_catalog, books.format("as-listed"))) == [
        "A Long History of Rivers",
        "Mountains and Men",
        "Deserts",
        "A Short History of Lakes",
    ]


def test_explicit_works_keep_their_order_and_notes(shelf_catalog: Catalog) -> None:
    text = (
        '[[sections]]\nheading = "a"\norder = "as-listed"\n'
        'works = ["roe1975mountains", { title = "a short history of lakes", author = "doe", note = "Short." }]\n'
        '[sections.notes]\nroe1975mountains = "Tall."\n'
    )
    entries = _select(shelf_catalog, text).sections[0].entries
    assert [(e.work.title, e.note) for e in entries] == [
        ("Mountains and Men", "Tall."),
        ("A Short History of Lakes", "Short."),
    ]


def test_a_later_section_does_not_repeat_what_an_earlier_one_took(shelf_catalog: Catalog) -> None:
    text = (
        '[[sections]]\nheading = "a"\nauthors = ["Doe"]\n'
        '[[sections]]\nheading = "b"\ncited_in = ["essay"]\ntypes = ["book"]\nexclude = ["roe1975mountains"]\n'
    )
    selection = _select(shelf_catalog, text)
    assert _titles(selection, 1) == ["Deserts"]


@pytest.mark.parametrize(
    ("section", "line", "words"),
    [
        ('works = [\n  "nokey1999",\n]\n', 7, "no work with citation key 'nokey1999'"),
        ('works = [{ title = "Oceans" }]\n', 6, "no work in the catalog matches 'Oceans'"),
        ('works = [{ title = "History" }]\n', 6, "matches 2 works"),
        ('cited_in = ["nowhere.txt"]\n', 6, "no ingested document matches cited_in 'nowhere.txt'"),
        ('listed_under = ["Appendix"]\n', 6, "no citation was listed under a section matching 'Appendix'"),
        ("years = 2050\n", 4, "selects no work"),
        ('exclude = ["gone1900"]\nyears = 1950\n', 6, "no work with citation key 'gone1900'"),
    ],
)
def test_errors_against_the_catalog_name_the_line(shelf_catalog: Catalog, section: str, line: int, words: str) -> None:
    with pytest.raises(ThemeError) as caught:
        _select(shelf_catalog, f'\n[[sections]]\nheading = "a"\n{section}')
    assert caught.value.line == line, str(caught.value)
    assert words in caught.value.problem
    assert str(caught.value).startswith(f"t.toml:{line}: ")
