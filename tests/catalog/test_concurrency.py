"""Several `biblio ingest` processes writing into one catalog at once lose nothing and resolve alike.

Real processes on the run's backend (a SQLite file in WAL mode, or a
PostgreSQL database): each is started before any has finished, on disjoint
and on overlapping sets of made-up documents whose entries name the same
persons and editions in different spellings.  Afterwards the catalog must
equal what one process ingesting every document in turn makes of them.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, update

from biblio.catalog import Catalog
from biblio.catalog.tables import DocumentRow
from biblio.ingest import ingest_paths

PEOPLE = [("Ann", "Lowe"), ("Bea", "Marsh"), ("Carl", "Moss"), ("Dora", "Finch"), ("Evan", "Hale"), ("Flora", "Quill")]
PUBLISHERS = [("Harbour Press", "Leith"), ("Quay Books", "Cork"), ("Lantern House", "Bristol")]
TITLES = [
    "Tides of the North",
    "Songs of the South",
    "Winter Roads",
    "Paper Harbours",
    "Maps of Nowhere",
    "Quiet Engines",
    "The Salt Ledger",
    "A Field Guide to Mosses",
    "Lamps on the Quay",
    "Rivers Without Names",
    "The Glass Orchard",
    "Letters from the Lighthouse",
]
DOCUMENTS = 12


def entry(work: int, variant: int) -> str:
    """One list entry of a made-up work, spelled one of two ways (full or initialled, with or without "The")."""
    given, family = PEOPLE[work % len(PEOPLE)]
    publisher, place = PUBLISHERS[work % len(PUBLISHERS)]
    author = f"{given} {family}" if variant == 0 else f"{given[0]}. {family}"
    if variant:
        publisher = f"The {publisher}"
    return f"{TITLES[work]}, {author}, {publisher}, {place}, {1930 + 3 * work}, {90 + 10 * work} pages."


@pytest.fixture
def documents(tmp_path: Path) -> list[str]:
    """Twelve documents, each citing seven of twelve works; every work is cited by several documents."""
    folder = tmp_path / "docs"
    folder.mkdir()
    paths = []
    for doc in range(DOCUMENTS):
        works = [(doc + step) % len(TITLES) for step in range(0, 14, 2)]
        lines = [f"Reading list {doc}", "", "Books", ""] + [entry(w, (doc + w) % 2) for w in works]
        path = folder / f"list{doc:02d}.txt"
        path.write_text("\n\n".join(lines) + "\n", encoding="utf-8")
        paths.append(str(path))
    return paths


def ingest_at_once(url: str, batches: list[list[str]]) -> list[dict[str, Any]]:
    """Start one `biblio ingest` process per batch, all before any finishes; return their JSON summaries."""
    command = [sys.executable, "-c", "from biblio.cli import main; main()", "--db", url, "ingest", "-q", "-f", "json"]
    procs = [
        subprocess.Popen([*command, *batch], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        for batch in batches
    ]
    summaries = []
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, out + err
        summaries.append(json.loads(out))
    return summaries


def shape(catalog: Catalog) -> dict[str, Any]:
    """What a catalog holds, independent of ids: counts, and which citations share an edition, a work, a person."""
    groups: dict[str, dict[int, set[tuple[Any, ...]]]] = {"edition": {}, "work": {}, "person": {}}
    for record in catalog.citation_records():
        where = (record["source"], record["line"])
        groups["edition"].setdefault(record["edition_id"], set()).add(where)
        groups["work"].setdefault(record["work_id"], set()).add(where)
        for role, ids in record["persons"].items():
            for position, pid in enumerate(ids):
                groups["person"].setdefault(pid, set()).add((*where, role, position))
    return {
        "counts": catalog.counts(),
        **{kind: {frozenset(members) for members in by_id.values()} for kind, by_id in groups.items()},
    }


def sequential_shape(url: str, paths: list[str]) -> dict[str, Any]:
    """The catalog one process makes of the documents, one after the other."""
    catalog = Catalog(url)
    try:
        assert ingest_paths(catalog, sorted(paths)).ok
        return shape(catalog)
    finally:
        catalog.close()


def concurrent_shape(url: str) -> dict[str, Any]:
    """The shape of a catalog the processes wrote."""
    catalog = Catalog(url)
    try:
        return shape(catalog)
    finally:
        catalog.close()


def test_two_processes_on_disjoint_documents(documents: list[str], new_db_url: Callable[[str], str]) -> None:
    """Both create the catalog (it does not exist yet) and ingest half the documents each."""
    url = new_db_url("concurrent")
    summaries = ingest_at_once(url, [documents[0::2], documents[1::2]])
    assert [s["documents"] for s in summaries] == [DOCUMENTS // 2, DOCUMENTS // 2]
    expected = sequential_shape(new_db_url("sequential"), documents)
    assert expected["counts"]["documents"] == DOCUMENTS
    assert len(expected["edition"]) == len(TITLES)  # the two spellings of each work resolved to one
    assert concurrent_shape(url) == expected


def test_three_processes_on_overlapping_documents(documents: list[str], new_db_url: Callable[[str], str]) -> None:
    """Each document is given to two of three processes: one stores it, the other finds it unchanged."""
    url = new_db_url("concurrent")
    Catalog(url).close()
    thirds = [documents[i::3] for i in range(3)]
    summaries = ingest_at_once(url, [thirds[0] + thirds[1], thirds[1] + thirds[2], thirds[2] + thirds[0]])
    assert sum(s["documents"] for s in summaries) == DOCUMENTS
    assert sum(s["unchanged"] for s in summaries) == DOCUMENTS
    assert concurrent_shape(url) == sequential_shape(new_db_url("sequential"), documents)


def test_readers_are_not_blocked_by_a_writer(db_url: str, documents: list[str]) -> None:
    """While one catalog holds the write lock (a transaction in progress), another reads the committed state."""
    writer, reader = Catalog(db_url), Catalog(db_url)
    try:
        ingest_paths(writer, documents[:1])
        before = reader.counts()
        with writer.write() as session:
            session.execute(update(DocumentRow).values(name="renamed.txt"))
            assert reader.counts() == before
            assert {r["source"] for r in reader.citation_records()} == {"list00.txt"}
        assert {r["source"] for r in reader.citation_records()} == {"renamed.txt"}
    finally:
        writer.close()
        reader.close()


@pytest.mark.sqlite_only("WAL and the busy timeout are SQLite settings")
def test_a_sqlite_catalog_is_in_wal_mode(db_url: str) -> None:
    Catalog(db_url).close()
    engine = create_engine(db_url)
    with engine.connect() as conn:
        assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
    engine.dispose()


def test_processes_opening_a_new_catalog_at_once_create_it_once(
    new_db_url: Callable[[str], str], tmp_path: Path
) -> None:
    """Tables, version row, WAL mode and search index: set up once, whoever comes first, the others wait.

    The processes import biblio, then wait for a signal file, so that they open the catalog at the
    same moment (SQLite refuses a switch to WAL at once while another process opens the file).
    """
    code = (
        "import os, sys, time\n"
        "from biblio.catalog import Catalog\n"
        "while not os.path.exists(sys.argv[2]):\n"
        "    time.sleep(0.001)\n"
        "Catalog(sys.argv[1]).close()\n"
    )
    for round_ in range(4):
        url = new_db_url(f"fresh{round_}")
        go = tmp_path / f"go{round_}"
        procs = [
            subprocess.Popen([sys.executable, "-c", code, url, str(go)], stderr=subprocess.PIPE, text=True)
            for _ in range(6)
        ]
        time.sleep(1.5)  # the imports
        go.touch()
        errors = [p.communicate(timeout=120)[1] for p in procs]
        assert [p.returncode for p in procs] == [0] * 6, errors
        catalog = Catalog(url)
        with catalog.engine.connect() as conn:
            versions = conn.exec_driver_sql("SELECT count(*) FROM biblio_meta WHERE key = 'schema_version'").scalar()
        assert versions == 1
        assert catalog.counts()["editions"] == 0
        catalog.close()
