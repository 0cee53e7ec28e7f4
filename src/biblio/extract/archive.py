"""Archive source blocks: where the document itself was printed.

    Source : Collected Writings, Vol. 3, 1901-1905
    Publisher : Dietz Verlag, Berlin, 1960

Archive pages (transcriptions) head their text with such a block.  The author
is rarely in the block: it is taken from the page's own words ("Clara Zetkin
Archive", "Written by: ...").
"""

from __future__ import annotations

import re
from typing import Any

from biblio.extract.dates import csl_date, parse_date_segment
from biblio.extract.lexicon import is_place
from biblio.extract.names import parse_name
from biblio.extract.segments import split_segments
from biblio.model import Block

__all__ = ["find_archive_author", "parse_source_block"]

_FIELD = re.compile(r"^(?P<key>[A-Z][A-Za-z /]{1,30}?)\s*:\s*(?P<value>.+)$")
# `_FIELD` on the text without emphasis: before the colon only letters, spaces and "/",
# and removing emphasis only drops "*" and "_"; so the raw text starts like this
_FIELD_HEAD = re.compile(r"[A-Za-z /*_\s]*:")
_SOURCE_KEYS = {"source", "first published", "published", "original source", "from"}
_VOL = re.compile(r"^Vol(?:ume|\.)?\s*(\d+|[IVXLC]+)$", re.IGNORECASE)
_ARCHIVE = re.compile(
    # the name starts where a run of name characters starts (a start inside one rescans it: quadratic)
    r"(?<![\w’'-])(?P<name>(?:[A-Z]\.\s*){0,3}(?!Internet\b)[A-Z][\w’'-]+(?:\s+(?!Internet\b)[A-Z][\w’'-]+){0,2})"
    r"\s+(?:Internet\s+)?Archive\b"
)
_WRITTEN = re.compile(r"^(?:Written|Author|By)(?:\s+by)?\s*:?\s+(?P<name>[A-Z][\w. ’'-]{2,60})$")
_EMPHASIS = re.compile(r"[*_]{1,2}([^*_]+)[*_]{1,2}")


def _plain(text: str) -> str:
    """Text without Markdown emphasis markers."""
    return _EMPHASIS.sub(r"\1", text).strip()


def _field(block: Block) -> tuple[str, str] | None:
    """("source", value) for a "Key : value" line."""
    # every field has a colon (most entries have none); most others: removing emphasis
    # leaves a comma or digit before the colon
    if ":" not in block.text or not _FIELD_HEAD.match(block.text):
        return None
    m = _FIELD.match(_plain(block.text))
    return (m.group("key").strip().lower(), m.group("value").strip()) if m else None


def _parse_source(value: str, csl: dict[str, Any]) -> None:
    """Title, volume and volume title of the "Source" value."""
    segs = split_segments(value)
    csl["title"] = segs[0]
    for i, seg in enumerate(segs[1:], 1):
        if m := _VOL.match(seg):
            csl["volume"] = m.group(1)
            if i + 1 < len(segs):
                csl["volume-title"] = ", ".join(segs[i + 1 :])
            break


def _parse_publisher(value: str, csl: dict[str, Any]) -> None:
    """Publisher, place and year of the "Publisher" value."""
    segs = split_segments(value)
    if segs and (date := parse_date_segment(segs[-1])):
        if date.year:
            csl["issued"] = csl_date(date)
        segs.pop()
    if segs and is_place(segs[-1]):
        csl["publisher-place"] = segs.pop()
    if segs:
        csl["publisher"] = ", ".join(segs)


def parse_source_block(blocks: list[Block], start: int) -> tuple[dict[str, Any], int] | None:
    """Read a source block beginning at blocks[start]: (CSL item, blocks used), or None."""
    first = _field(blocks[start])
    if first is None or first[0] not in _SOURCE_KEYS:
        return None
    following = _field(blocks[start + 1]) if start + 1 < len(blocks) else None
    if first[0] != "source" and following is not None and following[0] == "source":
        return None  # "First Published: 1911" above "Source : ...": the block starts at Source
    csl: dict[str, Any] = {"type": "book"}
    _parse_source(first[1], csl)
    used = 1
    for block in blocks[start + 1 : start + 4]:
        item = _field(block)
        if item is None:
            break
        used += 1
        if item[0] == "publisher":
            _parse_publisher(item[1], csl)
    if "publisher" not in csl and "issued" not in csl:
        return None
    return csl, used


def find_archive_author(blocks: list[Block]) -> dict[str, Any] | None:
    """Whose archive the page belongs to ("Clara Zetkin Archive"), or who wrote it."""
    for block in reversed(blocks):
        text = _plain(re.sub(r"\]\([^)]*\)", "]", block.text))
        if m := _ARCHIVE.search(text):
            name = m.group("name").strip()
            if not name.lower().startswith(("internet", "marxists")) and len(name.split()) >= 2:
                return parse_name(name)
    for block in blocks:
        if m := _WRITTEN.match(_plain(block.text)):
            return parse_name(m.group("name"))
    return None
