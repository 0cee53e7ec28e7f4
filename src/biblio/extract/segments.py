"""Comma segments of a citation, and how person-like a segment is.

Both list recognizers cut an entry at its commas (not those inside brackets)
and ask of each piece whether it names people.  The answer is graded: 2 when
there is positive evidence (initials, a known given name), 1 when the piece
only has the shape of a name, 0 when it cannot be one.
"""

from __future__ import annotations

import re

from biblio.extract.lexicon import fold, is_given_name, is_known_place, is_place, looks_like_publisher
from biblio.extract.memo import bounded_cache
from biblio.extract.names import FAMILY_FIRST, has_digit, is_initials, is_organisation, looks_like_person, name_parts

__all__ = ["CASELESS", "HONORIFICS", "person_strength", "single_spaced", "split_segments", "strip_honorifics"]

#: With `str.lower` after it, the characters an ASCII letter matches under IGNORECASE: the
#: long s, the dotless and the dotted capital i besides the two cases (for every other
#: character `str.lower` alone does it; tests/extract/test_lean_paths.py checks them all).
#: Every character stays one character, so positions are kept.
CASELESS = str.maketrans({"ſ": "s", "ı": "i", "İ": "i"})

HONORIFICS = re.compile(
    r"^(?:professor|prof\.?|dr\.?|sir|mr\.?|mrs\.?|ms\.?|comrade|rev\.?|lord|lady|dame)\s+",
    re.IGNORECASE,
)
_PAREN = re.compile(r"\s*\([^)]*\)")
_BRACKETS = re.compile(r"[()\[\]{}]")
_SPLITTERS = re.compile(r"[()\[\]{},]")
_LEADING_AND = re.compile(r"^(?:and|&)\s+")


def single_spaced(text: str) -> str:
    """`" ".join(text.split())`: white space runs as one space, none at the ends.

    Blocks come mostly so already.  A printable text holds no white space but the
    space (every other white-space character is a control or separator character,
    which `str.isprintable` refuses; tests/extract/test_shortcuts.py checks them all),
    so without a double space and space at either end it is its own answer.
    """
    if text.isprintable() and "  " not in text and text[:1] != " " and text[-1:] != " ":
        return text
    return " ".join(text.split())


def split_segments(text: str) -> list[str]:
    """Split at commas outside brackets; segments are stripped, empty ones kept."""
    if not _BRACKETS.search(text):
        return [s.strip() for s in text.split(",")]
    out: list[str] = []
    depth = 0
    start = 0
    for mark in _SPLITTERS.finditer(text):  # only brackets and commas change anything
        ch = mark.group()
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1 if depth else 0
        elif depth == 0:
            out.append(text[start : mark.start()].strip())
            start = mark.start() + 1
    out.append(text[start:].strip())
    return out


def strip_honorifics(text: str) -> str:
    """Drop a leading "Professor", "Dr." from a name."""
    text = text.strip()
    # every honorific starts with one of these (under IGNORECASE "s" also takes the long s;
    # tests/extract/test_shortcuts.py checks every character): most names are left at once
    return HONORIFICS.sub("", text) if text[:1] in _HONORIFIC_INITIALS else text


_HONORIFIC_INITIALS = frozenset("pPdDsSſmMcCrRlL")


@bounded_cache(1 << 16)
def _name_strength(name: str) -> int:
    """Evidence that one name string is a person: 0 none, 1 shape only, 2 positive."""
    bare = strip_honorifics(name)
    bare = (_PAREN.sub("", bare) if "(" in bare else bare).strip()
    if not bare or not looks_like_person(bare) or looks_like_publisher(bare):
        return 0
    tokens = bare.split()
    if fold(tokens[0]) in ("the", "la", "le", "el", "les", "los", "las", "der", "die", "das"):
        return 0  # "The Paris Commune" is not a person
    if len(tokens) == 1:
        return 0 if is_place(bare) or is_initials(bare) else 1
    if is_known_place(bare):
        return 0
    for token in tokens[:-1]:
        if is_initials(token):
            return 2
    if is_given_name(tokens[0]):
        return 2
    if len(tokens) <= 3 and any(is_given_name(t) for t in tokens[1:]) and fold(tokens[0]) in FAMILY_FIRST:
        return 2  # "Nguyen Van Linh": family name first
    return 1


@bounded_cache(16384)
def person_strength(segment: str) -> int:
    """How surely a segment names one or more people (the weakest of its names)."""
    seg = segment.strip()
    if not seg or is_organisation(seg) or has_digit(seg):
        return 0
    names = [_drop_leading_and(n) for n in name_parts(_drop_leading_and(seg))]
    if not names:
        return 0
    return min(map(_name_strength, names))


def _drop_leading_and(text: str) -> str:
    """Text without a leading "and " or "& " (`_LEADING_AND` starts with "a" or "&")."""
    return _LEADING_AND.sub("", text) if text[:1] in ("a", "&") else text


def is_lower_start(segment: str) -> bool:
    """True when a segment starts in lower case (a description, not a name)."""
    stripped = segment.lstrip("‘'\"“(")
    return bool(stripped) and stripped[0].islower()
