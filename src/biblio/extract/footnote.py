"""Chicago notes: "Given Family, Title (Place: Publisher, Year), 112."

The first citation of a book in a footnote puts the author in natural order,
then the title, then the imprint in brackets, then the page cited.  The shape
is strict (the bracketed imprint must be there), so prose cannot match it.
"""

from __future__ import annotations

import re
from typing import Any

from biblio.extract.names import parse_names
from biblio.extract.segments import person_strength, single_spaced, strip_honorifics

__all__ = ["FOOTNOTE_CONFIDENCE", "parse_footnote"]

#: the confidence of every reading: the shape is strict
FOOTNOTE_CONFIDENCE = 0.8

_NOTE = re.compile(
    r"^(?P<names>[^,()]{3,120}?),\s+(?P<title>[^()]{2,300}?)\s*"
    r"\((?:(?P<place>[^:()]{2,60}):\s*)?(?P<publisher>[^,():]{2,120}),\s*(?P<year>1[5-9]\d\d|20\d\d)\)"
    r"(?:,\s*(?P<page>\d{1,5}(?:\s*[–-]\s*\d{1,5})?))?\.?$"
)
_EDITED = re.compile(r",?\s+(?:ed\.|eds\.|edited by)\s*$", re.IGNORECASE)


def parse_footnote(text: str) -> tuple[dict[str, Any], float] | None:
    """Parse a Chicago note citing a book; None when the text does not have that shape."""
    if "(" not in text:
        return None  # no bracketed imprint, no note (most list entries)
    text = single_spaced(text).strip().strip("*")
    m = _NOTE.match(text)
    if m is None:
        return None
    names = m.group("names").strip()
    role = "author"
    if _EDITED.search(names):
        names, role = _EDITED.sub("", names), "editor"
    if person_strength(names) == 0:
        return None
    csl: dict[str, Any] = {
        "type": "book",
        "title": m.group("title").strip(' ,*_“”"'),
        role: parse_names(strip_honorifics(names)),
        "publisher": m.group("publisher").strip(),
        "issued": {"date-parts": [[int(m.group("year"))]]},
    }
    if m.group("place"):
        csl["publisher-place"] = m.group("place").strip()
    if m.group("page"):
        csl["note"] = f"cited at p. {m.group('page')}"
    return csl, FOOTNOTE_CONFIDENCE
