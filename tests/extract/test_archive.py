"""Archive source blocks: parse_source_block(blocks, start) and find_archive_author(blocks)."""

from __future__ import annotations

import pytest

from biblio.extract.archive import find_archive_author, parse_source_block
from biblio.model import Block


def blocks(*texts: str) -> list[Block]:
    """Blocks on consecutive lines."""
    return [Block(text=t, line=i + 1) for i, t in enumerate(texts)]


# --------------------------------------------------------------------------- source blocks


@pytest.mark.parametrize(
    ("lines", "expected", "used"),
    [
        pytest.param(
            (
                "Source : Collected Writings, Vol. 3, 1901-1905",
                "Publisher : Volksbuch Verlag, Berlin, 1960",
                "Transcription : J. Doe",
            ),
            {
                "type": "book",
                "title": "Collected Writings",
                "volume": "3",
                "volume-title": "1901-1905",
                "publisher": "Volksbuch Verlag",
                "publisher-place": "Berlin",
                "issued": {"date-parts": [[1960]]},
            },
            3,
            id="vol-and-range",
        ),
        pytest.param(
            ("Source: Selected Letters, Volume II, The Exile Years", "Publisher: Maspero, Paris, 1971"),
            {
                "title": "Selected Letters",
                "volume": "II",
                "volume-title": "The Exile Years",
                "publisher": "Maspero",
                "publisher-place": "Paris",
                "issued": {"date-parts": [[1971]]},
            },
            2,
            id="roman-volume-title",
        ),
        pytest.param(
            ("**Source**: Complete Works, Vol. 12", "**Publisher**: Progress Press, Leipzig, 1965"),
            {"title": "Complete Works", "volume": "12", "publisher": "Progress Press", "publisher-place": "Leipzig"},
            2,
            id="markdown-emphasis",
        ),
        pytest.param(
            ("First Published: Le Cri du Peuple, 1871", "Publisher: Maspero, Paris, 1971"),
            {"title": "Le Cri du Peuple", "publisher": "Maspero", "issued": {"date-parts": [[1971]]}},
            2,
            id="first-published-key",
        ),
        pytest.param(
            ("Source : Collected Writings", "Publisher : Dietz Verlag, 1960"),
            {"title": "Collected Writings", "publisher": "Dietz Verlag", "issued": {"date-parts": [[1960]]}},
            2,
            id="no-place",
        ),
        pytest.param(
            ("Source : Collected Writings", "Translated : A. Person", "Publisher : Dietz Verlag, Berlin, 1960"),
            {"title": "Collected Writings", "publisher": "Dietz Verlag", "publisher-place": "Berlin"},
            3,
            id="other-field-between",
        ),
    ],
)
def test_parse_source_block(lines, expected, used):
    result = parse_source_block(blocks(*lines), 0)
    assert result is not None
    csl, n = result
    assert n == used
    for key, value in expected.items():
        assert csl[key] == value, key
    if "volume" not in expected:
        assert "volume" not in csl


def test_parse_source_block_at_offset():
    bs = blocks("Written: 1905", "Source : Collected Writings", "Publisher : Dietz, Berlin, 1960")
    assert parse_source_block(bs, 0) is None  # "Written" is not a source key
    result = parse_source_block(bs, 1)
    assert result is not None
    assert result[0]["publisher"] == "Dietz"
    assert result[1] == 2


@pytest.mark.parametrize(
    "lines",
    [
        ("Source : Collected Writings, Vol. 3, 1901-1905", "Some prose here."),  # no publisher, no date
        ("The source of the quarrel was bread.",),
        ("Publisher : Dietz Verlag, Berlin, 1960",),  # publisher alone is not a source block
    ],
)
def test_parse_source_block_none(lines):
    assert parse_source_block(blocks(*lines), 0) is None


def test_parse_source_block_publisher_no_date():
    result = parse_source_block(blocks("Source : Collected Writings", "Publisher : Dietz Verlag, Berlin, n.d."), 0)
    assert result is not None
    assert result[0]["publisher"] == "Dietz Verlag"
    assert result[0]["publisher-place"] == "Berlin"


# --------------------------------------------------------------------------- archive author


@pytest.mark.parametrize(
    ("lines", "expected"),
    [
        (("Heading", "Text body", "[Clara Zetkin Archive](../index.htm)"), {"family": "Zetkin", "given": "Clara"}),
        (("E. P. Thompson Archive",), {"family": "Thompson", "given": "E. P."}),
        (("Author: Emma Thornton", "Text"), {"family": "Thornton", "given": "Emma"}),
        (("By Hannah Lowe",), {"family": "Lowe", "given": "Hannah"}),
        # an archive link wins over a "Written by" line
        (("Author: Clara Zetkin", "[Louise Michel Archive](x)"), {"family": "Michel", "given": "Louise"}),
    ],
)
def test_find_archive_author(lines, expected):
    assert find_archive_author(blocks(*lines)) == expected


@pytest.mark.parametrize(
    "lines",
    [
        ("Text", "[Marxists Internet Archive](http://x)"),
        ("Text about an Archive of sorts",),
        ("Just a paragraph.", "Another one."),
    ],
)
def test_find_archive_author_none(lines):
    assert find_archive_author(blocks(*lines)) is None


def test_find_archive_author_internet_archive():
    assert find_archive_author(blocks("Heading", "Clara Zetkin Internet Archive")) == {
        "family": "Zetkin",
        "given": "Clara",
    }


def test_find_archive_author_written_by_colon():
    assert find_archive_author(blocks("Written by: Clara Zetkin", "Text")) == {"family": "Zetkin", "given": "Clara"}
