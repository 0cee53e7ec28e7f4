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

from sqlalchemy import bindparam, update
from sqlmodel import Session, SQLModel, col, select

from biblio.catalog.merges import KINDS, canonical_values, members_of
from biblio.catalog.tables import CitationRow, DocumentRow, EditionRow, MergeLog
from biblio.catalog.writer import insert_returning_ids
from biblio.resolve.plan import Merge

__all__ = ["apply_merges", "recompute_editions"]

CHUNK = 500  # ids per IN (...) list


def apply_merges(session: Session, kind: str, merges: Sequence[Merge], automatic: bool = True) -> list[int]:
    """Point every loser at its winner and log each merge; return the log ids in order.

    The caller guarantees that winners and losers are roots and distinct.
    """
    if not merges:
        return []
    _update_by_id(session, KINDS[kind], [{"id": m.loser, "merged_into": m.winner} for m in merges])
    now = datetime.now(UTC)
    rows = [
        {
            "kind": kind,
            "winner_id": m.winner,
            "loser_id": m.loser,
            "score": m.score,
            "reasons": list(m.reasons),
            "automatic": automatic,
            "created_at": now,
        }
        for m in merges
    ]
    ids = insert_returning_ids(session, MergeLog.__table__, rows)  # type: ignore[attr-defined]
    session.expire_all()
    return ids


def _update_by_id(session: Session, table: type[SQLModel], rows: list[dict[str, Any]]) -> None:
    """UPDATE rows by id in one Core executemany (the ORM's bulk update costs several times more per row)."""
    core = table.__table__  # type: ignore[attr-defined]
    columns = [c for c in rows[0] if c != "id"]
    statement = (
        update(core)
        .where(core.c.id == bindparam("_id"))
        .values({c: bindparam(f"_{c}", type_=core.c[c].type) for c in columns})
    )
    session.execute(statement, [{f"_{k}": v for k, v in row.items()} for row in rows])
    session.expire_all()  # ORM objects loaded before do not see Core updates


def _chunks(ids: Sequence[int]) -> Iterable[list[int]]:
    """Slices of at most CHUNK ids."""
    for start in range(0, len(ids), CHUNK):
        yield list(ids[start : start + CHUNK])


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
    for chunk in _chunks(all_ids):
        for eid, csl in session.exec(
            select(CitationRow.edition_id, CitationRow.csl)
            .where(col(CitationRow.edition_id).in_(chunk))
            .order_by(col(CitationRow.id))
        ):
            items[eid].append(dict(csl))
        for doc_edition, doc_csl in session.exec(
            select(DocumentRow.edition_id, DocumentRow.csl)
            .where(col(DocumentRow.edition_id).in_(chunk))
            .order_by(col(DocumentRow.id))
        ):
            if doc_edition is not None:
                items[doc_edition].append(dict(doc_csl))
    updates = []
    for root, ms in members.items():
        found = [csl for m in sorted(ms) for csl in items.get(m, [])]
        if found:
            updates.append({"id": root, **canonical_values(found)})
    if updates:
        _update_by_id(session, EditionRow, updates)
