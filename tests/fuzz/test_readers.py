"""Fuzzing the readers: bytes and text of any kind become a Document or a DocumentError, nothing else."""

from __future__ import annotations

import tempfile
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from biblio.documents import decode, read_bytes, read_path, read_text
from biblio.documents.html import parse_html
from biblio.documents.markdown import parse_markdown
from biblio.documents.plaintext import read_plaintext
from biblio.model import Document
from tests.fuzz.strategies import LONG, documents_text, only_biblio_errors

FORMATS = ("text", "markdown", "html")


def _sound(doc: Document) -> None:
    """What every reader promises: blocks with text on one line, at a line of the file."""
    last_line = doc.text.count("\n") + 1
    for block in doc.blocks:
        assert "\n" not in block.text
        assert 1 <= block.line <= last_line


@given(st.binary(max_size=3000))
def test_decode_takes_any_bytes(data: bytes) -> None:
    decoded = only_biblio_errors(decode, data, "fuzz.txt")
    if decoded is not None:
        text, _encoding = decoded
        assert "\r" not in text and "\x00" not in text


@given(st.binary(max_size=3000), st.sampled_from(["x.txt", "x.md", "x.html", "x", "x.htm"]))
def test_read_bytes_takes_any_bytes(data: bytes, name: str) -> None:
    doc = only_biblio_errors(read_bytes, data, name)
    if doc is not None:
        _sound(doc)


@given(st.binary(max_size=3000), st.sampled_from([".txt", ".md", ".html", ".bib", ""]))
def test_read_path_takes_any_file(data: bytes, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"fuzz{suffix}"
        path.write_bytes(data)
        doc = only_biblio_errors(read_path, path, 2000)  # a size limit below some inputs: refused, not read
        if doc is not None:
            assert len(data) <= 2000
            _sound(doc)


@given(documents_text(), st.sampled_from(FORMATS))
def test_every_reader_takes_any_text(text: str, fmt: str) -> None:
    doc = only_biblio_errors(read_text, text, "fuzz", fmt)
    assert doc is not None  # decoded text is always readable
    _sound(doc)


@given(st.text(max_size=2000))
def test_the_parsers_take_any_unicode(text: str) -> None:
    parse_html(text)
    parse_markdown(text)
    read_plaintext(text, "fuzz")


@given(st.lists(st.sampled_from(["<div>", "</div>", "<li>", "<ul>", "</ul>", "<p>", "<h2>", "</h2>", "<pre>",
                                 "</pre>", "<title>", "<script>", "</script>", "<!--", "-->", "<br>", "text ", "&amp;",
                                 "&#0;", "&#x110000;", "<![CDATA[", "<table><td>", "<a href='x'>", "</"]),
                max_size=200).map("".join))  # fmt: skip
def test_html_takes_any_tag_soup(text: str) -> None:
    _sound(read_text(text, "fuzz.html"))


def test_deeply_nested_html_is_read_without_recursion() -> None:
    depth = 100_000
    for text in (
        "<div>" * depth + "Jane Doe, The Long Road Home, London, 1950." + "</div>" * depth,
        "<ul><li>" * (depth // 5) + "A, B, 1950",  # never closed
        "<blockquote><p>" * (depth // 10) + "x" + "</p></blockquote>" * (depth // 10),
    ):
        doc = read_text(text, "nested.html")
        _sound(doc)
        assert doc.blocks


def test_deeply_nested_markdown_is_read() -> None:
    # markdown-it spends ~0.1 ms per nested bracket (linear, but slow): 20 000 of them in CI
    brackets = 100_000 if LONG else 20_000
    for text in ("> " * 20_000 + "quoted", "- " * 5_000 + "item", "[" * brackets + "x" + "]" * brackets,
                 "*" * 100_000, "`" * 100_000, "  " * 20_000 + "- deep"):  # fmt: skip
        _sound(read_text(text, "nested.md"))


def test_a_10_mb_single_line_is_read() -> None:
    for data in (b"a" * 10_000_000, b"," * 10_000_000):
        doc = read_bytes(data, "line.txt")
        assert len(doc.text) == 10_000_000
        _sound(doc)
