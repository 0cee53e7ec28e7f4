"""Deduplication inside the catalog: load what may match, plan, apply, log.

`run_dedupe` looks at the whole catalog, or only at the records sharing a
blocking key with a given set (what `ingest` just added).  Persons are
resolved first (so that works can be compared by who wrote them), then works,
then editions within each work.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from sqlmodel import Session, col, select

from biblio.catalog.bulk import apply_merges, recompute_editions
from biblio.catalog.merges import apply_merge, edition_persons, follow, person_forms, roots_of
from biblio.catalog.rawsql import json_loader, select_in
from biblio.catalog.tables import Decision, EditionRow, ReviewPair, WorkRow
from biblio.catalog.writer import Added
from biblio.resolve.background import map_beside
from biblio.resolve.keys import fold_text, title_key
from biblio.resolve.match import Record, record_from, record_of, with_persons
from biblio.resolve.pause import collector_paused
from biblio.resolve.persons import NameForm as Form
from biblio.resolve.plan import Merge, plan_editions, plan_persons, plan_works

__all__ = ["BACKGROUND_MIN_FORMS", "DedupeReport", "MergeInfo", "fingerprint", "run_dedupe"]

#: name forms from which persons are clustered in a child process (a fork costs a few ms: not per document)
BACKGROUND_MIN_FORMS = 20_000


@dataclass(frozen=True)
class MergeInfo:
    """One merge that was (or, in a dry run, would be) applied."""

    kind: str
    winner: int
    loser: int
    score: float
    reasons: tuple[str, ...]
    log_id: int | None


@dataclass
class DedupeReport:
    """What a deduplication did."""

    merges: list[MergeInfo] = field(default_factory=list)
    reviews: int = 0


def fingerprint(csl: dict[str, Any]) -> str:
    """A content key of an edition that survives re-ingesting (ids do not)."""
    issued = (csl.get("issued") or {}).get("date-parts") or [[""]]
    year = issued[0][0] if issued and issued[0] else ""
    return "|".join(
        [
            title_key(csl.get("title")),
            str(year),
            fold_text(csl.get("publisher")),
            fold_text(str(csl.get("volume") or "")),
            fold_text(str(csl.get("part-number") or "")),
        ]
    )


def _scoped_persons(session: Session, persons: Iterable[int] | None) -> dict[int, list[Form]]:
    """Name forms of the persons that may match the given ones (all when None)."""
    if persons is None:
        rows = person_forms(session)
    else:
        keys = {k for (k,) in select_in(session, "SELECT block_key FROM person WHERE id IN ({in})", list(persons))}
        near = select_in(session, "SELECT id FROM person WHERE block_key IN ({in})", sorted(keys))
        rows = person_forms(session, sorted({i for (i,) in near if i}))
    return {pid: [Form(f.family or "", f.given or "", f.literal or "") for f in forms] for pid, forms in rows.items()}


class _Edition:
    """The columns of an edition that resolution reads (no ORM object per row).

    The CSL item is decoded when first asked for (an existing edition's record is built from it, a
    verdict's fingerprint needs it); the editions this transaction wrote are not read at all
    (`_scoped_editions`' `fresh`).
    """

    __slots__ = ("_csl", "_load", "_raw", "id", "work_id")

    def __init__(self, rid: int, work_id: int, raw: Any, load: Callable[[Any], Any] | None = None) -> None:
        self.id = rid
        self.work_id = work_id
        self._raw = raw
        self._load = load
        self._csl: dict[str, Any] | None = None if load is not None else raw

    @property
    def csl(self) -> dict[str, Any]:
        """The CSL item, as the column's processor would have returned it."""
        if self._csl is None:
            assert self._load is not None
            self._csl = self._load(self._raw)
            self._raw = None
        return self._csl


def _scoped_editions(
    session: Session, editions: Iterable[int] | None, fresh: Mapping[int, int] | None = None
) -> list[_Edition]:
    """Root editions that may match the given ones (all when None), read as plain rows.

    `fresh` maps editions written in this transaction and not merged since to their works: they are
    roots, and their id and work are all a row needs when their records are known and no person gave
    a verdict (the CSL item serves only those two): only the other editions are read.
    """
    if editions is None:
        query = select(EditionRow.id, EditionRow.work_id, EditionRow.csl).where(col(EditionRow.merged_into).is_(None))
        return [_Edition(*row) for row in session.exec(query.order_by(col(EditionRow.id)))]
    fresh = fresh or {}
    near = select_in(
        session,
        "SELECT DISTINCT edition_id FROM edition_block WHERE key IN "
        "(SELECT key FROM edition_block WHERE edition_id IN ({in}))",
        list(editions),
    )
    ids = sorted({i for (i,) in near})
    load = json_loader(session)
    rows = select_in(
        session,
        "SELECT id, work_id, csl FROM edition WHERE merged_into IS NULL AND id IN ({in})",
        [i for i in ids if i not in fresh],
    )
    out = [_Edition(rid, work, csl, load) for rid, work, csl in rows]
    out.extend(_Edition(i, fresh[i], None, _unread) for i in ids if i in fresh)
    return sorted(out, key=lambda e: e.id)


def _unread(_raw: None) -> dict[str, Any]:
    """The CSL item of a fresh edition, which was not read: its caller has its record and no verdicts."""
    raise AssertionError("the CSL item of a fresh edition was not read")


Verdicts = dict[tuple[str, str], set[tuple[str, str]]]


def _verdicts(session: Session) -> Verdicts:
    """Every verdict a person gave, by (verdict, kind): one query per run, not one per use."""
    out: Verdicts = defaultdict(set)
    for kind, verdict, key_a, key_b in session.exec(
        select(Decision.kind, Decision.verdict, Decision.key_a, Decision.key_b)
    ):
        out[(verdict, kind)].add((key_a, key_b))
    return out


def _verdict_pairs(rows: list[_Edition], verdicts: Verdicts, verdict: str, kind: str) -> set[tuple[int, int]]:
    """Pairs a person judged (by fingerprint, so re-ingesting keeps the verdict)."""
    judged = verdicts.get((verdict, kind))
    if not judged:
        return set()
    by_print: dict[str, list[int]] = defaultdict(list)
    for row in rows:
        by_print[fingerprint(row.csl)].append(row.id)
    out = set()
    for ka, kb in judged:
        for a in by_print.get(ka, []):
            for b in by_print.get(kb, []):
                out.add((min(a, b), max(a, b)))
    return out


def _queue(session: Session, kind: str, reviews: list[tuple[int, int, Any]]) -> int:
    """Store pairs for review (once each); return how many are new."""
    new = 0
    for a, b, decision in reviews:
        exists = session.exec(
            select(ReviewPair).where(ReviewPair.kind == kind, ReviewPair.a_id == a, ReviewPair.b_id == b)
        ).first()
        if exists is None:
            session.add(
                ReviewPair(kind=kind, a_id=a, b_id=b, score=round(decision.score, 3), reasons=list(decision.reasons))
            )
            new += 1
    return new


def _apply(session: Session, report: DedupeReport, kind: str, merges: list[Merge]) -> None:
    """Apply planned merges in bulk and report them."""
    ids = apply_merges(session, kind, merges)
    report.merges.extend(
        MergeInfo(kind, m.winner, m.loser, m.score, m.reasons, log_id) for m, log_id in zip(merges, ids, strict=True)
    )


def _bare_record(known: Mapping[int, Record], row: _Edition) -> Record:
    """An edition's matching record without its persons (those are attached once resolved)."""
    return known.get(row.id) or record_of(row.id, row.csl, ())


def run_dedupe(
    session: Session,
    *,
    editions: Iterable[int] | None = None,
    persons: Iterable[int] | None = None,
    written: Added | None = None,
    fork: bool = True,
) -> DedupeReport:
    """Resolve persons, works and editions (all, or near the given ones); log every merge.

    `written` is what `write_document` added in this transaction, merged with nothing since: the
    matching records (without persons) of its editions, their works and contributors are taken from
    it instead of being read back or rebuilt from the CSL items just stored.  `fork` False keeps a large
    resolution in this process (by default its persons are clustered in a child: the same merges).
    """
    with collector_paused():
        return _run_dedupe(session, editions, persons, written or Added(), fork)


def _run_dedupe(
    session: Session,
    editions: Iterable[int] | None,
    persons: Iterable[int] | None,
    written: Added,
    fork: bool,
) -> DedupeReport:
    """`run_dedupe`, with the garbage collector paused by the caller."""
    report = DedupeReport()
    known = written.records
    verdicts = _verdicts(session)
    forms = _scoped_persons(session, persons)
    # a verdict is matched by fingerprint, which needs every row's CSL item: then all rows are read
    fresh = {} if verdicts else {e: w for e, w in written.works.items() if e in known}
    rows = _scoped_editions(session, editions, fresh)
    new_works = set(written.works.values())
    # persons are clustered (in a child with a share of the records, when large) while the editions'
    # records are built without them: nothing in a record but its person ids depends on the persons
    person_plan, bare = map_beside(
        partial(plan_persons, forms),
        partial(_bare_record, known),
        rows if len(rows) >= 2 else [],
        fork=fork and sum(len(f) for f in forms.values()) >= BACKGROUND_MIN_FORMS,
        plain=tuple,
        rebuild=record_from,
    )
    _apply(session, report, "person", person_plan.merges)
    if len(rows) < 2:
        return report
    people = edition_persons(session, [r.id for r in rows], written.contributors)
    records = bare  # persons attached in place: each bare record is freed as its successor is made
    for i, record in enumerate(records):
        records[i] = with_persons(record, frozenset(people.get(record.id, ())))
    refused = _verdict_pairs(rows, verdicts, "different", "work")
    work_of = {r.id: r.work_id for r in rows}
    works = plan_works(records, refused)
    # the works written in this transaction are still roots (`work_root` maps a work not looked up to itself)
    work_roots = roots_of(session, WorkRow, set(work_of.values()) - new_works)
    roots: dict[int, int] = {}

    def work_root(work: int) -> int:
        """The root of a work, following the merges made so far in this run."""
        work = work_roots.get(work, work)
        while work in roots:
            work = roots[work]
        return work

    work_merges = []
    for merge in works.merges:
        wa, wb = work_root(work_of[merge.winner]), work_root(work_of[merge.loser])
        if wa != wb:
            roots[max(wa, wb)] = min(wa, wb)
            work_merges.append(Merge(min(wa, wb), max(wa, wb), merge.score, merge.reasons))
    _apply(session, report, "work", work_merges)
    report.reviews += _queue(session, "work", works.reviews)
    session.flush()
    groups: dict[int, list[Record]] = defaultdict(list)
    for record in records:
        groups[work_root(work_of[record.id])].append(record)
    refused |= _verdict_pairs(rows, verdicts, "different", "edition")
    edition_plan = plan_editions([g for g in groups.values() if len(g) > 1], refused)
    _apply(session, report, "edition", edition_plan.merges)
    recompute_editions(session, {m.winner for m in edition_plan.merges} - {m.loser for m in edition_plan.merges})
    report.reviews += _queue(session, "edition", edition_plan.reviews)
    for kind in ("work", "edition"):
        for a, b in sorted(_verdict_pairs(rows, verdicts, "same", kind)):
            if kind == "work":
                ra, rb = follow(session, WorkRow, work_of[a]), follow(session, WorkRow, work_of[b])
            else:
                ra, rb = follow(session, EditionRow, a), follow(session, EditionRow, b)
            if ra != rb:
                reasons = ("a person said: same",)
                log = apply_merge(session, kind, min(ra, rb), max(ra, rb), 1.0, reasons, automatic=False)
                report.merges.append(MergeInfo(kind, min(ra, rb), max(ra, rb), 1.0, reasons, log.id))
    return report
