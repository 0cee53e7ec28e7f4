"""Decoding bytes into text: encodings, refusals and newline normalisation."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from biblio.documents import decode, read_bytes, read_path
from biblio.documents.decoding import line_starts
from biblio.errors import DocumentError

DATA = Path(__file__).parent.parent / "data" / "documents"


def test_utf8() -> None:
    assert decode("Zoë’s café".encode(), "a.txt") == ("Zoë’s café", "utf-8")


def test_utf8_bom_is_stripped() -> None:
    text, encoding = decode(b"\xef\xbb\xbfHello", "a.txt")
    assert (text, encoding) == ("Hello", "utf-8-sig")


def test_utf16_bom() -> None:
    text, encoding = decode("Grüße\r\nzwei".encode("utf-16"), "a.txt")
    assert (text, encoding) == ("Grüße\nzwei", "utf-16")


def test_latin1_bytes_fall_back_to_cp1252() -> None:
    assert decode(b"caf\xe9", "a.txt") == ("café", "cp1252")
    assert decode(b"a \x93quoted\x94 b", "a.txt") == ("a “quoted” b", "cp1252")


def test_bytes_cp1252_cannot_decode_fall_back_to_latin1() -> None:
    text, encoding = decode(b"odd \x81 byte \xe9", "a.txt")
    assert encoding == "latin-1"
    assert text == "odd \x81 byte é"


def test_invalid_utf8_never_crashes() -> None:
    text, encoding = decode(b"\xc3\x28 broken \xff\xfe", "a.txt")
    assert encoding in ("cp1252", "latin-1")
    assert "broken" in text


def test_cp1252_sample_file() -> None:
    document = read_path(DATA / "cp1252.txt")
    assert document.encoding == "cp1252"
    assert document.blocks[0].text == "Café notes"
    assert "Harbours – a study" in document.blocks[1].text


def test_empty_input_is_refused() -> None:
    with pytest.raises(DocumentError) as caught:
        decode(b"", "empty.txt")
    assert caught.value.source == "empty.txt"
    assert caught.value.reason == "empty file"


@pytest.mark.parametrize(
    "data",
    [b"PK\x03\x04\x00\x00binary", b"%PDF-1.4\n\x00\x01\x02", b"\x01\x02\x03\x04\x05\x06abc"],
)
def test_binary_input_is_refused(data: bytes) -> None:
    with pytest.raises(DocumentError, match="binary file, not text"):
        decode(data, "thing.bin")


def test_newlines_are_normalised() -> None:
    text, _ = decode(b"one\r\ntwo\rthree\n", "a.txt")
    assert text == "one\ntwo\nthree\n"


def test_crlf_line_numbers(tmp_path: Path) -> None:
    path = tmp_path / "crlf.txt"
    path.write_bytes(b"First entry.\r\n\r\nSecond entry.\r\nThird entry.\r\n")
    document = read_path(path)
    assert [(block.line, block.text) for block in document.blocks] == [
        (1, "First entry."),
        (3, "Second entry."),
        (4, "Third entry."),
    ]
    assert "\r" not in document.text


def test_read_bytes_records_hash_and_encoding() -> None:
    data = b"caf\xe9 au lait."
    document = read_bytes(data, "menu.txt", path="/somewhere/menu.txt")
    assert document.sha256 == hashlib.sha256(data).hexdigest()
    assert document.encoding == "cp1252"
    assert document.path == "/somewhere/menu.txt"
    assert document.name == "menu.txt"


def test_line_starts() -> None:
    assert line_starts("ab\n\ncd\n") == [0, 3, 4, 7]
    assert line_starts("") == [0]
