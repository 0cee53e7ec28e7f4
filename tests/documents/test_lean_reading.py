"""Session 5's leaner reading paths beside the code they replace (kept here as the reference)."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from biblio.documents import decoding, markdown


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
