"""Plan merges: which persons, works and editions are one.

Pure functions over in-memory records; the catalog loads the records (only
those sharing a blocking key with what changed) and applies the plan.  Pairs
are compared only inside blocks, so the work grows with the catalog, not
with its square.  Clusters grow by complete linkage on vetoes: two clusters
join only when no pair across them is vetoed (distinct volumes never end up
together through a third record).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import NamedTuple

from biblio.resolve.match import (
    WORK_REVIEW,
    WORK_SAME,
    Decision,
    Record,
    _block_keys,
    compare_editions,
    compare_works,
    may_be_one_work,
)
from biblio.resolve.pause import collector_paused
from biblio.resolve.persons import NameForm, cluster_names, given_parts

__all__ = ["Merge", "Plan", "plan_editions", "plan_persons", "plan_works"]

MAX_BLOCK = 500  # a block larger than this is a stop-word key: it is not used


class Merge(NamedTuple):
    """Merge `loser` into `winner`, for these reasons.

    A named tuple rather than a frozen dataclass: a dedupe of a million
    records plans hundreds of thousands, and a tuple is built several times
    faster.
    """

    winner: int
    loser: int
    score: float
    reasons: tuple[str, ...]


@dataclass
class Plan:
    """Merges to apply and pairs to put before a person."""

    merges: list[Merge] = field(default_factory=list)
    reviews: list[tuple[int, int, Decision]] = field(default_factory=list)


def plan_persons(forms: dict[int, list[NameForm]]) -> Plan:
    """Merge persons whose name forms cluster together; the fullest name wins."""
    flat: list[tuple[int, NameForm]] = [(pid, f) for pid, fs in forms.items() for f in fs]
    plan = Plan()
    for cluster in cluster_names([f for _, f in flat], [pid for pid, _ in flat]):
        persons = sorted({flat[i][0] for i in cluster})
        if len(persons) < 2:
            continue

        def fullness(pid: int) -> tuple[int, int, int]:
            best = max((len(given_parts(f.given)), sum(len(p) > 1 for p in given_parts(f.given))) for f in forms[pid])
            return (best[1], best[0], -pid)

        winner = max(persons, key=fullness)
        for pid in persons:
            if pid != winner:
                plan.merges.append(Merge(winner, pid, 1.0, ("compatible name forms",)))
    return plan


def candidate_pairs(records: Sequence[Record]) -> Iterable[tuple[Record, Record]]:
    """Each pair of records sharing a blocking key, once.

    Keys are kept as their hashes and pairs as one integer each: at a million
    records there are some ten million key entries and millions of pairs, and
    strings and tuples would take gigabytes.  A hash collision only adds a
    candidate pair; the comparison still decides.
    """
    blocks: dict[int, list[int]] = {}  # a key's hash -> positions of its records, in order
    block = blocks.get
    for i, record in enumerate(records):
        for key in _block_keys(record.words, record.title, record.names):  # block_keys without its copy
            h = hash(key)
            members = block(h)
            if members is None:
                blocks[h] = [i]
            else:
                members.append(i)
    seen: set[int] = set()  # pairs of positions (i < j) as one integer each
    see = seen.add
    for members in blocks.values():
        size = len(members)
        if size > MAX_BLOCK or size < 2:
            continue
        if size == 2:  # most blocks: one pair
            i, j = members
            if (pair := i * _SPAN + j) not in seen:
                see(pair)
                a, b = records[i], records[j]
                yield (a, b) if a.id < b.id else (b, a)
            continue
        for k, i in enumerate(members):
            for j in members[k + 1 :]:
                if (pair := i * _SPAN + j) not in seen:
                    see(pair)
                    a, b = records[i], records[j]
                    yield (a, b) if a.id < b.id else (b, a)


_SPAN = 1 << 40  # ids (and positions) are below this: a pair (a, b) with a < b is the one integer a * _SPAN + b


class _Clusters:
    """Union-find whose unions are refused when any cross pair is vetoed."""

    def __init__(
        self, records: Sequence[Record], compare: Callable[[Record, Record], Decision], same: set[int]
    ) -> None:
        self.records = {r.id: r for r in records}
        self.members: dict[int, list[Record]] = {}  # of roots that have joined another record
        self.root: dict[int, int] = {}  # a record absent is its own root
        self.compare = compare
        self.same = same  # pairs already scored as the same (a * _SPAN + b, a < b): not compared again

    def find(self, x: int) -> int:
        """The cluster a record is in."""
        root = self.root
        while (parent := root.get(x, x)) != x:
            root[x] = root.get(parent, parent)
            x = parent
        return x

    def join(self, ra: int, rb: int) -> bool:
        """Join two distinct clusters (by their roots) unless a pair across them is vetoed."""
        members_a = self.members.get(ra) or [self.records[ra]]
        members_b = self.members.get(rb) or [self.records[rb]]
        same, compare = self.same, self.compare
        for x in members_a:
            for y in members_b:
                pair = x.id * _SPAN + y.id if x.id < y.id else y.id * _SPAN + x.id  # the pair's one integer
                if pair not in same and compare(x, y).score < WORK_REVIEW:
                    return False
        winner, loser = min(ra, rb), max(ra, rb)
        self.root[loser] = winner
        self.members.pop(loser, None)
        self.members[winner] = members_a + members_b if winner == ra else members_b + members_a
        return True


def _cluster(
    records: Sequence[Record],
    compare: Callable[[Record, Record], Decision],
    pairs: Iterable[tuple[Record, Record]],
    refused: set[tuple[int, int]],
    possible: Callable[[Record, Record], bool] | None = None,
) -> Plan:
    """Cluster records by scored pairs; return merges (into the lowest id) and reviews.

    `possible`, when given, is a cheap test that is False only for pairs the
    comparison would veto (score 0: neither merged nor reviewed).
    """
    scored = []  # (-score, a.id, b.id, decision): sorted as they are, best first (ids break ties)
    plan = Plan()
    for a, b in pairs:
        if (refused and (a.id, b.id) in refused) or (possible is not None and not possible(a, b)):
            continue
        decision = compare(a, b)
        if decision.score >= WORK_SAME:
            scored.append((-decision.score, a.id, b.id, decision))
        elif decision.score >= WORK_REVIEW:
            plan.reviews.append((a.id, b.id, decision))
    scored.sort()  # no two entries share their ids: decisions are never compared
    clusters = _Clusters(records, compare, {a * _SPAN + b for _, a, b, _ in scored})  # a < b
    find, join = clusters.find, clusters.join
    for score, a_id, b_id, decision in scored:
        ra, rb = find(a_id), find(b_id)
        if ra != rb and join(ra, rb):
            plan.merges.append(Merge(min(ra, rb), max(ra, rb), round(-score, 3), tuple(decision.reasons)))
    return plan


def plan_works(records: Sequence[Record], refused: set[tuple[int, int]] = frozenset()) -> Plan:  # type: ignore[assignment]
    """Which editions' works are one work (records are editions; ids are edition ids)."""
    with collector_paused():
        return _cluster(records, compare_works, candidate_pairs(records), refused, may_be_one_work)


def _decide_pair(plan: Plan, a: Record, b: Record, refused: set[tuple[int, int]]) -> None:
    """`_cluster` of two editions (a.id < b.id): merge, review or nothing."""
    if (a.id, b.id) in refused:
        return
    decision = compare_editions(a, b)
    if decision.score >= WORK_SAME:
        plan.merges.append(Merge(a.id, b.id, round(decision.score, 3), tuple(decision.reasons)))
    elif decision.score >= WORK_REVIEW:
        plan.reviews.append((a.id, b.id, decision))


def plan_editions(groups: Iterable[Sequence[Record]], refused: set[tuple[int, int]] = frozenset()) -> Plan:  # type: ignore[assignment]
    """Which records of one work are one edition (each group holds one work's editions)."""
    plan = Plan()
    with collector_paused():
        for records in groups:
            if len(records) == 2:  # most works: one pair, no clustering to do
                first, second = records
                if first.id < second.id:
                    _decide_pair(plan, first, second, refused)
                else:
                    _decide_pair(plan, second, first, refused)
                continue
            pairs = [(a, b) for i, a in enumerate(records) for b in records[i + 1 :]]
            sub = _cluster(records, compare_editions, ((a, b) if a.id < b.id else (b, a) for a, b in pairs), refused)
            plan.merges.extend(sub.merges)
            plan.reviews.extend(sub.reviews)
    return plan
