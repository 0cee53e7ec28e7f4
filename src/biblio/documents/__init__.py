"""Reading files into `Document`s: finding, decoding and cutting them into blocks.

`read_path` reads one file (with a size limit), `read_bytes` decodes bytes,
`read_text` picks the reader for the format (plain text, Markdown or HTML),
and `iter_document_paths` expands folders into the files worth reading.
Every failure is a `DocumentError` naming the file and the reason.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Literal

from biblio.documents.decoding import decode, normalize_newlines
from biblio.documents.html import html_title, parse_html, read_html
from biblio.documents.markdown import parse_markdown, read_markdown
from biblio.documents.plaintext import read_plaintext
from biblio.errors import DocumentError
from biblio.model import Block, Document

__all__ = [
    "DEFAULT_MAX_BYTES",
    "FORMATS",
    "SUFFIXES",
    "Format",
    "decode",
    "guess_format",
    "html_title",
    "iter_document_paths",
    "read_bytes",
    "read_html",
    "read_markdown",
    "read_path",
    "read_plaintext",
    "read_text",
]

Format = Literal["text", "markdown", "html"]
FORMATS: tuple[Format, ...] = ("text", "markdown", "html")
#: files larger than this are refused by `read_path` unless told otherwise
DEFAULT_MAX_BYTES = 20 * 1024 * 1024
#: suffixes of the files `iter_document_paths` picks up when walking a folder
SUFFIXES: tuple[str, ...] = (".txt", ".md", ".markdown", ".html", ".htm", ".bib", ".json", ".ris")

_FORMAT_NAMES: dict[str, Format] = {name: name for name in FORMATS}
_SUFFIX_FORMATS: dict[str, Format] = {
    ".txt": "text",
    ".text": "text",
    ".md": "markdown",
    ".markdown": "markdown",
    ".html": "html",
    ".htm": "html",
    ".xhtml": "html",
}


def guess_format(name: str, text: str) -> Format:
    """The format of a file: from its suffix, else from an HTML start, else text."""
    known = _SUFFIX_FORMATS.get(Path(name).suffix.lower())
    if known is not None:
        return known
    head = text.lstrip("\ufeff \t\n")[:15].lower()
    return "html" if head.startswith(("<!doctype html", "<html")) else "text"


def read_text(text: str, name: str, fmt: str | None = None) -> Document:
    """Build a Document from decoded text, in `fmt` or the format `name` suggests."""
    text = normalize_newlines(text)
    chosen = guess_format(name, text) if fmt is None else _FORMAT_NAMES.get(fmt)
    if chosen is None:
        raise DocumentError(name, f"unknown format {fmt!r} (expected one of {', '.join(FORMATS)})")
    title: str | None = None
    blocks: list[Block]
    if chosen == "html":
        blocks, title = parse_html(text)
    elif chosen == "markdown":
        blocks, title = parse_markdown(text)
    else:
        blocks = read_plaintext(text, name)
    document = Document(name=name, text=text, blocks=blocks, format=chosen)
    if title:
        document.metadata["title"] = title
    return document


def read_bytes(data: bytes, name: str, fmt: str | None = None, path: str | None = None) -> Document:
    """Decode a file's bytes into a Document, recording hash, encoding and path."""
    text, encoding = decode(data, path or name)
    document = read_text(text, name, fmt)
    document.sha256 = hashlib.sha256(data).hexdigest()
    document.encoding = encoding
    document.path = path
    return document


def _os_reason(error: OSError) -> str:
    """The operating system's wording for an error, without the file name."""
    return error.strerror or str(error)


def read_path(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> Document:
    """Read one file into a Document, refusing files over `max_bytes` unread."""
    source = str(path)
    try:
        info = path.stat()
        if stat.S_ISDIR(info.st_mode):
            raise IsADirectoryError(21, os.strerror(21))
        if not stat.S_ISREG(info.st_mode):
            raise DocumentError(source, "not a regular file")
        if info.st_size > max_bytes:
            raise DocumentError(
                source,
                f"file too large: {info.st_size} bytes, limit is {max_bytes} bytes",
            )
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    except OSError as error:
        raise DocumentError(source, _os_reason(error)) from None
    if len(data) > max_bytes:  # the file grew after stat()
        raise DocumentError(
            source,
            f"file too large: more than {max_bytes} bytes, limit is {max_bytes} bytes",
        )
    return read_bytes(data, path.name, path=source)


def _walk(folder: Path) -> Iterator[Path]:
    """Files under `folder` with a known suffix, depth first by name, hidden skipped."""
    seen: set[Path] = set()
    pending: list[Iterator[Path]] = []

    def enter(directory: Path) -> None:
        real = directory.resolve()
        if real in seen:  # a symlink loop or a second link to the same folder
            return
        seen.add(real)
        try:
            entries = sorted(directory.iterdir(), key=lambda entry: entry.name)
        except OSError as error:
            raise DocumentError(str(directory), _os_reason(error)) from None
        pending.append(iter(entries))

    enter(folder)
    while pending:
        entry = next(pending[-1], None)
        if entry is None:
            pending.pop()
        elif entry.name.startswith("."):
            continue
        elif entry.is_dir():
            enter(entry)
        elif entry.suffix.lower() in SUFFIXES:
            yield entry  # also a broken link or special file: reading it reports why


def iter_document_paths(paths: Iterable[Path]) -> Iterator[Path]:
    """Expand the paths a user gave: files as they are, folders into their documents."""
    for path in paths:
        if path.is_dir():
            yield from _walk(path)
        elif path.exists():
            yield path
        else:
            raise DocumentError(str(path), "no such file or directory")
