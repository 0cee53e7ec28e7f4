"""What a document says about itself: its title, author, date and venue.

Each ingested document becomes a catalog record of its own, so that a reading
list can cite the essays themselves.  Only what the text states is used.
"""

from __future__ import annotations

import re
from typing import Any

from biblio.extract.archive import find_archive_author
from biblio.extract.dates import MONTHS, csl_date, parse_date_segment
from biblio.extract.names import parse_name
from biblio.extract.segments import person_strength
from biblio.model import Document

__all__ = ["describe_document"]

_POSTED = re.compile(r"^(?:[•*\-]\s*)?(?:Posted|Published|Written|Date)(?:\s+on)?\s*:?\s*(?P<date>.+)$", re.I)
_BYLINE = re.compile(
    r"^(?:by\s+(?P<a>[A-Z][\w.’'-]+(?:\s+[A-Z][\w.’'-]+){1,3})\s*$)|"
    r"\bpiece by (?P<b>[A-Z][\w.’'-]+(?:\s+[A-Z][\w.’'-]+){1,2})\b"
)
_DATE_LINE = re.compile(r"^\*?(?P<date>(?:\d{1,2}\s+)?[A-Z][a-z]{2,8}\.?\s+(?:\d{1,2},\s+)?\d{4})\*?$")
_MAGAZINE = re.compile(r"\bfor the \w+ (?:edition|issue|number) of (?P<c>[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){0,3})")


def _date(text: str) -> dict[str, Any] | None:
    """A CSL date for "10 November 2017", "Nov 27, 2017" or "October 1927"."""
    text = text.strip(" *")
    m = re.match(r"^(?:(\d{1,2})\s+)?([A-Za-z]{3,9})\.?\s+(?:(\d{1,2}),\s+)?(\d{4})$", text)
    if m and m.group(2).lower() in MONTHS:
        parts = [int(m.group(4)), MONTHS[m.group(2).lower()]]
        day = m.group(1) or m.group(3)
        if day:
            parts.append(int(day))
        return {"date-parts": [parts]}
    part = parse_date_segment(text)
    return csl_date(part) if part and part.year else None


def describe_document(doc: Document) -> dict[str, Any]:
    """A CSL item for the document itself, from what its text states."""
    # "document" until the text names a venue: an essay of unknown venue is not a journal article
    csl: dict[str, Any] = {"type": "webpage" if doc.format == "html" else "document"}
    csl.update({k: v for k, v in doc.metadata.items() if v})
    blocks = [b for b in doc.blocks if b.text.strip()]
    if blocks and "title" not in csl:
        first = blocks[0].text.strip("# ").strip()
        short = len(first) <= 200 and not first.endswith((".", ",", ";"))
        heading = first if short else next((b.text for b in blocks[:5] if b.kind == "heading"), first)
        csl["title"] = heading.strip("# ").strip()
    for block in blocks[:15]:
        text = block.text.strip()
        if ("issued" not in csl and (m := _POSTED.match(text)) and (date := _date(m.group("date")))) or (
            "issued" not in csl and (m := _DATE_LINE.match(text)) and (date := _date(m.group("date")))
        ):
            csl["issued"] = date
        if "author" not in csl and (m := _BYLINE.search(text)):
            name = m.group("a") or m.group("b")
            if person_strength(name) >= 1:
                csl["author"] = [parse_name(name)]
        if "container-title" not in csl and (m := _MAGAZINE.search(text)):
            csl["container-title"] = m.group("c")
            csl["type"] = "article-magazine"
    if "author" not in csl and (author := find_archive_author(blocks)):
        csl["author"] = [author]
    return csl
