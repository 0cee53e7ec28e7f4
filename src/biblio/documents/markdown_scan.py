"""A line scanner for the plain subset of Markdown that bibliography files are written in.

Most Markdown reading lists are ATX headings, blank lines, one-line list items
and paragraph lines, all starting at column 0.  For such a document the block
structure markdown-it would build can be read off line by line, about ten
times faster than running its block parser.  `scan_markdown` accepts only a
subset in which that is easy to check, and returns None for anything else, so
the caller parses the whole document with markdown-it instead:

- the document has no carriage return, NUL or tab, and no "]:" anywhere (so
  no link reference or footnote definition can exist);
- every line is blank (spaces only), an ATX heading ("#" to "######", one
  space, text not ending in a space or "#"), a list item ("-", "+", "*" or 1-9
  digits and "." or ")", one space, then plain text) or a plain line;
- plain text cannot open a block: it starts with a letter, a digit that is not
  a list marker, a non-ASCII character other than whitespace, one of
  ``!"$%&'(),./;?@[\\]^{}``, or one of ``*_`~`` followed by a letter or digit
  (so no code block, fence, quote, thematic break, HTML block, table, setext
  underline, front matter or nested list can start there);
- a list item may end a paragraph the way CommonMark says (a bullet always,
  a number only when it is 1; any other number continues the paragraph), but a
  paragraph line never directly follows a list item (lazy continuation is left
  to markdown-it).

The scanner decides block structure only; inline markup inside the text is
the caller's business (see `has_inline_markup`).
"""

from __future__ import annotations

import re
from typing import Literal

__all__ = ["Segment", "SegmentKind", "has_inline_markup", "scan_markdown"]

SegmentKind = Literal["heading", "item", "paragraph"]
#: (kind, line number, offset of the line start, source lines joined by "\n", inline content)
Segment = tuple[SegmentKind, int, int, str, str]

# characters at which an inline rule of biblio's markdown-it may fire ("&" only before an entity name
# or "#"; "!" only before "["); text without them is rendered as exactly its characters
_MARKUP_CHARACTERS = "\\`*_~[<"
_ENTITY_START = re.compile(r"&[#A-Za-z]")

_ORDERED = re.compile(r"[0-9]{1,9}[.)](?: |$)")
_HEADING = re.compile(r"#{1,6} ")
# ASCII punctuation that no block rule looks at in column 0
_INERT_PUNCTUATION = frozenset("!\"$%&'(),./;?@[\\]^{}")
# block markers only when repeated or followed by a space: plain before a letter or digit
_MARKUP_OPENERS = frozenset("*_`~")
_DIGITS = frozenset("0123456789")
_BULLETS = frozenset("-+*")
# kinds of line: blank, heading, bullet item, item numbered 1, item numbered otherwise,
# paragraph line, none of these; and _ITEM for any item once read
_BLANK, _HEAD, _BULLET, _ONE, _NUMBERED, _PARA, _OTHER, _ITEM = range(8)


def has_inline_markup(text: str) -> bool:
    """True when markdown-it's inline parser could render `text` as other than its characters."""
    for character in _MARKUP_CHARACTERS:
        if character in text:
            return True
    return "&" in text and _ENTITY_START.search(text) is not None


def _plain_start(text: str) -> bool:
    """True when `text` opens nothing at block level: a paragraph's or item's first character."""
    if not text:
        return False
    first = text[0]
    if not first.isascii():
        return not first.isspace()
    if first in _DIGITS:
        return _ORDERED.match(text) is None
    if first.isalpha() or first in _INERT_PUNCTUATION:
        return True
    return first in _MARKUP_OPENERS and text[1:2].isalnum()


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
    """A paragraph segment of the lines before line `number`; its content as markdown-it takes it."""
    source = "\n".join(lines)
    return ("paragraph", number - len(lines), start, source, source.strip())


def _classify(line: str) -> tuple[int, str]:
    """A line's kind and its text: the heading's text, an item's text after the marker, or the line."""
    first = line[:1]
    if first in _BULLETS and line[1:2] == " ":
        return _BULLET, line[2:]
    if first in _DIGITS and (marker := _ORDERED.match(line)) is not None:
        # "." or ")" and maybe a space end the marker; "007." is item number 7
        number = int(marker[0].rstrip(" ")[:-1])
        return (_ONE if number == 1 else _NUMBERED), line[marker.end() :]
    if not line.strip(" "):
        return _BLANK, ""
    if first == "#":
        heading = _heading_text(line)
        return (_OTHER, "") if heading is None else (_HEAD, heading)
    return (_PARA, line) if _plain_start(line) else (_OTHER, "")


def scan_markdown(text: str) -> list[Segment] | None:
    """The segments of a document in the plain subset, in source order; None when outside it."""
    if "\r" in text or "\0" in text or "\t" in text or "]:" in text:
        return None
    segments: list[Segment] = []
    paragraph: list[str] = []  # the lines of the paragraph being read
    paragraph_start = 0
    previous = _BLANK
    start = 0  # offset of the current line
    number = 0
    for number, line in enumerate(text.split("\n"), 1):
        if line[1:2] == " " and line[:1] in _BULLETS:
            # a bullet item, most lines of a list: `_classify`'s first case and the path below
            # taken at once, `_plain_start` only when the text does not open with an ASCII letter
            content = line[2:]
            first = content[:1]
            if not (first.isascii() and first.isalpha()) and not _plain_start(content):
                return None
            if paragraph:
                segments.append(_paragraph(paragraph, number, paragraph_start))
                paragraph = []
            segments.append(("item", number, start, line, content.strip()))
            previous = _ITEM
            start += len(line) + 1
            continue
        kind, content = _classify(line)
        if previous == _PARA and (kind == _NUMBERED or (kind == _ONE and not content.strip(" "))):
            kind = _PARA  # CommonMark: only a list starting at 1, with text, interrupts a paragraph
        if kind == _PARA:
            if previous == _ITEM:
                return None  # lazy continuation of the item's paragraph
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
