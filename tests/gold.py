"""Comparison of extracted citations with the hand-made gold standard (tests/data).

A predicted citation matches a gold one on the same source and line whose
title is similar (rapidfuzz); fields are compared after folding.  Optional
gold lines are neither required nor counted against a prediction.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rapidfuzz import fuzz

from biblio.resolve.keys import fold_text

FIELDS = (
    "title",
    "author",
    "editor",
    "compiler",
    "publisher",
    "publisher-place",
    "year",
    "original-year",
    "pages",
    "volume",
    "type",
)


def load_gold(path: Path) -> list[dict[str, Any]]:
    """The gold citations, one JSON object a line."""
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


def _year(date: Any) -> str | None:
    """The first year of a CSL date."""
    try:
        return str(date["date-parts"][0][0])
    except (KeyError, IndexError, TypeError):
        return None


def _names(names: Any) -> tuple[str, ...] | None:
    """Sorted "family g" keys of CSL names (literal names whole)."""
    if not isinstance(names, list) or not names:
        return None
    keys = []
    for n in names:
        family, given = fold_text(n.get("family")), fold_text(n.get("given"))
        keys.append(f"{family} {given[:1]}".strip() if family else fold_text(n.get("literal")))
    return tuple(sorted(keys))


def field_value(csl: dict[str, Any], name: str) -> Any:
    """A comparable value of one field, or None when absent."""
    if name in ("author", "editor", "compiler"):
        return _names(csl.get(name))
    if name == "year":
        return _year(csl.get("issued"))
    if name == "original-year":
        return _year(csl.get("original-date"))
    value = csl.get("number-of-pages" if name == "pages" else name)
    return fold_text(str(value)) or None if value is not None else None


def _similar(a: str | None, b: str | None) -> float:
    """Title similarity in [0, 1]."""
    return fuzz.ratio(fold_text(a), fold_text(b)) / 100 if a and b else 0.0


@dataclass
class Comparison:
    """Counts of one comparison."""

    tp: Counter[str] = field(default_factory=Counter)
    fp: Counter[str] = field(default_factory=Counter)
    fn: Counter[str] = field(default_factory=Counter)
    field_ok: int = 0
    field_bad: int = 0
    errors: list[str] = field(default_factory=list)
    #: (gold citation, predicted citation) of every matched required citation
    pairs: list[tuple[dict[str, Any], dict[str, Any]]] = field(default_factory=list)

    def pair_f1(self, gold_key: Callable[[dict[str, Any]], Any], pred_key: Callable[[dict[str, Any]], Any]) -> float:
        """Pairwise F1 of a grouping: pairs of matched citations that share a key on both sides."""
        items = [(gold_key(g), pred_key(p)) for g, p in self.pairs]
        return _pairwise_f1(items)

    def person_f1(self) -> float:
        """Pairwise F1 of the person ids given to the gold names of matched citations."""
        links = []
        for g, p in self.pairs:
            for role in ("author", "editor", "compiler"):
                gold_names = g["csl"].get(role) or []
                pred_names = p["csl"].get(role) or []
                ids = (p.get("persons") or {}).get(role) or []
                for name in gold_names:
                    best = max(
                        range(len(pred_names)),
                        default=None,
                        key=lambda i: _similar(_names([name])[0], _names([pred_names[i]])[0]),
                    )  # type: ignore[index]
                    links.append((name.get("person"), ids[best] if best is not None and best < len(ids) else None))
        return _pairwise_f1(links)

    def f1(self, kinds: tuple[str, ...]) -> float:
        """Mention F1 over some kinds."""
        tp = sum(self.tp[k] for k in kinds)
        fp = sum(self.fp[k] for k in kinds)
        fn = sum(self.fn[k] for k in kinds)
        return 2 * tp / (2 * tp + fp + fn) if tp else 0.0

    def precision(self, kind: str) -> float:
        """Mention precision of one kind."""
        return self.tp[kind] / (self.tp[kind] + self.fp[kind]) if self.tp[kind] else 0.0

    def recall(self, kind: str) -> float:
        """Mention recall of one kind."""
        return self.tp[kind] / (self.tp[kind] + self.fn[kind]) if self.tp[kind] else 0.0

    @property
    def field_f1(self) -> float:
        """Micro F1 over field values (a wrong value counts as a miss and a false value)."""
        return self.field_ok / (self.field_ok + self.field_bad) if self.field_ok else 0.0


def _pairwise_f1(items: list[tuple[Any, Any]]) -> float:
    """Pairwise F1 of predicted keys against gold keys (None pairs with nothing)."""

    def pairs(keys: list[Any]) -> int:
        return sum(n * (n - 1) // 2 for n in Counter(k for k in keys if k is not None).values())

    gold = pairs([g for g, _ in items])
    pred = pairs([p for _, p in items])
    both = pairs([(g, p) if g is not None and p is not None else None for g, p in items])
    if not gold and not pred:
        return 1.0
    return 2 * both / (gold + pred) if gold + pred else 0.0


def compare(gold: list[dict[str, Any]], pred: list[dict[str, Any]]) -> Comparison:
    """Match predictions to gold by (source, line, similar title) and count."""
    result = Comparison()
    used: set[int] = set()
    for g in gold:
        candidates = [
            (i, _similar(g["csl"].get("title"), p["csl"].get("title")))
            for i, p in enumerate(pred)
            if i not in used and p["source"] == g["source"] and p["line"] == g["line"]
        ]
        best = max(candidates, key=lambda c: c[1], default=None)
        if best is None or best[1] < 0.6:
            if not g["optional"]:
                result.fn[g["kind"]] += 1
                result.errors.append(f"FN {g['source']}:{g['line']} {g['csl'].get('title')!r}")
            continue
        used.add(best[0])
        if g["optional"]:
            continue
        result.tp[g["kind"]] += 1
        result.pairs.append((g, pred[best[0]]))
        for name in FIELDS:
            gv, pv = field_value(g["csl"], name), field_value(pred[best[0]]["csl"], name)
            if gv is None and pv is None:
                continue
            close = name in ("title", "publisher") and gv and pv and _similar(gv, pv) >= 0.9
            if gv == pv or close:
                result.field_ok += 1
            else:
                # a wrong value is both a false and a missed value
                result.field_bad += (gv is not None) + (pv is not None)
                result.errors.append(f"FIELD {g['source']}:{g['line']} {name}: {gv!r} != {pv!r}")
    for i, p in enumerate(pred):
        if i not in used:
            result.fp[p["kind"]] += 1
            result.errors.append(f"FP {p['source']}:{p['line']} {p['csl'].get('title')!r}")
    return result
