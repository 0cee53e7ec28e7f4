"""The driver-level store path writes what SQLAlchemy would write, and reads back what it wrote."""

from __future__ import annotations

import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import insert, text
from sqlmodel import select
from tests.generated import store_generated

from biblio.catalog import Catalog
from biblio.catalog.dedupe import run_dedupe
from biblio.catalog.rawsql import CHUNK, json_loader, select_in
from biblio.catalog.tables import EditionRow, MergeLog, WorkRow
from biblio.catalog.writer import insert_rows, update_rows
from biblio.errors import CatalogError
from biblio.ingest import ingest_paths
from biblio.model import Citation, Document
from biblio.resolve.background import can_fork, map_beside

WORKS = WorkRow.__table__  # type: ignore[attr-defined]
EDITIONS = EditionRow.__table__  # type: ignore[attr-defined]
LOG = MergeLog.__table__  # type: ignore[attr-defined]
WORK_COLUMNS = ("title", "match_key", "created_at")  # no column defaults on this path: every NOT NULL column
NOW = datetime.now(UTC)
CSL = {"type": "book", "title": "A Made-up Atlas of Tides", "author": [{"family": "Quell", "given": "Ida"}]}


def _raw(catalog: Catalog, sql: str) -> list[tuple[object, ...]]:
    """Rows as the database holds them (JSON as text on SQLite, timestamps as stored)."""
    with catalog.engine.connect() as conn:
        return [tuple(row) for row in conn.execute(text(sql))]


def test_insert_rows_stores_what_sqlalchemy_stores(catalog: Catalog) -> None:
    now = datetime(2026, 3, 4, 5, 6, 7, 890123, tzinfo=UTC)
    row = {"kind": "edition", "winner_id": 1, "loser_id": 2, "score": 0.93, "reasons": ["same title", "é"]}
    with catalog.write() as session:
        session.execute(insert(LOG), [{**row, "automatic": True, "created_at": now}])
        columns = ("kind", "winner_id", "loser_id", "score", "reasons", "automatic", "created_at")
        ids = insert_rows(session, LOG, columns, [(*row.values(), True, now)], ids=True)
    stored = _raw(catalog, "SELECT id, kind, winner_id, loser_id, score, reasons, automatic, created_at FROM merge_log")
    assert len(stored) == 2
    assert stored[1][0] == ids[0]
    assert stored[0][1:] == stored[1][1:]  # same JSON text, same timestamp text, same flag


def test_insert_rows_returns_the_ids_in_row_order(catalog: Catalog) -> None:
    titles = [f"Made-up Work {i:04d}" for i in range(CHUNK * 3 + 7)]
    with catalog.write() as session:
        first = insert_rows(session, WORKS, WORK_COLUMNS, [("Old", "old", NOW)], ids=True)
        session.delete(session.get(WorkRow, first[0]))
        ids = insert_rows(session, WORKS, WORK_COLUMNS, [(t, t.lower(), NOW) for t in titles], ids=True)
    with catalog.session() as session:
        stored = dict(session.exec(select(WorkRow.id, WorkRow.title)).all())
    assert [stored[i] for i in ids] == titles
    assert first[0] not in ids


def test_update_rows_sets_values_by_id(catalog: Catalog) -> None:
    core = WORKS
    with catalog.write() as session:
        ids = insert_rows(session, core, WORK_COLUMNS, [("a", "a", NOW), ("b", "b", NOW), ("c", "c", NOW)], ids=True)
        update_rows(session, core, ("title", "merged_into"), [("b2", ids[0], ids[1]), ("c2", ids[0], ids[2])])
    with catalog.session() as session:
        stored = {i: (t, m) for i, t, m in session.exec(select(WorkRow.id, WorkRow.title, WorkRow.merged_into))}
    assert stored == {ids[0]: ("a", None), ids[1]: ("b2", ids[0]), ids[2]: ("c2", ids[0])}


def test_select_in_reads_every_chunk_and_decodes_json(catalog: Catalog) -> None:
    with catalog.write() as session:
        works = insert_rows(session, WORKS, WORK_COLUMNS, [("w", "w", NOW)], ids=True)
        rows = [(works[0], f"T{i}", "book", "t", {"n": i}, NOW) for i in range(CHUNK + 3)]
        columns = ("work_id", "title", "type", "match_key", "csl", "created_at")
        ids = insert_rows(session, EDITIONS, columns, rows, ids=True)
        sql = "SELECT id, csl FROM edition WHERE title <> {p} AND id IN ({in})"
        found = select_in(session, sql, ids, before=["T0"])
        load = json_loader(session)
    assert sorted(i for i, _ in found) == ids[1:]
    assert {i: load(csl)["n"] for i, csl in found} == {eid: n for n, eid in enumerate(ids) if n}


def _write_records(path: Path, items: list[dict[str, object]]) -> None:
    path.write_text(json.dumps(items), encoding="utf-8")


def test_imported_keys_are_kept_whatever_the_first_record(catalog: Catalog, tmp_path: Path) -> None:
    # a first record without a usable key must not drop the keys of the others, and a later record
    # without one must not fail the document
    items = [
        {"type": "book", "title": "Keyless Made-up Primer"},
        {"id": "quell2001", "type": "book", "title": "Tides of a Made-up Sea", "issued": {"date-parts": [[2001]]}},
        {"id": "quell2001", "type": "book", "title": "Another Made-up Sea", "issued": {"date-parts": [[2003]]}},
        {"id": "marsh1999", "type": "book", "title": "Marsh Lights, Made Up", "issued": {"date-parts": [[1999]]}},
    ]
    _write_records(tmp_path / "records.json", items)
    report = ingest_paths(catalog, [str(tmp_path / "records.json")])
    assert report.ok and report.citations == 4
    with catalog.session() as session:
        keys = dict(session.exec(select(EditionRow.title, EditionRow.citation_key)).all())
    assert keys["Tides of a Made-up Sea"] == "quell2001"
    assert keys["Marsh Lights, Made Up"] == "marsh1999"
    assert keys["Another Made-up Sea"] != "quell2001"
    _write_records(tmp_path / "more.json", items[1:])  # now the first record has a key and the second none
    assert ingest_paths(catalog, [str(tmp_path / "more.json")]).ok


def test_given_records_resolve_as_rebuilt_ones(catalog: Catalog, tmp_path: Path) -> None:
    items = [dict(CSL, id=f"k{i}") for i in range(3)] + [dict(CSL, title="A Made-up Atlas of Tides, Vol. 2")]
    _write_records(tmp_path / "a.json", items)
    assert ingest_paths(catalog, [str(tmp_path / "a.json")]).ok
    with catalog.session() as session:
        roots = set(session.exec(select(EditionRow.id).where(EditionRow.merged_into == None)))  # noqa: E711
    assert len(roots) == 2  # the three copies are one edition; the second volume is another
    with catalog.write() as session:
        again = run_dedupe(session)
    assert again.merges == []  # what storing resolved, a whole-catalog run finds nothing left to merge


def test_a_document_that_cannot_be_stored_leaves_nothing(catalog: Catalog, tmp_path: Path) -> None:
    _write_records(tmp_path / "ok.json", [CSL])
    assert ingest_paths(catalog, [str(tmp_path / "ok.json")]).ok
    before = catalog.counts()
    good = Citation(source="d", line=1, raw="r", kind="list", confidence=1.0, csl=dict(CSL, title="Fine, Made Up"))
    bad = Citation(source="d", line=2, raw="r", kind="list", confidence=1.0, csl=dict(CSL, note=object()))
    doc = Document(name="d.txt", text="", blocks=[], format="text", sha256="0" * 64)
    with pytest.raises(CatalogError, match=r"not JSON serializable"):
        catalog.store_document(doc, [good, bad], None, "d-origin")
    assert catalog.counts() == before


@pytest.mark.sqlite_only("reads SQLite's per-connection settings")
def test_sqlite_connections_get_the_larger_cache_and_rarer_checkpoints(catalog: Catalog) -> None:
    from biblio.catalog.store import SQLITE_CACHE_KIB, SQLITE_CHECKPOINT_PAGES

    with catalog.engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA cache_size").scalar() == -SQLITE_CACHE_KIB
        assert conn.exec_driver_sql("PRAGMA wal_autocheckpoint").scalar() == SQLITE_CHECKPOINT_PAGES


def test_persons_resolved_in_a_child_give_the_same_merges(
    new_db_url: Callable[[str], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    here = store_generated(Catalog(new_db_url("here")), 1500, 250, resolve=False)
    serial = [(m.kind, m.winner, m.loser, m.reasons) for m in here.dedupe().merges]
    here.close()
    monkeypatch.setattr("biblio.catalog.dedupe.BACKGROUND_MIN_FORMS", 0)  # every run forks
    import biblio.catalog.dedupe as dedupe

    forks: list[bool] = []

    def spy(*args: Any, **kwargs: Any) -> Any:
        forks.append(kwargs["fork"])
        return map_beside(*args, **kwargs)

    monkeypatch.setattr(dedupe, "map_beside", spy)
    forked = store_generated(Catalog(new_db_url("forked")), 1500, 250, resolve=False)
    in_child = [(m.kind, m.winner, m.loser, m.reasons) for m in forked.dedupe().merges]
    exported = forked.citation_records()
    forked.close()
    assert len(serial) > 500 and {kind for kind, *_ in serial} == {"person", "work", "edition"}
    assert in_child == serial
    assert forks and all(forks) and can_fork()
    assert len({c["edition_id"] for c in exported}) < 1500  # merged for real in the catalog


def _timeless(catalog: Catalog) -> dict[str, list[dict[str, Any]]]:
    """The catalog's dump without the times rows were made (two runs cannot share them)."""
    return {
        table: [{k: v for k, v in row.items() if not k.endswith("_at")} for row in rows]
        for table, rows in catalog.dump().items()
    }


def test_resolving_from_what_was_written_equals_reading_it_back(
    new_db_url: Callable[[str], str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # storing hands resolution the records, works and contributors it wrote; without them all is read back
    given = store_generated(Catalog(new_db_url("given")), 1200, 150)
    import biblio.catalog.store as store

    handed: list[object] = []

    def read_back(*args: Any, **kwargs: Any) -> Any:
        handed.append(kwargs.pop("written"))
        return run_dedupe(*args, **kwargs)

    monkeypatch.setattr(store, "run_dedupe", read_back)
    read = store_generated(Catalog(new_db_url("read")), 1200, 150)
    assert len(handed) == 8 and all(h is not None for h in handed)
    merges = [(m.kind, m.winner_id, m.loser_id, m.score, m.reasons) for m in given.merges()]
    assert len(merges) > 300 and {kind for kind, *_ in merges} == {"person", "work", "edition"}
    assert merges == [(m.kind, m.winner_id, m.loser_id, m.score, m.reasons) for m in read.merges()]
    assert _timeless(given) == _timeless(read)
    given.close()
    read.close()
