"""What a person decides: merge by hand, unmerge, review queued pairs, and a dump to compare.

These are the Catalog's curation methods, kept apart from storing and reading.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session, SQLModel, col, select

from biblio.catalog.dedupe import fingerprint
from biblio.catalog.merges import KINDS, apply_merge, follow, undo_merge
from biblio.catalog.tables import (
    CitationName,
    CitationRow,
    Contributor,
    Decision,
    DocumentRow,
    EditionRow,
    MergeLog,
    NameForm,
    PersonRow,
    ReviewPair,
    WorkRow,
)
from biblio.errors import UsageError

__all__ = [
    "decide_review",
    "dump_tables",
    "merge_records",
    "pending_reviews",
    "retire_dangling",
    "undo_merges_touching",
    "unmerge_all",
    "unmerge_log",
]

DUMPED: tuple[type[SQLModel], ...] = (
    DocumentRow,
    CitationRow,
    CitationName,
    EditionRow,
    WorkRow,
    PersonRow,
    NameForm,
    Contributor,
)


def merge_records(session: Session, kind: str, winner: int, loser: int) -> MergeLog:
    """Merge two records by hand (their roots), recording a "same" decision."""
    if kind not in KINDS:
        raise UsageError(f"unknown kind {kind!r}: use edition, work or person")
    table = KINDS[kind]
    win, lose = follow(session, table, winner), follow(session, table, loser)
    if win == lose:
        raise UsageError(f"{kind} {winner} and {loser} are already one record ({win})")
    log = apply_merge(session, kind, win, lose, 1.0, ["merged by hand"], automatic=False)
    if kind == "edition":
        _decide(session, kind, win, lose, "same")
    return log


def unmerge_log(session: Session, log_id: int) -> list[MergeLog]:
    """Undo one merge (and those made with it); a person unmerging two editions says they differ."""
    undone = undo_merge(session, log_id)
    for log in undone:
        if log.kind == "edition":
            _decide(session, "edition", log.winner_id, log.loser_id, "different")
    return undone


def unmerge_all(session: Session) -> list[MergeLog]:
    """Undo every merge still in force, newest first."""
    undone: list[MergeLog] = []
    logs = session.exec(
        select(MergeLog)
        .where(col(MergeLog.undone_at).is_(None), col(MergeLog.parent_id).is_(None))
        .order_by(col(MergeLog.id).desc())
    ).all()
    for log in logs:
        assert log.id is not None
        undone.extend(undo_merge(session, log.id))
    return undone


def undo_merges_touching(session: Session, editions: set[int]) -> list[MergeLog]:
    """Undo the merges in force that involve these editions or their works."""
    if not editions:
        return []
    works = set(session.exec(select(EditionRow.work_id).where(col(EditionRow.id).in_(list(editions)))))
    undone: list[MergeLog] = []
    for kind, ids in (("edition", editions), ("work", works)):
        logs = session.exec(
            select(MergeLog)
            .where(
                MergeLog.kind == kind,
                col(MergeLog.undone_at).is_(None),
                col(MergeLog.winner_id).in_(list(ids)) | col(MergeLog.loser_id).in_(list(ids)),
            )
            .order_by(col(MergeLog.id).desc())
        ).all()
        for log in logs:
            if log.undone_at is None and log.id is not None:
                undone.extend(undo_merge(session, log.id))
    return undone


def retire_dangling(session: Session) -> None:
    """Close merge logs and review pairs whose records were deleted with a document."""
    now = datetime.now(UTC)
    for kind, table in KINDS.items():
        existing = select(getattr(table, "id"))  # noqa: B009  (SQLModel tables share no typed base with .id)
        for log in session.exec(
            select(MergeLog).where(
                MergeLog.kind == kind,
                col(MergeLog.undone_at).is_(None),
                col(MergeLog.loser_id).not_in(existing) | col(MergeLog.winner_id).not_in(existing),
            )
        ):
            log.undone_at = now
            session.add(log)
    existing_editions = select(EditionRow.id)
    for pair in session.exec(
        select(ReviewPair).where(
            ReviewPair.status == "pending",
            col(ReviewPair.a_id).not_in(existing_editions) | col(ReviewPair.b_id).not_in(existing_editions),
        )
    ):
        session.delete(pair)


def _decide(session: Session, kind: str, a: int, b: int, verdict: str) -> None:
    """Record a verdict on two editions by their fingerprints (survives re-ingesting)."""
    ea, eb = session.get(EditionRow, a), session.get(EditionRow, b)
    if ea is None or eb is None:
        return
    ka, kb = sorted((fingerprint(ea.csl), fingerprint(eb.csl)))
    existing = session.exec(
        select(Decision).where(Decision.kind == kind, Decision.key_a == ka, Decision.key_b == kb)
    ).first()
    if existing is None:
        session.add(Decision(kind=kind, key_a=ka, key_b=kb, verdict=verdict))
    else:
        existing.verdict = verdict
        session.add(existing)


def pending_reviews(session: Session) -> list[dict[str, Any]]:
    """Queued pairs with both records side by side."""
    out = []
    for pair in session.exec(select(ReviewPair).where(ReviewPair.status == "pending").order_by(col(ReviewPair.id))):
        a, b = session.get(EditionRow, pair.a_id), session.get(EditionRow, pair.b_id)
        out.append(
            {
                "id": pair.id,
                "kind": pair.kind,
                "score": pair.score,
                "reasons": pair.reasons,
                "a": {"id": pair.a_id, "csl": a.csl if a else None},
                "b": {"id": pair.b_id, "csl": b.csl if b else None},
            }
        )
    return out


def decide_review(session: Session, review_id: int, verdict: str) -> MergeLog | None:
    """Accept ("same"), reject ("different") or skip a queued pair."""
    pair = session.get(ReviewPair, review_id)
    if pair is None:
        raise UsageError(f"no review pair {review_id}")
    if pair.status != "pending":
        raise UsageError(f"review pair {review_id} was already decided ({pair.status})")
    pair.status = {"same": "same", "different": "different", "skip": "skipped"}[verdict]
    session.add(pair)
    log = None
    if verdict in ("same", "different"):
        _decide(session, pair.kind, pair.a_id, pair.b_id, verdict)
    if verdict == "same":
        if pair.kind == "work":
            wa = follow(session, WorkRow, session.get(EditionRow, pair.a_id).work_id)  # type: ignore[union-attr]
            wb = follow(session, WorkRow, session.get(EditionRow, pair.b_id).work_id)  # type: ignore[union-attr]
            if wa != wb:
                log = apply_merge(
                    session, "work", min(wa, wb), max(wa, wb), pair.score, ["accepted in review"], automatic=False
                )
        else:
            ea, eb = follow(session, EditionRow, pair.a_id), follow(session, EditionRow, pair.b_id)
            if ea != eb:
                log = apply_merge(
                    session, "edition", min(ea, eb), max(ea, eb), pair.score, ["accepted in review"], automatic=False
                )
    return log


def dump_tables(session: Session) -> dict[str, list[dict[str, Any]]]:
    """Every record, id and link of the data tables, for comparing two states of a catalog."""

    def plain(value: Any) -> Any:
        return value.isoformat() if isinstance(value, datetime) else value

    return {
        table.__tablename__: [  # type: ignore[misc]
            {k: plain(v) for k, v in sorted(row.model_dump().items())}
            for row in session.exec(select(table).order_by(*table.__table__.primary_key.columns))  # type: ignore[attr-defined]
        ]
        for table in DUMPED
    }
