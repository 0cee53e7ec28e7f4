"""Planning merges: complete linkage on vetoes, winners, reviews, refused pairs."""

from __future__ import annotations

from typing import Any

import pytest

from biblio.resolve import plan as plan_module
from biblio.resolve.match import WORK_REVIEW, WORK_SAME, Decision, Record, record_of
from biblio.resolve.persons import NameForm
from biblio.resolve.plan import Plan, plan_editions, plan_persons, plan_works


def rec(
    rid: int, title: str, persons: tuple[int, ...] = (1,), year: int | None = None, publisher: str = "", **fields: Any
) -> Record:
    csl: dict[str, Any] = {"type": "book", "title": title}
    if year is not None:
        csl["issued"] = {"date-parts": [[year]]}
    if publisher:
        csl["publisher"] = publisher
    csl.update({k.replace("_", "-"): v for k, v in fields.items()})
    return record_of(rid, csl, persons)


def clusters_of(plan: Plan, ids: list[int]) -> set[frozenset[int]]:
    """The clusters a plan's merges make of the given ids."""
    root = {i: i for i in ids}

    def find(x: int) -> int:
        while root[x] != x:
            x = root[x]
        return x

    for m in plan.merges:
        root[find(m.loser)] = find(m.winner)
    out: dict[int, set[int]] = {}
    for i in ids:
        out.setdefault(find(i), set()).add(i)
    return {frozenset(c) for c in out.values()}


# --- complete linkage ---------------------------------------------------------------


def _lenient_compare(a: Record, b: Record) -> Decision:
    """Like a comparator that only vetoes when both records name different volumes."""
    va, vb = dict(a.parts).get("volume"), dict(b.parts).get("volume")
    if va and vb and va != vb:
        return Decision(0.0, ["different volume"])
    return Decision(0.95 if (va and vb) or not (va or vb) else 0.9, ["close"])


def test_chain_through_a_third_record_does_not_join_distinct_volumes(monkeypatch: pytest.MonkeyPatch) -> None:
    # A ~ B and B ~ C, but A and C are different volumes: they must not end up together
    monkeypatch.setattr(plan_module, "compare_works", _lenient_compare)
    monkeypatch.setattr(plan_module, "may_be_one_work", lambda a, b: True)  # the real pre-test belongs to the real one
    a = rec(1, "Collected Papers", volume="1")
    b = rec(2, "Collected Papers")
    c = rec(3, "Collected Papers", volume="2")
    assert _lenient_compare(a, b).score >= WORK_SAME
    assert _lenient_compare(b, c).score >= WORK_SAME
    assert _lenient_compare(a, c).score < WORK_REVIEW
    for order in ([a, b, c], [c, b, a], [b, a, c]):
        plan = plan_works(order)
        clusters = clusters_of(plan, [1, 2, 3])
        assert not any({1, 3} <= c for c in clusters), clusters
        assert len(plan.merges) == 1


def test_chain_through_shared_contributors_is_refused() -> None:
    # real comparator: A and B share person 1, B and C share person 2, A and C share nobody (vetoed)
    a = rec(1, "Collected Papers", persons=(1,))
    b = rec(2, "Collected Papers", persons=(1, 2))
    c = rec(3, "Collected Papers", persons=(2,))
    plan = plan_works([a, b, c])
    clusters = clusters_of(plan, [1, 2, 3])
    assert not any({1, 3} <= c for c in clusters), clusters
    assert len(plan.merges) == 1


def test_chain_of_editions_is_refused() -> None:
    # one work; A and C differ in year; B is A's twin: A+B one edition, C apart
    a = rec(1, "The Long Road Home", year=1950, publisher="Harbour Press")
    b = rec(2, "Long Road Home", year=1950, publisher="The Harbour Press")
    c = rec(3, "The Long Road Home", year=1962, publisher="Harbour Press")
    plan = plan_editions([[a, b, c]])
    assert clusters_of(plan, [1, 2, 3]) == {frozenset({1, 2}), frozenset({3})}


def test_distinct_volumes_never_merge_but_their_twins_do() -> None:
    records = [
        rec(1, "History of the Guild", volume="1"),
        rec(2, "The History of the Guild", volume="1"),
        rec(3, "History of the Guild", volume="2"),
        rec(4, "A History of the Guild", volume="2"),
    ]
    plan = plan_works(records)
    assert clusters_of(plan, [1, 2, 3, 4]) == {frozenset({1, 2}), frozenset({3, 4})}


def test_merges_go_into_the_lowest_id() -> None:
    records = [rec(9, "The Art of War"), rec(4, "Art of War"), rec(6, "ART OF WAR")]
    plan = plan_works(records)
    assert {m.winner for m in plan.merges} == {4}
    assert {m.loser for m in plan.merges} == {6, 9}
    for m in plan.merges:
        assert m.score >= WORK_SAME
        assert m.reasons


def test_review_band_pairs_are_queued_not_merged() -> None:
    # contributors on one side only: 1.0 - 0.1 is still the same work
    a = rec(1, "The Long Road Home", persons=(1,))
    b = rec(2, "Long Road Home", persons=())
    plan = plan_works([a, b])
    assert [(x.winner, x.loser) for x in plan.merges] == [(1, 2)]
    # a pair scoring in [REVIEW, SAME) goes to review
    c = rec(3, "The Long Road Home", persons=())
    d = rec(4, "Long Road Home Again", persons=(1,))
    score = plan_module.compare_works(c, d).score
    assert WORK_REVIEW <= score < WORK_SAME
    plan = plan_works([c, d])
    assert plan.merges == []
    assert [(x, y) for x, y, _ in plan.reviews] == [(3, 4)]


def test_refused_pairs_are_not_merged() -> None:
    records = [rec(1, "The Art of War"), rec(2, "Art of War")]
    assert len(plan_works(records).merges) == 1
    assert plan_works(records, refused={(1, 2)}).merges == []
    assert plan_editions([records], refused={(1, 2)}).merges == []


def test_plan_editions_keeps_groups_apart() -> None:
    # same edition details, but in two different work groups: never compared across groups
    g1 = [rec(1, "The Art of War", year=1910, publisher="Luzac"), rec(2, "Art of War", year=1910, publisher="Luzac")]
    g2 = [rec(3, "The Art of War", year=1910, publisher="Luzac")]
    plan = plan_editions([g1, g2])
    assert [(m.winner, m.loser) for m in plan.merges] == [(1, 2)]


def test_empty_plans() -> None:
    assert plan_works([]).merges == []
    assert plan_editions([]).merges == []
    assert plan_persons({}).merges == []


# --- persons ---------------------------------------------------------------------------


def test_plan_persons_picks_the_fullest_name_as_winner() -> None:
    forms = {
        1: [NameForm("Hartwell", "W. P.")],
        2: [NameForm("Hartwell", "WP")],
        3: [NameForm("Hartwell", "William P.")],
        4: [NameForm("Hartwell", "")],
    }
    plan = plan_persons(forms)
    assert {m.winner for m in plan.merges} == {3}
    assert sorted(m.loser for m in plan.merges) == [1, 2, 4]


def test_plan_persons_prefers_full_names_over_more_initials() -> None:
    forms = {1: [NameForm("Hartwell", "W. P. Q.")], 2: [NameForm("Hartwell", "William")]}
    plan = plan_persons(forms)
    assert [(m.winner, m.loser) for m in plan.merges] == [(2, 1)]


def test_plan_persons_uses_the_fullest_form_of_each_person() -> None:
    # person 1 has been seen as "W. P." and "William Peter"; person 2 only as "William P."
    forms = {
        1: [NameForm("Hartwell", "W. P."), NameForm("Hartwell", "William Peter")],
        2: [NameForm("Hartwell", "William P.")],
    }
    plan = plan_persons(forms)
    assert [(m.winner, m.loser) for m in plan.merges] == [(1, 2)]


def test_plan_persons_ties_go_to_the_lowest_id() -> None:
    forms = {7: [NameForm("Hartwell", "W. P.")], 5: [NameForm("Hartwell", "W.P.")]}
    plan = plan_persons(forms)
    assert [(m.winner, m.loser) for m in plan.merges] == [(5, 7)]


def test_plan_persons_keeps_different_people_apart() -> None:
    forms = {
        1: [NameForm("Smith", "W. P.")],
        2: [NameForm("Smith", "Zoe")],
        3: [NameForm("Brown", "J.")],
        4: [NameForm("Brown", "K.")],
        5: [NameForm(literal="Smith")],
    }
    assert plan_persons(forms).merges == []


def test_plan_persons_merges_transliterations() -> None:
    forms = {
        1: [NameForm("Chaikovsky", "P. I.")],
        2: [NameForm("Tschaikowsky", "P.")],
        3: [NameForm("Tchaikovsky", "Pyotr Ilyich")],
    }
    plan = plan_persons(forms)
    assert {m.winner for m in plan.merges} == {3}
    assert sorted(m.loser for m in plan.merges) == [1, 2]


def test_plan_persons_person_with_two_forms_is_not_merged_with_itself() -> None:
    forms = {1: [NameForm("Hartwell", "W. P."), NameForm("Hartwell", "WP")]}
    assert plan_persons(forms).merges == []
