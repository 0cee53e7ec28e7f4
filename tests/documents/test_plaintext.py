"""Plain-text blocks: exact lines, headings and sections, wrapped prose, list entries."""

from __future__ import annotations

from pathlib import Path

from biblio.documents import read_path, read_plaintext
from biblio.model import Block

DATA = Path(__file__).parent.parent / "data" / "documents"

WRAPPED = (
    "Clocks in the imaginary town of Fenwick all run seven minutes slow, and the\n"
    "townsfolk have long since stopped arguing about whose clock is the correct\n"
    "one to follow.\n"
)


def summary(blocks: list[Block]) -> list[tuple[int, str, str]]:
    return [(block.line, block.kind, block.text) for block in blocks]


def test_line_numbers_survive_blank_lines() -> None:
    text = "\n\nFirst entry here.\n\n\n   Second entry, indented.\n\nThird.\n"
    blocks = read_plaintext(text, "a.txt")
    assert [(block.line, block.text) for block in blocks] == [
        (3, "First entry here."),
        (6, "Second entry, indented."),
        (8, "Third."),
    ]
    assert all(text[block.offset :].startswith(block.text) for block in blocks if block.offset is not None)


def test_heading_sets_section() -> None:
    text = "Preface\n\nA sentence of prose.\n\n2 Sources Consulted\n\nOne entry.\nAnother entry.\n"
    blocks = read_plaintext(text, "a.txt")
    assert summary(blocks) == [
        (1, "heading", "Preface"),
        (3, "paragraph", "A sentence of prose."),
        (5, "heading", "2 Sources Consulted"),
        (7, "line", "One entry."),
        (8, "line", "Another entry."),
    ]
    sections = [block.section for block in blocks]
    assert sections == [None, "Preface", "Preface", "2 Sources Consulted", "2 Sources Consulted"]


def test_not_headings() -> None:
    text = "this starts lowercase\n\nEnds with a colon:\n\nA line\nwith a neighbour\n"
    kinds = [block.kind for block in read_plaintext(text, "a.txt")]
    assert "heading" not in kinds


def test_underlined_heading() -> None:
    blocks = read_plaintext("Bibliography\n============\nAmberly, T. Paper Harbours.\n", "a.txt")
    assert summary(blocks) == [
        (1, "heading", "Bibliography"),
        (3, "paragraph", "Amberly, T. Paper Harbours."),
    ]
    assert blocks[1].section == "Bibliography"


def test_hard_wrapped_paragraph_is_joined() -> None:
    blocks = read_plaintext("Intro text.\n\n" + WRAPPED, "a.txt")
    assert len(blocks) == 2
    assert blocks[1].line == 3
    assert blocks[1].kind == "paragraph"
    assert blocks[1].text.startswith("Clocks in the imaginary town")
    assert blocks[1].text.endswith("the correct one to follow.")
    assert "  " not in blocks[1].text


def test_hyphenated_line_end_is_rejoined() -> None:
    text = (
        "An extremely long sentence about nothing in particular that ends in a hyphen-\n"
        "ated word and then goes on for a little while longer before it stops.\n"
    )
    (block,) = read_plaintext(text, "a.txt")
    assert "a hyphen-ated word" in block.text  # hyphen kept (could be "well-known"), no space


def test_one_entry_per_line_stays_separate() -> None:
    text = (
        "Amberly, T. (1987). Paper Harbours: A Study of Docks That Never Were. Lantern House.\n"
        "Brisco, M. and Ode, P. (1993). Maps of Nowhere, Second Edition. Quill and Sons.\n"
        "Calloway, R. (2004). Small Rooms, Long Shelves.\n"
    )
    blocks = read_plaintext(text, "refs.txt")
    assert [(block.line, block.kind) for block in blocks] == [(1, "line"), (2, "line"), (3, "line")]


def test_short_lines_are_not_joined() -> None:
    text = "Poems without end\nwritten in the rain\nby nobody at all\n"
    assert [block.line for block in read_plaintext(text, "a.txt")] == [1, 2, 3]


def test_bullets_and_numbers_are_list_items() -> None:
    text = "• Alpha entry\n- Beta entry\n* Gamma entry\n– Delta entry\n· Epsilon\n1. One\n2) Two\n[3] Three\n"
    blocks = read_plaintext(text, "a.txt")
    assert [block.text for block in blocks] == [
        "Alpha entry",
        "Beta entry",
        "Gamma entry",
        "Delta entry",
        "Epsilon",
        "One",
        "Two",
        "Three",
    ]
    assert all(block.kind == "list_item" and block.listed for block in blocks)
    assert [block.line for block in blocks] == list(range(1, 9))
    assert all(text[block.offset :].startswith(block.text) for block in blocks if block.offset is not None)


def test_wrapped_list_item_continues() -> None:
    text = (
        "- Amberly, T. (1987). Paper Harbours: A Study of Docks That Never Were, with\n"
        "  illustrations by the author. Lantern House.\n"
        "- Brisco, M. (1993). Maps of Nowhere.\n"
    )
    blocks = read_plaintext(text, "a.txt")
    assert summary(blocks) == [
        (
            1,
            "list_item",
            "Amberly, T. (1987). Paper Harbours: A Study of Docks That Never Were, with "
            "illustrations by the author. Lantern House.",
        ),
        (3, "list_item", "Brisco, M. (1993). Maps of Nowhere."),
    ]


def test_rules_are_skipped() -> None:
    text = "First paragraph.\n\n---\n***\n___\n\nSecond paragraph.\n"
    assert [(block.line, block.text) for block in read_plaintext(text, "a.txt")] == [
        (1, "First paragraph."),
        (7, "Second paragraph."),
    ]


def test_no_numbers_mistaken_for_markers() -> None:
    (block,) = read_plaintext("1999. A year worth remembering, said nobody.\n", "a.txt")
    assert not block.listed
    assert block.text.startswith("1999.")


def test_sample_file() -> None:
    document = read_path(DATA / "sample.txt")
    assert document.format == "text"
    assert summary(document.blocks)[:3] == [
        (1, "heading", "Field Notes on Imaginary Libraries"),
        (3, "paragraph", document.blocks[1].text),
        (7, "heading", "Further Reading"),
    ]
    assert document.blocks[1].text.endswith("like this paragraph does.")
    entries = document.blocks[3:]
    assert [(block.line, block.listed) for block in entries] == [
        (9, False),
        (10, False),
        (11, True),
        (12, True),
    ]
    assert {block.section for block in entries} == {"Further Reading"}
