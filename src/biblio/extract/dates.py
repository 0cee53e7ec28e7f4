"""Dates as citations write them: "1935", "1941?", "n.d.", "Fall 1967", "ebook format 2017"."""

from __future__ import annotations

import re
from dataclasses import dataclass

from biblio.extract.memo import bounded_cache

__all__ = ["DatePart", "csl_date", "parse_date_segment"]

SEASONS = {"spring": 1, "summer": 2, "fall": 3, "autumn": 3, "winter": 4}
MONTHS = {
    m: i
    for i, names in enumerate(
        [
            ("january", "jan"),
            ("february", "feb"),
            ("march", "mar"),
            ("april", "apr"),
            ("may",),
            ("june", "jun"),
            ("july", "jul"),
            ("august", "aug"),
            ("september", "sep", "sept"),
            ("october", "oct"),
            ("november", "nov"),
            ("december", "dec"),
        ],
        start=1,
    )
    for m in names
}
YEAR = r"(?:1[4-9]\d\d|20\d\d)"
_NO_DATE = re.compile(r"^(?:n\.?\s?d\.?|no date|undated|s\.\s?f\.|o\.\s?j\.)$", re.IGNORECASE)
_NO_DATE_GUESS = re.compile(rf"^no date\b.*?\b({YEAR})\b", re.IGNORECASE)
_PLAIN = re.compile(rf"^(?:(c\.|ca\.|circa|c)\s*)?\[?({YEAR})\]?\s*(\?)?$", re.IGNORECASE)
_SEASON = re.compile(rf"^(spring|summer|fall|autumn|winter)\s+({YEAR})$", re.IGNORECASE)
_MONTH = re.compile(rf"^(?:(\d{{1,2}})\s+)?([A-Za-z]{{3,9}})\.?(?:\s+(\d{{1,2}}))?,?\s+({YEAR})$")
_EBOOK = re.compile(rf"^(e-?book|kindle|online|digital)(?:\s+(?:format|edition))?\s+({YEAR})$", re.I)
_FIRST = re.compile(rf"^(?:first|originally)\s+published(?:\s+in)?\s+({YEAR})$", re.IGNORECASE)
_DECADE = re.compile(r"\b1[4-9]\d0[’']?s\b\??", re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class DatePart:
    """What one comma-separated segment says about dates (frozen: parses are shared)."""

    year: int | None = None
    circa: bool = False
    season: int | None = None
    month: int | None = None
    day: int | None = None
    #: "issued" (the edition's date), "original" (first publication), "none" (n.d.)
    role: str = "issued"
    medium: str | None = None
    #: a vague phrase kept for the note ("early 1940's?")
    vague: bool = False


_DIGIT = re.compile(r"[0-9]")
_UNDATED = DatePart(role="none")


@bounded_cache(8192)
def parse_date_segment(segment: str) -> DatePart | None:
    """Read a segment that is only a date, or None when it is something else.

    Cached: lists repeat their years.  Without a digit only "n.d." and its kin can
    be a date (every other shape holds a year), which most segments settle at once.
    """
    if _DIGIT.search(segment) is None:
        bare = segment.strip()
        return _UNDATED if _NO_DATE.match(bare) or _NO_DATE.match(bare.rstrip(".").strip()) else None
    return _read_date(segment)


def _read_date(segment: str) -> DatePart | None:
    """`parse_date_segment` without its cache and its short cut."""
    seg = segment.strip().rstrip(".").strip() if not _NO_DATE.match(segment.strip()) else segment.strip()
    if _NO_DATE.match(seg):
        return _UNDATED
    if m := _NO_DATE_GUESS.match(seg):
        return DatePart(year=int(m.group(1)), circa=True)
    if m := _PLAIN.match(seg):
        return DatePart(year=int(m.group(2)), circa=bool(m.group(1) or m.group(3)))
    if m := _SEASON.match(seg):
        return DatePart(year=int(m.group(2)), season=SEASONS[m.group(1).lower()])
    if (m := _MONTH.match(seg)) and m.group(2).lower() in MONTHS:
        day = m.group(1) or m.group(3)
        return DatePart(year=int(m.group(4)), month=MONTHS[m.group(2).lower()], day=int(day) if day else None)
    if m := _EBOOK.match(seg):
        return DatePart(year=int(m.group(2)), medium="ebook")
    if m := _FIRST.match(seg):
        return DatePart(year=int(m.group(1)), role="original")
    if len(seg) < 30 and _DECADE.search(seg):
        return DatePart(role="none", vague=True)
    return None


def csl_date(part: DatePart) -> dict[str, object]:
    """A CSL date object for a parsed date part."""
    parts: list[int] = [part.year] if part.year else []
    if part.month and parts:
        parts.append(part.month)
        if part.day:
            parts.append(part.day)
    date: dict[str, object] = {"date-parts": [parts]}
    if part.circa:
        date["circa"] = True
    if part.season:
        date["season"] = part.season
    return date
