"""Batched inserts: ids come back in the order of the rows, whatever the batch size."""

from __future__ import annotations

from sqlmodel import select

from biblio.catalog import Catalog
from biblio.catalog.tables import WorkRow
from biblio.catalog.writer import insert_returning_ids


def test_insert_returning_ids_follows_the_rows(catalog: Catalog) -> None:
    titles = [f"Made-up Work {i:04d}" for i in range(2500)]  # more than one multi-row statement
    with catalog.session() as session, session.begin():
        ids = insert_returning_ids(
            session,
            WorkRow.__table__,
            [{"title": t, "match_key": t.lower()} for t in titles],  # type: ignore[attr-defined]
        )
    with catalog.session() as session:
        stored = dict(session.exec(select(WorkRow.id, WorkRow.title)).all())
    assert len(set(ids)) == len(titles)
    assert [stored[i] for i in ids] == titles


def test_insert_returning_ids_after_deletions_keeps_the_order(catalog: Catalog) -> None:
    with catalog.session() as session, session.begin():
        first = insert_returning_ids(session, WorkRow.__table__, [{"title": "Old", "match_key": "old"}])  # type: ignore[attr-defined]
    with catalog.session() as session, session.begin():
        session.delete(session.get(WorkRow, first[0]))
    with catalog.session() as session, session.begin():
        ids = insert_returning_ids(
            session,
            WorkRow.__table__,
            [{"title": t, "match_key": t} for t in ("b", "a", "c")],  # type: ignore[attr-defined]
        )
    with catalog.session() as session:
        stored = dict(session.exec(select(WorkRow.id, WorkRow.title)).all())
    assert [stored[i] for i in ids] == ["b", "a", "c"]
    assert first[0] not in ids  # AUTOINCREMENT never reuses an id


def test_insert_returning_ids_on_a_table_without_autoincrement(catalog: Catalog) -> None:
    from biblio.catalog.tables import NameForm, PersonRow

    with catalog.session() as session, session.begin():
        person = insert_returning_ids(session, PersonRow.__table__, [{"family": "Ashby", "match_key": "ashby|"}])  # type: ignore[attr-defined]
        forms = [{"person_id": person[0], "form": f"Ashby, {g}", "family": "Ashby", "given": g} for g in "ABC"]
        ids = insert_returning_ids(session, NameForm.__table__, forms)  # type: ignore[attr-defined]
    with catalog.session() as session:
        stored = dict(session.exec(select(NameForm.id, NameForm.given)).all())
    assert [stored[i] for i in ids] == ["A", "B", "C"]
