"""Enriching a real SQLite catalog from a real local Open-Library-shaped server."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from tests.conftest import DATA
from tests.openlibrary_stub import Reply, StubServer

from biblio.catalog import Catalog
from biblio.catalog.merges import recompute_edition
from biblio.enrich import EnrichReport, enrich_catalog
from biblio.enrich.openlibrary import OpenLibrary
from biblio.ingest import ingest_paths
from biblio.net import ClientSettings, PoliteClient, ResponseCache


def library(base_url: str, cache: Path, offline: bool = False) -> OpenLibrary:
    """A client without rate limit or backoff waits, on its own cache file."""
    settings = ClientSettings(min_interval=0.0, backoff=0.0, offline=offline, timeout=(2.0, 0.5))
    return OpenLibrary(PoliteClient(settings, ResponseCache(cache / "cache.sqlite")), base_url)


@pytest.fixture
def filled(catalog: Catalog) -> Catalog:
    """A catalog holding the made-up records of tests/data/enrich-records.json."""
    report = ingest_paths(catalog, [str(DATA / "enrich-records.json")])
    assert report.ok and report.new_records == 5
    return catalog


def by_title(report: EnrichReport) -> dict[str, str]:
    return {o.title: o.status for o in report.outcomes}


def record(catalog: Catalog, record_id: str) -> dict[str, object]:
    items = json.loads(catalog.export("csl-json"))
    return next(item for item in items if item["id"] == record_id)


def edition_id(catalog: Catalog, title: str) -> int:
    return next(c["edition_id"] for c in catalog.citation_records() if c["csl"]["title"] == title)


def test_a_clean_match_fills_empty_fields_with_provenance(
    filled: Catalog, openlibrary_stub: StubServer, tmp_path: Path
) -> None:
    report = enrich_catalog(filled, library(openlibrary_stub.url, tmp_path))
    assert by_title(report)["The Glass Orchard"] == "enriched"
    orchard = record(filled, "orchard")
    assert orchard["ISBN"] == "9780000000011"
    assert orchard["publisher"] == "Harrow & Finch"
    assert orchard["publisher-place"] == "Lisbury"
    assert orchard["number-of-pages"] == "312"
    assert orchard["issued"] == {"date-parts": [[1961]]}
    sources = {s.field: s for s in filled.field_sources(edition_id(filled, "The Glass Orchard"))}
    assert sources["ISBN"].ref == f"{openlibrary_stub.url}/books/OL111M.json"
    assert sources["openlibrary-work"].value == "OL101W"
    assert sources["openlibrary-edition"].value == "OL111M"
    assert {s.source for s in sources.values()} == {"openlibrary"}
    assert "issued" not in sources and "title" not in sources


def test_subjects_become_suggested_tags_not_tags(filled: Catalog, openlibrary_stub: StubServer, tmp_path: Path) -> None:
    enrich_catalog(filled, library(openlibrary_stub.url, tmp_path))
    work = next(c["work_id"] for c in filled.citation_records() if c["csl"]["title"] == "The Glass Orchard")
    assert filled.suggested_tags(work) == ["Fiction", "Glassmaking", "Orchards"]
    assert filled.export("csl-json", flt=None).count("Glassmaking") == 0


def test_ambiguous_and_contradicted_records_are_refused_unchanged(
    filled: Catalog, openlibrary_stub: StubServer, tmp_path: Path
) -> None:
    before = {rid: record(filled, rid) for rid in ("salt", "lanterns")}
    report = enrich_catalog(filled, library(openlibrary_stub.url, tmp_path))
    statuses = by_title(report)
    assert statuses["A History of Salt Roads"] == "refused"
    assert statuses["Lanterns over Quell"] == "no-match"
    salt = next(o for o in report.outcomes if o.title == "A History of Salt Roads")
    assert salt.plan is not None and any("OL102W" in r and "OL103W" in r for r in salt.plan.reasons)
    assert {rid: record(filled, rid) for rid in before} == before


def test_an_isbn_is_looked_up_directly_and_its_redirect_followed(
    filled: Catalog, openlibrary_stub: StubServer, tmp_path: Path
) -> None:
    enrich_catalog(filled, library(openlibrary_stub.url, tmp_path))
    mills = record(filled, "mills")
    assert mills["ISBN"] == "978-0-00-000003-5"  # as the citation gave it, not rewritten
    assert mills["publisher"] == "Estuary Press"
    assert "/isbn/9780000000035.json" in openlibrary_stub.requests
    assert not any(p.startswith("/search.json?") and "Tidal" in p for p in openlibrary_stub.requests)


def test_articles_are_skipped_without_a_request(filled: Catalog, openlibrary_stub: StubServer, tmp_path: Path) -> None:
    report = enrich_catalog(filled, library(openlibrary_stub.url, tmp_path), limit=None)
    assert by_title(report)["Small Rooms"] == "skipped"
    assert not any("Small" in p for p in openlibrary_stub.requests)


def test_a_stated_value_is_never_replaced(catalog: Catalog, openlibrary_stub: StubServer, tmp_path: Path) -> None:
    data = tmp_path / "stated.json"
    data.write_text(
        json.dumps(
            [
                {
                    "id": "mine",
                    "type": "book",
                    "title": "The Glass Orchard",
                    "author": [{"family": "Vantosh", "given": "M."}],
                    "issued": {"date-parts": [[1978]]},
                    "publisher": "Penfold",
                    "number-of-pages": "300",
                }
            ]
        )
    )
    ingest_paths(catalog, [str(data)])
    report = enrich_catalog(catalog, library(openlibrary_stub.url, tmp_path))
    assert [o.status for o in report.outcomes] == ["enriched"]
    mine = record(catalog, "mine")
    assert (mine["publisher"], mine["number-of-pages"]) == ("Penfold", "300")
    assert mine["ISBN"] == "9780000000028"  # the 1978 edition's, the one the citation states
    assert mine["original-date"] == {"date-parts": [[1961]]}
    fields = {s.field for s in catalog.field_sources(edition_id(catalog, "The Glass Orchard"))}
    assert "publisher" not in fields and "number-of-pages" not in fields


def test_a_dry_run_changes_nothing(filled: Catalog, openlibrary_stub: StubServer, tmp_path: Path) -> None:
    before = filled.dump()
    exported = filled.export("csl-json")
    report = enrich_catalog(filled, library(openlibrary_stub.url, tmp_path), dry_run=True)
    assert "ISBN" in next(o.filled for o in report.outcomes if o.title == "The Glass Orchard")
    assert filled.dump() == before
    assert filled.export("csl-json") == exported
    assert len(enrich_catalog(filled, library(openlibrary_stub.url, tmp_path), dry_run=True).outcomes) == 5


def test_a_second_run_is_served_from_the_cache(filled: Catalog, openlibrary_stub: StubServer, tmp_path: Path) -> None:
    dry = enrich_catalog(filled, library(openlibrary_stub.url, tmp_path), dry_run=True)
    asked = len(openlibrary_stub.requests)
    assert dry.requests > 0
    real = enrich_catalog(filled, library(openlibrary_stub.url, tmp_path))
    assert real.requests == 0
    assert len(openlibrary_stub.requests) == asked
    assert by_title(real) == by_title(dry)


def test_a_rerun_skips_what_was_judged(filled: Catalog, openlibrary_stub: StubServer, tmp_path: Path) -> None:
    enrich_catalog(filled, library(openlibrary_stub.url, tmp_path))
    again = enrich_catalog(filled, library(openlibrary_stub.url, tmp_path))
    assert [o.status for o in again.outcomes] == ["skipped"]  # only the article, which is never stored
    retried = enrich_catalog(filled, library(openlibrary_stub.url, tmp_path), redo=("refused", "no-match"))
    assert sorted(o.title for o in retried.outcomes) == [
        "A History of Salt Roads",
        "Lanterns over Quell",
        "Small Rooms",
    ]
    forced = enrich_catalog(filled, library(openlibrary_stub.url, tmp_path), redo=None)
    assert len(forced.outcomes) == 5
    # judged again, the enriched records change nothing: their fields are no longer empty
    assert [o.filled for o in forced.outcomes] == [[]] * 5


def test_a_failure_mid_run_keeps_what_was_done_and_a_rerun_continues(
    filled: Catalog, openlibrary_stub: StubServer, tmp_path: Path
) -> None:
    openlibrary_stub.fail_next("/isbn/9780000000035.json", Reply(body=b"{not json"))
    first = enrich_catalog(filled, library(openlibrary_stub.url, tmp_path))
    mills = next(o for o in first.outcomes if o.title == "Notes on Tidal Mills")
    assert mills.status == "error" and mills.error is not None and "malformed JSON" in mills.error
    assert record(filled, "orchard")["ISBN"] == "9780000000011"
    second = enrich_catalog(filled, library(openlibrary_stub.url, tmp_path))
    assert {o.title: o.status for o in second.outcomes} == {
        "Notes on Tidal Mills": "enriched",
        "Small Rooms": "skipped",
    }
    assert record(filled, "mills")["publisher"] == "Estuary Press"


def test_a_timeout_is_an_error_for_that_record_only(
    filled: Catalog, openlibrary_stub: StubServer, tmp_path: Path
) -> None:
    openlibrary_stub.fail_next("/search.json", Reply(body=b"{}", delay=1.0))
    report = enrich_catalog(filled, library(openlibrary_stub.url, tmp_path))
    statuses = by_title(report)
    assert statuses["The Glass Orchard"] == "error"
    assert statuses["A History of Salt Roads"] == "refused"


def test_a_404_work_is_not_an_error(filled: Catalog, openlibrary_stub: StubServer, tmp_path: Path) -> None:
    openlibrary_stub.fail_next("/works/OL101W.json", Reply(404, b'{"error": "notfound"}'))
    report = enrich_catalog(filled, library(openlibrary_stub.url, tmp_path))
    assert by_title(report)["The Glass Orchard"] == "enriched"  # subjects then come from the search answer


def test_no_network_stops_at_once_changing_nothing(filled: Catalog, tmp_path: Path) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    before = filled.dump()
    report = enrich_catalog(filled, library(f"http://127.0.0.1:{port}", tmp_path))
    assert report.stopped is not None and "cannot connect" in report.stopped
    assert report.outcomes == []
    assert filled.dump() == before


def test_offline_with_an_empty_cache_fills_nothing(
    filled: Catalog, openlibrary_stub: StubServer, tmp_path: Path
) -> None:
    before = filled.dump()
    report = enrich_catalog(filled, library(openlibrary_stub.url, tmp_path, offline=True))
    assert {o.status for o in report.outcomes} == {"error", "skipped"}
    assert openlibrary_stub.requests == []
    assert filled.dump() == before


def test_filled_values_survive_a_recompute_of_the_edition(
    filled: Catalog, openlibrary_stub: StubServer, tmp_path: Path
) -> None:
    enrich_catalog(filled, library(openlibrary_stub.url, tmp_path))
    eid = edition_id(filled, "The Glass Orchard")
    with filled.session() as session, session.begin():
        recompute_edition(session, eid)
    assert record(filled, "orchard")["ISBN"] == "9780000000011"


def test_field_sources_follow_merges(filled: Catalog, openlibrary_stub: StubServer, tmp_path: Path) -> None:
    enrich_catalog(filled, library(openlibrary_stub.url, tmp_path))
    orchard, salt = edition_id(filled, "The Glass Orchard"), edition_id(filled, "A History of Salt Roads")
    filled.merge("edition", salt, orchard)
    assert "ISBN" in {s.field for s in filled.field_sources(salt)}
    filled.unmerge()
    assert filled.field_sources(salt) == []
    assert record(filled, "orchard")["ISBN"] == "9780000000011"


def test_a_misspelt_author_is_searched_by_title_and_weighed_by_the_matcher(
    catalog: Catalog, openlibrary_stub: StubServer, tmp_path: Path
) -> None:
    data = tmp_path / "misspelt.json"
    records = [
        {"id": "near", "type": "book", "title": "Notes on Tidal Mills", "author": [{"family": "Okonjoh"}]},
        {"id": "far", "type": "book", "title": "Notes on Tidal Mills", "author": [{"family": "Brask"}]},
    ]
    data.write_text(json.dumps(records))
    ingest_paths(catalog, [str(data)])
    report = enrich_catalog(catalog, library(openlibrary_stub.url, tmp_path))
    assert [o.status for o in report.outcomes] == ["enriched", "no-match"]
    # by title and name for each, by title alone once: the second record's is the cached answer
    assert len(openlibrary_stub.api_requests("/search.json")) == 3
    assert record(catalog, "near")["original-date"] == {"date-parts": [[1948]]}
    assert "original-date" not in record(catalog, "far")


def test_a_record_of_one_volume_takes_only_that_volume_s_edition(catalog: Catalog, tmp_path: Path) -> None:
    def volume_edition(key: str, volume: int, isbn: str) -> dict[str, object]:
        return {
            "key": f"/books/{key}",
            "title": f"A Map of Inland Ferries, Vol. {volume}",
            "works": [{"key": "/works/OL77W"}],
            "publishers": ["Penfold Books"],
            "publish_date": "1972",
            "number_of_pages": 200 + volume,
            "isbn_13": [isbn],
        }

    data = {
        "works": [
            {
                "key": "/works/OL77W",
                "title": "A Map of Inland Ferries",
                "author_name": ["Orla Quennell"],
                "first_publish_year": 1972,
            }
        ],
        "editions": [volume_edition("OL71M", 1, "9780000000771"), volume_edition("OL72M", 2, "9780000000772")],
    }
    records = [
        {
            "id": key,
            "type": "book",
            "title": "A Map of Inland Ferries",
            "volume": volume,
            "author": [{"family": "Quennell", "given": "Orla"}],
            "publisher": "Penfold Books",
            "issued": {"date-parts": [[1972]]},
        }
        for key, volume in (("ferries2", "II"), ("ferries3", "3"))
    ]
    (tmp_path / "ferries.json").write_text(json.dumps(records), encoding="utf-8")
    assert ingest_paths(catalog, [str(tmp_path / "ferries.json")]).ok
    stub = StubServer(data).start()
    try:
        enrich_catalog(catalog, library(stub.url, tmp_path))
    finally:
        stub.stop()
    second, third = record(catalog, "ferries2"), record(catalog, "ferries3")
    assert second["ISBN"] == "9780000000772" and second["number-of-pages"] == "202"  # volume II is volume 2
    assert "ISBN" not in third and "number-of-pages" not in third  # no edition names volume 3
