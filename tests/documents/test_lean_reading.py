"""Session 5's leaner reading paths beside the code they replace (kept here as the reference)."""

from __future__ import annotations

from bench.documents import documents
from hypothesis import given
from hypothesis import strategies as st

from biblio.documents import decoding, markdown
from biblio.documents.markdown_scan import (
    _BLANK,
    _BULLET,
    _HEAD,
    _ITEM,
    _NUMBERED,
    _ONE,
    _PARA,
    Segment,
    _classify,
    _paragraph,
    _plain_start,
    scan_markdown,
)
from tests.documents.test_markdown_scan import ROOT, mixed_documents, subset_documents


def _old_looks_binary(sample: bytes) -> bool:
    if b"\x00" in sample:
        return True
    controls = sum(1 for byte in sample if (byte < 32 and byte not in decoding._TEXT_CONTROLS) or byte == 127)
    return controls > decoding.CONTROL_RATIO * len(sample)


def _old_is_clean(text: str) -> bool:
    return "  " not in text and " \n" not in text and not text.endswith(" ") and text.replace("\n", "").isprintable()


def test_binary_sniffing_counts_every_byte_as_before() -> None:
    for b in range(256):
        for n in (1, 9, 10, 11):  # around the 10% share
            sample = bytes([b]) + b"a" * n
            assert decoding._looks_binary(sample) == _old_looks_binary(sample), (b, n)


@given(st.binary(max_size=300))
def test_binary_sniffing_as_before_on_random_bytes(sample: bytes) -> None:
    assert decoding._looks_binary(sample) == _old_looks_binary(sample)


def test_clean_text_as_before_on_every_character() -> None:
    for c in map(chr, range(0x110000)):
        for text in (f"a{c}b", f"a\n{c}"):
            assert markdown._is_clean(text) == _old_is_clean(text), repr(c)


@given(st.text(alphabet=st.sampled_from(list("a \n\t\x7f~\x1fé\u00a0")), max_size=30))
def test_clean_text_as_before_on_mangled_text(text: str) -> None:
    assert markdown._is_clean(text) == _old_is_clean(text)


def _old_scan_markdown(text: str) -> list[Segment] | None:
    """`scan_markdown` before session 5: every line through `_classify`."""
    if "\r" in text or "\0" in text or "\t" in text or "]:" in text:
        return None
    segments: list[Segment] = []
    paragraph: list[str] = []
    paragraph_start = 0
    previous = _BLANK
    start = 0
    number = 0
    for number, line in enumerate(text.split("\n"), 1):
        kind, content = _classify(line)
        if previous == _PARA and (kind == _NUMBERED or (kind == _ONE and not content.strip(" "))):
            kind = _PARA
        if kind == _PARA:
            if previous == _ITEM:
                return None
            if not paragraph:
                paragraph_start = start
            paragraph.append(line)
        else:
            if paragraph:
                segments.append(_paragraph(paragraph, number, paragraph_start))
                paragraph = []
            if kind == _HEAD:
                segments.append(("heading", number, start, line, content))
            elif kind in (_BULLET, _ONE, _NUMBERED):
                if not _plain_start(content):
                    return None
                segments.append(("item", number, start, line, content.strip()))
                kind = _ITEM
            elif kind != _BLANK:
                return None
        previous = kind
        start += len(line) + 1
    if paragraph:
        segments.append(_paragraph(paragraph, number + 1, paragraph_start))
    return segments


_ITEM_LINES = ["- 1. nested", "- 1) nested", "- 1984 plain", "- # hash", "- > quote", "- * star", "-  two", "- ", "-"]
_ITEM_LINES += ["- é", "- \xa0x", "+ plus", "* star", "- a\nlazy", "para\n- item", "- a\n\npara", "- _x_", "- `x`"]


def test_scanning_as_before_on_crafted_items() -> None:
    for line in _ITEM_LINES:
        for text in (line, f"# H\n{line}\n- b", f"para\n{line}", f"1. a\n{line}\ntext"):
            assert scan_markdown(text) == _old_scan_markdown(text), text


def test_scanning_as_before_on_bench_seed_and_fixture_documents() -> None:
    texts = [d.markdown for d in documents(1400, 350)]
    for path in [*(ROOT / "seeds").glob("*"), *(ROOT / "tests" / "data").rglob("*")]:
        if path.is_file():
            texts.append(path.read_text(encoding="utf-8", errors="replace"))
    for text in texts:
        assert scan_markdown(text) == _old_scan_markdown(text)


@given(st.one_of(subset_documents(), mixed_documents()))
def test_scanning_as_before_on_generated_documents(text: str) -> None:
    assert scan_markdown(text) == _old_scan_markdown(text)


@given(st.text(alphabet="-*+_#=`~>[]^:|<!&\\1209.) \nab\xa0é", max_size=80))
def test_scanning_as_before_on_random_markup(text: str) -> None:
    assert scan_markdown(text) == _old_scan_markdown(text)
