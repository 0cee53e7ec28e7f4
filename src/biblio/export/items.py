"""`clean_item`: an imported record in the shapes the catalog expects, whatever the file held.

A CSL-JSON file may give a number where a name list belongs, a string for a
date, or date parts that are not numbers.  The importers' output goes through
here before the resolver sees it: names become name objects, dates CSL dates
with small integer parts, scalars strings.  A value that cannot be read in its
variable's shape is not dropped: it is kept, as written, in the `note`.
"""

from __future__ import annotations

import json
from typing import Any

__all__ = ["DATE_VARIABLES", "NAME_VARIABLES", "clean_item"]

NAME_VARIABLES = frozenset(
    """author editor compiler translator container-author collection-editor composer director
    editorial-director illustrator interviewer original-author recipient reviewed-author chair
    contributor curator executive-producer guest host narrator organizer performer producer""".split()
)
DATE_VARIABLES = frozenset("issued original-date accessed event-date submitted available-date".split())
_NAME_PARTS = ("family", "given", "literal", "suffix", "dropping-particle", "non-dropping-particle")
#: the largest date part kept: years of four digits (a database INTEGER takes any of them)
_MAX_PART = 9999
_INTERNAL = "_line"


def _scalar(value: Any) -> str | None:
    """A string for a string, number or boolean; None for anything else."""
    if isinstance(value, str):
        return value
    if isinstance(value, bool | int | float):
        return str(value)
    return None


def _name(value: Any) -> dict[str, str] | None:
    """A CSL name object, or None when the value holds no name."""
    if isinstance(value, str):
        return {"literal": value.strip()} if value.strip() else None
    if not isinstance(value, dict):
        return None
    name = {part: text for part in _NAME_PARTS if (text := _scalar(value.get(part))) and text.strip()}
    return name if {"family", "given", "literal"} & set(name) else None


def _names(value: Any) -> list[dict[str, str]] | None:
    """A list of name objects; None when nothing in the value reads as a name."""
    values = value if isinstance(value, list) else [value]
    names = [name for v in values if (name := _name(v)) is not None]
    return names if names and len(names) == len(values) else None


def _part(value: Any) -> int | None:
    """One date part as a small positive integer."""
    if isinstance(value, bool):
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, str) and value.strip().isdigit() and len(value.strip()) <= 4:
        value = int(value.strip())
    return value if isinstance(value, int) and 0 < value <= _MAX_PART else None


def _date(value: Any) -> dict[str, Any] | None:
    """A CSL date whose date-parts, when present, are non-empty lists of small integers."""
    if isinstance(value, int | float | str) and not isinstance(value, bool):
        if (year := _part(value)) is not None:
            return {"date-parts": [[year]]}
        return {"raw": value} if isinstance(value, str) and value.strip() else None
    if not isinstance(value, dict):
        return None
    date: dict[str, Any] = {}
    if "date-parts" in value:
        parts = value["date-parts"]
        if not isinstance(parts, list) or not parts:
            return None
        cleaned = []
        for dates in parts[:2]:
            numbers = [_part(p) for p in dates[:3]] if isinstance(dates, list) else [None]
            if not numbers or None in numbers:
                return None
            cleaned.append(numbers)
        date["date-parts"] = cleaned
    for key in ("raw", "literal"):
        if (text := _scalar(value.get(key))) is not None and text.strip():
            date[key] = text
    if isinstance(value.get("season"), int | str) and not isinstance(value.get("season"), bool):
        date["season"] = value["season"]
    if value.get("circa") is True:
        date["circa"] = True
    return date if {"date-parts", "raw", "literal"} & set(date) else None


def clean_item(item: dict[str, Any]) -> dict[str, Any]:
    """The item with every variable in its expected shape; unreadable values moved to `note`."""
    out: dict[str, Any] = {}
    unreadable: list[str] = []
    for variable, value in item.items():
        if variable == _INTERNAL or value is None or value == "" or value == []:
            if variable == _INTERNAL:
                out[variable] = value
            continue
        if variable in NAME_VARIABLES:
            cleaned: Any = _names(value)
        elif variable in DATE_VARIABLES:
            cleaned = _date(value)
        else:
            cleaned = _scalar(value)
        if cleaned is None:
            unreadable.append(f"{variable}: {json.dumps(value, ensure_ascii=False, default=str)}")
        else:
            out[variable] = cleaned
    if unreadable:
        out["note"] = "; ".join([*([out["note"]] if out.get("note") else []), *unreadable])
    return out
