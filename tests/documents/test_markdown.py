"""Markdown blocks: headings and sections, list items, footnotes, markup removal, per-line split."""

from __future__ import annotations

from pathlib import Path

from biblio.documents import read_markdown, read_path, read_text
from biblio.model import Block

DATA = Path(__file__).parent.parent / "data" / "documents"


def summary(blocks: list[Block]) -> list[tuple[int, str, str]]:
    return [(block.line, block.kind, block.text) for block in blocks]


def test_headings_and_sections() -> None:
    text = "# Top\n\nIntro.\n\nSub heading\n-----------\n\nBody text.\n\n## Third\n\nMore.\n"
    blocks = read_markdown(text, "a.md")
    assert summary(blocks) == [
        (1, "heading", "Top"),
        (3, "paragraph", "Intro."),
        (5, "heading", "Sub heading"),
        (8, "paragraph", "Body text."),
        (10, "heading", "Third"),
        (12, "paragraph", "More."),
    ]
    assert [block.section for block in blocks] == [None, "Top", "Top", "Sub heading", "Sub heading", "Third"]


def test_bullets_with_line_numbers() -> None:
    text = "Intro.\n\n- first item\n- second *item*\n  - nested item\n- third item\n  wrapped on\n\n1. numbered\n"
    blocks = read_markdown(text, "a.md")
    assert summary(blocks) == [
        (1, "paragraph", "Intro."),
        (3, "list_item", "first item"),
        (4, "list_item", "second item"),
        (5, "list_item", "nested item"),
        (6, "list_item", "third item wrapped on"),
        (9, "list_item", "numbered"),
    ]
    assert all(block.listed for block in blocks[1:])
    assert not blocks[0].listed
    assert text[blocks[1].offset or 0 :].startswith("first item")


def test_loose_list_paragraph_is_the_item() -> None:
    blocks = read_markdown("- one\n\n- two\n", "a.md")
    assert summary(blocks) == [(1, "list_item", "one"), (3, "list_item", "two")]


def test_footnote_definitions_are_listed() -> None:
    text = "Claim.[^a]\n\n[^a]: Amberly, T. *Paper Harbours*.\n[^b]: Never referenced, still kept.\n\n# After\n"
    blocks = read_markdown(text, "a.md")
    assert summary(blocks) == [
        (1, "paragraph", "Claim."),
        (3, "list_item", "Amberly, T. Paper Harbours."),
        (4, "list_item", "Never referenced, still kept."),
        (6, "heading", "After"),
    ]
    assert blocks[1].listed and blocks[2].listed


def test_inline_markup_is_removed() -> None:
    text = (
        "Read **Paper** _Harbours_ at [the site](https://example.invalid/x) or "
        "<https://example.invalid/y>, see ![a harbour map](map.png), run `grep -r`, "
        "ignore <span class='x'>tags</span> &amp; keep \\*stars\\*.\n"
    )
    (block,) = read_markdown(text, "a.md")
    assert block.text == (
        "Read Paper Harbours at the site or https://example.invalid/y, see a harbour map, "
        "run grep -r, ignore tags & keep *stars*."
    )


def test_thematic_break_skipped_blockquote_kept() -> None:
    blocks = read_markdown("One.\n\n***\n\n> Quoted words.\n", "a.md")
    assert summary(blocks) == [(1, "paragraph", "One."), (5, "paragraph", "Quoted words.")]


def test_entry_per_line_paragraph_is_split() -> None:
    text = (
        "# Refs\n"
        "Amberly, T. (1987). Paper Harbours: A Study of Docks That Never Were. Lantern House.\n"
        "Brisco, M. (1993). Maps of Nowhere (second edition)\n"
        "Calloway, R. Small Rooms\n"
    )
    blocks = read_markdown(text, "a.md")
    assert summary(blocks)[1:] == [
        (2, "line", "Amberly, T. (1987). Paper Harbours: A Study of Docks That Never Were. Lantern House."),
        (3, "line", "Brisco, M. (1993). Maps of Nowhere (second edition)"),
        (4, "line", "Calloway, R. Small Rooms"),
    ]
    assert all(block.section == "Refs" for block in blocks[1:])


def test_wrapped_prose_stays_one_paragraph() -> None:
    text = (
        "Clocks in the imaginary town of Fenwick all run seven minutes slow, and the\n"
        "townsfolk have long since stopped arguing about whose clock is the correct\n"
        "one to follow.\n"
    )
    (block,) = read_markdown(text, "a.md")
    assert (block.line, block.kind) == (1, "paragraph")
    assert block.text.endswith("the correct one to follow.")


def test_mixed_paragraph_joins_only_wrapped_lines() -> None:
    text = (
        "Amberly, T. (1987). Paper Harbours: A Study of Docks That Never Were, with\n"
        "illustrations by the author. Lantern House.\n"
        "Brisco, M. (1993). Maps of Nowhere.\n"
    )
    blocks = read_markdown(text, "a.md")
    assert [(block.line, block.kind) for block in blocks] == [(1, "paragraph"), (3, "line")]


def test_code_and_html_blocks() -> None:
    text = "```\nfirst code line\n\nsecond code line\n```\n\n<div>\n<p>Raw &amp; html</p>\n</div>\n"
    blocks = read_markdown(text, "a.md")
    assert summary(blocks) == [
        (2, "line", "first code line"),
        (4, "line", "second code line"),
        (8, "paragraph", "Raw & html"),
    ]


def test_table_rows() -> None:
    text = "| Author | Year |\n|---|---|\n| Amberly | 1987 |\n"
    assert summary(read_markdown(text, "a.md")) == [
        (1, "paragraph", "Author | Year"),
        (3, "paragraph", "Amberly | 1987"),
    ]


def test_front_matter_gives_title_not_blocks() -> None:
    document = read_text('---\ntitle: "Imaginary Sources"\n---\n# Heading\n', "a.md")
    assert document.metadata == {"title": "Imaginary Sources"}
    assert summary(document.blocks) == [(4, "heading", "Heading")]


def test_sample_file() -> None:
    document = read_path(DATA / "sample.md")
    assert document.format == "markdown"
    assert summary(document.blocks) == [
        (1, "heading", "Imaginary Sources"),
        (3, "paragraph", "Some introductory prose with a link and code."),
        (5, "heading", "Books"),
        (7, "list_item", "Amberly, T. (1987). Paper Harbours. Lantern House."),
        (8, "list_item", "Brisco, M. (1993). Maps of Nowhere."),
        (9, "list_item", "Reissued 2001 with a new preface."),
        (11, "line", "Calloway, R. (2004). Small Rooms."),
        (12, "line", "Dunmore, E. (2011). The Index Keeper."),
        (14, "paragraph", "A claim that needs support."),
        (16, "list_item", "Evershed, L. (1999). Notes on Nothing. Fogbank Press."),
    ]
    assert {block.section for block in document.blocks[3:]} == {"Books"}


def test_deep_nesting_does_not_crash() -> None:
    quoted = read_markdown(">" * 5000 + " deep\n\nafter\n", "a.md")
    assert quoted[-1].text == "after"
    nested = "\n".join("  " * depth + "- item" for depth in range(2000))
    assert read_markdown(nested, "a.md")[0].text == "item"
