"""Theme files: what is accepted, and a message naming the file, line and problem for each kind of error."""

from __future__ import annotations

from pathlib import Path

import pytest

from biblio.reading.template import template
from biblio.reading.theme import ThemeError, find_theme, load_theme, parse_theme

GOOD = """\
title = "A list"
subtitle = "Sub"
introduction = "Why."
style = "apa"
order = "title"

[[sections]]
heading = "One"
note = "First."
works = ["doe1950long", { title = "A Short History", author = "Roe", note = "Start here." }]

[[sections]]
heading = "Two"
order = "as-listed"
tags = ["to read", "civil war"]
years = "1917..1925"
authors = ["Doe"]
cited_in = ["essay.md"]
listed_under = ["Further reading"]
exclude = ["roe1960short"]

[sections.notes]
doe1950long = "The standard account."
"""


def _error(text: str) -> ThemeError:
    with pytest.raises(ThemeError) as caught:
        parse_theme(text, "lists/x.toml")
    return caught.value


def test_a_full_theme_is_read_with_every_field() -> None:
    theme = parse_theme(GOOD, "lists/x.toml")
    assert (theme.name, theme.title, theme.subtitle, theme.style) == ("x", "A list", "Sub", "apa")
    one, two = theme.sections
    assert one.order == "title"  # the theme's default order
    assert [w.key for w in one.works] == ["doe1950long", None]
    assert (one.works[1].title, one.works[1].author, one.works[1].note) == ("A Short History", "Roe", "Start here.")
    assert two.order == "as-listed"
    assert two.tags == ("to read", "civil war")
    assert (two.year_from, two.year_to) == (1917, 1925)
    assert two.notes == {"doe1950long": "The standard account."}
    assert two.has_criteria and not one.has_criteria
    assert (one.line, two.line) == (7, 12)


@pytest.mark.parametrize(
    ("text", "line", "words"),
    [
        ('title = "x"\n[[sections]]\nheading = "a"\nyears = 1917\nworks = ["a", \n', 5, "not valid TOML"),
        ('title = "x"\nsubtitel = "y"\n[[sections]]\nheading = "a"\nyears = 1917\n', 2, "did you mean 'subtitle'"),
        ('title = "x"\n[[sections]]\nheading = "a"\nyears = 1917\nheadng = "b"\n', 5, "did you mean 'heading'"),
        ('title = "x"\n[[sections]]\nheading = "a"\nyears = 1917\norder = "newest"\n', 5, "unknown order 'newest'"),
        ('title = "x"\n[[sections]]\nheading = "a"\nyears = "1925..1917"\n', 4, "bad years"),
        ('title = "x"\n[[sections]]\nheading = "a"\nyears = "soon"\n', 4, "bad years"),
        ('title = "x"\n[[sections]]\nheading = "a"\nnote = "nothing chosen"\n', 2, "selects nothing"),
        ('title = "x"\n[[sections]]\nheading = "a"\nyears = 1917\n[[sections]]\nheading = "b"\n', 5, "section 2"),
        ('title = "x"\n[[sections]]\nyears = 1917\n', 2, "needs a 'heading'"),
        ('subtitle = "x"\n[[sections]]\nheading = "a"\nyears = 1917\n', None, "needs a 'title'"),
        ('title = "x"\n', None, "at least one [[sections]]"),
        ('title = "x"\n[[sections]]\nheading = "a"\ntags = "civil war"\nauthors = [1]\n', 5, "list of non-empty texts"),
        ('title = "x"\n[[sections]]\nheading = "a"\nworks = [{ titel = "T" }]\n', 4, "did you mean 'title'"),
        ('title = "x"\n[[sections]]\nheading = "a"\nworks = [{ note = "T" }]\n', 4, "needs a 'key' or a 'title'"),
        ('title = 5\n[[sections]]\nheading = "a"\nyears = 1917\n', 1, "must be text"),
    ],
)
def test_each_kind_of_error_names_the_file_the_line_and_the_problem(text: str, line: int | None, words: str) -> None:
    err = _error(text)
    assert err.path == "lists/x.toml"
    assert err.line == line, str(err)
    assert words in err.problem
    assert str(err).startswith(f"lists/x.toml:{line}: " if line else "lists/x.toml: ")


def test_keys_inside_a_multiline_introduction_do_not_confuse_line_numbers() -> None:
    text = 'title = "x"\nintroduction = """\nheading = "not a key"\n"""\n[[sections]]\nheading = "a"\nheadng = 1\n'
    assert _error(text).line == 7


def test_the_template_is_a_valid_theme(tmp_path: Path) -> None:
    path = tmp_path / "my-list.toml"
    path.write_text(template("my-list"), encoding="utf-8")
    theme = load_theme("my-list", tmp_path)
    assert theme.title == "My list"
    assert theme.sections[0].year_from == 1900


def test_an_unknown_theme_suggests_the_closest_name(tmp_path: Path) -> None:
    (tmp_path / "civil-war.toml").write_text(template("civil-war"), encoding="utf-8")
    with pytest.raises(ThemeError, match="did you mean 'civil-war'"):
        find_theme("civil-wars", tmp_path)
    with pytest.raises(ThemeError, match="no such theme file"):
        find_theme(str(tmp_path / "missing.toml"), tmp_path)
    assert find_theme(str(tmp_path / "civil-war.toml"), Path("elsewhere")) == tmp_path / "civil-war.toml"


def test_a_missing_themes_folder_says_how_to_start(tmp_path: Path) -> None:
    with pytest.raises(ThemeError, match=r"no folder .* here: give --themes DIR"):
        find_theme("civil-war", tmp_path / "absent")
    with pytest.raises(ThemeError, match="holds no themes: biblio reading-list new civil-war"):
        find_theme("civil-war", tmp_path)
