"""Fuzzing every recognizer, alone and through extract_citations: no exception but biblio's own."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from biblio.documents import read_bytes, read_text
from biblio.extract import describe_document, extract_citations
from biblio.extract.archive import find_archive_author, parse_source_block
from biblio.extract.dates import parse_date_segment
from biblio.extract.footnote import parse_footnote
from biblio.extract.further import parse_further_reading
from biblio.extract.listing import parse_listing
from biblio.extract.names import name_variants, parse_names, split_names
from biblio.extract.prose import find_prose_citations
from biblio.extract.scholarly import parse_scholarly
from biblio.extract.segments import split_segments
from tests.fuzz.strategies import LONG, documents_text, lines, mutated_lines

LINE_RECOGNIZERS = {
    "listing": parse_listing,
    "scholarly": parse_scholarly,
    "footnote": parse_footnote,
    "further": parse_further_reading,
    "prose": find_prose_citations,
    "dates": parse_date_segment,
    "names": parse_names,
    "name-variants": name_variants,
    "split-names": split_names,
    "segments": split_segments,
}
any_line = st.one_of(lines, st.text(max_size=400))


def _titles_are_text(items: Any) -> None:
    """A recognizer's CSL items carry a string title when they carry one at all."""
    found = items if isinstance(items, list) else [items] if items else []
    for item in found:
        csl = item[0] if isinstance(item, tuple) else item
        if isinstance(csl, dict) and "title" in csl:
            assert isinstance(csl["title"], str)


@given(any_line, st.sampled_from(sorted(LINE_RECOGNIZERS)))
def test_each_recognizer_takes_any_line(line: str, name: str) -> None:
    _titles_are_text(LINE_RECOGNIZERS[name](line))


@given(mutated_lines(), st.lists(st.fixed_dictionaries({"family": st.text(max_size=10)}), max_size=2))
def test_scholarly_takes_any_previous_authors(line: str, previous: list[dict[str, Any]]) -> None:
    parse_scholarly(line, previous or None)


@given(documents_text(), st.sampled_from(["text", "markdown", "html"]))
def test_extract_citations_takes_any_document(text: str, fmt: str) -> None:
    doc = read_text(text, "fuzz", fmt)
    citations = extract_citations(doc)
    describe_document(doc)
    for block_index in range(len(doc.blocks)):
        parse_source_block(doc.blocks, block_index)
    find_archive_author(doc.blocks)
    last_line = doc.text.count("\n") + 1
    for citation in citations:
        assert 1 <= citation.line <= last_line
        assert isinstance(citation.csl.get("title", ""), str)
        if citation.span is not None:
            assert 0 <= citation.span[0] <= citation.span[1] <= len(doc.text)


@given(st.binary(max_size=2000))
def test_extract_citations_takes_any_decodable_bytes(data: bytes) -> None:
    try:
        doc = read_bytes(data, "fuzz.txt")
    except Exception as err:  # only a DocumentError may come out of reading
        from biblio.errors import DocumentError

        assert isinstance(err, DocumentError)
        return
    extract_citations(doc)


def test_a_10_mb_single_line_is_extracted() -> None:
    for data in (b"a" * 10_000_000, *([b"Jane Doe, " * 1_000_000] if LONG else [])):
        doc = read_bytes(data, "line.txt")
        extract_citations(doc)
        describe_document(doc)
