"""Reading files: format guessing, size limit, unreadable paths, folder walking."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from biblio.documents import SUFFIXES, iter_document_paths, read_path, read_text
from biblio.errors import DocumentError


@pytest.mark.parametrize(
    ("name", "text", "expected"),
    [
        ("a.md", "# x", "markdown"),
        ("a.MARKDOWN", "# x", "markdown"),
        ("a.html", "plain", "html"),
        ("a.htm", "plain", "html"),
        ("a.txt", "<html><p>x</p></html>", "text"),
        ("notes", "plain words", "text"),
        ("page.asp", "  <!DOCTYPE html><p>x</p>", "html"),
        ("page", "<html><p>x</p></html>", "html"),
    ],
)
def test_format_guess(name: str, text: str, expected: str) -> None:
    assert read_text(text, name).format == expected


def test_explicit_format_wins() -> None:
    document = read_text("# Not a heading here", "notes.txt", fmt="markdown")
    assert document.format == "markdown"
    assert document.blocks[0].kind == "heading"


def test_unknown_format_is_an_error() -> None:
    with pytest.raises(DocumentError, match="unknown format"):
        read_text("x", "a.txt", fmt="pdf")


def test_read_path_sets_fields(tmp_path: Path) -> None:
    path = tmp_path / "refs.md"
    path.write_text("# Refs\n\n- Amberly, T. Paper Harbours.\n", encoding="utf-8")
    document = read_path(path)
    assert document.name == "refs.md"
    assert document.path == str(path)
    assert document.format == "markdown"
    assert document.encoding == "utf-8"
    assert len(document.sha256) == 64
    assert document.text == "# Refs\n\n- Amberly, T. Paper Harbours.\n"


def test_size_limit(tmp_path: Path) -> None:
    path = tmp_path / "big.txt"
    path.write_bytes(b"x" * 101)
    with pytest.raises(DocumentError) as caught:
        read_path(path, max_bytes=100)
    assert "101" in caught.value.reason and "100" in caught.value.reason
    assert caught.value.source == str(path)
    assert read_path(path, max_bytes=101).blocks[0].text == "x" * 101


def test_directory_is_not_a_file(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match="Is a directory"):
        read_path(tmp_path)


def test_dangling_symlink(tmp_path: Path) -> None:
    link = tmp_path / "gone.txt"
    link.symlink_to(tmp_path / "missing.txt")
    with pytest.raises(DocumentError, match="No such file"):
        read_path(link)


def test_empty_file(tmp_path: Path) -> None:
    path = tmp_path / "empty.txt"
    path.write_bytes(b"")
    with pytest.raises(DocumentError, match="empty file"):
        read_path(path)


def make_tree(root: Path) -> None:
    for relative in [
        "b.txt",
        "a.md",
        "c.pdf",
        "sub/z.html",
        "sub/deeper/y.htm",
        "sub/x.markdown",
        "UPPER.TXT",
        ".hidden.txt",
        ".git/config.txt",
        "sub/.cache/q.md",
    ]:
        path = root / relative
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("content\n", encoding="utf-8")


def test_walk_is_recursive_sorted_filtered(tmp_path: Path) -> None:
    make_tree(tmp_path)
    found = [path.relative_to(tmp_path).as_posix() for path in iter_document_paths([tmp_path])]
    assert found == ["UPPER.TXT", "a.md", "b.txt", "sub/deeper/y.htm", "sub/x.markdown", "sub/z.html"]


def test_files_given_directly_are_kept(tmp_path: Path) -> None:
    make_tree(tmp_path)
    given = [tmp_path / "c.pdf", tmp_path / ".hidden.txt", tmp_path / "sub"]
    found = [path.relative_to(tmp_path).as_posix() for path in iter_document_paths(given)]
    assert found == ["c.pdf", ".hidden.txt", "sub/deeper/y.htm", "sub/x.markdown", "sub/z.html"]


def test_symlink_loop_is_walked_once(tmp_path: Path) -> None:
    (tmp_path / "a.txt").write_text("x", encoding="utf-8")
    (tmp_path / "loop").symlink_to(tmp_path)
    assert [path.name for path in iter_document_paths([tmp_path])] == ["a.txt"]


def test_missing_path_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(DocumentError, match="no such file"):
        list(iter_document_paths([tmp_path / "nope"]))


def test_suffixes_constant() -> None:
    assert isinstance(SUFFIXES, tuple)
    assert {".txt", ".md", ".markdown", ".html", ".htm"} <= set(SUFFIXES)


def test_fifo_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    with pytest.raises(DocumentError, match="not a regular file"):
        read_path(fifo)
