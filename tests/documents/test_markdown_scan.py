"""The Markdown fast path: the line scanner gives exactly markdown-it's blocks, or steps aside.

`parse_markdown` (scanner when it accepts, else markdown-it) is compared with
`_parse_markdown_it` (markdown-it always) on documents generated from a grammar
of lines: the subset the scanner accepts, and near misses that must fall back.
BIBLIO_FUZZ_PROFILE=long runs many more examples.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from bench.documents import documents
from hypothesis import given, settings
from hypothesis import strategies as st

from biblio.documents.markdown import _parse_markdown_it, parse_markdown
from biblio.documents.markdown_scan import scan_markdown

ROOT = Path(__file__).resolve().parents[2]
LONG = os.environ.get("BIBLIO_FUZZ_PROFILE", "ci") == "long"
EXAMPLES = 5000 if LONG else 300

# words of entries, with the characters where inline rules fire and odd whitespace
_WORDS = st.sampled_from(
    [
        *["Amberly", "Paper", "Harbours", "the", "of", "and", "Press", "1891", "pp.", "Vol.", "éclat", "Ωmega"],
        *[",", ".", ":", "(1950)", "(ed.)", '"Quoted"', "'single'", "“curly”", "-", "--", "#", "#1", "##"],
        *["*stars*", "**bold**", "_under_", "snake_case", "`code`", "~~gone~~", "~", "[link](x.html)", "[text]"],
        *["[^1]", "![alt](p.png)", "<https://example.invalid/a>", "<br>", "<span>x</span>", "<", ">", "&", "& Co"],
        *["&amp;", "&#35;", "&#x41;", "&bogus;", "&copy", "\\*", "\\", "!", "]", "|", "a | b", "=", "+", "1.", "2)"],
        *["*", "**", "_", "`", "~~", "[", "](x)", "<b>", "</b>", "&", "&#"],
        *["\xa0", "\u2003", "\x0b", "\x0c", "\x1c", "\x85", "\u2028", "  ", "   "],
    ]
)
_PLAIN_STARTS = st.sampled_from(
    [
        *["Amberly", "the", "1891", "12 men", "1.5", "(1950)", '"Q"', "'s", "Éclat", "٣", "²", "“Curly”", "—dash"],
        *["*Italic* title", "_Under_ title", "`code`", "~approx", "*a", "[link](x.html)", "[^1]", "[x]", "!bang"],
        *["&amp;", "& Co", "\\*escaped", "\\", "$5", "@at", "{brace}", "]", "^", ".", "?", "/", "%", ")", ";"],
    ]
)
_text = st.lists(_WORDS, max_size=12).map(" ".join)
# text that starts with a character the scanner accepts
plain_text = st.tuples(_PLAIN_STARTS, _text, st.sampled_from(["", " ", "  ", "\\", "."])).map(
    lambda parts: f"{parts[0]} {parts[1]}{parts[2]}"
)
_marker = st.sampled_from(["-", "+", "*", "1.", "1)", "001.", "2.", "37.", "123456789.", "0)"])
_opening_marker = st.sampled_from(["-", "+", "*", "1.", "1)", "001."])  # may end a paragraph
_heading_mark = st.sampled_from(["#", "##", "######"])
_item = st.tuples(_marker, plain_text).map(lambda p: f"{p[0]} {p[1]}")
# a paragraph line after the first: plain, or a number that does not start a list there
_more = st.one_of(
    plain_text,
    st.tuples(st.sampled_from(["2.", "37.", "0)"]), _text).map(lambda p: f"{p[0]} {p[1]}".rstrip(" ")),
    st.sampled_from(["1.", "1. ", "1)", "2."]),
)

# one block of the subset, tagged: a heading, a paragraph, or list items (which may end a paragraph)
subset_group = st.one_of(
    st.tuples(st.just("heading"), _heading_mark, plain_text).map(lambda p: (p[0], [f"{p[1]} {p[2]}".rstrip(" #")])),
    st.tuples(st.just("paragraph"), plain_text, st.lists(_more, max_size=3)).map(lambda p: (p[0], [p[1], *p[2]])),
    st.tuples(st.just("items"), _opening_marker, plain_text, st.lists(_item, max_size=3)).map(
        lambda p: (p[0], [f"{p[1]} {p[2]}", *p[3]])
    ),
    st.tuples(st.just("later items"), st.lists(_item, min_size=1, max_size=4)),
)
_separator = st.sampled_from([[""], ["", ""], ["  "], [" ", ""]])


@st.composite
def subset_documents(draw: st.DrawFn) -> str:
    """A document in the scanner's subset: groups apart by blank lines where CommonMark needs them."""
    lines: list[str] = []
    before = ""
    for kind, group in draw(st.lists(subset_group, max_size=8)):
        optional = "heading" in (kind, before) or (before, kind) == ("paragraph", "items")
        if lines and (not optional or draw(st.booleans())):
            lines += draw(_separator)
        lines += group
        before = kind
    return "\n".join(lines) + draw(st.sampled_from(["", "\n", "\n\n"]))


# lines just outside the subset (and a few inside), to be mixed in any order
near_miss = st.one_of(
    st.sampled_from(
        [
            "",
            " ",
            "   ",
            "#",
            "# ",
            "#x",
            "####### seven",
            "# trailing #",
            "# closed ##",
            "#  two spaces",
            "- ",
            "-",
            "-x",
            "-  two",
            "- - -",
            "* * *",
            "***",
            "---",
            "___",
            "===",
            "- 1. nested",
            "- # heading",
            "- > quote",
            "1.x",
            "1.",
            "1)  two",
            "1234567890. long",
            "> quoted",
            "    code",
            "  indented",
            " - indented item",
            "```",
            "~~~",
            "<div>",
            "<!-- c -->",
            "| a | b |",
            "|---|---|",
            "a | b",
            "--|--",
            "- | -",
            ":--",
            "[a]: /url",
            "[^1]: note",
            "see [^1]",
            "[a]",
            "tab\there",
            "\ttab",
            "cr\rhere",
            "nul\0here",
            "---\ntitle: Made Up\n---",
            "**bold** first",
            "~~gone~~ first",
            "__bold__ first",
            "``code`` first",
            "*",
            "* ",
            "1.  two spaces",
            "1. - nested",
            "2.",
            "\xa0nbsp first",
            "\u2003em space first",
            "\x0bvertical tab",
            "=== x",
            "+++",
        ]
    ),
    plain_text,
    _item,
    _more,
    st.tuples(_heading_mark, plain_text).map(lambda p: f"{p[0]} {p[1]}"),
)


@st.composite
def mixed_documents(draw: st.DrawFn) -> str:
    """Subset groups and near-miss lines in any order and adjacency."""
    parts = draw(st.lists(st.one_of(subset_group.map(lambda group: "\n".join(group[1])), near_miss), max_size=12))
    return "\n".join(parts) + draw(st.sampled_from(["", "\n"]))


@settings(max_examples=EXAMPLES, deadline=None)
@given(subset_documents())
def test_subset_documents_take_the_fast_path_with_the_same_blocks(text: str) -> None:
    assert scan_markdown(text) is not None
    assert parse_markdown(text) == _parse_markdown_it(text)


@settings(max_examples=EXAMPLES, deadline=None)
@given(mixed_documents())
def test_any_document_reads_the_same(text: str) -> None:
    assert parse_markdown(text) == _parse_markdown_it(text)


@pytest.mark.parametrize(
    "text",
    [
        "Intro line\n- ",
        "Intro line\n-",
        "- item\nlazy continuation",
        "Paragraph\n1.  two spaces",
        "Paragraph\n1. - nested",
        "**Bold** first",
        "> quoted",
        "---\ntitle: Made Up\n---\n\n- item",
        "[a]: /url\n\n- [see][a]",
        "Tab\tinside",
        "- item\n  continued",
        "Header | row\n--- | ---\ncell | cell",
        "Setext\n===",
    ],
)
def test_outside_the_subset_falls_back(text: str) -> None:
    assert scan_markdown(text) is None
    assert parse_markdown(text) == _parse_markdown_it(text)


@pytest.mark.parametrize(
    "text",
    [
        "Intro line\n- item after a paragraph",
        "Paragraph\n1. one ends it",
        "Paragraph\n2. two continues it\n1.\n1. ",
        "*Italic Title*, Made Up Press.\n_Another_ one.\n[A link](x.html) first\n“Curly” and —dashes",
        "- one\n   \n- two\n \nAfter.",
    ],
)
def test_inside_the_subset_is_scanned(text: str) -> None:
    assert scan_markdown(text) is not None
    assert parse_markdown(text) == _parse_markdown_it(text)


def test_bench_documents_take_the_fast_path() -> None:
    """The bench corpus is what the speed-up was made for: it must not silently fall back."""
    for document in documents(2000, 500):
        assert scan_markdown(document.markdown) is not None, document.name
        assert parse_markdown(document.markdown) == _parse_markdown_it(document.markdown)


@pytest.mark.parametrize(
    "path",
    sorted(
        path
        for path in [*(ROOT / "seeds").glob("*"), *(ROOT / "tests" / "data").rglob("*")]
        if path.suffix.lower() in (".md", ".markdown", ".txt") and path.is_file()
    ),
    ids=lambda path: path.name,
)
def test_seed_and_fixture_files_read_the_same(path: Path) -> None:
    text = path.read_text(encoding="utf-8", errors="replace").replace("\r\n", "\n")
    assert parse_markdown(text) == _parse_markdown_it(text)


@settings(max_examples=EXAMPLES, deadline=None)
@given(st.text(alphabet="-*+_#=`~>[]^:|<!&\\1209.) \nab\xa0é", max_size=80))
def test_random_markup_characters_read_the_same(text: str) -> None:
    assert parse_markdown(text) == _parse_markdown_it(text)
