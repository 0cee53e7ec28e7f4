"""Applying many merges at once: one UPDATE and one INSERT per kind, one pass of recomputation.

`run_dedupe` plans thousands of merges on a large catalog; applying them one
by one costs several round trips each.  These functions do the same work in
batched statements, with the same merge log and the same canonical values.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session

from biblio.catalog.merges import KINDS, canonical_values, members_of
from biblio.catalog.rawsql import json_loader, select_in
from biblio.catalog.tables import EditionRow, MergeLog
from biblio.catalog.writer import core_table, insert_rows, update_rows
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
    updates = []
    for root, ms in members.items():
        found = [csl for m in sorted(ms) for csl in items.get(m, [])]
        if found:
            values = canonical_values(found)
            updates.append((*(values[c] for c in _CANONICAL_COLUMNS), root))
    update_rows(session, core_table(EditionRow), _CANONICAL_COLUMNS, updates)
