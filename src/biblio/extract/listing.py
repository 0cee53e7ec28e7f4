"""Title-first list entries, bookseller style.

"Title, [description,] Author(s), Publisher, Place, Year, N pages. [note]"

The entry is cut at its commas and read from both ends: the right end holds
the page count, dates, "n.p." and the place; the left end the title (with
its volume and part); what is left between is descriptions, contributors
(found by role words or by the shape of names) and the publisher, which is
the last piece before the place.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any

from biblio.extract.dates import DatePart, csl_date, parse_date_segment
from biblio.extract.lexicon import is_known_place, is_place, is_region, looks_like_publisher
from biblio.extract.names import is_organisation, name_variants, parse_names, split_names
from biblio.extract.segments import (
    is_lower_start,
    person_strength,
    single_spaced,
    split_segments,
    strip_honorifics,
)

__all__ = ["PAMPHLET_MAX_PAGES", "VARIANTS", "has_page_count", "listing_ceiling", "parse_listing"]

#: the private key under which a parsed item carries the other forms of its names
VARIANTS = "_name_variants"

#: UNESCO: a pamphlet has at most 48 pages; a book more.
PAMPHLET_MAX_PAGES = 48

_PAGES = re.compile(r",\s*\(?(\d{1,5})\s*(?:pages|page|pp\.?|p\.|pgs\.?|leaves)(?=$|[\s.;,)])\)?\.?", re.I)
_REPRINT = re.compile(
    r",\s*(?:first|originally)\s+published\s+(?!in\s+\d)(?!\d)(?P<orig>[^;]+?),\s*"
    r"(?:reprinted|reissued|republished)(?:\s+(?:version|edition|by|as))?\s+",
    re.IGNORECASE,
)
_TITLE_VOLUME = re.compile(
    r"^(?P<title>.+?)\s+[–—-]\s+Vol(?:ume|\.)?\s*(?P<vol>\d+|[IVXLC]+)\b\s*(?:[–—:-]\s*(?P<vt>.+))?$"
)
_VOLUME = re.compile(r"^(?:Vol(?:ume|\.)?|Tome|Band|Bd\.)\s*(\d+|[IVXLC]+)$", re.IGNORECASE)
# "reprint of the 1927 edition", "facsimile of the 1871 edition": the first publication
_REPRINT_OF = re.compile(
    r"^(?:a\s+)?(?:reprint|facsimile|reissue)(?:ed)?\s+(?:of\s+)?(?:the\s+)?(1[5-9]\d\d|20\d\d)\b", re.IGNORECASE
)
_VOLUME_TITLED = re.compile(r"^Vol(?:ume|\.)?\s*(\d+|[IVXLC]+)\s*[–—:-]\s*(.+)$", re.IGNORECASE)
_ISSUE = re.compile(r"^(?:No\.?|Number|Issue|Nr\.?)\s*(\d+)$", re.IGNORECASE)
_ORDINAL = r"First|Second|Third|Fourth|Fifth|Sixth|Seventh|Eighth|Ninth|Tenth|1st|2nd|3rd|\dth"
_PERIOD = re.compile(rf"^(?:{_ORDINAL})\s+(?:Period|Volume|Book|Series|Part|Phase)$", re.IGNORECASE)
_PART = re.compile(r"^Part\s*(\d+|[IVXLC]+)\s*(?:[–—:-]\s*(.+))?$", re.IGNORECASE)
_RANGE = re.compile(r"^\d{4}\s*[–—-]\s*\d{2,4}$")
_NP = re.compile(r"^(?:n\.?\s?p\.?|s\.\s?l\.|no publisher)$", re.IGNORECASE)
_ROLE = re.compile(
    r"^(?P<role>edited|ed\.|eds\.|compiled|translated|trans\.|selected|introduced|written|signed|"
    r"illustrated)?(?:[^,]*?\s)?by\s+(?P<names>.+)$|^(?P<ed>eds?\.)\s+(?P<names2>.+)$",
    re.IGNORECASE,
)
_BARE_ROLE = re.compile(r"^(compiled|edited|translated|selected)$", re.IGNORECASE)


def _firsts(letters: str) -> frozenset[str]:
    """Every character an IGNORECASE pattern reads as one of `letters` at its start: a set test.

    Both cases of each letter, and the four other characters that map to an ASCII letter
    (`CASELESS`: the long s, the dotless and the dotted capital i; `str.lower`: the Kelvin
    sign); tests/extract/test_session5_paths.py checks every code point.
    """
    others = {"ſ": "s", "ı": "i", "İ": "i", "\u212a": "k"}
    return frozenset(letters + letters.upper() + "".join(c for c, m in others.items() if m in letters))


# the characters `_NP`, `_REPRINT_OF`, `_SPECIAL` and `_REPRINTED_FROM` may start with: elsewhere they are not tried
_NP_FIRSTS = _firsts("ns")
_REPRINT_OF_FIRSTS = _firsts("arf")
_SPECIAL_FIRSTS = _firsts("s")
_REPRINTED_FIRSTS = _firsts("r")
_LEADERSHIP = re.compile(
    r"^(?P<org>.+?)\s+under the (?:leadership|direction|editorship|supervision) of\s+(?P<names>.+)$",
    re.IGNORECASE,
)
_REPRINTED_FROM = re.compile(r"^reprinted(?:\s+as\s+an?\s+(?P<form>\w+))?\s+from\s+(?P<src>.+)$", re.I)
_FORMS = {"leaflet": ("pamphlet", "leaflet"), "pamphlet": ("pamphlet", None), "booklet": ("pamphlet", None)}
_VOLUME_ISSUE = re.compile(
    r"(?:(?<=[.,])|^)\s*Vol(?:ume|\.)\s*(\d+),?\s*(?:No\.?|Number|Issue)\s*(\d+)\b", re.IGNORECASE
)
_SPECIAL = re.compile(r"^Special issue of\s+(?P<title>.+)$", re.IGNORECASE)
_COMMA_DIGIT = re.compile(r",\s*\(?\d{1,5}\s*[pPlL]")  # IGNORECASE takes no other "p" or "l"
_AND_FIRST = re.compile(r"^and\s+")
_WORD_NUMBER = re.compile(r"^[A-Z][a-z]+ \d")
_YEAR_IN = re.compile(r"\b1[4-9]\d\d\b|\b20\d\d\b")
_FOUR_DIGITS = re.compile(r"\d{4}")
_ROLE_OF = {
    "edited": "editor",
    "ed.": "editor",
    "eds.": "editor",
    "compiled": "compiler",
    "translated": "translator",
    "trans.": "translator",
    "selected": "editor",
    "illustrated": "illustrator",
}


@dataclass(slots=True)
class _Entry:
    """Pieces of one entry as they are recognised."""

    csl: dict[str, Any] = field(default_factory=dict)
    notes: list[str] = field(default_factory=list)
    #: other forms of a name given in brackets, by "role:position"
    variants: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    evidence: float = 0.0
    no_publisher: bool = False


def _add_names(entry: _Entry, role: str, text: str) -> None:
    """Parse a list of names and append them under a CSL role."""
    text = strip_honorifics(text)
    names = [{"literal": text}] if person_strength(text) == 0 and is_organisation(text) else parse_names(text)
    if names:
        start = len(entry.csl.get(role, []))
        entry.csl.setdefault(role, []).extend(names)
        for offset, part in enumerate(split_names(text) if "(" in text else []):
            if variants := name_variants(part):
                entry.variants[f"{role}:{start + offset}"] = variants


def _take_right(segs: list[str], entry: _Entry, dated: bool = False) -> list[str]:
    """Consume dates, "n.p." and the place from the right end; return what is left.

    `dated` says a date was already taken from this end ("first published 1937").
    """
    place_seen = False
    dates: list[DatePart] = []
    while len(segs) > 1:
        seg = segs[-1].strip(" .")
        if not seg:
            segs.pop()
            continue
        if segs[-1].strip()[:1] in _NP_FIRSTS and _NP.match(segs[-1].strip()):
            entry.no_publisher = True
            entry.notes.insert(0, segs[-1].strip())
            segs.pop()
            continue
        if seg[:1] in _REPRINT_OF_FIRSTS and (m := _REPRINT_OF.match(seg)) and not place_seen:
            entry.csl.setdefault("original-date", {"date-parts": [[int(m.group(1))]]})
            entry.notes.insert(0, segs.pop().strip())
            continue
        date = parse_date_segment(segs[-1])
        if date is not None and not place_seen:
            dates.append(date)
            if date.role == "none" or date.vague or (date.circa and "date" in seg.lower()):
                entry.notes.insert(0, segs[-1].strip())
            segs.pop()
            continue
        if (dates or dated) and not place_seen and is_place(seg):
            written = segs.pop().strip()
            # "Hamburg, Germany", "Cambridge, Mass.": a city and its country or state
            if len(segs) > 1 and is_region(seg) and is_known_place(segs[-1]):
                seg = f"{segs.pop().strip()}, {written}"
            entry.csl["publisher-place"] = seg
            place_seen = True
            continue
        break
    for date in dates:
        _apply_date(entry, date)
    if dates:
        entry.evidence += 0.15
    if place_seen:
        entry.evidence += 0.1
    return segs


def _apply_date(entry: _Entry, date: DatePart) -> None:
    """Record one date segment in the item."""
    if date.medium:
        entry.csl["medium"] = date.medium
    if date.year is None:
        return
    key = "original-date" if date.role == "original" else "issued"
    entry.csl.setdefault(key, csl_date(date))


def _take_title(segs: list[str], entry: _Entry) -> list[str]:
    """Set the title (with its volume and continuation) from the left; return the rest."""
    title = segs[0].strip()
    rest = segs[1:]
    if title[:1] in _SPECIAL_FIRSTS and (m := _SPECIAL.match(title)):
        entry.csl.update({"type": "periodical", "genre": "special issue"})
        entry.csl["container-title"] = m.group("title")
        entry.notes.append(title)
        title = m.group("title")
    elif "Vol" in title and (m := _TITLE_VOLUME.match(title)):
        title = m.group("title")
        entry.csl["volume"] = m.group("vol")
        if m.group("vt"):
            entry.csl["volume-title"] = m.group("vt").strip()
    # "Spain, Portugal and the Atlantic": a list of places is one title
    while rest and " and " in rest[0] and is_known_place(title.split()[-1]) and len(title.split()) <= 3:
        title = f"{title}, {rest.pop(0)}"
    entry.csl["title"] = title
    return rest


def _take_parts(segs: list[str], entry: _Entry) -> list[str]:
    """Pull volume, period, part, issue and date-range segments out of the middle."""
    kept: list[str] = []
    ranges: list[tuple[int, str]] = []
    for i, seg in enumerate(segs):
        if seg[:1] not in _PART_FIRSTS and not seg[:1].isdecimal():
            kept.append(seg)  # none of the patterns below can start here
            continue
        if m := _VOLUME.match(seg):
            entry.csl.setdefault("volume", m.group(1))
        elif m := _VOLUME_TITLED.match(seg):
            entry.csl.setdefault("volume", m.group(1))
            entry.csl.setdefault("volume-title", m.group(2).strip())
        elif _PERIOD.match(seg):
            entry.csl.setdefault("volume", seg)
        elif m := _PART.match(seg):
            entry.csl["part-number"] = m.group(1)
            if m.group(2):
                entry.csl["part-title"] = m.group(2).strip()
        elif m := _ISSUE.match(seg):
            entry.csl["issue"] = m.group(1)
        elif _RANGE.match(seg) and i <= 1 and not ranges:
            ranges.append((i, seg))
        else:
            kept.append(seg)
    for i, seg in ranges:
        if "volume" in entry.csl:
            entry.csl.setdefault("volume-title", seg)
        elif i == 0:
            entry.csl["title"] = f"{entry.csl['title']}, {seg}"
        else:
            kept.insert(i, seg)
    return kept


def _contributors(text: str) -> bool:
    """True when a role word's object names people or a body ("by the Historical Society")."""
    return person_strength(text) > 0 or is_organisation(text)


#: the characters `_VOLUME`, `_VOLUME_TITLED`, `_PERIOD`, `_PART` and `_ISSUE` may start with
#: (those patterns and `_RANGE` may also start with a digit)
_PART_FIRSTS = _firsts("vtbfsenpi")


def _take_roles(segs: list[str], entry: _Entry) -> tuple[list[str], int | None]:
    """Find contributors named by role words; return the other segments and where they stood."""
    # a role mark inside a segment is one in the segments joined, and every `_BARE_ROLE`
    # word ends in "ed" (letters IGNORECASE matches only in their two cases): without
    # either no segment names a role
    joined = "\n".join(segs).lower().replace("ſ", "s")
    if "ed" not in joined and _ROLE_MARK.search(joined) is None:
        return list(segs), None
    kept: list[str] = []
    anchor: int | None = None
    i = 0
    while i < len(segs):
        seg = segs[i]
        if not _ROLE_MARK.search(seg.lower().replace("ſ", "s")) and not _BARE_ROLE.match(seg):
            kept.append(seg)  # no role word here: none of the patterns below can match
            i += 1
            continue
        if _BARE_ROLE.match(seg) and i + 1 < len(segs) and " by " in f" {segs[i + 1]}":
            role = _ROLE_OF[seg.lower()]
            entry.notes.append(f"{seg}, {segs[i + 1]}")
            names = segs[i + 1].rsplit(" by ", 1)[-1]
            i += 2
        elif m := _LEADERSHIP.match(seg):
            entry.csl.setdefault("author", []).append({"literal": m.group("org").strip()})
            entry.notes.append(seg[len(m.group("org")) :].strip())
            role, names, i = "editor", m.group("names"), i + 1
        elif (m := _ROLE.match(seg)) and _contributors(m.group("names") or m.group("names2") or ""):
            word = (m.group("role") or m.group("ed") or "").lower()
            role = _ROLE_OF.get(word, "author")
            names = m.group("names") or m.group("names2")
            if "professor" in seg.lower() or role == "compiler":
                entry.notes.append(seg)
            if word == "signed":
                entry.notes.append(seg)
            i += 1
        else:
            kept.append(seg)
            i += 1
            continue
        anchor = len(kept)
        _add_names(entry, role, names)
        # "edited by A. Black, B. White, and C. Green": the list goes on
        while (
            i < len(segs)
            and person_strength(_AND_FIRST.sub("", segs[i])) >= 1
            and not (i == len(segs) - 1 and not entry.no_publisher)
        ):
            _add_names(entry, role, _AND_FIRST.sub("", segs[i]))
            i += 1
        entry.evidence += 0.1
    return kept, anchor


def _take_forms(segs: list[str], entry: _Entry) -> list[str]:
    """Forms ("leaflet") and "reprinted as a pamphlet from X" segments."""
    kept = []
    for seg in segs:
        low = seg.lower().strip(" .")
        if low in _FORMS:
            entry.csl["type"], genre = _FORMS[low]
            if genre:
                entry.csl["genre"] = genre
        elif seg[:1] in _REPRINTED_FIRSTS and (m := _REPRINTED_FROM.match(seg)):
            form = (m.group("form") or "").lower()
            if form in _FORMS:
                entry.csl["type"] = _FORMS[form][0]
            entry.csl["container-title"] = m.group("src").strip()
            entry.no_publisher = True
            entry.notes.append(seg)
        else:
            kept.append(seg)
    return kept


def _split_publisher(mids: list[str], entry: _Entry, anchor: int | None) -> list[str]:
    """Take the publisher (and, failing role words, the authors) from the middle segments."""
    if anchor is not None:
        # contributors were named by role words: what follows them is the publisher
        after, before = mids[anchor:], mids[:anchor]
        if before and "author" not in entry.csl and person_strength(before[-1]) == 2:
            _add_names(entry, "author", before.pop())
        notes = [s for s in after if is_lower_start(s)]
        houses = [s for s in after if not is_lower_start(s) and s]
        if houses and not entry.no_publisher:
            entry.csl["publisher"] = ", ".join(houses)
        return before + notes
    if not mids:
        return []
    pub: str | None
    if entry.no_publisher or not mids[-1]:
        pub = None
        mids = [m for m in mids if m]
    elif len(mids) == 1 and person_strength(mids[0]) == 2:
        pub = None
    else:
        pub = mids.pop()
    if pub:
        entry.csl["publisher"] = pub
        entry.evidence += 0.05
    strong = [i for i, s in enumerate(mids) if person_strength(s) == 2]
    if strong:
        end = strong[-1]
        start = end
        while start > 0 and person_strength(_AND_FIRST.sub("", mids[start - 1])) == 2:
            start -= 1
        for seg in mids[start : end + 1]:
            _add_names(entry, "author", _AND_FIRST.sub("", seg))
        entry.notes.extend(f"author: {s}" if is_lower_start(s) else s for s in mids[end + 1 :])
        return mids[:start]
    # "University Socialist Club, Cambridge": a body and its seat
    if len(mids) >= 2 and is_known_place(mids[-1]) and is_organisation(mids[-2]):
        entry.csl["author"] = [{"literal": f"{mids[-2]}, {mids[-1]}"}]
        return mids[:-2]
    if len(mids) == 1 and is_organisation(mids[0]) and not entry.no_publisher:
        entry.csl["author"] = [{"literal": mids[0]}]
        return []
    return mids


def _describe(desc: list[str], entry: _Entry) -> None:
    """Descriptive segments become notes; a place and a date among them an event."""
    for i, seg in enumerate(desc):
        date = parse_date_segment(seg)
        if is_known_place(seg) and i + 1 < len(desc) and _has_year(desc[i + 1]):
            entry.csl["event-place"] = seg
        elif date is None and _has_year(seg) and _WORD_NUMBER.match(seg):
            entry.csl.setdefault("event-date", {"raw": seg})
        elif seg.lower().startswith(("verbatim", "stenographic", "transcript")):
            entry.csl["genre"] = seg
    if desc:
        entry.notes.insert(0, ", ".join(desc))


def _has_year(text: str) -> bool:
    """True when text holds a four-digit year."""
    return bool(_YEAR_IN.search(text))


def _apply_reprint(body: str, entry: _Entry) -> str:
    """ "first published Penguin, London, 1950, reprinted version X, NY, 2013": keep both."""
    # "published" under IGNORECASE: its "publ" lower-cases to itself (no other letter matches)
    m = _REPRINT.search(body) if "publ" in body.lower() else None
    if not m:
        return body
    orig = _Entry()
    rest = _take_right(["_", *split_segments(m.group("orig"))], orig)[1:]
    if "issued" in orig.csl:
        entry.csl["original-date"] = orig.csl["issued"]
    if "publisher-place" in orig.csl:
        entry.csl["original-publisher-place"] = orig.csl["publisher-place"]
    if rest:
        entry.csl["original-publisher"] = ", ".join(rest)
    return body[: m.start()] + ", " + body[m.end() :]


_MONTH_DAY = re.compile(r"^(?:[A-Z][a-z]{2,8}\.?\s+\d{1,2}|\d{1,2}\s+[A-Z][a-z]{2,8})$")


def _join_month_days(segs: list[str]) -> list[str]:
    """ "March 3", "2001" is one date cut at its comma."""
    out: list[str] = []
    for seg in segs:
        # the year first: one segment an entry, where the month and day pattern runs
        # four digits are four characters (`\d` takes one character): most segments are refused
        # by their length alone
        if out and len(year := seg.strip(" .")) == 4 and _FOUR_DIGITS.fullmatch(year) and _MONTH_DAY.match(out[-1]):
            out[-1] = f"{out[-1]}, {seg}"
        else:
            out.append(seg)
    return out


# what every role segment of `_take_roles` holds, in lower case: "by ", "ed." / "eds.",
# "under the".  Lower-casing maps every letter those IGNORECASE patterns accept to the
# pattern's own letter except the long s ("ſ"), which is mapped by hand
# (tests/extract/test_dispatch.py checks every character); matching lowered text is
# five times quicker than an IGNORECASE search.
_ROLE_MARK = re.compile(r"by\s|eds?\.|under\s+the")


def has_page_count(text: str) -> bool:
    """Whether `parse_listing` finds a page count ("312 pages") in `text`.

    `_PAGES` takes any run of white space where the normalised text has one space,
    so the raw text answers as the normalised one would.
    """
    # every page count has a comma, digits and a unit starting "p" or "l": a quick refusal
    return _COMMA_DIGIT.search(text) is not None and _PAGES.search(text) is not None


def listing_ceiling(text: str, pages: bool | None = None) -> float:
    """The highest confidence `parse_listing` can give `text`, found without parsing it.

    The confidence is 0.45 plus the evidence: 0.3 for a page count, at most 0.15 +
    0.1 + 0.05 for dates, place and publisher (each counted once), and 0.1 for each
    segment naming contributors by a role word.  Such a segment holds one of
    `_ROLE_MARK` (and the body's splices at "first published" and "Vol. N, No. M"
    join at punctuation, so they make no new one): counting them bounds the roles.
    Read on the raw text: normalising white space neither adds a comma nor makes a
    page count or a role mark (the patterns take any run of white space).  A caller
    that already knows `has_page_count(text)` passes it as `pages`.
    """
    if "," not in text:
        return 0.0
    if pages is None:
        pages = has_page_count(text)
    low = text.lower()
    # every role mark holds "by", "ed" or "under" (the long s only ever follows "ed")
    roles = len(_ROLE_MARK.findall(low.replace("ſ", "s"))) if "by" in low or "ed" in low or "under" in low else 0
    return min(0.95, 0.45 + (0.3 if pages else 0.0) + 0.3 + 0.1 * roles)


def parse_listing(text: str) -> tuple[dict[str, Any], float] | None:
    """Parse a title-first entry; None when the text does not have that shape."""
    text = single_spaced(text)
    if len(text) > 2000 or "," not in text or not _may_be_dated(text):
        return None
    return _read_listing(text)


_ANY_DIGIT = re.compile(r"\d")


def _may_be_dated(text: str) -> bool:
    """Whether a listing reading can reach its first evidence: a page count or a date.

    Both need a digit, except "n.d." and its kin, which must then be a whole comma
    segment; and without a digit nothing changes the segments (page counts and
    "Vol. 1, No. 2" have digits, "first published ..., reprinted" says "published").
    So a text without a digit and without "publ" is read only if one of its comma
    segments is a date, as `_take_right` would see it.
    """
    if _ANY_DIGIT.search(text) or "publ" in text.lower():
        return True
    # a date without a digit is "n.d." or its kin (`dates._NO_DATE`, tried on the stripped
    # segment and on it without its final stops): at most seven characters once both are
    # stripped, so titles and names are refused by their length, without a date parse each
    return any(
        len(seg.strip().rstrip(".").strip()) <= _UNDATED_LONGEST and parse_date_segment(seg) is not None
        for seg in (s.lstrip(". ") for s in split_segments(text.rstrip(" .")))
    )


#: the longest text `dates._NO_DATE` matches (tests/extract/test_session5_paths.py checks it)
_UNDATED_LONGEST = 7


def _read_listing(text: str) -> tuple[dict[str, Any], float] | None:
    """`parse_listing` of a normalised text, without its quick refusals."""
    entry = _Entry()
    body, tail = text, ""
    if _COMMA_DIGIT.search(text) and (m := _PAGES.search(text)):
        entry.csl["number-of-pages"] = m.group(1)
        body, tail = text[: m.start()], text[m.end() :].strip()
        entry.evidence += 0.3
    body = _apply_reprint(body.rstrip(" ."), entry)
    if "vol" in body.lower() and (m := _VOLUME_ISSUE.search(body)):
        entry.csl.update({"volume": m.group(1), "issue": m.group(2)})
        body = body[: m.start()] + body[m.end() :]
    segs = _join_month_days([s.lstrip(". ") for s in split_segments(body)])
    dated = False
    for i, seg in enumerate(segs):
        # an "original" date is "first/originally published YEAR" (`dates._FIRST`, whose
        # "publ" under IGNORECASE matches only itself lower-cased): other segments are not read
        date = parse_date_segment(seg) if i and "publ" in seg.lower() else None
        if date is not None and date.role == "original":
            _apply_date(entry, date)
            segs[i] = ""
            dated = i == len(segs) - 1 or not any(segs[i + 1 :])
    segs = [s for i, s in enumerate(segs) if s or (i and segs[i - 1])]
    segs = _take_right(segs, entry, dated)
    if entry.evidence < 0.15 or len(segs) < 1 or not segs[0] or len(segs[0].split()) > 30:
        return None
    rest = _take_title(segs, entry)
    if entry.csl.get("genre") == "special issue":
        entry.notes.extend(s for s in rest if s)
        return _finish(entry), min(0.95, 0.45 + entry.evidence)
    rest = _take_parts(rest, entry)
    rest = _take_forms(rest, entry)
    mids, anchor = _take_roles([s for s in rest if s or s is rest[-1]], entry)
    _describe(_split_publisher(mids, entry, anchor), entry)
    if tail:
        entry.notes.append(tail)
    contributors = any(r in entry.csl for r in ("author", "editor", "compiler"))
    if entry.evidence < 0.3 and not contributors:
        return None  # "A caption, 1918" is not a citation
    publisher = str(entry.csl.get("publisher") or "")
    if (
        "number-of-pages" not in entry.csl
        and not contributors
        and " " not in publisher
        and not looks_like_publisher(publisher)
    ):
        return None  # "Strikers at the mill, Lawrence, Massachusetts, 1912": a caption with a place
    return _finish(entry), min(0.95, 0.45 + entry.evidence)


def _finish(entry: _Entry) -> dict[str, Any]:
    """Type the item and attach the notes."""
    csl = entry.csl
    if "type" not in csl:
        pages = int(csl.get("number-of-pages", "0") or 0)
        csl["type"] = "pamphlet" if 0 < pages <= PAMPHLET_MAX_PAGES else "book"
    notes = [n for n in entry.notes if n]
    if notes:
        csl["note"] = "; ".join(notes)
    if entry.variants:
        csl[VARIANTS] = entry.variants  # taken off by the extractor into Citation.name_variants
    return {"type": csl.pop("type"), **csl}
