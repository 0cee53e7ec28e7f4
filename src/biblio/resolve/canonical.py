"""The canonical record of a cluster: the best-attested value of every field.

For each field the most frequent value wins; ties go to the more complete
value (longer text, fuller name), then to the earliest member.  Names are
chosen position by position, preferring full given names over initials.  A
cluster of one is its member unchanged, so merging and unmerging restore a
record exactly.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Sequence
from typing import Any

from biblio.model import ROLES
from biblio.resolve.persons import given_parts

__all__ = ["canonical_item", "canonical_name"]


def _key(value: Any) -> str:
    """A hashable, order-stable form of any JSON value."""
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _completeness(value: Any) -> int:
    """How much a value says (longer strings, more parts)."""
    return len(_key(value))


def _best(values: list[Any]) -> Any:
    """The most frequent value; ties to the most complete, then the first seen."""
    counts = Counter(_key(v) for v in values)
    order = {k: i for i, k in reversed(list(enumerate(_key(v) for v in values)))}
    by_key = {_key(v): v for v in values}
    best = max(counts, key=lambda k: (counts[k], _completeness(by_key[k]), -order[k]))
    return by_key[best]


def canonical_name(names: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The fullest form of one person's name: full given names over initials."""
    def fullness(name: dict[str, Any]) -> tuple[int, int, int]:
        parts = given_parts(str(name.get("given") or ""))
        return (sum(len(p) > 1 for p in parts), len(parts), len(str(name.get("family") or "")))

    counts = Counter(_key(n) for n in names)
    return dict(max(names, key=lambda n: (fullness(n), counts[_key(n)])))


def canonical_item(items: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The best-attested CSL item of several items describing one record."""
    if len(items) == 1:
        return dict(items[0])
    out: dict[str, Any] = {}
    fields = sorted({f for item in items for f in item}, key=lambda f: (f != "type", f != "title", f))
    for name in fields:
        values = [item[name] for item in items if item.get(name) not in (None, "", [])]
        if not values:
            continue
        if name in ROLES:
            longest = max(len(v) for v in values)
            out[name] = [canonical_name([v[i] for v in values if len(v) > i]) for i in range(longest)]
        else:
            out[name] = _best(values)
    return out
