"""Plain-text documents: one block per line, except hard-wrapped prose, which is joined.

Many text files hold one entry (a paragraph, a reference) per line, so a block
is normally a single non-empty line and its line number is exact.  Inside a
run of non-empty lines, a line continues the previous one only when the
previous line is "full" (at least 60 characters and within 15 of the run's
longest line), does not end in sentence-final punctuation and the line itself
does not start with a list marker.

Kinds: a lone short line between blank lines that looks like a title is a
"heading"; a line with a bullet or number marker is a "list_item" (marker
removed, `listed` True); a whole run or a joined group of lines is a
"paragraph"; a single line that is one of several in its run is a "line".
Lines without any letter or digit ("---", "* * *") are dropped and separate
runs like blank lines do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from biblio.model import Block, BlockKind

__all__ = ["read_plaintext"]

#: a wrapped line is at least this long ...
FULL_MIN = 60
#: ... and at most this much shorter than the longest line of its run
FULL_SLACK = 15
HEADING_MAX_CHARS = 80
HEADING_MAX_WORDS = 12

_MARKER_RE = re.compile(
    r"(?:[•·▪◦‣]\s*"  # bullets that need no space after them
    r"|[-*–+]\s+"  # ASCII-ish bullets, which do
    r"|\(?\d{1,3}[.)]\s+"  # 1.  2)  (3)
    r"|\[\d{1,4}\]\s*)"  # [4]
)
_SENTENCE_END = (".", "!", "?", ":", "”", '"')
_HEADING_BAD_END = (".", ",", ";", ":")


@dataclass
class _Line:
    """One kept line: its number, where its text starts, and the text without marker."""

    number: int
    offset: int
    text: str
    raw: str
    listed: bool


def _has_word(text: str) -> bool:
    """True when `text` has a letter or digit, i.e. is more than a rule or blank."""
    return any(char.isalnum() for char in text)


def _split_runs(text: str) -> list[list[_Line]]:
    """Group the kept lines of `text` into runs separated by blank or rule lines."""
    runs: list[list[_Line]] = []
    current: list[_Line] = []
    position = 0
    for number, raw in enumerate(text.split("\n"), start=1):
        stripped = raw.strip()
        if _has_word(stripped):
            start = position + len(raw) - len(raw.lstrip())
            body, listed = stripped, False
            match = _MARKER_RE.match(stripped)
            if match and _has_word(stripped[match.end() :]):
                body, listed = stripped[match.end() :], True
                start += match.end()
            current.append(_Line(number, start, body, stripped, listed))
        elif current:
            runs.append(current)
            current = []
        position += len(raw) + 1
    if current:
        runs.append(current)
    return runs


def _continues(previous: _Line, line: _Line, longest: int) -> bool:
    """True when `line` is the hard-wrapped continuation of `previous`."""
    full = len(previous.raw) >= FULL_MIN and len(previous.raw) >= longest - FULL_SLACK
    return full and not previous.raw.endswith(_SENTENCE_END) and not line.listed


def _join(parts: list[str]) -> str:
    """Join wrapped lines with spaces; a word hyphenated at a line end keeps its hyphen, no space."""
    text = parts[0]
    for part in parts[1:]:
        if len(text) > 1 and text.endswith("-") and text[-2].isalpha() and part[:1].islower():
            text += part
        else:
            text += " " + part
    return " ".join(text.split())


_ENTRY_COMMA = re.compile(r",\s+\S")


def _is_heading(line: _Line) -> bool:
    """True when a lone line looks like a title rather than content.

    A comma followed by more words ("Name, Title") marks a list entry, not a
    heading: entries of a list separated by blank lines look like headings otherwise.
    """
    text = line.raw
    return (
        not line.listed
        and not _ENTRY_COMMA.search(text)
        and len(text) <= HEADING_MAX_CHARS
        and len(text.split()) <= HEADING_MAX_WORDS
        and not text.endswith(_HEADING_BAD_END)
        and (text[0].isupper() or text[0].isdigit())
    )


def read_plaintext(text: str, name: str) -> list[Block]:
    """Split plain text into line-exact blocks, joining only hard-wrapped prose."""
    blocks: list[Block] = []
    section: str | None = None
    for run in _split_runs(text):
        longest = max(len(line.raw) for line in run)
        groups: list[list[_Line]] = [[run[0]]]
        for previous, line in pairwise(run):
            if _continues(previous, line, longest):
                groups[-1].append(line)
            else:
                groups.append([line])
        for group in groups:
            first = group[0]
            joined = _join([line.text for line in group])
            kind: BlockKind
            if len(run) == 1 and _is_heading(first):
                kind = "heading"
            elif first.listed:
                kind = "list_item"
            elif len(group) > 1 or len(run) == 1:
                kind = "paragraph"
            else:
                kind = "line"
            blocks.append(Block(joined, first.number, kind, section, first.offset, first.listed))
            if kind == "heading":
                section = joined
    return blocks
