"""A line scanner for the plain subset of Markdown that bibliography files are written in.

Most Markdown reading lists are ATX headings, blank lines, one-line list items
and plain paragraph lines, all starting at column 0.  For such a document the
block structure markdown-it would build can be read off line by line, about
ten times faster than running its block parser.  `scan_markdown` accepts only
a strict subset in which that is easy to check, and returns None for anything
else, so the caller parses the whole document with markdown-it instead:

- the document has no carriage return, NUL or tab, and no "]:" anywhere (so
  no link reference or footnote definition can exist);
- every line is empty, an ATX heading ("#" to "######", one space, text not
  ending in a space or "#"), a list item ("-", "+", "*" or 1-9 digits and "."
  or ")", one space, then plain text) or a plain line;
- plain text starts with a letter, a digit or one of `"'(` and, when it starts
  with digits, they are not a list marker: nothing at the start can open a
  code block, fence, quote, thematic break, HTML block, table, setext
  underline, front matter or nested list;
- a list item never directly follows a paragraph line, nor a paragraph line a
  list item (paragraph interruption and lazy continuation are left to
  markdown-it).

The scanner decides block structure only; inline markup inside the text is
the caller's business (see `INLINE_MARKUP`).
"""

from __future__ import annotations

import re
from typing import Literal

__all__ = ["INLINE_MARKUP", "Segment", "SegmentKind", "scan_markdown"]

SegmentKind = Literal["heading", "item", "paragraph"]
#: (kind, line number, offset of the line start, source lines joined by "\n", inline content)
Segment = tuple[SegmentKind, int, int, str, str]

#: a character (or "&" starting a possible entity) at which an inline rule may fire;
#: text without a match is rendered by markdown-it as exactly its characters
INLINE_MARKUP = re.compile(r"[\\`*_~\[<]|&[#A-Za-z]")

_ORDERED = re.compile(r"[0-9]{1,9}[.)](?: |$)")
_HEADING = re.compile(r"#{1,6} ")
_PLAIN_PUNCTUATION = frozenset("\"'(")
_DIGITS = frozenset("0123456789")
_BULLETS = frozenset("-+*")
# kinds of the previous line, for the interruption and lazy-continuation rules
_BLANK, _HEAD, _ITEM, _PARA = 0, 1, 2, 3


def _plain_start(text: str) -> bool:
    """True when `text` opens nothing at block level: a paragraph's or item's first character."""
    if not text:
        return False
    first = text[0]
    if first in _DIGITS:
        return _ORDERED.match(text) is None
    return first.isalnum() or first in _PLAIN_PUNCTUATION


def _heading_text(line: str) -> str | None:
    """The text of an ATX heading line in the subset, else None."""
    match = _HEADING.match(line)
    if match is None:
        return None
    text = line[match.end() :]
    if not text or text[0] == " " or text[-1] in " #":
        return None
    return text.strip()


def _paragraph(lines: list[str], number: int, start: int) -> Segment:
    """A paragraph segment of consecutive plain lines; its content as markdown-it takes it."""
    source = "\n".join(lines)
    return ("paragraph", number - len(lines), start, source, source.strip())


def scan_markdown(text: str) -> list[Segment] | None:
    """The segments of a document in the plain subset, in source order; None when outside it."""
    if "\r" in text or "\0" in text or "\t" in text or "]:" in text:
        return None
    segments: list[Segment] = []
    paragraph: list[str] = []  # the lines of the paragraph being read
    paragraph_start = 0
    previous = _BLANK
    start = 0  # offset of the current line
    for number, line in enumerate(text.split("\n"), 1):
        if paragraph and (not line or line[0] == "#"):
            segments.append(_paragraph(paragraph, number, paragraph_start))
            paragraph = []
        if not line:
            previous = _BLANK
            start += 1
            continue
        first = line[0]
        if first in _BULLETS:
            if previous == _PARA or line[1:2] != " " or not _plain_start(line[2:]):
                return None
            segments.append(("item", number, start, line, line[2:].strip()))
            previous = _ITEM
        elif first == "#":
            heading = _heading_text(line)
            if heading is None:
                return None
            segments.append(("heading", number, start, line, heading))
            previous = _HEAD
        elif first in _DIGITS and (marker := _ORDERED.match(line)) is not None:
            content = line[marker.end() :]
            if previous == _PARA or not _plain_start(content):
                return None
            segments.append(("item", number, start, line, content.strip()))
            previous = _ITEM
        elif first.isalnum() or first in _PLAIN_PUNCTUATION:
            if previous == _ITEM:
                return None
            if not paragraph:
                paragraph_start = start
            paragraph.append(line)
            previous = _PARA
        else:
            return None
        start += len(line) + 1
    if paragraph:
        segments.append(_paragraph(paragraph, number + 1, paragraph_start))
    return segments
