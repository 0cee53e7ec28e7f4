"""Short author-first entries of "Further Reading" lists.

"Emma Thornton, The Weavers of Lyon"; "Miguel Ortiz, Title One and
Title Two, with a comma"; and the title-first short forms "Title, ed. Someone"
and "Title, by Someone".  Such lines carry no year or publisher, so they are
only read where the context says the block is a list entry.
"""

from __future__ import annotations

import re
from typing import Any

from biblio.extract.names import is_organisation, parse_name, parse_names
from biblio.extract.segments import person_strength, single_spaced, split_segments, strip_honorifics

__all__ = ["parse_further_reading"]

_TITLE_BY = re.compile(
    r"^(?P<title>.+?),\s*(?:(?P<ed>eds?\.|edited by|compiled by)|(?:written\s+)?by)\s+(?P<names>[^,]+)$",
    re.IGNORECASE,
)
_TITLE_START = re.compile(r"^(?:The|A|An|La|Le|Les|L[’']|El|Los|Las|Il|Der|Die|Das|O|Os)\b")
# a sentence break ("... slobs. Read"), not an abbreviation ("ed. Friends") or an initial
_SENTENCE = re.compile(r"\b(?!(?:ed|eds|vol|no|trans|comp|rev|pp|st|dr|mr|mrs|ms|jr|sr)\.)[a-z]{2,}[.!?]\s+[A-Z]")


# what `_SENTENCE` ends with, and what every `_TITLE_BY` match holds (lower-cased: "by", "ed")
_SENTENCE_BREAK = re.compile(r"[.!?]\s+[A-Z]")


def _may_name_by(text: str) -> bool:
    """Whether `_TITLE_BY` may match: its role words all hold "by" or "ed" (no letter of
    which IGNORECASE matches beyond its two cases)."""
    low = text.lower()
    return "by" in low or "ed" in low


def _titles(text: str) -> list[str]:
    """One or more titles: "T1 and T2" when both sides are substantial titles."""
    text = text.strip().strip("*_ ").rstrip(".")
    head, sep, tail = text.partition(" and ")
    if sep and len(head.split()) >= 3 and len(tail.split()) >= 3 and tail[:1].isupper():
        return [head.strip(), tail.strip()]
    return [text]


def parse_further_reading(text: str) -> list[tuple[dict[str, Any], float]]:
    """Parse a short list entry; an empty list when it is not one."""
    text = single_spaced(text).rstrip(".")
    if not text or len(text) > 300 or "," not in text or (_SENTENCE_BREAK.search(text) and _SENTENCE.search(text)):
        return []
    if _may_name_by(text) and (m := _TITLE_BY.match(text)):
        role = "editor" if m.group("ed") else "author"
        names = m.group("names").strip()
        parsed = [{"literal": names}] if is_organisation(names) else parse_names(strip_honorifics(names))
        if parsed and len(m.group("title").split()) <= 25:
            return [({"type": "book", "title": m.group("title").strip(), role: parsed}, 0.7)]
    segs = split_segments(text)
    author, rest = segs[0], ", ".join(segs[1:]).strip()
    strength = person_strength(author)
    if not rest or not (rest[:1].isupper() or rest[:1] in "“\"‘'¿¡" or rest[:1].isdigit()):
        return []
    if strength == 0 or len(author.split()) > 6 or (" and " in author and strength < 2):
        return []
    if strength == 1 and not (_TITLE_START.match(rest) or len(rest.split()) >= 2):
        return []
    if rest.count(",") > 2 or len(rest.split()) > 25:
        return []  # a sentence, not a title
    names = parse_names(strip_honorifics(author)) if " and " in author else [parse_name(strip_honorifics(author))]
    confidence = 0.75 if strength == 2 else 0.6
    return [({"type": "book", "title": t, "author": [dict(n) for n in names]}, confidence) for t in _titles(rest)]
