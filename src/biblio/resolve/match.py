"""Scored decisions: is this the same work?  the same edition?

A decision is a score in [0, 1] with the reasons that made it.  Hard evidence
vetoes: different volume, part, period or issue numbers, different numbers in
the titles, or contributors with no person in common never merge.  Different
publishers or years make different editions of one work, never one edition.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import combinations, pairwise
from typing import Any, NamedTuple

from rapidfuzz import fuzz

from biblio.model import ROLES
from biblio.resolve.keys import fold_text, strip_article, title_key
from biblio.resolve.persons import family_skeleton

__all__ = [
    "Decision",
    "Record",
    "block_keys",
    "compare_editions",
    "compare_works",
    "may_be_one_work",
    "number_value",
    "record_from",
    "record_of",
    "with_persons",
]

WORK_SAME = 0.85  # at or above: the same work
WORK_REVIEW = 0.7  # between REVIEW and SAME: a human decides
_PART_FIELDS = ("volume", "part-number", "issue", "number", "collection-number")
_NUMBER = re.compile(r"\d+")
_STOP = frozenset("the a an of and in on for to at by with la le les el los de des du der die das".split())
_PUBLISHER_NOISE = frozenset("press publishers publisher publishing books house ltd inc co company the and".split())


class Record(NamedTuple):
    """What matching needs to know of an edition.

    A named tuple rather than a frozen dataclass: a dedupe of a million records
    makes a million of them, and a tuple is built several times faster and is
    smaller.
    """

    id: int
    title: str
    persons: frozenset[int]
    year: int | None = None
    publisher: str = ""
    place: str = ""
    pages: str = ""
    parts: tuple[tuple[str, str], ...] = ()
    kind: str = "book"
    #: derived once: the title's significant words, and the numbers it holds
    words: str = ""
    numbers: tuple[str, ...] = ()
    names: tuple[str, ...] = ()
    publisher_key: str = ""
    place_key: str = ""

    @classmethod
    def of(cls, rid: int, title: str, persons: Iterable[int] = (), **fields: Any) -> Record:
        """A record with its derived comparison keys filled in."""
        words, numbers = _title_keys(title)
        return cls(
            id=rid,
            title=title,
            persons=frozenset(persons),
            words=words,
            numbers=numbers,
            publisher_key=_publisher_key(str(fields.get("publisher", ""))),
            place_key=_place_key(str(fields.get("place", ""))),
            **fields,
        )


@dataclass
class Decision:
    """A score and the reasons behind it."""

    score: float
    reasons: list[str] = field(default_factory=list)

    def veto(self, reason: str) -> Decision:
        """Record a hard reason against, and score zero."""
        self.reasons.append(reason)
        self.score = 0.0
        return self


def _year(csl: dict[str, Any]) -> int | None:
    """The first year of the item's issued date."""
    try:
        value = csl["issued"]["date-parts"][0][0]
    except (KeyError, IndexError, TypeError):
        return None
    return value if isinstance(value, int) else None


def record_of(edition_id: int, csl: dict[str, Any], persons: Iterable[int]) -> Record:
    """A matching record from an edition's CSL item and its person ids."""
    parts = tuple((f, number_value(str(csl[f]))) for f in _PART_FIELDS if csl.get(f))
    names = tuple(
        sorted(
            {
                ("org:" + fold_text(n["literal"])[:12])
                if n.get("literal")
                else family_skeleton(str(n.get("family") or ""))
                for role in ROLES
                for n in csl.get(role) or []
            }
        )
    )
    title = str(csl.get("title") or "")
    publisher, place = str(csl.get("publisher") or ""), str(csl.get("publisher-place") or "")
    words, numbers = _title_keys(title)
    # Record.of without its keyword plumbing: a catalog-wide dedupe makes a million (fields in order)
    return record_from(
        (
            edition_id,
            title,
            frozenset(persons),
            _year(csl),
            publisher,
            place,
            str(csl.get("number-of-pages") or ""),
            parts,
            str(csl.get("type") or "book"),
            words,
            numbers,
            names,
            _publisher_key(publisher),
            _place_key(place),
        )
    )


def record_from(fields: tuple[Any, ...]) -> Record:
    """A record from all its fields in order (`tuple(record)`), without the named tuple's argument
    handling; records cross a pipe as plain tuples, which pickle in half the time."""
    return tuple.__new__(Record, fields)


def with_persons(record: Record, persons: frozenset[int]) -> Record:
    """`record._replace(persons=persons)`, several times faster: a catalog-wide dedupe attaches
    the persons of a million records once they are resolved."""
    return record_from((record[0], record[1], persons, *record[3:]))


@lru_cache(maxsize=1 << 16)
def _title_keys(title: str) -> tuple[str, tuple[str, ...]]:
    """A title's significant words and the numbers it holds (cached: citations of one work repeat its title)."""
    folded = fold_text(title)
    return " ".join(w for w in strip_article(folded).split() if w not in _STOP), tuple(_folded_numbers(folded))


_ORDINALS = {
    w: str(i)
    for i, ws in enumerate(
        [
            ("first", "one", "i"),
            ("second", "two", "ii"),
            ("third", "three", "iii"),
            ("fourth", "four", "iv"),
            ("fifth", "five", "v"),
            ("sixth", "six", "vi"),
            ("seventh", "seven", "vii"),
            ("eighth", "eight", "viii"),
            ("ninth", "nine", "ix"),
            ("tenth", "ten", "x"),
        ],
        start=1,
    )
    for w in ws
}
_SERIES_WORDS = frozenset("vol volume book part period tome series no number issue band".split())


def number_value(text: str) -> str:
    """A volume or part designation as a comparable value: "II", "2", "Second Period" -> "2 period"."""
    words = [w for w in fold_text(text).split() if w not in ("vol", "volume", "no", "number", "part", "pt")]
    return " ".join(_ORDINALS.get(w) or _roman(w) or w for w in words)


def _roman(word: str) -> str | None:
    """ "xii" -> "12"; None when the word is not a roman numeral."""
    values = {"i": 1, "v": 5, "x": 10, "l": 50, "c": 100, "d": 500, "m": 1000}
    if (
        not word
        or any(c not in values for c in word)
        or not re.fullmatch(r"m{0,3}(cm|cd|d?c{0,3})(xc|xl|l?x{0,3})(ix|iv|v?i{0,3})", word)
    ):
        return None
    total = sum(-values[a] if values[a] < values[b] else values[a] for a, b in pairwise(word))
    return str(total + values[word[-1]])


def title_numbers(title: str) -> list[str]:
    """The numbers a title holds, ordinals and roman numerals after "Vol.", "Book", "Part" included."""
    return _folded_numbers(fold_text(title))


def _folded_numbers(folded: str) -> list[str]:
    """`title_numbers` of a title already folded."""
    out = _NUMBER.findall(folded)
    words = folded.split()
    if _ORDINALS.keys().isdisjoint(words):
        return sorted(out)
    for i, word in enumerate(words):
        before = words[i - 1] if i else ""
        after = words[i + 1] if i + 1 < len(words) else ""
        if (word in _ORDINALS and (before in _SERIES_WORDS or after in _SERIES_WORDS) and len(word) > 1) or (
            word in _ORDINALS and before in _SERIES_WORDS
        ):
            out.append(_ORDINALS[word])
    return sorted(out)


def _significant(title: str) -> list[str]:
    """Title words without articles and prepositions."""
    return [w for w in title_key(title).split() if w not in _STOP]


def block_keys(record: Record) -> set[str]:
    """Blocking keys: records that share none are never compared.

    Every pair of the first four significant title words, each cut to four
    letters, with the family-name skeleton of each contributor: a spelling
    variant ("Harbour", "Harbor"), an inserted word ("Strike in the Northern
    Harbour") or a transliterated name leaves at least one key in common, while
    a common pair of title words alone ("history, labour") never makes a block
    that grows with the catalog.  The first three title words alone are a key
    too, for records with contributors on one side only.
    """
    return set(_block_keys(record.words, record.title, record.names))


@lru_cache(maxsize=1 << 13)
def _block_keys(words_key: str, title: str, names: tuple[str, ...]) -> frozenset[str]:
    """`block_keys` of a record's derived keys, cached: storing a document asks for the keys of its
    new records, then its resolution again for them and their neighbours (a few thousand: a
    larger cache would hold tens of MiB for little more)."""
    words = [w[:4] for w in (words_key or " ".join(_significant(title))).split()][:4]
    pairs = [" ".join(p) for p in combinations(sorted(set(words)), 2)] or [" ".join(words) or title_key(title)]
    keys = {"s:" + " ".join(sorted(words[:3]))}
    for name in names or ("",):
        prefix = f"a:{name}|"
        keys.update(prefix + pair for pair in pairs)
    return frozenset(keys)


def _words_similarity(ka: str, kb: str) -> float:
    """Similarity of two runs of significant title words."""
    if not ka or not kb:
        return 0.0
    if ka == kb:
        return 1.0
    return max(fuzz.ratio(ka, kb), fuzz.token_sort_ratio(ka, kb)) / 100


_TITLE_REASONS: dict[float, str] = {}  # similarities are ratios of short strings: a few thousand values


def _title_reason(similarity: float) -> str:
    """The reason a title similarity gives, formatted once per value (compare_works runs millions of times)."""
    if len(_TITLE_REASONS) > 1 << 16:
        _TITLE_REASONS.clear()
    reason = _TITLE_REASONS[similarity] = f"title {similarity:.2f}"
    return reason


def may_be_one_work(a: Record, b: Record) -> bool:
    """False when `compare_works` would veto the pair on contributors or volumes: a cheap test before it.

    Blocks share title words, so most candidate pairs of a large catalog are
    works by different people; this skips the title comparison for them.
    """
    if a.parts != b.parts and dict(a.parts) != dict(b.parts):
        return False
    if a.persons and b.persons and a.persons.isdisjoint(b.persons):
        return bool(a.names and b.names and not set(a.names).isdisjoint(b.names))
    return True


def compare_works(a: Record, b: Record) -> Decision:
    """How surely two editions are editions of one work."""
    wa = a.words or " ".join(_significant(a.title))
    wb = b.words or " ".join(_significant(b.title))
    similarity = _words_similarity(wa, wb)
    decision = Decision(similarity, [_TITLE_REASONS.get(similarity) or _title_reason(similarity)])
    if a.parts != b.parts and dict(a.parts) != dict(b.parts):
        return decision.veto("different volume, part or issue")
    na = a.numbers if a.words else tuple(title_numbers(a.title))
    nb = b.numbers if b.words else tuple(title_numbers(b.title))
    if na != nb:
        return decision.veto("different numbers in the titles")
    if a.persons and b.persons:
        if not a.persons.isdisjoint(b.persons):
            decision.reasons.append("shared contributor")
            decision.score = min(1.0, decision.score + 0.05)
        elif a.names and b.names and not set(a.names).isdisjoint(b.names):
            # the same family name, not (yet) resolved to one person: "J. Smith" and "John Smith"
            decision.reasons.append("contributors with the same family name")
        else:
            return decision.veto("no contributor in common")
    elif a.persons or b.persons:
        decision.reasons.append("contributors on one side only")
        decision.score = max(0.0, decision.score - 0.1)
    return decision


@lru_cache(maxsize=1 << 16)
def _place_key(place: str) -> str:
    """A place folded (a catalog names few places, many times)."""
    return fold_text(place)


@lru_cache(maxsize=1 << 16)
def _publisher_key(name: str) -> str:
    """A publisher's name without the words every publisher has."""
    return " ".join(w for w in fold_text(name).split() if w not in _PUBLISHER_NOISE)


def _same_publisher_keys(ka: str, kb: str) -> bool:
    """True when two publisher keys can be one house ("Faber", "Faber and Faber")."""
    if not ka or not kb:
        return ka == kb
    return fuzz.token_set_ratio(ka, kb) >= 85 or fuzz.partial_ratio(ka, kb) >= 85


def compare_editions(a: Record, b: Record) -> Decision:
    """How surely two records of one work are one edition (same publisher, same year)."""
    decision = compare_works(a, b)
    if decision.score == 0.0:
        return decision
    specified_a = a.year is not None or bool(a.publisher)
    specified_b = b.year is not None or bool(b.publisher)
    if specified_a != specified_b:
        return decision.veto("an edition named against a mention with no edition details")
    if a.year != b.year:
        return decision.veto(f"different years ({a.year}, {b.year})")
    if (a.publisher or b.publisher) and not _same_publisher_keys(
        a.publisher_key or _publisher_key(a.publisher), b.publisher_key or _publisher_key(b.publisher)
    ):
        return decision.veto("different publishers")
    if a.pages and b.pages and a.pages != b.pages:
        return decision.veto("different page counts")
    if a.place and b.place and (a.place_key or fold_text(a.place)) != (b.place_key or fold_text(b.place)):
        return decision.veto("different places")
    if decision.score < WORK_SAME:
        return decision  # a doubtful work: the pair may go to review, never merge here
    decision.reasons.append("same year and publisher")
    return decision
