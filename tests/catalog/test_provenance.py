"""Provenance tables: created on older catalogs, cleaned with the editions they describe."""

from __future__ import annotations

import json
from pathlib import Path

from sqlalchemy import inspect, text

from biblio.catalog import Catalog
from biblio.catalog.enrichment import EnrichmentPlan
from biblio.ingest import ingest_paths

RECORD = {"id": "orchard", "type": "book", "title": "The Glass Orchard", "author": [{"family": "Vantosh"}]}


def ingest_one(catalog: Catalog, path: Path, record: dict[str, object]) -> int:
    path.write_text(json.dumps([record]))
    ingest_paths(catalog, [str(path)])
    return int(catalog.citation_records()[0]["edition_id"])


def plan(edition_id: int, work_id: int = 1) -> EnrichmentPlan:
    return EnrichmentPlan(
        edition_id,
        work_id,
        "openlibrary",
        "enriched",
        1.0,
        ["title 1.00"],
        fills={"ISBN": ("9780000000011", "http://ol.test/books/OL1M.json"), "title": ("Other", "http://ol.test/x")},
        suggestions={"Orchards": "http://ol.test/works/OL1W.json"},
    )


def test_tables_are_added_to_a_catalog_made_before_them(db_url: str) -> None:
    first = Catalog(db_url)
    with first.engine.begin() as conn:
        for table in ("field_source", "enrichment", "suggested_tag"):
            conn.execute(text(f"DROP TABLE {table}"))
    first.close()
    again = Catalog(db_url)
    assert {"field_source", "enrichment", "suggested_tag"} <= set(inspect(again.engine).get_table_names())
    again.close()


def test_only_empty_fields_are_filled_and_each_is_recorded(catalog: Catalog, tmp_path: Path) -> None:
    eid = ingest_one(catalog, tmp_path / "one.json", RECORD)
    assert catalog.save_enrichment(plan(eid)) == ["ISBN"]  # the title is stated: kept
    sources = catalog.field_sources(eid)
    assert [(s.field, s.value, s.source, s.ref) for s in sources] == [
        ("ISBN", "9780000000011", "openlibrary", "http://ol.test/books/OL1M.json")
    ]
    item = json.loads(catalog.export("csl-json"))[0]
    assert (item["title"], item["ISBN"]) == ("The Glass Orchard", "9780000000011")
    assert catalog.save_enrichment(plan(eid)) == []  # a second time: nothing is empty any more


def test_a_replaced_document_takes_its_provenance_with_it(catalog: Catalog, tmp_path: Path) -> None:
    path = tmp_path / "one.json"
    eid = ingest_one(catalog, path, RECORD)
    catalog.save_enrichment(plan(eid))
    ingest_one(catalog, path, {**RECORD, "title": "The Glass Orchards Revisited"})
    with catalog.engine.connect() as conn:
        rows = {t: conn.execute(text(f"SELECT count(*) FROM {t}")).scalar() for t in ("field_source", "enrichment")}
        tags = conn.execute(text("SELECT count(*) FROM suggested_tag")).scalar()
    assert rows == {"field_source": 0, "enrichment": 0}
    assert tags == 0
