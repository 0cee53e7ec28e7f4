"""CSL-JSON out and in: items valid against the official CSL-JSON schema.

The catalog's items use CSL 1.0.2 variable names; the schema biblio validates
against (tests/data/csl-data.json) predates a few of them, so `volume-title`
and `part-number` are carried in variables it knows (`part`, and the title of
the volume in `note`), and anything else unknown goes to `note` too.
"""

from __future__ import annotations

import json
from typing import Any

from biblio.model import Failure

__all__ = ["CSL_VARIABLES", "from_csl_json", "to_csl_item", "write_csl_json"]

CSL_VARIABLES = frozenset(
    """DOI ISBN ISSN PMCID PMID URL abstract accessed annote archive archive-place archive_collection
    archive_location author authority call-number categories chair chapter-number citation-label
    citation-number collection-editor collection-number collection-title compiler composer container
    container-author container-title container-title-short contributor curator custom dimensions director
    division edition editor editorial-director event event-date event-place executive-producer genre id
    illustrator interviewer issue issued journalAbbreviation jurisdiction keyword language locator medium
    note number number-of-pages number-of-volumes organizer original-author original-date original-publisher
    original-publisher-place original-title page page-first part part-title performer printing producer
    publisher publisher-place recipient references reviewed-author reviewed-title scale section shortTitle
    source status submitted supplement title title-short translated-title translated-title-short translator
    type version volume year-suffix""".split()
)
_NAME_KEYS = ("family", "given", "dropping-particle", "non-dropping-particle", "suffix", "literal")
_DATE_KEYS = ("date-parts", "season", "circa", "literal", "raw")


def _name(name: dict[str, Any]) -> dict[str, Any]:
    """A name object with only the schema's keys."""
    return {k: v if isinstance(v, str) else str(v) for k in _NAME_KEYS if (v := name.get(k))}


def _date(date: Any) -> dict[str, Any] | None:
    """A date object with only the schema's keys."""
    if not isinstance(date, dict):
        return None
    return {k: date[k] for k in _DATE_KEYS if k in date} or None


def to_csl_item(csl: dict[str, Any], key: str) -> dict[str, Any]:
    """One catalog record as a schema-valid CSL-JSON item with `id` = its citation key."""
    item: dict[str, Any] = {"id": key, "type": csl.get("type") or "book"}
    notes: list[str] = []
    for name, value in csl.items():
        if name in ("id", "type") or value in (None, "", []):
            continue
        if name == "volume-title":
            notes.append(f"Volume title: {value}")
        elif name == "part-number":
            item["part"] = str(value)
        elif name not in CSL_VARIABLES:
            notes.append(f"{name}: {value}")
        elif isinstance(value, list):
            item[name] = [_name(n) for n in value if isinstance(n, dict)]
        elif name in ("issued", "original-date", "event-date", "accessed", "submitted"):
            if (date := _date(value)) is not None:
                item[name] = date
        else:
            item[name] = value if isinstance(value, str) else str(value)
    if notes:
        item["note"] = "; ".join([*([item["note"]] if item.get("note") else []), *notes])
    return item


def write_csl_json(items: list[dict[str, Any]]) -> str:
    """A CSL-JSON array, one item per line (diffs stay readable), stable key order."""
    if not items:
        return "[]\n"
    lines = ",\n".join(json.dumps(item, ensure_ascii=False, sort_keys=True) for item in items)
    return f"[\n{lines}\n]\n"


def _without_nul(value: Any) -> Any:
    """The value with U+0000 (a "\\u0000" escape) as U+FFFD, as documents have it: no database text holds NUL."""
    if isinstance(value, str):
        return value.replace("\x00", "\ufffd")
    if isinstance(value, list):
        return [_without_nul(v) for v in value]
    if isinstance(value, dict):
        return {_without_nul(k): _without_nul(v) for k, v in value.items()}
    return value


def from_csl_json(text: str, source: str) -> tuple[list[dict[str, Any]], list[Failure]]:
    """Items of a CSL-JSON file (an array or one object), and what could not be read."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as err:
        return [], [Failure(source, f"not JSON: {err.msg}", err.lineno)]
    if "\\u0000" in text:
        data = _without_nul(data)
    if isinstance(data, dict):
        data = [data]
    if not isinstance(data, list):
        return [], [Failure(source, "expected an array of CSL-JSON items")]
    items, failures = [], []
    for i, item in enumerate(data):
        if not isinstance(item, dict) or not isinstance(item.get("title", ""), str):
            failures.append(Failure(source, f"item {i}: not a CSL-JSON item"))
            continue
        items.append({**item, "_line": i + 1})
    return items, failures
