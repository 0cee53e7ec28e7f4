"""The ingest pipeline end to end on real files and a real catalog (SQLite or PostgreSQL)."""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from biblio.catalog import Catalog
from biblio.errors import CatalogError, SchemaVersionError
from biblio.ingest import ingest_paths
from tests.conftest import DATA

ENTRY = "Tides of the North, Ann Lowe, Harbour Press, Leith, 1950, 120 pages."


def write(folder: Path, name: str, text: str) -> Path:
    """A document file in a folder."""
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return path


def test_reingesting_an_unchanged_document_changes_nothing(catalog: Catalog, tmp_path: Path) -> None:
    doc = write(tmp_path, "list.txt", ENTRY + "\n")
    first = ingest_paths(catalog, [str(doc)])
    before = catalog.dump()
    second = ingest_paths(catalog, [str(doc)])
    assert (first.documents, second.documents, second.unchanged) == (1, 0, 1)
    assert catalog.dump() == before


def test_a_changed_document_replaces_its_citations(catalog: Catalog, tmp_path: Path) -> None:
    doc = write(tmp_path, "list.txt", ENTRY + "\n")
    ingest_paths(catalog, [str(doc)])
    write(tmp_path, "list.txt", "Songs of the South, Bea Marsh, Quay Books, Cork, 1961, 90 pages.\n")
    report = ingest_paths(catalog, [str(doc)])
    assert report.replaced == 1
    titles = [c["csl"]["title"] for c in catalog.citation_records()]
    assert titles == ["Songs of the South"]
    assert catalog.counts()["documents"] == 1


def test_a_failure_inside_a_document_leaves_the_catalog_as_it_was(
    catalog: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    write(tmp_path, "a.txt", ENTRY + "\n")
    ingest_paths(catalog, [str(tmp_path / "a.txt")])
    before = catalog.dump()
    write(
        tmp_path,
        "b.txt",
        "\n\n".join(
            [
                "Songs of the South, Bea Marsh, Quay Books, Cork, 1961, 90 pages.",
                "Winter Roads, Carl Moss, Quay Books, Cork, 1963, 140 pages.",
            ]
        )
        + "\n",
    )
    import biblio.catalog.store

    original = biblio.catalog.store.write_document

    def failing(*args: object) -> object:
        original(*args)  # type: ignore[arg-type]  # every row is written inside the transaction ...
        raise sqlite3.OperationalError("disk I/O error")  # ... then the disk fails

    monkeypatch.setattr(biblio.catalog.store, "write_document", failing)
    report = ingest_paths(catalog, [str(tmp_path / "b.txt")])
    assert len(report.failures) == 1
    assert report.failures[0].source.endswith("b.txt")
    assert "disk I/O error" in report.failures[0].reason
    assert catalog.dump() == before


def test_an_extraction_bug_is_a_failure_not_a_crash(
    catalog: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import biblio.parallel

    def broken(doc: object) -> list[object]:
        raise ValueError("recognizer exploded")

    monkeypatch.setattr(biblio.parallel, "extract_citations", broken)
    write(tmp_path, "a.txt", ENTRY + "\n")
    report = ingest_paths(catalog, [str(tmp_path / "a.txt")])
    assert len(report.failures) == 1 and "recognizer exploded" in report.failures[0].reason


def execute(url: str, statement: str) -> None:
    """Run one SQL statement on a catalog's database behind biblio's back."""
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(statement))
    engine.dispose()


def test_a_catalog_of_another_schema_version_is_refused(db_url: str) -> None:
    Catalog(db_url).close()
    execute(db_url, "UPDATE biblio_meta SET value = '999' WHERE key = 'schema_version'")
    with pytest.raises(SchemaVersionError, match="version 999"):
        Catalog(db_url)


def test_a_database_that_is_not_a_catalog_is_refused(db_url: str) -> None:
    execute(db_url, "CREATE TABLE invoices (id INTEGER)")
    with pytest.raises(CatalogError, match="not a biblio catalog"):
        Catalog(db_url)


def test_markdown_bullets_and_footnotes(catalog: Catalog, tmp_path: Path) -> None:
    text = "\n".join(
        [
            "# Notes on the harbour strikes",
            "",
            "The strike began in spring.[^1]",
            "",
            "## Further reading",
            "",
            "- Lowe, Ann. 1950. *Tides of the North*. Leith: Harbour Press.",
            "- Marsh, Bea. *Songs of the South*. Cork: Quay Books, 1961.",
            "",
            '[^1]: Moss, Carl. 1963. "Winter Roads." *Journal of Coastal History* 12 (3): 45–67.',
        ]
    )
    ingest_paths(catalog, [str(write(tmp_path, "notes.md", text))])
    found = {c["csl"]["title"]: c for c in catalog.citation_records()}
    assert set(found) == {"Tides of the North", "Songs of the South", "Winter Roads"}
    assert found["Tides of the North"]["line"] == 7
    assert found["Songs of the South"]["section"] == "Further reading"
    assert found["Winter Roads"]["csl"]["type"] == "article-journal"
    assert found["Winter Roads"]["csl"]["container-title"] == "Journal of Coastal History"


def test_html_lists(catalog: Catalog, tmp_path: Path) -> None:
    text = "\n".join(
        [
            "<html><head><title>Harbour reading</title></head><body>",
            "<h2>Books</h2>",
            "<ul>",
            "  <li>Lowe, Ann. <i>Tides of the North</i>. Leith: Harbour Press, 1950.</li>",
            "  <li>Songs of the South, Bea Marsh, Quay Books, Cork, 1961, 90 pages.</li>",
            "</ul>",
            "</body></html>",
        ]
    )
    ingest_paths(catalog, [str(write(tmp_path, "list.html", text))])
    found = {c["csl"]["title"]: c for c in catalog.citation_records()}
    assert set(found) == {"Tides of the North", "Songs of the South"}
    assert found["Tides of the North"]["line"] == 4
    assert found["Songs of the South"]["csl"]["publisher"] == "Quay Books"


def test_each_document_is_a_record_of_its_own(catalog: Catalog, seeds_dir: Path) -> None:
    ingest_paths(catalog, [str(seeds_dir)])
    gold = json.loads((DATA / "sources.gold.json").read_text(encoding="utf-8"))
    with catalog.session() as session:
        from sqlmodel import select

        from biblio.catalog.tables import DocumentRow

        own = {d.name: d.csl for d in session.exec(select(DocumentRow))}
    assert set(own) == set(gold)
    for name in ("000_e281f5a95e46e6aa.txt", "002_962dfb8a24743a19.txt", "003_703f9e2f2a805c9a.txt"):
        assert own[name]["title"] == gold[name]["title"], name
    assert own["000_e281f5a95e46e6aa.txt"]["author"] == [{"family": "Vltchek", "given": "Andre"}]
    assert own["002_962dfb8a24743a19.txt"]["author"] == [{"family": "Stalin", "given": "J. V."}]
    assert own["004_cbc786eb5d88570e.txt"]["issued"] == {"date-parts": [[2017, 11, 10]]}


def test_bracketed_name_forms_are_kept_on_the_person(catalog: Catalog, tmp_path: Path) -> None:
    """ "K (AB) Marlowe" is Marlowe, K. with another form Marlowe, A. B.; "(Vazquez)" another spelling."""
    write(
        tmp_path,
        "leaflets.txt",
        "Our Demands, leaflet, signed by K (AB) Marlowe and T Vasquez (Vazquez), no date but probably 1919, 1 page.\n",
    )
    ingest_paths(catalog, [str(tmp_path / "leaflets.txt")])
    record = catalog.citation_records()[0]
    assert record["csl"]["author"] == [{"family": "Marlowe", "given": "K."}, {"family": "Vasquez", "given": "T."}]
    with catalog.session() as session:
        from sqlmodel import select

        from biblio.catalog.tables import NameForm

        forms = {(f.person_id, f.form) for f in session.exec(select(NameForm))}
    marlowe, vasquez = record["persons"]["author"]
    assert {(marlowe, "Marlowe, K."), (marlowe, "Marlowe, A. B."), (vasquez, "Vazquez, T.")} <= forms


def test_citations_are_listed_in_code_point_order_of_document_names(catalog: Catalog, tmp_path: Path) -> None:
    """Document names sort as Python sorts them, whatever the database's collation."""
    names = ["b.txt", "B.txt", "_c.txt", "a.txt"]
    for name in names:
        write(tmp_path, name, ENTRY + "\n")
    ingest_paths(catalog, [str(tmp_path / name) for name in names])
    sources = [record["source"] for record in catalog.citation_records()]
    assert sources == sorted(names) == ["B.txt", "_c.txt", "a.txt", "b.txt"]


def test_jobs_one_keeps_a_large_documents_resolution_in_this_process(
    new_db_url: Callable[[str], str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from bench.corpus import generate

    import biblio.catalog.dedupe as dedupe

    items = [dict(r.csl, id=f"r{i}") for i, r in enumerate(generate(300))]
    (tmp_path / "library.json").write_text(json.dumps(items), encoding="utf-8")
    monkeypatch.setattr(dedupe, "BACKGROUND_MIN_FORMS", 0)  # this document counts as very large
    forks: list[bool] = []
    real = dedupe.map_beside

    def spy(*args: Any, **kwargs: Any) -> Any:
        forks.append(kwargs["fork"])
        return real(*args, **kwargs)

    monkeypatch.setattr(dedupe, "map_beside", spy)
    answers = []
    for jobs in (1, None):
        forks.clear()
        catalog = Catalog(new_db_url(f"jobs{jobs or 0}"))  # lower case: a schema name on PostgreSQL
        try:
            assert ingest_paths(catalog, [str(tmp_path / "library.json")], jobs=jobs).ok
            answers.append([(c["line"], c["edition_id"], c["work_id"]) for c in catalog.citation_records()])
        finally:
            catalog.close()
        assert forks == [jobs is None]  # one document, one resolution: forked only by default
    assert answers[0] == answers[1] and len({edition for _, edition, _ in answers[0]}) < 300


def test_a_batch_pauses_the_collector_and_collects_young_objects_as_it_goes(
    catalog: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    import biblio.ingest as ingest

    for i in range(5):
        (tmp_path / f"d{i}.md").write_text(f"# Notes {i}\n\n- Quell, I. (2001). *A Made-up Atlas {i}*. Inkwell.\n")
    collected: list[int] = []
    monkeypatch.setattr(ingest, "COLLECT_EVERY", 2)
    monkeypatch.setattr(ingest.gc, "collect", lambda generation=2: collected.append(generation) or 0)
    enabled: list[bool] = []
    report = ingest_paths(catalog, [str(tmp_path)], progress=lambda _: enabled.append(gc.isenabled()))
    assert report.ok and report.citations == 5
    assert enabled == [False] * 5 and collected == [1, 1]
    assert gc.isenabled()

    def fail(_: str) -> None:
        raise RuntimeError("a progress bar broke")

    with pytest.raises(RuntimeError):
        ingest_paths(catalog, [str(tmp_path)], progress=fail)
    assert gc.isenabled()  # restored whatever stops the batch
