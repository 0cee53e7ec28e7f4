"""Author-first scholarly bibliography entries (Chicago, APA, MLA) as CSL-JSON.

An entry is cut into sentence-like segments ("Surname, Given." "2001."
"Title." "Place: Publisher."): the first must read as the authors, the next as
the title, and each later one is matched against the shapes the styles use for
books, chapters, journal, newspaper and magazine pieces.  Regexes are anchored
or bounded by negated classes so that none backtracks badly on long junk.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from biblio.extract.memo import bounded_cache
from biblio.extract.names import (
    PARTICLES,
    _given_form,
    has_digit,
    is_initials,
    is_organisation,
    looks_like_person,
    parse_name,
    parse_names,
)
from biblio.extract.segments import CASELESS, single_spaced

__all__ = ["SCHOLARLY_CEILING", "parse_scholarly"]

#: The highest confidence `parse_scholarly` returns: authors 0.3, year 0.15, title 0.2
#: and one anchor (place, publisher or container) 0.3, each counted once.
SCHOLARLY_CEILING = 0.95

Name = dict[str, Any]
Date = tuple[int | None, int | None, int | None]
Result = tuple[dict[str, Any], float]

_MARKER = re.compile(r"(?:\[\d{1,4}\]|\(\d{1,4}\)|\d{1,3}[.)](?= )|[-*•+] )\s*")
_DASH = re.compile(r"(?:[—–]{1,4}|-{2,4}|_{2,8})(?=[ .,]|$)")
_MARKER_STARTS = frozenset("[(-*•+")  # or a decimal digit (what `\d` takes)
_DASH_STARTS = frozenset("—–-_")
_REPEAT = "———"
_UNDERSCORES = re.compile(r"(?<!_)_+")
_LINK = re.compile(r"(?:(?:retrieved from|available (?:at|from)) )?(?:doi: ?)?(?:https?://\S+|10\.\d{4,9}/\S+)", re.I)
# "ed." ends a segment ("Smith, John, ed." / "2nd ed.") unless a name follows it ("Ed. John Smith")
_ROLE_ABBR = frozenset({"ed", "eds", "trans", "tr", "comp", "comps"})
_NO_SPLIT = frozenset(
    {
        "st",
        "mr",
        "mrs",
        "ms",
        "dr",
        "prof",
        "rev",
        "vol",
        "no",
        "nos",
        "pp",
        "p",
        "pt",
        "ch",
        "chap",
        "sec",
        "fig",
        "cf",
        "ca",
        "c",
        "e.g",
        "i.e",
        "viz",
        "vs",
        "ph.d",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
    }
)
_INITIAL = re.compile(r"(?:[A-Z]\.-?)*[A-Z]")
_YEARISH = re.compile(r"\(?(?:\d{4}|n\.d)")
_YEAR = re.compile(
    r"\(?(?P<y>\d{4})[a-z]?(?: ?\[(?P<o>\d{4})\])?(?:, (?P<md>[^()]{3,20}))?\)?"
    r"|\(?(?P<nd>n\. ?d|forthcoming|in press)\.?\)?",
    re.I,
)
#: the characters `_YEAR` may start with besides a digit (what `\d` takes, `str.isdecimal`):
#: "(", and the first letters of "n.d.", "forthcoming" and "in press" under IGNORECASE
_YEAR_FIRSTS = frozenset("(nNfFiIİı")


def _may_be_year(text: str) -> bool:
    """Whether `_YEAR` may match `text` (or `text` without its trailing stops): titles seldom can."""
    return text[:1] in _YEAR_FIRSTS or text[:1].isdecimal()


_APA_YEAR = re.compile(r" ?\((?P<y>\d{4})[a-z]?(?:, (?P<md>[^()]{3,20}))?\)$| ?\((?P<nd>n\.d)\.?\)$")
_ROLE_TAIL = re.compile(r"(?:,? \((?P<p>eds?|trans|comps?)\.?\)|, (?P<c>eds?|trans|comps?)\.?)$", re.I)
_ROLE_VAR = {"ed": "editor", "eds": "editor", "trans": "translator", "comp": "compiler", "comps": "compiler"}
_NAME_SEP = re.compile(r" ?, ?(?:(?:and|&) )?| (?:and|&) ")
_SUFFIXES = frozenset({"Jr", "Sr", "II", "III", "IV"})
_ARTICLES = frozenset({"The", "A", "An"})
_FUNCTION_WORDS = frozenset(
    {"of", "for", "the", "and", "on", "in", "de", "du", "des", "la", "le", "to", "at", "&", "für", "y", "et"}
)
_MONTHS = (
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
)
_DATE = re.compile(
    r"(?P<m1>[A-Z][a-z]{2,8})\.? (?P<d1>\d{1,2}), (?P<y1>\d{4})"
    r"|(?P<d2>\d{1,2}) (?P<m2>[A-Z][a-z]{2,8})\.?,? (?P<y2>\d{4})"
    r"|(?P<m3>[A-Z][a-z]{2,8})\.? (?P<y3>\d{4})|(?P<m4>[A-Z][a-z]{2,8})\.? (?P<d4>\d{1,2})"
)
_ROLE_SEG = re.compile(
    r"(?P<r>(?:edited|translated|compiled)(?: and (?:edited|translated|compiled))? by"
    r"|(?:eds?|trans|comp)\.(?: and trans\.)?) (?P<n>.+)",
    re.I,
)
_NOTE_SEG = re.compile(
    r"(?:with an? )?(?:introduction|foreword|preface|afterword)\b|reprint"
    r"|(?:originally|first) pub",
    re.I,
)
_ACCESS = re.compile(r"(?:accessed|retrieved|last modified|available (?:at|from))\b,? ?(?P<d>.*)", re.I)
_EDITION = re.compile(r"(?:(?P<n>\d{1,3})(?:st|nd|rd|th)|(?P<w>[A-Za-z]+)\.?) (?:ed|edn|edition)\.?", re.I)
_ORDINALS = {w: str(i) for i, w in enumerate(("first", "second", "third", "fourth", "fifth"), 1)}
_TITLE_EDITION = re.compile(r" \((?P<n>\d{1,3})(?:st|nd|rd|th) ed\.?\)")
_VOLUME = re.compile(r"(?:vol\.|volume) (?P<v>\w+)|(?P<n>\d{1,3}) vols?\.?", re.I)
_PAGES = re.compile(r"pp?\. ?(?P<p>[\w–—-]+)|(?P<n>\d{1,5}) (?:pp|pages)\.?")
_JOURNALS = (  # MLA "J, vol. 34, no. 2, 1999, pp. 1-9"; APA "J, 34(2), 1–9"; Chicago "J 34, no. 2 (1999): 1–9"
    re.compile(
        r"(?P<j>[^,()]+), vol\. (?P<v>\w+)(?:, no\. (?P<i>[\w/–-]+))?(?:, (?P<d>[^,()]+))?"
        r"(?:, pp?\. (?P<p>[\w–—-]+))?"
    ),
    re.compile(r"(?P<j>[^,()]+), (?P<v>\d+)(?: ?\((?P<i>[^()]+)\))?(?:, (?P<p>[\w–—-]+))?"),
    re.compile(r"(?P<j>[^,()]+?) (?P<v>\d+)(?:, no\. (?P<i>[\w/–-]+))?(?: \((?P<d>[^()]+)\))?(?:: (?P<p>[\w–—-]+))?"),
)
_MAGAZINE = re.compile(r"\b(?:Magazine|Review|Weekly|Monthly|New Yorker|Atlantic|Economist|Spectator|Harper)")
_IN_ROLE = re.compile(r", (?:edited(?: and translated)? by|eds?\.|translated by|trans\.) ")
_IN_PAGES = re.compile(r"(?:, (?:pp?\. ?)?| pp?\. ?)(?P<p>\d+(?:[–—-]\d+)?)$")
_IN_APA = re.compile(
    r"(?P<eds>[^()]+) \((?:Eds?|Trans|Comps?)\.?\), (?P<book>[^()]+?)"
    r"(?: \((?:pp?\. ?)?(?P<p>[^()]+)\))?"
)
_THESIS = re.compile(
    r"(?P<g>(?:Ph\. ?D\.?|PhD|DPhil|MA|M\.A\.|MSc|Master[’']s|Doctoral|BA|Honou?rs)"
    r"(?: diss(?:ertation)?\.?| thesis)),? (?P<pub>[^,]+)(?:, (?P<y>\d{4}))?",
    re.I,
)
_SERIES = re.compile(r"\b(?:Series|Studies|Library|Papers|Texts|Monographs|Collection)\b| \d{1,4}$")
_PLACE_WORD = re.compile(r"[A-Z][\w.'’-]*,?|and|on|upon|am|de|la|le|&|/")
_MORE_AUTHORS = re.compile(r"^[ ,]*(?:and |& )?")
_FOUR_DIGITS = re.compile(r"\d{4}")
_SERIES_NUMBER = re.compile(r" (\d{1,4})$")
_ORDER = (
    "type",
    "title",
    "author",
    "editor",
    "translator",
    "compiler",
    "container-title",
    "collection-title",
    "collection-number",
    "publisher",
    "publisher-place",
    "issued",
    "original-date",
    "accessed",
    "volume",
    "number-of-volumes",
    "issue",
    "page",
    "number-of-pages",
    "edition",
    "genre",
    "URL",
    "DOI",
    "note",
)


@dataclass(slots=True)
class _Entry:
    """What has been read of one entry so far, and how sure its shape is."""

    csl: dict[str, Any] = field(default_factory=dict)
    score: float = 0.0
    year: int | None = None
    dated: bool = False  # a year or "n.d." was read
    date: Date | None = None  # month/day given by a container ("March 3, 2001")
    kind: str = ""  # CSL type fixed by the container, when there is one
    quoted: bool = False  # the title was in quotation marks: a part of something
    placed: bool = False  # publisher, place or container read
    weak: bool = False  # the author is a bare capitalised phrase
    parts: int = 0
    notes: list[str] = field(default_factory=list)

    def put(self, key: str, value: Any) -> None:
        """Set a variable unless it is already set or the value is empty."""
        if value and key not in self.csl:
            self.csl[key] = value

    def anchor(self, bonus: float = 0.25) -> None:
        """Count a publisher, place or container once."""
        self.score += 0.0 if self.placed else bonus
        self.placed = True


MAX_ENTRY = 1500  # characters: longer blocks are paragraphs
_EARLY_STOP = re.compile(r"[,.]")
_INNER_STOP = re.compile(r"[.?!]\s*\S")


def parse_scholarly(text: str, previous_authors: list[dict[str, Any]] | None = None) -> Result | None:
    """Parse one bibliography entry in a scholarly style; None when it is not one."""
    if len(text) > MAX_ENTRY or not _EARLY_STOP.search(text, 0, 100):
        return None  # a paragraph, not an entry: entries open with "Author," or "Author."
    if not _INNER_STOP.search(text):
        # Authors and title need two segments, and a segment ends at a stop: ".", "?" or
        # "!" with more text after it (or a word after "G." for `_after_initials`).  Reading
        # only deletes characters, so a stop with nothing after it here has nothing after
        # it there either.  Saves the whole reading of listings and notes.
        return None
    links: dict[str, str] = {}
    segs = _segments(_prepare(text, links))
    if not segs:
        return None
    found = _parse(segs, links, previous_authors)
    if found is None and (split := _after_initials(segs[0])):
        # "Ward, J. R. The Grey Hills.": no full stop of its own ends the authors
        found = _parse([*split, *segs[1:]], links, previous_authors, penalty=0.05)
    if found is not None:
        _title_brackets(found[0])
    return found


_BRACKET_TAIL = re.compile(r"\s*\(([^()]{1,120})\)\s*$")
_ROLE_BRACKET = re.compile(r"^(?P<names>.+?),\s*(?P<role>Trans|Ed|Eds|Comp)\.$")
_VOL_BRACKET = re.compile(r"^Vols?\.\s*(\d+(?:\s*[–-]\s*\d+)?)$")
_THESIS_BRACKET = re.compile(
    r"^(?:Doctoral dissertation|Master['’]?s thesis|Ph\.?\s?D\.? (?:thesis|dissertation)|"
    r"Unpublished (?:doctoral dissertation|master['’]?s thesis))\b",
    re.IGNORECASE,
)
_ORIGINAL_NOTE = re.compile(r"^\(?Original work published (\d{4})\)?\.?$", re.IGNORECASE)
_ROLE_OF_BRACKET = {"trans": "translator", "ed": "editor", "eds": "editor", "comp": "compiler"}


def _title_brackets(csl: dict[str, Any]) -> None:
    """APA's bracketed parts after a title: "(Vol. 3)", "(H. de Onís, Trans.)", "(Doctoral dissertation)"."""
    title = str(csl.get("title") or "")
    while title.rstrip().endswith(")") and (m := _BRACKET_TAIL.search(title)):
        inner = m.group(1).strip()
        if vol := _VOL_BRACKET.match(inner):
            csl.setdefault("volume", vol.group(1))
        elif role := _ROLE_BRACKET.match(inner):
            csl.setdefault(_ROLE_OF_BRACKET[role.group("role").lower()], parse_names(role.group("names")))
        elif _THESIS_BRACKET.match(inner):
            csl["type"] = "thesis"
            csl.setdefault("genre", inner)
        else:
            break
        title = title[: m.start()].rstrip()
    csl["title"] = title
    note = str(csl.get("note") or "")
    if note and (m := _ORIGINAL_NOTE.match(note)) is not None:  # most readings have no note
        csl["original-date"] = {"date-parts": [[int(m.group(1))]]}
        del csl["note"]


def _parse(segs: list[str], links: dict[str, str], previous: list[Name] | None, penalty: float = 0.0) -> Result | None:
    """One reading of the segments: authors, year, title, then the rest."""
    entry = _Entry(dict(links), -penalty)  # positional: csl, score
    if len(segs) < 2 or not _read_authors(entry, segs[0], previous):
        return None
    at = 1
    if not entry.dated and _may_be_year(segs[1]) and (year := _YEAR.fullmatch(segs[1].rstrip("."))):
        _set_year(entry, year)
        at = 2
    if entry.weak and not entry.dated:
        return None  # a plain capitalised phrase is an author only when a year follows it
    if at >= len(segs) or not _read_title(entry, segs[at]):
        return None
    rest = [s.rstrip(".").strip() for s in segs[at + 1 :]]
    last = len(rest) - 1
    for i, seg in enumerate(rest):
        if seg:
            # offered to the readers that may take it, in order, until one does
            for reader in _readers_for(seg):
                if reader(entry, seg):
                    break
            else:
                if not (i == last and _bare_publisher(entry, seg)):
                    _unknown(entry, seg)
        entry.parts += 1
    return _finish(entry)


def _prepare(text: str, links: dict[str, str]) -> str:
    """One line without list marker, emphasis or links; a repeated-author dash made uniform."""
    body = single_spaced(text)
    # each pattern is tried only where it may start (the first characters of its branches)
    if (body[:1] in _MARKER_STARTS or body[:1].isdecimal()) and (marker := _MARKER.match(body)):
        body = body[marker.end() :]
    body = body.replace("*", "").strip()
    if body[:1] in _DASH_STARTS and (dash := _DASH.match(body)):
        body = _REPEAT + body[dash.end() :]
    if "10." in body or "http" in body.lower():  # every link holds one (any case for "http")
        for link in _LINK.finditer(body):
            url = link.group().rstrip(".,;)")
            url = url[url.find("http") :] if "http" in url else url[url.find("10.") :]
            doi = url.partition("doi.org/")[2] if "doi.org/" in url else ("" if "://" in url else url)
            links.setdefault("DOI" if doi else "URL", doi or url)
        body = _LINK.sub("", body)
    if "_" in body:
        body = _UNDERSCORES.sub(_unemphasise, body)
    return body.strip()


def _unemphasise(match: re.Match[str]) -> str:
    """Drop _emphasis_ markers but keep underscores inside words."""
    text, start, end = match.string, match.start(), match.end()
    inside = start > 0 and end < len(text) and text[start - 1].isalnum() and text[end].isalnum()
    return match.group() if inside else ""


# brackets, quotation marks, and the stops that may end a segment: followed, after any
# closing quotation marks, by a space or the end (a stop before anything else changes nothing)
_MARKS = re.compile(r"[()\[\]\"“”]|[.?!](?=[\"”]*(?: |\Z))")


def _segments(text: str, strict: bool = True) -> list[str]:
    """Cut an entry at sentence ends outside parentheses and quotations (one linear pass)."""
    if strict and (not _GROUPING.search(text) or _one_bare_bracket(text)):
        return _plain_segments(text)
    return _grouped_segments(text, strict)


def _one_bare_bracket(text: str) -> bool:
    """Whether the only grouping is one "(...)" without a stop inside: APA's "(2001)".

    The grouped pass then counts the stops the plain pass visits (none is inside the
    brackets, and without quotation marks a stop followed by a space or the end is a
    candidate), decides each alike and ends balanced.  `_ends` strips an opening bracket
    off the word before a stop, the plain pass does not, and need not: a word opening
    with "(" before a stop holds ")" (else the stop would be inside the brackets), and a
    word with ")" is a plain word either way.  A stop right before ")" is refused here
    (the search ends at the bracket), which only leaves the text to the grouped pass.
    """
    opening = text.find("(")
    closing = text.find(")")
    return (
        0 <= opening < closing
        and text.count("(") == 1
        and text.count(")") == 1
        and _OTHER_GROUPING.search(text) is None
        and _STOP.search(text, opening, closing) is None
    )


_OTHER_GROUPING = re.compile(r"[\[\]\"“”]")


def _grouped_segments(text: str, strict: bool) -> list[str]:
    """`_segments` minding brackets and quotation marks: a stop inside them ends nothing."""
    out: list[str] = []
    start = depth = resume = 0
    quoted = False
    size = len(text)
    for mark in _MARKS.finditer(text):  # only these characters change anything
        i = mark.start()
        if i < resume:
            continue  # a closing quotation mark taken with the stop before it
        ch = text[i]
        if ch in "([" and strict:
            depth += 1
        elif ch in ")]":
            depth = max(0, depth - 1)
        elif ch in '"“”' and strict:
            quoted = ch == "“" or (ch == '"' and not quoted)
        elif ch in ".?!" and depth == 0:
            j = i + 1
            while j < size and text[j] in '"”':
                j += 1
            # inside quotation marks only a stop right before the closing mark ends a segment
            if text[j : j + 1] in ("", " ") and (not quoted or j > i + 1) and _ends(text, start, i, j, not out):
                out.append(text[start:j].strip())
                start, quoted, resume = j + 1, False, j + 1
    if text[start:].strip():
        out.append(text[start:].strip())
    if strict and (quoted or depth):
        return _segments(text, strict=False)  # unbalanced marks protect nothing
    return out


_GROUPING = re.compile(r"[()\[\]\"“”]")
_STOP = re.compile(r"[.?!](?= |\Z)")


def _plain_segments(text: str) -> list[str]:
    """`_segments` of a text without brackets or quotation marks, where only the stops count.

    Nothing opens a group, so every stop followed by a space or the end is a candidate
    and `_ends` decides, as in the general pass; this one visits only those stops.  Also
    taken by a text whose one "(...)" holds no stop (`_one_bare_bracket`).
    """
    out: list[str] = []
    start = 0
    for i in _stops(text):
        if text[i] == ".":
            # `_ends` inlined: the word before the stop needs no stripping here (no
            # brackets, no quotes), and most stops follow a plain word
            k = text.rfind(" ", start, i) + 1 or start  # no space: the segment's start
            kind = _token_kind(text[k:i])
            if kind != _WORD and (
                (k <= start or text.startswith("In ", start))
                if kind == _ROLE
                else kind == _ABBREVIATION
                or (_YEARISH.match(text, i + 2) is None and not _closes_first_name(text, start, i, k, not out))
            ):
                continue
        out.append(text[start : i + 1].strip())
        start = i + 2
    if text[start:].strip():
        out.append(text[start:].strip())
    return out


def _stops(text: str) -> list[int]:
    """Where `_STOP` matches: a stop followed by a space or the end.

    Most entries stop only with full stops: `str.find` finds ". " without a match object
    a stop.
    """
    if "?" in text or "!" in text:
        return [stop.start() for stop in _STOP.finditer(text)]
    found = []
    i = text.find(". ")
    while i >= 0:
        found.append(i)
        i = text.find(". ", i + 2)
    if text[-1:] == ".":
        found.append(len(text) - 1)
    return found


def _ends(text: str, start: int, i: int, j: int, first: bool) -> bool:
    """Whether the full stop at i ends a segment rather than an initial or abbreviation."""
    if text[i] != ".":
        return True
    k = max(text.rfind(" ", start, i) + 1, start)
    kind = _token_kind(text[k:i].lstrip('(["“'))
    if kind == _WORD:
        return True
    if kind == _ROLE:
        return k > start and not text.startswith("In ", start)
    if kind == _ABBREVIATION:
        return False
    # an initial: it ends the segment before a year ("Smith, J. 2001."), or after a full name
    return bool(_YEARISH.match(text, j + 1)) or _closes_first_name(text, start, i, k, first)


_WORD, _ROLE, _ABBREVIATION, _INITIAL_TOKEN = range(4)


@bounded_cache(8192)
def _token_kind(token: str) -> int:
    """What the word before a full stop is: a role ("ed"), an abbreviation, an initial, a word.

    Cached: entries end their words with the same few abbreviations, initials and years.
    """
    low = token.lower()
    if low in _ROLE_ABBR:
        return _ROLE
    if low in _NO_SPLIT:
        return _ABBREVIATION
    return _INITIAL_TOKEN if _INITIAL.fullmatch(token) else _WORD


def _closes_first_name(text: str, start: int, i: int, k: int, first: bool) -> bool:
    """Whether an initial's stop ends the authors: "Smith, John Q. Title".

    A middle initial after a full given name closes the first name.
    """
    head = text[start:k].split() if first and i - start < 200 else []
    return (
        len(head) > 1
        and " ".join(head).count(",") == 1
        and not {"and", "&"} & set(head)
        and head[-1].isalpha()
        and len(head[-1]) > 1
    )


def _after_initials(seg: str) -> list[str] | None:
    """Cut "Surname, G. Title Words" after the initials, or None."""
    words = seg.split(" ")
    comma = False
    for k in range(1, min(len(words), 40)):
        prev, word = words[k - 1], words[k]
        comma = comma or prev.endswith(",")
        if (
            comma
            and prev.endswith(".")
            and _INITIAL.fullmatch(prev[:-1])
            and word[:1].isupper()
            and not _INITIAL.fullmatch(word.rstrip(".,"))
        ):
            return [" ".join(words[:k]), " ".join(words[k:])]
    return None


def _read_authors(entry: _Entry, seg: str, previous: list[Name] | None) -> bool:
    """The author segment: names, a role ("ed."), an APA year; False when it is no author list."""
    seg = seg.rstrip(". ")
    if "(" in seg and (year := _APA_YEAR.search(seg)):
        _set_year(entry, year)
        seg = seg[: year.start()].rstrip(". ")
    role = "author"
    if _may_end_in_role(seg) and (tail := _ROLE_TAIL.search(seg)):
        role = _ROLE_VAR[(tail["p"] or tail["c"]).lower()]
        seg = seg[: tail.start()].rstrip(". ")
    if seg.startswith(_REPEAT):  # "———, and Ann Lee": the previous entry's authors, and more
        extra = _MORE_AUTHORS.sub("", seg[len(_REPEAT) :])
        names = [dict(n) for n in previous or []] + (parse_names(extra) if extra else [])
        entry.score += 0.3 if previous else 0.1
    elif read := _names(seg):
        names, score = read
        entry.score += score
        entry.weak = score < 0.2
    else:
        return False
    if names:
        entry.csl[role] = names
    return True


def _may_end_in_role(seg: str) -> bool:
    """Whether `_ROLE_TAIL` may match: "(eds.)", ", ed.", ", trans", ", comps" end in one of these."""
    return seg.rstrip("\n")[-1:] in _ROLE_ENDS


#: the last characters of `_ROLE_TAIL` under IGNORECASE (which also takes the long s for "s")
_ROLE_ENDS = frozenset(").dDsSpPſ")


def _names(seg: str) -> tuple[list[Name], float] | None:
    """Inverted personal names ("Surname, Given, and Given Surname") or one corporate name."""
    read = _read_names(seg)
    return None if read is None else ([dict(n) for n in read[0]], read[1])


@bounded_cache(8192)
def _read_names(seg: str) -> tuple[tuple[Name, ...], float] | None:
    """`_names`, cached (a list names its authors again and again); the caller gets copies."""
    if "," not in seg:
        return (({"literal": seg},), 0.2 if is_organisation(seg) else 0.15) if _is_corporate(seg) else None
    pieces = _NAME_SEP.split(seg)
    if len(pieces) > 60 or not all(pieces):
        return None
    if _is_family(pieces[0]) and is_organisation(pieces[1]) and _is_corporate(seg.replace(",", "")):
        return ({"literal": seg},), 0.25  # "Great Britain, Foreign Office"
    names: list[Name] = []
    i = 0
    while i < len(pieces):
        piece, nxt = pieces[i], pieces[i + 1] if i + 1 < len(pieces) else ""
        if names and piece.rstrip(".") in _SUFFIXES:
            names[-1]["suffix"] = piece
        elif names and piece.rstrip(".").lower() == "et al":
            pass
        elif nxt and _is_family(piece) and _is_given(nxt) and (not names or _all_initials(nxt) or " " not in piece):
            names.append(_inverted(piece, nxt))  # the first name, or APA's "Surname, G." later on
            i += 1
        elif names and len(piece.split()) > 1 and looks_like_person(piece):
            names.append(parse_name(piece))
        else:
            return None
        i += 1
    # a family name of several words without particles ("Moscow Correspondent") is less sure
    family = pieces[0].split()
    plain = len(family) < 2 or all(t.lower() in PARTICLES for t in family[:-1])
    return tuple(names), 0.3 if plain else 0.25


@bounded_cache(8192)
def _is_corporate(text: str) -> bool:
    """A short capitalised phrase: "United Nations", "Bureau of Labor Statistics"."""
    words = text.split()
    return (
        0 < len(words) <= 10
        and words[0][:1].isupper()
        and not any(c.isdigit() or c in '"“”?' for c in text)
        and all(w[:1].isupper() or w.lower() in _FUNCTION_WORDS for w in words)
    )


@bounded_cache(8192)
def _is_family(text: str) -> bool:
    """A family name: capitalised words or particles, no digits ("van der Berg", "O’Neill")."""
    words = text.split()
    if not _name_words(text, words):
        return False
    # one word (most family names) is capitalised or a particle: no generator for it
    capital = words[0][0].isupper() if len(words) == 1 else any(w[0].isupper() for w in words)
    return capital and not _INITIAL.fullmatch(text.rstrip("."))


@bounded_cache(8192)
def _is_given(text: str) -> bool:
    """Given names or initials: "Mary Ann", "W. P.", "Ludwig von" (not "The Grey Hills")."""
    words = text.split()
    # a lone "A" is an initial here, not the article (the segment's full stop was already cut)
    return (
        _name_words(text, words)
        and words[0][0].isupper()
        and (_all_initials(text) or not _ARTICLES.intersection(words))
    )


def _name_words(text: str, words: list[str]) -> bool:
    """One to four capitalised words or particles made of letters, dots, hyphens, apostrophes."""
    if not 0 < len(words) <= 4:
        return False
    # letters once hyphens, apostrophes, dots and spaces go: five `str.replace` are four
    # times quicker than `str.translate` with a deletion table
    letters = text.replace("-", "").replace("'", "").replace("’", "").replace(".", "").replace(" ", "")
    if letters and not letters.isalpha():
        return False
    for w in words:  # noqa: SIM110 - a loop, not a generator: first-sight path of every name
        if not (w[0].isupper() or w.lower() in PARTICLES):
            return False
    return True


def _all_initials(text: str) -> bool:
    """Only initials ("G.", "J. R.", "WP")."""
    return all(is_initials(t) for t in text.replace(".", ". ").split())


def _inverted(family: str, given: str) -> Name:
    """One inverted name; a trailing particle ("Mises, Ludwig von") joins the family name.

    `parse_inverted_name(f"{family}, {given}")` without the round trip: the pieces of
    `_NAME_SEP` hold no comma, so that text parts at the comma between them.
    """
    name: Name = {"family": family.strip()}
    if given := " ".join(given.split()).strip(" ,"):
        name["given"] = _given_form(given)
    words = name["given"].split() if given else []
    moved: list[str] = []
    while len(words) > 1 and words[-1].lower() in PARTICLES:
        moved.insert(0, words.pop())
    if moved:
        name.update(family=" ".join([*moved, name["family"]]), given=" ".join(words))
    return name


def _set_year(entry: _Entry, match: re.Match[str]) -> None:
    """Record a year ("2001", "(2001, March 3)", "1987 [1935]", "n.d."); the first one counts."""
    groups = match.groupdict() or {"y": match.group()}
    entry.score += 0.0 if entry.dated else 0.15
    entry.dated = True
    if groups.get("y") and entry.year is None:
        entry.year = int(groups["y"])
    if groups.get("o"):
        entry.put("original-date", {"date-parts": [[int(groups["o"])]]})
    if groups.get("md") and (date := _parse_date(groups["md"])):
        entry.date = date
    if (groups.get("nd") or "").lower() in ("forthcoming", "in press"):
        entry.notes.append(groups["nd"])


def _parse_date(text: str) -> Date | None:
    """ "March 3, 2001", "3 March 2001", "March 2001", "Mar. 3" -> (year, month, day)."""
    if not (found := _DATE.fullmatch(text.strip())):
        return None
    g = {k[0]: v for k, v in found.groupdict().items() if v}
    low = g["m"].lower()
    months = [n for n, m in enumerate(_MONTHS, 1) if m == low or (len(low) <= 4 and m.startswith(low))]
    if not months:
        return None
    return (int(g["y"]) if "y" in g else None, months[0], int(g["d"]) if "d" in g else None)


def _read_title(entry: _Entry, seg: str) -> bool:
    """The title segment; False when it reads as something else (a year, an imprint)."""
    entry.quoted = seg[:1] in '"“'
    if " (" in seg and (edition := _TITLE_EDITION.search(seg)):
        entry.put("edition", edition["n"])
        seg = seg[: edition.start()] + seg[edition.end() :]
    title = _clean_title(seg)
    if not _has_letter(title) or (_may_be_year(title) and _YEAR.fullmatch(title)):
        return False
    place, colon, rest = title.partition(": ")
    if colon and _is_place(place) and _YEAR.fullmatch(rest.rpartition(", ")[2]):
        return False  # "London: Faber, 1935" is an imprint, not a title
    entry.csl["title"] = title
    entry.score += 0.2
    return True


def _has_letter(text: str) -> bool:
    """Whether any character is a letter (ASCII text answered by a pattern)."""
    if text.isascii():
        return _ASCII_LETTER.search(text) is not None
    return any(c.isalpha() for c in text)


_ASCII_LETTER = re.compile(r"[A-Za-z]")


def _clean_title(text: str) -> str:
    """Strip surrounding quotation marks and trailing full stops and commas."""
    text = text.strip().strip('"“”').rstrip(".,").strip('"“”').strip()
    return text[1:-1] if text[:1] == "‘" and text[-1:] == "’" else text


def _role(entry: _Entry, seg: str) -> bool:
    """ "Edited by X", "Translated by X", "Ed. X", "Trans. X"."""
    if not (found := _ROLE_SEG.fullmatch(seg)):
        return False
    words = found["r"].lower().split()
    for stem, var in (("ed", "editor"), ("trans", "translator"), ("comp", "compiler")):
        if any(w.startswith(stem) for w in words):
            entry.put(var, parse_names(found["n"]))
    return True


def _aside(entry: _Entry, seg: str) -> bool:
    """Access dates, and notes about introductions or reprints."""
    if found := _ACCESS.match(seg):
        if (date := _parse_date(found["d"])) and date[0]:
            entry.put("accessed", {"date-parts": [[d for d in date if d]]})
    elif _NOTE_SEG.match(seg):
        # Chicago "Reprint, Place: Publisher, Year": the imprint is the reprint's
        reprint = seg[:9].lower() == "reprint, " and _publication(entry, seg[9:])
        entry.notes.append("Reprint" if reprint else seg)
    return bool(found or _NOTE_SEG.match(seg))


def _edition_volume(entry: _Entry, seg: str) -> bool:
    """ "2nd ed.", "Rev. ed.", "Vol. 2", "3 vols.", "350 pp.", "pp. 45–67"."""
    # each pattern is tried only where its words occur: " ed", "vol" (IGNORECASE: these
    # letters match only their two cases) and "p"
    low = seg.lower()
    found = None
    if " ed" in low and (found := _EDITION.fullmatch(seg)):
        entry.put("edition", found["n"] or _ORDINALS.get(found["w"].lower()) or found["w"])
    elif "vol" in low and (found := _VOLUME.fullmatch(seg)):
        entry.put("volume", found["v"])
        entry.put("number-of-volumes", found["n"])
    elif "p" in seg and (found := _PAGES.fullmatch(seg)):
        entry.put("page", found["p"])
        entry.put("number-of-pages", found["n"])
    return found is not None


def _chapter(entry: _Entry, seg: str) -> bool:
    """ "In Book, edited by X, 45–67" (Chicago) or "In X (Ed.), Book (pp. 45–67)" (APA)."""
    if not seg.startswith("In ") or entry.kind:
        return False
    body, editors, pages = seg[3:], "", None
    if apa := _IN_APA.fullmatch(body):
        body, editors, pages = apa["book"], apa["eds"], apa["p"]
    else:
        if found := _IN_PAGES.search(body):
            body, pages = body[: found.start()], found["p"]
        if role := _IN_ROLE.search(body):
            body, editors = body[: role.start()], body[role.end() :]
    entry.kind = "chapter"
    entry.put("container-title", _clean_title(body))
    entry.put("editor", parse_names(editors) if editors else None)
    entry.put("page", pages.removeprefix("pp. ").removeprefix("p. ") if pages else None)
    entry.anchor()
    return True


def _thesis(entry: _Entry, seg: str) -> bool:
    """ "PhD diss., University of X, 2001"."""
    if entry.kind or not (found := _THESIS.fullmatch(seg)):
        return False
    entry.kind = "thesis"
    entry.put("genre", found["g"])
    entry.put("publisher", found["pub"])
    if found["y"]:
        _set_year(entry, found)
    entry.anchor()
    return True


def _journal(entry: _Entry, seg: str) -> bool:
    """ "Journal 34 (2): 165–87", "Journal 34, no. 2 (1999): 165–87", "Journal, 34(2), 165–187"."""
    return _may_locate(entry, seg) and _read_journal(entry, seg)


# what an issue or a page in `_JOURNALS` needs: "no.", "p.", "(", a second ", ", or ": 45" at the end
_LOCATION = re.compile(r"no\.|p\.|\(|: [\w–—-]+\Z")


def _may_locate(entry: _Entry, seg: str) -> bool:
    """Whether `_read_journal` may take a segment: a quoted title, or an issue or page to read.

    Without either it declines whatever pattern matches, so "Place: Publisher, 2001"
    is refused before three patterns are tried on it.
    """
    return not entry.kind and (entry.quoted or seg.count(", ") > 1 or _LOCATION.search(seg) is not None)


def _read_journal(entry: _Entry, seg: str) -> bool:
    """`_journal` without its quick refusal."""
    found = None if entry.kind else next((m for p in _JOURNALS if (m := p.fullmatch(seg))), None)
    if not found or not found["j"][:1].isupper():
        return False
    g = found.groupdict()
    located = g.get("i") or g.get("p")
    if not (entry.quoted or located) or (len(g["v"]) == 4 and not located):
        return False  # "Publisher, 2001" or a numbered series, not a journal
    entry.kind = "article-journal"
    entry.put("container-title", _clean_title(g["j"]))
    entry.put("volume", g["v"])
    when = g.get("d") or ""
    year = _FOUR_DIGITS.search(when)
    entry.put("issue", g.get("i") or (when if when and not year else None))  # Chicago A-D "34 (2)"
    entry.put("page", g.get("p"))
    if year:
        entry.date = entry.date or _parse_date(when) or (int(year.group()), None, None)
        _set_year(entry, year)
    entry.anchor()
    return True


def _periodical(entry: _Entry, seg: str, date: Date | None = None) -> bool:
    """ "New York Times, March 3, 2001", "The Guardian, 12 May 1998": newspaper or magazine."""
    name, comma, when = seg.partition(", ")
    if date is None:
        date = _parse_date(when) if comma and not entry.kind else None
        if not date or not name[:1].isupper():
            return False
    else:
        name = seg
    entry.kind = "article-magazine" if _MAGAZINE.search(name) else "article-newspaper"
    entry.put("container-title", _clean_title(name))
    entry.date = date if date[1] else entry.date
    entry.anchor()
    return True


def _publication(entry: _Entry, seg: str) -> bool:
    """ "Place: Publisher", "Place: Publisher, 2001", "Publisher, 2001", or a year alone."""
    if (imprint := _imprint(seg)) is None:
        return False
    year, place, publisher = imprint
    if publisher is None and year is not None:  # a year alone
        _set_year(entry, year)
        return True
    entry.put("publisher-place", place)
    entry.put("publisher", publisher)
    if year:
        _set_year(entry, year)
    entry.anchor(0.3 if place else 0.25)
    return True


@bounded_cache(8192)
def _imprint(seg: str) -> tuple[re.Match[str] | None, str, str | None] | None:
    """(year, place, publisher) of an imprint, publisher None for a year alone; cached, lists
    repeat their imprints."""
    if year := _YEAR.fullmatch(seg):
        return year, "", None
    place, colon, rest = seg.partition(": ")
    if not (colon and _is_place(place)):
        place, rest = "", seg
    head, comma, tail = rest.rpartition(", ")
    year = _YEAR.fullmatch(tail) if comma else None
    publisher = head if year else rest
    if not _is_publisher(publisher) or not (place or year):
        return None
    return year, place, publisher


@bounded_cache(8192)
def _is_place(text: str) -> bool:
    """A place of publication: "New York", "Cambridge, MA", "London and New York"."""
    words = text.replace(";", " ").split()
    return 0 < len(words) <= 6 and not has_digit(text) and all(_PLACE_WORD.fullmatch(w) for w in words)


def _is_publisher(text: str) -> bool:
    """A short name starting with a capital or digit ("4th Estate"), not a quotation."""
    return 0 < len(text.split()) <= 10 and text[:1].isalnum() and not text[:1].islower() and '"' not in text


_PAGE_TAIL = re.compile(r"^(.*?),\s*pp?\.\s*([A-Z]?\d+(?:\s*[–-]\s*[A-Z]?\d+)?)$")


def _bare_publisher(entry: _Entry, seg: str) -> bool:
    """The last segment alone: an APA publisher, or a newspaper when a day was given."""
    page = _PAGE_TAIL.match(seg)
    if page and entry.date and entry.date[1] and not entry.kind:
        seg = page.group(1)  # APA newspaper: "The New York Times, p. 1"
        entry.put("page", page.group(2))
    if not (entry.dated and _is_publisher(seg) and _is_corporate(seg)) or "publisher" in entry.csl:
        return False
    if entry.quoted and not entry.kind:
        return False  # after a quoted title a bare name is a website or periodical: see _unknown
    if entry.date and entry.date[1] and not entry.kind:
        return _periodical(entry, seg, entry.date)  # APA "(2001, March 3). Headline. The Times."
    if entry.kind not in ("", "chapter"):
        return False
    entry.put("publisher", seg)
    entry.anchor(0.2)
    return True


def _unknown(entry: _Entry, seg: str) -> None:
    """A subtitle after "?", a website or series name, or else a note (less sure)."""
    title = str(entry.csl.get("title", ""))
    if entry.parts == 0 and title[-1:] in "?!" and not entry.quoted:
        entry.csl["title"] = f"{title} {_clean_title(seg)}"
    elif entry.quoted and not entry.kind and "container-title" not in entry.csl and seg[:1].isupper():
        entry.put("container-title", _clean_title(seg))
        entry.anchor(0.15)
    elif not entry.placed and _SERIES.search(seg) and seg[:1].isupper():
        number = _SERIES_NUMBER.search(seg)
        entry.put("collection-title", seg[: number.start()] if number else seg)
        entry.put("collection-number", number.group(1) if number else None)
    else:
        entry.notes.append(seg)
        entry.score -= 0.1


# What a reader needs before it takes a segment (a superset: the same words, caseless, a
# digit wherever its pattern has one).  `_aside`, `_role`, `_chapter` and `_thesis` need a
# segment opening with a word of `_WORDED_STARTS`, or " diss" or " thesis" in it;
# `_edition_volume` " ed", "vol", "p." or a digit; `_journal` "vol" or a digit;
# `_periodical` the digits of a date.  A reader that declines changes nothing, so skipping
# one that must decline reads the segment exactly as before: "New York: Penguin" goes
# straight to `_publication`, "Vol. 2" and "Penguin, 2001" to the four readers a number
# can concern (tests/extract/test_lean_paths.py holds the patterns these literals replace).
_WORDED_STARTS = (
    "accessed",
    "retrieved",
    "last modified",
    "available",
    "with a",
    "introduction",
    "foreword",
    "preface",
    "afterword",
    "reprint",
    "originally pub",
    "first pub",
    "edited",
    "translated",
    "compiled",
    "ed.",
    "eds.",
    "trans.",
    "comp.",
    "in ",
)
_DIGIT = re.compile(r"\d")


@bounded_cache(8192)
def _readers_for(seg: str) -> tuple[Callable[[_Entry, str], bool], ...]:
    """The readers that may take a segment, in order (the literals read on caseless text)."""
    # `CASELESS` maps only non-ASCII characters; `str.translate` with a mapping walks
    # every character through it (about 1 µs for an imprint, twenty times `str.lower`)
    low = seg.lower() if seg.isascii() else seg.translate(CASELESS).lower()
    if low.startswith(_WORDED_STARTS) or " diss" in low or " thesis" in low:
        return _READERS
    if " ed" in low or "vol" in low or "p." in low or _DIGIT.search(seg) is not None:
        return _NUMBER_READERS
    return _PUBLICATION_ONLY


_READERS: tuple[Callable[[_Entry, str], bool], ...] = (
    _aside,
    _role,
    _edition_volume,
    _chapter,
    _thesis,
    _journal,
    _periodical,
    _publication,
)
_NUMBER_READERS: tuple[Callable[[_Entry, str], bool], ...] = (_edition_volume, _journal, _periodical, _publication)
_PUBLICATION_ONLY: tuple[Callable[[_Entry, str], bool], ...] = (_publication,)


def _reads_like_prose(title: str) -> bool:
    """More than two words, all lower case after the first."""
    words = title.split()
    return len(words) > 2 and all(w.islower() for w in words[1:])


def _finish(entry: _Entry) -> Result | None:
    """The CSL item in a stable key order, and the confidence; None without year or imprint."""
    csl = entry.csl
    if "URL" in csl or "DOI" in csl:
        entry.anchor(0.15)
    if not (entry.dated or entry.placed):
        return None
    if not entry.placed and _reads_like_prose(str(csl["title"])):
        entry.score -= 0.1  # "Jones, Mary. 1920. She went home." reads like prose
    if not (kind := entry.kind):
        part = "container-title" in csl or (entry.quoted and "publisher" not in csl)
        kind = ("webpage" if "URL" in csl else "article") if part else "book"
    csl["type"] = kind
    y, m, d = entry.date or (None, None, None)
    if year := entry.year or y:
        csl["issued"] = {"date-parts": [[year, m, d][: (3 if d else 2) if m and y in (None, year) else 1]]}
    if entry.notes:
        csl["note"] = ". ".join(entry.notes)
    keys = tuple(csl)
    if (order := _ORDERS.get(keys)) is None:
        if len(_ORDERS) >= _ORDERS_MAX:  # odd input makes odd orders: stay bounded
            _ORDERS.clear()
        order = _ORDERS[keys] = tuple(k for k in _ORDER if k in csl)
    return {k: csl[k] for k in order}, round(min(0.97, max(0.0, entry.score)), 2)


#: the variables of a reading in `_ORDER`, by the order they were read in: entries of one
#: list are read alike, so a few dozen orders serve every entry
_ORDERS: dict[tuple[str, ...], tuple[str, ...]] = {}
_ORDERS_MAX = 4096
