"""Is this Open Library work the one a record describes?  A scored verdict with its reasons.

A candidate is *confident* only when the title agrees, the authors agree (a
record that names no author is never matched: a title alone is too weak),
and neither the year nor the publisher the record states contradicts it.
Several confident candidates within `MARGIN` of each other are *ambiguous*:
the record is refused rather than guessed at.  An edition is chosen only on
the year and publisher the record states, and, when the record names a
volume, only an edition that names the same volume.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from rapidfuzz import fuzz

from biblio.enrich.openlibrary import OLEdition, SearchResult
from biblio.resolve.keys import fold_text, title_key

__all__ = [
    "ACCEPT",
    "MARGIN",
    "Choice",
    "Verdict",
    "Wanted",
    "choose_editions",
    "choose_work",
    "judge",
    "publisher_agrees",
    "title_similarity",
]

TITLE_MIN = 0.9
AUTHOR_MIN = 0.85
PUBLISHER_MIN = 0.8
#: the weighted score a confident candidate must also reach
ACCEPT = 0.85
#: confident candidates closer than this to the best make the record ambiguous
MARGIN = 0.05
_WEIGHTS = {"title": 0.5, "authors": 0.3, "year": 0.1, "publisher": 0.1}
_PUBLISHER_NOISE = frozenset("press publishers publisher publishing books house ltd inc co company the and".split())


@dataclass(frozen=True)
class Wanted:
    """What a catalog record says of itself, as enrichment needs it."""

    edition_id: int
    work_id: int
    title: str
    #: family names (or literal names) of the authors, in order
    authors: tuple[str, ...] = ()
    #: the first author as a search would name them ("Given Family")
    author_query: str | None = None
    year: int | None = None
    publisher: str | None = None
    isbn: str | None = None
    #: the volume the record names, as a comparable number ("II" and "2" are "2")
    volume: str | None = None
    type: str = "book"
    csl: dict[str, Any] = field(default_factory=dict, compare=False)


@dataclass(frozen=True)
class Verdict:
    """A candidate's score in [0, 1], whether it is confident, and why."""

    work: str
    score: float
    confident: bool
    reasons: tuple[str, ...]


@dataclass(frozen=True)
class Choice:
    """The outcome of matching one record against search results."""

    status: Literal["match", "ambiguous", "no-match"]
    result: SearchResult | None
    verdict: Verdict | None
    candidates: tuple[Verdict, ...] = ()


def title_similarity(a: str, b: str) -> float:
    """Folded titles compared whole and by main title (before a colon), the better of the two."""
    whole = fuzz.ratio(title_key(a), title_key(b)) / 100
    main = fuzz.ratio(title_key(a.split(":")[0]), title_key(b.split(":")[0])) / 100
    # a subtitle one side omits is not a different book, but counts a little against
    return max(whole, main - 0.02)


def _author_similarity(wanted: Sequence[str], found: Sequence[str]) -> float:
    """How well every stated author is found among the candidate's (the weakest one counts)."""
    if not found:
        return 0.0
    scores = []
    for name in wanted:
        key = fold_text(name)
        best = 0.0
        for other in found:
            words = fold_text(other).split()
            # the family name is usually the last word; a literal name is compared whole
            best = max(best, fuzz.ratio(key, words[-1] if words else "") / 100, fuzz.ratio(key, " ".join(words)) / 100)
        scores.append(best)
    return min(scores)


def _publisher_key(name: str) -> str:
    """A publisher's name without the words every publisher has ("Press", "Ltd")."""
    return " ".join(w for w in fold_text(name).split() if w not in _PUBLISHER_NOISE)


def publisher_agrees(stated: str, found: Sequence[str]) -> bool:
    """True when one of the candidate's publishers is the stated one."""
    key = _publisher_key(stated)
    return any(fuzz.token_set_ratio(key, _publisher_key(p)) / 100 >= PUBLISHER_MIN for p in found if key)


def judge(wanted: Wanted, result: SearchResult) -> Verdict:
    """Score one search result against a record, field by field, with the reasons."""
    reasons: list[str] = []
    parts: dict[str, float] = {}
    contradicted = False
    parts["title"] = title_similarity(wanted.title, result.title)
    reasons.append(f"title {parts['title']:.2f}")
    if wanted.authors:
        parts["authors"] = _author_similarity(wanted.authors, result.authors)
        reasons.append(f"authors {parts['authors']:.2f}")
    else:
        reasons.append("no author stated")
    if wanted.year is not None:
        agrees = wanted.year == result.first_year or wanted.year in result.years
        parts["year"] = 1.0 if agrees else 0.0
        contradicted |= not agrees
        reasons.append(f"year {wanted.year} " + ("agrees" if agrees else "not among its editions"))
    if wanted.publisher:
        if result.publishers:
            agrees = publisher_agrees(wanted.publisher, result.publishers)
            parts["publisher"] = 1.0 if agrees else 0.0
            contradicted |= not agrees
            reasons.append("publisher " + ("agrees" if agrees else "not among its editions"))
        else:
            reasons.append("publisher unknown to Open Library")
    weight = sum(_WEIGHTS[k] for k in parts)
    score = sum(_WEIGHTS[k] * v for k, v in parts.items()) / weight
    confident = (
        parts["title"] >= TITLE_MIN and parts.get("authors", 0.0) >= AUTHOR_MIN and not contradicted and score >= ACCEPT
    )
    return Verdict(result.work, round(score, 3), confident, tuple(reasons))


def choose_work(wanted: Wanted, results: Sequence[SearchResult]) -> Choice:
    """The one confident candidate, or a refusal: none confident, or several too close to call."""
    verdicts = sorted(((judge(wanted, r), r) for r in results), key=lambda pair: pair[0].score, reverse=True)
    ranked = tuple(v for v, _ in verdicts)
    confident = [(v, r) for v, r in verdicts if v.confident]
    if not confident:
        best = verdicts[0] if verdicts else (None, None)
        return Choice("no-match", best[1], best[0], ranked)
    top, result = confident[0]
    rivals = [v for v, _ in confident[1:] if v.work != top.work and v.score >= top.score - MARGIN]
    if rivals:
        return Choice("ambiguous", None, top, ranked)
    return Choice("match", result, top, ranked)


def choose_editions(wanted: Wanted, editions: Sequence[OLEdition]) -> tuple[list[OLEdition], str]:
    """The editions a record can mean, by the year and publisher it states, and why.

    A record stating neither means no edition in particular: none is chosen.
    """
    if wanted.year is None and not wanted.publisher:
        return [], "no year or publisher stated: no edition chosen"
    chosen = [
        e
        for e in editions
        if (wanted.year is None or e.year == wanted.year)
        and (not wanted.publisher or publisher_agrees(wanted.publisher, e.publishers))
    ]
    if not chosen:
        return [], f"none of {len(editions)} editions has the stated year and publisher"
    if wanted.volume is not None:  # one volume's ISBN and pages are not another's, nor the whole set's
        chosen = [e for e in chosen if e.volume == wanted.volume]
        if not chosen:
            return [], f"no edition with the stated year and publisher names volume {wanted.volume}"
    if len(chosen) == 1:
        return chosen, f"edition {chosen[0].key} has the stated year and publisher"
    return chosen, f"{len(chosen)} editions have the stated year and publisher: only what they share is used"
