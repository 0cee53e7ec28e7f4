"""HTML blocks: sections, list items, entities, ignored elements, nesting, title."""

from __future__ import annotations

from pathlib import Path

from biblio.documents import html_title, read_html, read_path
from biblio.documents.html import parse_html
from biblio.model import Block

DATA = Path(__file__).parent.parent / "data" / "documents"


def summary(blocks: list[Block]) -> list[tuple[int, str, str]]:
    return [(block.line, block.kind, block.text) for block in blocks]


def test_headings_give_sections() -> None:
    text = "<p>Before.</p>\n<h2>Books</h2>\n<p>One.</p>\n<h3>Older <em>books</em></h3>\n<p>Two.</p>\n"
    blocks = read_html(text, "a.html")
    assert summary(blocks) == [
        (1, "paragraph", "Before."),
        (2, "heading", "Books"),
        (3, "paragraph", "One."),
        (4, "heading", "Older books"),
        (5, "paragraph", "Two."),
    ]
    assert [block.section for block in blocks] == [None, None, "Books", "Books", "Older books"]


def test_list_item_line_numbers_and_offsets() -> None:
    text = "<ul>\n  <li>Alpha</li>\n\n  <li>\n    Beta\n  </li>\n  <li>Gamma\n</ul>\n"
    blocks = read_html(text, "a.html")
    assert summary(blocks) == [(2, "list_item", "Alpha"), (5, "list_item", "Beta"), (7, "list_item", "Gamma")]
    assert all(block.listed for block in blocks)
    assert all(text[block.offset or 0 :].startswith(block.text) for block in blocks)


def test_entities_and_whitespace() -> None:
    (block,) = read_html("<p>Brisco &amp; Ode,\n   &ldquo;Maps&rdquo;&nbsp;&#8211; 1993</p>", "a.html")
    assert block.text == "Brisco & Ode, “Maps” – 1993"


def test_br_in_paragraph_is_a_space() -> None:
    (block,) = read_html("<p>first<br>second<br/>third</p>", "a.html")
    assert block.text == "first second third"


def test_ignored_elements() -> None:
    text = (
        "<html><head><title>T</title><style>p { color: red }</style></head><body>"
        "<script>var s = '<p>nope</p>';</script><noscript>no js</noscript>"
        "<template><p>hidden</p></template><p>Shown.</p></body></html>"
    )
    assert [block.text for block in read_html(text, "a.html")] == ["Shown."]


def test_nested_lists() -> None:
    text = "<ul>\n<li>Outer text\n  <ul>\n    <li>Inner one</li>\n    <li>Inner two</li>\n  </ul>\n</li>\n</ul>"
    blocks = read_html(text, "a.html")
    assert summary(blocks) == [
        (2, "list_item", "Outer text"),
        (4, "list_item", "Inner one"),
        (5, "list_item", "Inner two"),
    ]


def test_paragraph_inside_list_item_is_the_item() -> None:
    (block,) = read_html("<ol><li><p>Amberly, T. Paper Harbours.</p></li></ol>", "a.html")
    assert (block.kind, block.listed) == ("list_item", True)


def test_block_elements() -> None:
    text = (
        "<div>Loose text <section>in section</section></div>\n"
        "<dl><dt>Term</dt><dd>Definition</dd></dl>\n"
        "<blockquote>Quoted</blockquote>\n"
        "<table><tr><th>Head</th><td>Cell</td></tr></table>\n"
        "<pre>line one\n  line two\n</pre>\n"
        "<p>unclosed one<p>unclosed two\n"
    )
    assert summary(read_html(text, "a.html")) == [
        (1, "paragraph", "Loose text"),
        (1, "paragraph", "in section"),
        (2, "paragraph", "Term"),
        (2, "paragraph", "Definition"),
        (3, "paragraph", "Quoted"),
        (4, "paragraph", "Head"),
        (4, "paragraph", "Cell"),
        (5, "line", "line one"),
        (6, "line", "line two"),
        (8, "paragraph", "unclosed one"),
        (8, "paragraph", "unclosed two"),
    ]


def test_deep_nesting_does_not_crash() -> None:
    depth = 10_000
    text = "<div>" * depth + "<p>Deep inside.</p>" + "</div>" * depth
    assert summary(read_html(text, "a.html")) == [(1, "paragraph", "Deep inside.")]
    unclosed = "<div><span>" * depth + "Still fine."
    assert [block.text for block in read_html(unclosed, "a.html")] == ["Still fine."]


def test_broken_markup_does_not_crash() -> None:
    text = "</p></div><li>Stray item<td>cell</ul><p>text <b>bold</i></x> end"
    assert [block.text for block in read_html(text, "a.html")] == ["Stray item", "cell", "text bold end"]


def test_title() -> None:
    text = "<html><head><title>\n  A   Title &amp; More </title></head></html>"
    assert html_title(text) == "A Title & More"
    assert html_title("<p>No title here.</p>") is None


def test_sample_file() -> None:
    document = read_path(DATA / "sample.html")
    assert document.format == "html"
    assert document.metadata["title"] == "Imaginary Sources"
    assert summary(document.blocks) == [
        (8, "heading", "Books"),
        (10, "list_item", "Amberly, T. (1987). Paper Harbours. Lantern House."),
        (11, "list_item", "Brisco, M. & Ode, P. (1993). Maps of Nowhere."),
        (13, "heading", "Articles"),
        (14, "paragraph", "Calloway, R. (2004). “Small Rooms.” Shelf Review 3: 1–9."),
    ]
    assert [block.section for block in document.blocks] == [None, "Books", "Books", "Books", "Articles"]


def test_unclosed_title_ends_at_body() -> None:
    result = title_and_texts("<html><head><title>Broken<body><p>Para.</p>")
    assert result == ("Broken", ["Para."])


def test_unknown_marked_section_is_a_comment() -> None:
    text = "<p>one</p>\n<![weird stuff]>\n<p>two</p>"
    assert summary(read_html(text, "a.html")) == [(1, "paragraph", "one"), (3, "paragraph", "two")]


def title_and_texts(text: str) -> tuple[str | None, list[str]]:
    blocks, title = parse_html(text)
    return title, [block.text for block in blocks]
