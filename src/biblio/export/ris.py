"""RIS out and in, through rispy.

Types: BOOK, PAMP (pamphlets and leaflets), JFULL (a whole periodical issue),
JOUR, MGZN, NEWS, CHAP, UNPB, ELEC, GEN.  Names are "Family, Given" (a body
as written); editors go to A2, compilers to A3, translators to A4.
"""

from __future__ import annotations

from typing import Any

import rispy

from biblio.model import Failure

__all__ = ["from_ris", "to_ris_entry", "write_ris"]

_TYPES = {
    "book": "BOOK",
    "pamphlet": "PAMP",
    "periodical": "JFULL",
    "article-journal": "JOUR",
    "article-magazine": "MGZN",
    "article-newspaper": "NEWS",
    "chapter": "CHAP",
    "manuscript": "UNPB",
    "webpage": "ELEC",
    "post-weblog": "BLOG",
    "report": "RPRT",
    "thesis": "THES",
    "article": "JOUR",
}
_BACK = {v: k for k, v in _TYPES.items() if k != "article"}
_ROLES = (
    ("author", "authors"),
    ("editor", "secondary_authors"),
    ("compiler", "tertiary_authors"),
    ("translator", "subsidiary_authors"),
)
_SIMPLE = (
    ("title", "title"),
    ("container-title", "secondary_title"),
    ("volume-title", "tertiary_title"),
    ("publisher", "publisher"),
    ("publisher-place", "place_published"),
    ("number-of-pages", "start_page"),
    ("page", "end_page"),
    ("volume", "volume"),
    ("issue", "number"),
    ("edition", "edition"),
    ("genre", "type_of_work"),
    ("DOI", "doi"),
    ("language", "language"),
    ("original-publisher", "original_publication"),
    ("original-publisher-place", "reprint_edition"),
)


def _name(name: dict[str, Any]) -> str:
    """ "Family, Given" or a body's name."""
    if name.get("literal"):
        return str(name["literal"])
    return ", ".join(str(p) for p in (name.get("family"), name.get("given")) if p)


def _date(date: Any) -> str | None:
    """RIS date "YYYY/MM/DD/"."""
    try:
        parts = [int(p) for p in date["date-parts"][0]]
    except (KeyError, IndexError, TypeError, ValueError):
        return None
    return "/".join([f"{parts[0]:04d}", *(f"{p:02d}" for p in parts[1:3])]) + "/" if parts else None


def to_ris_entry(csl: dict[str, Any], key: str) -> dict[str, Any]:
    """A rispy entry for one catalog record."""
    entry: dict[str, Any] = {"type_of_reference": _TYPES.get(str(csl.get("type")), "GEN"), "id": key}
    for role, field in _ROLES:
        if csl.get(role):
            entry[field] = [_name(n) for n in csl[role]]
    for variable, field in _SIMPLE:
        if csl.get(variable):
            entry[field] = str(csl[variable])
    if date := _date(csl.get("issued")):
        entry["date"] = date
        entry["year"] = date[:4]
    if original := _date(csl.get("original-date")):
        entry["custom1"] = original
    if csl.get("note"):
        entry["notes"] = [str(csl["note"])]
    if csl.get("URL"):
        entry["urls"] = [str(csl["URL"])]
    return entry


def write_ris(entries: list[dict[str, Any]]) -> str:
    """An .ris file of the entries."""
    return str(rispy.dumps(entries))


def _names_back(values: list[str]) -> list[dict[str, Any]]:
    """RIS names back to CSL: "Family, Given", or a body's name (no comma)."""
    out: list[dict[str, Any]] = []
    for value in values:
        family, sep, given = value.partition(",")
        if not sep:
            out.append({"literal": value.strip()} if " " in value.strip() else {"family": value.strip()})
        else:
            out.append({"family": family.strip(), "given": given.strip()})
    return out


def _date_back(value: str) -> dict[str, Any] | None:
    """ "YYYY/MM/DD/" back to a CSL date."""
    parts = [int(p) for p in value.strip("/").split("/") if p.strip().isdigit()]
    return {"date-parts": [parts]} if parts else None


def from_ris(text: str, source: str) -> tuple[list[dict[str, Any]], list[Failure]]:
    """CSL items of an .ris file, and what could not be read."""
    try:
        entries = rispy.loads(text)
    except (OSError, ValueError, KeyError, IndexError) as err:
        return [], [Failure(source, f"unreadable RIS: {err}")]
    starts = [i for i, line in enumerate(text.splitlines(), 1) if line.startswith("TY  -")]
    items = []
    for n, entry in enumerate(entries):
        csl: dict[str, Any] = {"type": _BACK.get(str(entry.get("type_of_reference")), "document")}
        if entry.get("id"):
            csl["id"] = str(entry["id"])
        for role, field in _ROLES:
            if entry.get(field):
                csl[role] = _names_back([str(v) for v in entry[field]])
        for variable, field in _SIMPLE:
            if entry.get(field):
                csl[variable] = str(entry[field])
        if entry.get("date") and (date := _date_back(str(entry["date"]))):
            csl["issued"] = date
        elif str(entry.get("year", "")).isdigit():
            csl["issued"] = {"date-parts": [[int(entry["year"])]]}
        if entry.get("custom1") and (date := _date_back(str(entry["custom1"]))):
            csl["original-date"] = date
        if entry.get("notes"):
            csl["note"] = "; ".join(str(n) for n in entry["notes"])
        if entry.get("urls"):
            csl["URL"] = str(entry["urls"][0])
        csl["_line"] = starts[n] if n < len(starts) else n + 1
        items.append(csl)
    return items, []
