"""Merging and unmerging records, and applying a deduplication plan.

A merge never deletes or rewrites a record: the loser points at the winner
(`merged_into`) and a `merge_log` row says who, when and why.  Citations keep
their own edition; the edition they resolve to is the root of that chain.
The winner's canonical values are recomputed from every member, and a record
with one member is that member unchanged, so unmerging restores records, ids
and citation links exactly.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any, NamedTuple

from sqlmodel import Session, SQLModel, col, select

from biblio.catalog.rawsql import select_in
from biblio.catalog.tables import (
    CitationRow,
    DocumentRow,
    EditionRow,
    MergeLog,
    NameForm,
    PersonRow,
    WorkRow,
)
from biblio.errors import UsageError
from biblio.resolve.canonical import canonical_item
from biblio.resolve.keys import title_key

__all__ = [
    "KINDS",
    "apply_merge",
    "canonical_values",
    "follow",
    "members_of",
    "recompute_edition",
    "root_map",
    "roots_of",
    "undo_merge",
]

KINDS: dict[str, type[SQLModel]] = {"edition": EditionRow, "work": WorkRow, "person": PersonRow}


def root_map(session: Session, table: type[SQLModel]) -> dict[int, int]:
    """Every merged record of a table mapped to its root (unmerged records are absent)."""
    links: dict[int, int] = {
        rid: into
        for rid, into in session.exec(
            select(table.id, table.merged_into).where(table.merged_into.is_not(None))  # type: ignore[attr-defined]
        )
    }
    out = {}
    for rid in links:
        target = links[rid]
        while target in links:
            target = links[target]
        out[rid] = target
    return out


def follow(session: Session, table: type[SQLModel], rid: int) -> int:
    """The root of one record's merge chain."""
    seen = set()
    while True:
        row = session.get(table, rid)
        if row is None or row.merged_into is None or rid in seen:  # type: ignore[attr-defined]
            return rid
        seen.add(rid)
        rid = row.merged_into  # type: ignore[attr-defined]


def _members(session: Session, table: type[SQLModel], root: int) -> list[int]:
    """The ids whose chains end at `root`, root first."""
    out, frontier = [root], [root]
    while frontier:
        children = list(session.exec(select(table.id).where(col(table.merged_into).in_(frontier))))  # type: ignore[attr-defined]
        out.extend(children)
        frontier = children
    return out


def recompute_edition(session: Session, edition_id: int) -> None:
    """Set an edition's canonical values from every citation and document it stands for."""
    edition = session.get(EditionRow, edition_id)
    if edition is None:
        return
    ids = sorted(_members(session, EditionRow, edition_id))
    items: list[dict[str, Any]] = []
    for eid in ids:
        items.extend(
            c.csl
            for c in session.exec(
                select(CitationRow).where(CitationRow.edition_id == eid).order_by(col(CitationRow.id))
            )
        )
        items.extend(
            d.csl
            for d in session.exec(
                select(DocumentRow).where(DocumentRow.edition_id == eid).order_by(col(DocumentRow.id))
            )
        )
    if not items:
        return
    from biblio.catalog.provenance import overlay_sources  # provenance reads merge chains: imported late

    values = canonical_values(items)
    values = canonical_values([overlay_sources(session, ids, values["csl"])])
    for name, value in values.items():
        setattr(edition, name, value)
    session.add(edition)


def canonical_values(items: list[dict[str, Any]]) -> dict[str, Any]:
    """The edition columns that follow from the canonical CSL item of its members."""
    csl = canonical_item(items)
    title = str(csl.get("title") or "[untitled]")
    issued = (csl.get("issued") or {}).get("date-parts") or [[None]]
    year = issued[0][0] if issued and issued[0] else None
    return {
        "csl": csl,
        "title": title,
        "match_key": title_key(title),
        "year": year if isinstance(year, int) else None,
        "publisher": csl.get("publisher"),
        "place": csl.get("publisher-place"),
        "type": str(csl.get("type") or "book"),
    }


def apply_merge(
    session: Session,
    kind: str,
    winner: int,
    loser: int,
    score: float,
    reasons: Iterable[str],
    *,
    automatic: bool = True,
    parent: int | None = None,
    recompute: bool = True,
) -> MergeLog:
    """Merge `loser` into `winner` (both roots) and log it.

    `recompute=False` leaves the winner's canonical values to the caller, who
    merges many records and recomputes each winner once at the end.
    """
    table = KINDS[kind]
    if winner == loser:
        raise UsageError(f"cannot merge {kind} {winner} into itself")
    win, lose = session.get(table, winner), session.get(table, loser)
    if win is None or lose is None:
        raise UsageError(f"no {kind} {winner if win is None else loser}")
    if win.merged_into is not None or lose.merged_into is not None:  # type: ignore[attr-defined]
        raise UsageError(
            f"{kind} {winner if win.merged_into is not None else loser} is already merged "  # type: ignore[attr-defined]
            "into another record; merge its root instead"
        )
    lose.merged_into = winner
    session.add(lose)
    log = MergeLog(
        kind=kind,
        winner_id=winner,
        loser_id=loser,
        score=score,
        reasons=list(reasons),
        automatic=automatic,
        parent_id=parent,
    )
    session.add(log)
    session.flush()
    if kind == "edition":
        _join_works(session, winner, loser, log)
        if recompute:
            recompute_edition(session, winner)
    return log


def _join_works(session: Session, winner: int, loser: int, log: MergeLog) -> None:
    """One edition belongs to one work: merge the works of two merged editions."""
    wa = session.get(EditionRow, winner)
    wb = session.get(EditionRow, loser)
    assert wa is not None and wb is not None
    ra, rb = follow(session, WorkRow, wa.work_id), follow(session, WorkRow, wb.work_id)
    if ra != rb:
        apply_merge(
            session,
            "work",
            min(ra, rb),
            max(ra, rb),
            log.score,
            ["editions merged"],
            automatic=log.automatic,
            parent=log.id,
        )


def undo_merge(session: Session, log_id: int) -> list[MergeLog]:
    """Undo a merge (and the merges made with it); return what was undone."""
    log = session.get(MergeLog, log_id)
    if log is None:
        raise UsageError(f"no merge {log_id}")
    if log.undone_at is not None:
        raise UsageError(f"merge {log_id} was already undone")
    undone = []
    children = select(MergeLog).where(MergeLog.parent_id == log_id, col(MergeLog.undone_at).is_(None))
    for child in session.exec(children.order_by(col(MergeLog.id))):
        undone.extend(undo_merge(session, child.id))  # type: ignore[arg-type]
    table = KINDS[log.kind]
    loser = session.get(table, log.loser_id)
    if loser is None or loser.merged_into != log.winner_id:  # type: ignore[attr-defined]
        raise UsageError(f"merge {log_id} cannot be undone: {log.kind} {log.loser_id} has changed since")
    loser.merged_into = None
    session.add(loser)
    log.undone_at = datetime.now(UTC)
    session.add(log)
    session.flush()
    if log.kind == "edition":
        recompute_edition(session, log.winner_id)
        recompute_edition(session, log.loser_id)
    undone.append(log)
    return undone


def _name(table: type[SQLModel]) -> str:
    """The SQL name of a table (biblio's are plain lower-case words)."""
    return str(table.__tablename__)


def roots_of(session: Session, table: type[SQLModel], ids: Iterable[int]) -> dict[int, int]:
    """The roots of some records, following their chains by index (no table scan)."""
    out = {i: i for i in ids}
    frontier = set(out)
    parent: dict[int, int] = {}
    sql = f"SELECT id, merged_into FROM {_name(table)} WHERE merged_into IS NOT NULL AND id IN ({{in}})"
    while frontier:
        chunk_ids = list(frontier)
        frontier = set()
        for rid, into in select_in(session, sql, chunk_ids):
            if rid not in parent:
                parent[rid] = into
                frontier.add(into)
    for rid in out:
        seen = set()
        while out[rid] in parent and out[rid] not in seen:
            seen.add(out[rid])
            out[rid] = parent[out[rid]]
    return out


def members_of(session: Session, table: type[SQLModel], roots: Iterable[int]) -> dict[int, int]:
    """Every record whose chain ends at one of these roots, mapped to its root (roots included)."""
    out = {r: r for r in roots}
    frontier = list(out)
    sql = f"SELECT id, merged_into FROM {_name(table)} WHERE merged_into IN ({{in}})"
    while frontier:
        found: list[int] = []
        for rid, into in select_in(session, sql, frontier):
            if rid not in out:
                out[rid] = out[into]
                found.append(rid)
        frontier = found
    return out


class FormRow(NamedTuple):
    """The columns of a name form that resolution reads (no ORM object per row)."""

    person_id: int
    family: str | None
    given: str | None
    literal: str | None


def person_forms(session: Session, person_ids: Iterable[int] | None = None) -> dict[int, list[FormRow]]:
    """The name forms of root persons (all of them, or those given), read as plain rows."""
    query = select(NameForm.person_id, NameForm.family, NameForm.given, NameForm.literal).order_by(col(NameForm.id))
    if person_ids is None:
        roots = root_map(session, PersonRow)
        rows = list(session.exec(query))
    else:
        ids = list(person_ids)
        roots = roots_of(session, PersonRow, ids)
        sql = "SELECT person_id, family, given, literal FROM name_form WHERE person_id IN ({in}) ORDER BY id"
        rows = select_in(session, sql, ids)
    out: dict[int, list[FormRow]] = defaultdict(list)
    for row in rows:
        form = FormRow(*row)
        out[roots.get(form.person_id, form.person_id)].append(form)
    return out


def edition_persons(
    session: Session, edition_ids: Iterable[int], written: Mapping[int, Sequence[int]] | None = None
) -> dict[int, set[int]]:
    """Root person ids on each (root) edition, through all its members.

    `written` are the contributors' person ids of editions written in this transaction and neither
    merged nor merged into since: such an edition is its only member, and its contributors are not read.
    """
    written = written or {}
    ids = list(edition_ids)
    members = members_of(session, EditionRow, [e for e in ids if e not in written])
    sql = "SELECT edition_id, person_id FROM contributor WHERE edition_id IN ({in})"
    pairs = select_in(session, sql, list(members))
    for eid in ids:
        if eid in written:
            members[eid] = eid
            pairs.extend((eid, pid) for pid in written[eid])
    p_roots = roots_of(session, PersonRow, {pid for _, pid in pairs})
    out: dict[int, set[int]] = defaultdict(set)
    for eid, pid in pairs:
        out[members[eid]].add(p_roots[pid])
    return out
