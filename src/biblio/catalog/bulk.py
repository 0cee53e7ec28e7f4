"""Applying many merges at once: one UPDATE and one INSERT per kind, one pass of recomputation.

`run_dedupe` plans thousands of merges on a large catalog; applying them one
by one costs several round trips each.  These functions do the same work in
batched statements, with the same merge log and the same canonical values.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session

from biblio.catalog.merges import KINDS, canonical_values, members_of
from biblio.catalog.rawsql import json_loader, select_in
from biblio.catalog.tables import EditionRow, MergeLog
from biblio.catalog.writer import Memo, core_table, insert_rows, json_text_kind, update_rows
from biblio.resolve.plan import Merge

__all__ = ["apply_merges", "recompute_editions"]


def apply_merges(session: Session, kind: str, merges: Sequence[Merge], automatic: bool = True) -> list[int]:
    """Point every loser at its winner and log each merge; return the log ids in order.

    The caller guarantees that winners and losers are roots and distinct.
    """
    if not merges:
        return []
    update_rows(session, core_table(KINDS[kind]), ("merged_into",), [(m.winner, m.loser) for m in merges])
    now = datetime.now(UTC)
    reasons: dict[tuple[str, ...], list[str]] = {}  # one list per distinct reasons: its JSON is made once
    rows = [
        (kind, m.winner, m.loser, m.score, reasons.setdefault(m.reasons, list(m.reasons)), automatic, now)
        for m in merges
    ]
    return insert_rows(session, core_table(MergeLog), _LOG_COLUMNS, rows, ids=True)


_LOG_COLUMNS = ("kind", "winner_id", "loser_id", "score", "reasons", "automatic", "created_at")
_CANONICAL_COLUMNS = ("csl", "title", "match_key", "year", "publisher", "place", "type")


def recompute_editions(session: Session, roots: Iterable[int]) -> None:
    """Set the canonical values of these (root) editions from all their members, in one pass."""
    wanted = set(roots)
    if not wanted:
        return
    members: dict[int, list[int]] = {r: [] for r in wanted}
    for member, root in members_of(session, EditionRow, wanted).items():
        members[root].append(member)
    all_ids = sorted(m for ms in members.values() for m in ms)
    items: dict[int, list[dict[str, Any]]] = defaultdict(list)
    load = json_loader(session)
    # an edition's citations (by id), then the documents that describe it: select_in reads by chunks of ids
    for eid, csl in select_in(
        session, "SELECT edition_id, csl FROM citation WHERE edition_id IN ({in}) ORDER BY id", all_ids
    ):
        items[eid].append(load(csl))
    for doc_edition, doc_csl in select_in(
        session, "SELECT edition_id, csl FROM document WHERE edition_id IN ({in}) ORDER BY id", all_ids
    ):
        if doc_edition is not None:
            items[doc_edition].append(load(doc_csl))
    kind = json_text_kind(session)
    stored = _stored_canonical(session, sorted(wanted)) if kind is not None else {}
    updates: dict[tuple[str, ...], list[tuple[Any, ...]]] = defaultdict(list)
    memo: Memo = {}
    for root, ms in members.items():
        found = [csl for m in sorted(ms) for csl in items.get(m, [])]
        if not found:
            continue
        values = canonical_values(found)
        columns: tuple[str, ...] = _CANONICAL_COLUMNS
        before = stored.get(root)
        if kind is not None and before is not None:
            # only the columns whose stored value changes: an index on a column left out of the SET is not
            # touched.  The CSL item is compared as the text its column's processor makes (json_text_kind).
            text = json.dumps(values["csl"])
            memo[(kind, id(values["csl"]))] = (values["csl"], text)
            now = {**values, "csl": text}
            columns = tuple(c for c in _CANONICAL_COLUMNS if before[c] != now[c])
            if not columns:
                continue
        updates[columns].append((*(values[c] for c in columns), root))
    for columns, rows in updates.items():
        update_rows(session, core_table(EditionRow), columns, rows, memo)


def _stored_canonical(session: Session, roots: list[int]) -> dict[int, dict[str, Any]]:
    """The canonical columns of these editions as the database holds them (the CSL item as its JSON text)."""
    names = ", ".join(_CANONICAL_COLUMNS)
    rows = select_in(session, f"SELECT id, {names} FROM edition WHERE id IN ({{in}})", roots)
    return {row[0]: dict(zip(_CANONICAL_COLUMNS, row[1:], strict=True)) for row in rows}
