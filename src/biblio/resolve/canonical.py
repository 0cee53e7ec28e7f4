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
from biblio.resolve.keys import fold_text
from biblio.resolve.persons import given_compatible, given_parts, same_family

__all__ = ["canonical_item", "canonical_name"]


def _plain(value: Any) -> bool:
    """A string that JSON writes as it is, between quotes (no escapes)."""
    return type(value) is str and value.isprintable() and '"' not in value and "\\" not in value


def _key(value: Any) -> str:
    """A hashable, order-stable form of any JSON value (its JSON text)."""
    if _plain(value):
        return f'"{value}"'  # what json.dumps writes for a string that needs no escape, without its cost
    if type(value) is int:
        return str(value)
    if type(value) is dict and all(_plain(k) and _plain(v) for k, v in value.items()):
        return "{" + ", ".join(f'"{k}": "{value[k]}"' for k in sorted(value)) + "}"  # a name: {"family": ...}
    return json.dumps(value, sort_keys=True, ensure_ascii=False)


def _same(a: Any, b: Any) -> bool:
    """True only when two JSON values have the same `_key` (False may still mean the same key).

    Strings, ints, booleans and None of one type compare by value; dicts and lists member by member.
    Floats are never called the same here (0.0 == -0.0, yet their JSON differs): the caller falls back
    to the keys.
    """
    kind = type(a)
    if kind is not type(b):
        return False
    if kind is str or kind is int or kind is bool or a is None:
        return bool(a == b)
    if kind is dict:
        return a.keys() == b.keys() and all(_same(v, b[k]) for k, v in a.items())
    if kind is list:
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    return False


def _all_same(values: Sequence[Any]) -> bool:
    """Every value has the first one's `_key` (checked without building the keys)."""
    first = values[0]
    # == first, in C: most values that differ do so there; it also holds 1 == 1.0 == True, hence `_same`
    return all(v is first or (v == first and _same(first, v)) for v in values[1:])


def _best(values: list[Any]) -> Any:
    """The most frequent value; ties to the most complete (the longer JSON text), then the first seen."""
    if _all_same(values):  # all agree (the usual case): the last of them, as the vote returns
        return values[-1]
    return _vote(values)


def _vote(values: list[Any]) -> Any:
    """`_best` by counting the values' keys."""
    keys = [_key(v) for v in values]
    if len(set(keys)) == 1:  # all agree (the usual case): the last of them, as below
        return values[-1]
    counts = Counter(keys)
    order = {k: i for i, k in reversed(list(enumerate(keys)))}
    by_key = dict(zip(keys, values, strict=True))
    best = max(counts, key=lambda k: (counts[k], len(k), -order[k]))
    return by_key[best]


def canonical_name(names: Sequence[dict[str, Any]]) -> dict[str, Any]:
    """The fullest form of one person's name: full given names over initials."""

    def fullness(name: dict[str, Any]) -> tuple[int, int, int]:
        parts = given_parts(str(name.get("given") or ""))
        return (sum(len(p) > 1 for p in parts), len(parts), len(str(name.get("family") or "")))

    keys = [_key(n) for n in names]
    counts = Counter(keys)
    if len(counts) == 1:  # one form throughout: max() would pick the first
        return dict(names[0])
    ranks = []
    for name, key in zip(names, keys, strict=True):
        full = fullness(dict(name))
        ranks.append((full[:2], counts[key], full[2]))
    best = max(range(len(names)), key=ranks.__getitem__)  # the first of the best, as max() over names
    return dict(names[best])


def _same_person(a: dict[str, Any], b: dict[str, Any]) -> bool:
    """Two names of one record that stand for one person."""
    if a.get("literal") or b.get("literal"):
        return fold_text(a.get("literal")) == fold_text(b.get("literal"))
    return same_family(str(a.get("family") or ""), str(b.get("family") or "")) and given_compatible(
        str(a.get("given") or ""), str(b.get("given") or "")
    )


def _canonical_names(lists: list[list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """Names aligned by person, not by position, in the order of the fullest list."""
    if all(type(n) is dict for n in lists[0]) and _all_same(lists):
        # one list throughout: each name aligns with itself, and a group of one form is that form
        return [dict(n) for n in lists[0]]
    return _aligned_names(lists)


def _aligned_names(lists: list[list[dict[str, Any]]]) -> list[dict[str, Any]]:
    """`_canonical_names` by aligning every list with the fullest one."""
    skeleton = max(lists, key=len)
    groups: list[list[dict[str, Any]]] = [[n] for n in skeleton]
    for names in lists:
        if names is skeleton:
            continue
        used: set[int] = set()
        for name in names:
            home = next((i for i, g in enumerate(groups) if i not in used and _same_person(g[0], name)), None)
            if home is None:
                groups.append([name])
            else:
                groups[home].append(name)
                used.add(home)
    return [canonical_name(g) for g in groups]


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
            out[name] = _canonical_names(values)
        else:
            out[name] = _best(values)
    return out
