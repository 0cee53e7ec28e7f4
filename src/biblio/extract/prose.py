"""Works named in running text: "in his famous book The Long Road Home".

Prose is where an extractor most easily invents titles, so every pattern here
needs a work noun ("book", "pamphlet", "study", "compilation") or a quoted
title tied to one, and the title must have the shape of a title.  Confidence
stays below that of list entries.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Any

from biblio.extract.lexicon import is_known_place
from biblio.extract.names import parse_name
from biblio.extract.segments import person_strength

__all__ = ["find_prose_citations"]

WORK_NOUNS = {
    "book": "book",
    "novel": "book",
    "memoir": "book",
    "memoirs": "book",
    "biography": "book",
    "treatise": "book",
    "monograph": "book",
    "anthology": "book",
    "pamphlet": "pamphlet",
    "leaflet": "pamphlet",
    "brochure": "pamphlet",
    "essay": "article",
    "article": "article",
    "paper": "article",
    "study": "manuscript",
    "poem": "song",
    "song": "song",
    "film": "motion_picture",
    "documentary": "motion_picture",
    "compilation": "book",
    "collection": "book",
    "report": "report",
    "speech": "speech",
    "manifesto": "pamphlet",
    "diary": "book",
}
_NOUNS = "|".join(sorted(WORK_NOUNS, key=len, reverse=True))
_SMALL = r"(?:a|an|the|of|and|in|on|for|to|that|at|from|with|by|or|de|la|le|el|du|des|is|what|who)"
_CAP = r"[A-Z0-9][\w’'\-]*"
_TITLE = rf"{_CAP}(?:[ ](?:{_CAP}|{_SMALL}))*?"
# "his famous book The Long Road Home"
# A name starts only where a run of name characters starts: starting inside one
# would rescan the rest of the run from every position (quadratic on "AAAA...").
_NOUN_TITLE = re.compile(
    rf"(?:\b(?:[Hh]is|[Hh]er|[Tt]heir|[Tt]he|[Ii]ts|[Mm]y|[Oo]ur)|(?P<owner>(?<![\w.’'-])[A-Z][\w.’'-]+(?:\s+[A-Z][\w.’'-]+){{0,2}})['’]s)"
    rf"\s+(?:[a-z]+\s+){{0,2}}(?P<noun>{_NOUNS})\s*,?\s+"
    rf"(?P<title>{_TITLE})(?=[.,;:!?)]|\s+(?:which|where|in\s+\d|published|\()|$)"
)
# what follows a title: "(1891)", ", published by the Labour Press in 1912"
_AFTER_TITLE = re.compile(
    r"^\s*(?:\((?P<year>1[5-9]\d\d|20\d\d)\)|,?\s+published\s+(?:by\s+(?:the\s+)?"
    r"(?P<publisher>[A-Z][\w’'-]*(?:\s+[A-Z][\w’'-]*){0,4}))?(?:\s+in\s+(?P<year2>1[5-9]\d\d|20\d\d))?)"
)
_UPPER = "A-ZÀ-ÖØ-ÞĀĂĄĆĈĊČĎĐĒĖĘĚĜĞĠĢĤĪĮİĶĹĻĽŁŃŅŇŌŐŒŔŖŘŚŜŞŠŢŤŪŮŰŲŴŶŸŹŻŽ"
_PERSON_RUN = re.compile(rf"(?<![\w’'-])[{_UPPER}][\w’'-]+(?:\s+(?:[{_UPPER}]\.\s*)?[{_UPPER}][\w’'-]+){{1,2}}\b")
# "“Title” is a brief study written by Maria Petrova"
_QUOTED_IS = re.compile(
    rf"[“\"](?P<title>[^”\"]{{3,200}}?)[,.]?[”\"]\s+(?:is|was)\s+(?:a|an|the)\s+(?:[a-z]+\s+){{0,2}}"
    rf"(?P<noun>{_NOUNS})\s+(?:(?:written|edited|compiled|published)\s+)?by\s+"
    rf"(?P<name>[A-Z][\w.’'-]*(?:\s+[A-Z][\w.’'-]*){{0,3}})"
)
# "our compilation of voices ..., “Voices from the Barricades,”"
_NOUN_QUOTED = re.compile(
    rf"\b(?:[Hh]is|[Hh]er|[Tt]heir|[Oo]ur|[Mm]y|[Tt]he|[Aa]n?|[Ii]ts)\s+(?:[a-z]+\s+){{0,2}}(?P<noun>{_NOUNS})\b[^“”\".;]{{0,120}}?[“\"](?P<title>[A-Z][^”\"]{{2,200}}?)[,.]?[”\"]"
)
# "(in The Coming Storm, which ...)"
_IN_TITLE = re.compile(rf"\(in\s+(?P<title>(?:The|A|An)\s+{_CAP}(?:[ ](?:{_CAP}|{_SMALL}))*?),\s+which\b")
_AUTHOR_BEFORE = re.compile(
    r"(?:\b(?:wrote|writes|by|says|said|recalled)\s+)(?P<name>[A-Z][\w.’'-]+(?:\s+[A-Z][\w.’'-]+){1,2})"
)
_COMMON = frozenset(
    """The A An He She It They We I In On At But And Or So If When While This That These Those
    From For With As By Of To Its His Her Their Our Yes No Not Even Both After Before During
    Then Now Later Once Since Until Today""".split()
)


def _title_ok(title: str) -> bool:
    """A plausible title: two to twenty words, starting with a capital, not a stock phrase."""
    words = title.split()
    return 2 <= len(words) <= 20 and title[:1].isupper() and not is_known_place(title)


def _author_before(text: str, end: int) -> dict[str, Any] | None:
    """The person the sentence names before a work ("wrote Jane Doe, ...")."""
    found = None
    for m in _AUTHOR_BEFORE.finditer(text, 0, end):
        if person_strength(m.group("name")) == 2:
            found = m.group("name")
    return parse_name(found) if found else None


def _subject(text: str, end: int) -> dict[str, Any] | None:
    """The name the passage keeps returning to before `end` (who "he" is)."""
    counts = Counter(
        m.group()
        for m in re.finditer(r"\b[A-Z][a-z]{2,}\b", text[:end])
        if m.group() not in _COMMON and not is_known_place(m.group())
    )
    best = [(n, w) for w, n in counts.items() if n >= 2 and person_strength(w) >= 1]
    return {"family": max(best)[1]} if best else None


def _sentence_person(text: str, start: int, end: int) -> dict[str, Any] | None:
    """The person with positive evidence nearest to a mention, in the same sentence."""
    left = max(text.rfind(". ", 0, start), text.rfind("! ", 0, start), text.rfind("? ", 0, start)) + 1
    stops = [i for i in (text.find(". ", end), text.find("! ", end), text.find("? ", end)) if i >= 0]
    right = min(stops) if stops else len(text)
    best: tuple[int, str] | None = None
    for m in _PERSON_RUN.finditer(text, left, right):
        if start <= m.start() < end or person_strength(m.group()) < 2:
            continue
        distance = start - m.end() if m.end() <= start else m.start() - end
        if best is None or distance < best[0]:
            best = (distance, m.group())
    return parse_name(best[1]) if best else None


def _details_after(csl: dict[str, Any], following: str) -> None:
    """A year in brackets, or "published by X in YYYY", right after a title."""
    m = _AFTER_TITLE.match(following)
    if not m:
        return
    if year := m.group("year") or m.group("year2"):
        csl["issued"] = {"date-parts": [[int(year)]]}
    if m.group("publisher"):
        csl["publisher"] = m.group("publisher")


def find_prose_citations(text: str) -> list[tuple[dict[str, Any], float, int]]:
    """Works named in a paragraph: (CSL item, confidence, character offset of the mention)."""
    found: list[tuple[dict[str, Any], float, int]] = []
    seen: set[str] = set()

    def add(csl: dict[str, Any], confidence: float, at: int) -> None:
        key = csl["title"].casefold()
        if key not in seen and _title_ok(csl["title"]):
            seen.add(key)
            found.append((csl, confidence, at))

    for m in _QUOTED_IS.finditer(text):
        name = re.sub(r"(?<=[a-z]{2})\.$", "", m.group("name"))  # the sentence's full stop
        csl: dict[str, Any] = {"type": WORK_NOUNS[m.group("noun")], "title": m.group("title").strip(" ,.")}
        if m.group("noun") == "study":
            csl["genre"] = "study"
        if person_strength(name) >= 1:
            csl["author"] = [parse_name(name)]
        add(csl, 0.7, m.start())
    for m in _NOUN_TITLE.finditer(text):
        csl = {"type": WORK_NOUNS[m.group("noun")], "title": m.group("title")}
        owner = m.group("owner")
        if owner and person_strength(owner) >= 1:
            csl["author"] = [parse_name(owner)]
        elif author := _author_before(text, m.start()) or _sentence_person(text, m.start(), m.end()):
            csl["author"] = [author]
        _details_after(csl, text[m.end() : m.end() + 120])
        add(csl, 0.6, m.start("title"))
    for m in _NOUN_QUOTED.finditer(text):
        add({"type": WORK_NOUNS[m.group("noun")], "title": m.group("title").strip(" ,.")}, 0.5, m.start("title"))
    for m in _IN_TITLE.finditer(text):
        csl = {"type": "book", "title": m.group("title")}
        if author := _subject(text, m.start()):
            csl["author"] = [author]
        add(csl, 0.45, m.start("title"))
    return found
