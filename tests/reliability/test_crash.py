"""Crash safety: `biblio ingest`, `dedupe`, `merge` and `unmerge --all` killed with SIGKILL at random moments.

After every kill the catalog opens, passes PRAGMA integrity_check and biblio's own
checks, and holds each document wholly or not at all (its citation count equals
that of a clean reference ingest); a dedupe, merge or unmerge is either wholly
applied or not at all.  A re-run after the kills completes and equals the reference.

The commands run in children forked from a warm interpreter (forkserver.py), so the
random moments fall on biblio's work rather than on Python's start-up.  Set
BIBLIO_CRASH_SEED to replay a run; the seed is in every failure message.
"""

from __future__ import annotations

import json
import os
import random
import shutil
import sqlite3
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from bench.corpus import generate
from sqlalchemy import create_engine
from sqlmodel import SQLModel

from biblio.catalog import Catalog
from biblio.errors import CatalogError
from tests.conftest import ROOT, SEEDS

pytestmark = pytest.mark.sqlite_only("kills SQLite writers, then reads the file with sqlite3 (integrity_check)")

KILLS = {"ingest": 22, "dedupe": 10, "unmerge": 8, "merge": 12}  # at least 50 in all
SEED = int(os.environ.get("BIBLIO_CRASH_SEED", random.SystemRandom().randrange(1 << 30)))


class ForkServer:
    """The forkserver subprocess: run a biblio command, optionally killing it after a delay."""

    def __init__(self) -> None:
        env = {**os.environ, "PYTHONPATH": str(ROOT)}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "tests.reliability.forkserver"],
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            env=env,
        )
        assert self._read() == {"ready": True}

    def _read(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        return dict(json.loads(self.process.stdout.readline()))

    def run(self, db: Path, *args: str, kill_after: float | None = None) -> dict[str, Any]:
        """Run `biblio --db DB ARGS`; kill it after `kill_after` seconds if still running."""
        assert self.process.stdin is not None
        request = {"args": ["--db", str(db), *args], "kill_after": kill_after}
        self.process.stdin.write(json.dumps(request) + "\n")
        self.process.stdin.flush()
        return self._read()

    def close(self) -> None:
        assert self.process.stdin is not None and self.process.stdout is not None
        self.process.stdin.close()
        self.process.wait(timeout=30)
        self.process.stdout.close()


@pytest.fixture(scope="module")
def server() -> Iterator[ForkServer]:
    forks = ForkServer()
    yield forks
    forks.close()


@pytest.fixture(scope="module")
def inputs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Eight CSL-JSON files of generated records (with duplicates) and the seed documents.

    The records are most of the work: a kill at a uniform time must often fall between two
    documents' commits, not in the catalog's creation before the first one.
    """
    folder = tmp_path_factory.mktemp("crash-inputs")
    records = [r.csl for r in generate(800, seed=9)]
    for i in range(8):
        (folder / f"records-{i:02d}.json").write_text(json.dumps(records[i * 100 : (i + 1) * 100]), encoding="utf-8")
    for seed in SEEDS.iterdir():
        shutil.copy(seed, folder / seed.name)
    return folder


def per_document(db: Path) -> dict[str, int]:
    """Citations per document, read with plain sqlite3 (after recovering the WAL of a killed writer)."""
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)], f"seed {SEED}"
        tables = {name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "document" not in tables:  # killed before the schema was created
            return {}
        rows = conn.execute(
            "SELECT d.name, COUNT(c.id) FROM document d LEFT JOIN citation c ON c.document_id = d.id GROUP BY d.id"
        )
        return dict(rows.fetchall())
    finally:
        conn.close()


def checks_pass(db: Path) -> None:
    """biblio's own invariants hold (`biblio check`)."""
    catalog = Catalog(f"sqlite:///{db}")
    try:
        failing = [r.name for r in catalog.check() if not r.ok]
    finally:
        catalog.close()
    assert not failing, f"seed {SEED}: {failing}"


def state(db: Path) -> dict[str, Any]:
    """What a bulk operation changes: rows, every merge link, the merge log (and the checks pass)."""
    checks_pass(db)
    conn = sqlite3.connect(db)
    try:
        out: dict[str, Any] = {
            table: conn.execute(f"SELECT id, merged_into FROM {table} ORDER BY id").fetchall()
            for table in ("edition", "work", "person")
        }
        out["merge_log"] = conn.execute(
            "SELECT id, kind, winner_id, loser_id, undone_at IS NULL FROM merge_log ORDER BY id"
        ).fetchall()
        for table in ("document", "citation", "contributor", "citation_name", "review_pair", "decision"):
            out[table] = conn.execute(f"SELECT COUNT(*) FROM {table}").fetchone()
        return out
    finally:
        conn.close()


@pytest.fixture(scope="module")
def reference(server: ForkServer, inputs: Path, tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """Clean runs of every command: the catalogs and timings the killed runs are compared with."""
    folder = tmp_path_factory.mktemp("reference")
    ingested = folder / "ingested.db"
    done = server.run(ingested, "ingest", "-q", str(inputs))
    assert done["code"] == 0
    unmerged = folder / "unmerged.db"
    shutil.copy(ingested, unmerged)
    undone = server.run(unmerged, "unmerge", "--all", "--no-backup")
    assert undone["code"] == 0
    deduped = folder / "deduped.db"
    shutil.copy(unmerged, deduped)
    dedupe = server.run(deduped, "dedupe", "--no-backup")
    assert dedupe["code"] == 0
    merged = folder / "merged.db"
    shutil.copy(ingested, merged)
    merge = server.run(merged, *merge_args(ingested))
    assert merge["code"] == 0
    return {
        "ingested": ingested,
        "unmerged": unmerged,
        "deduped": deduped,
        "merged": merged,
        "documents": per_document(ingested),
        "seconds": {
            "ingest": done["seconds"],
            "unmerge": undone["seconds"],
            "dedupe": dedupe["seconds"],
            "merge": merge["seconds"],
        },
    }


def merge_args(db: Path) -> list[str]:
    """A hand merge of two persons that are still separate records."""
    conn = sqlite3.connect(db)
    roots = [pid for (pid,) in conn.execute("SELECT id FROM person WHERE merged_into IS NULL ORDER BY id")]
    conn.close()
    return ["merge", "person", str(roots[0]), str(roots[-1])]


def test_the_reference_catalog_is_sound(reference: dict[str, Any]) -> None:
    assert len(reference["documents"]) == 13
    assert sum(reference["documents"].values()) > 200
    assert state(reference["unmerged"]) != state(reference["deduped"])  # the dedupe run did real work


def test_killed_ingests_leave_whole_documents_and_a_rerun_equals_the_reference(
    server: ForkServer, inputs: Path, reference: dict[str, Any], tmp_path: Path
) -> None:
    rng = random.Random(SEED)
    expected: dict[str, int] = reference["documents"]
    db = tmp_path / "crash.db"
    kills = partial = 0
    for _ in range(KILLS["ingest"] * 3):
        if kills == KILLS["ingest"]:
            break
        run = server.run(db, "ingest", "-q", str(inputs), kill_after=rng.uniform(0, reference["seconds"]["ingest"]))
        found = per_document(db)
        wrong = {name: n for name, n in found.items() if expected.get(name) != n}
        assert not wrong, f"seed {SEED}: documents stored in part: {wrong}"
        checks_pass(db)
        if run["killed"]:
            kills += 1
            partial += 0 < len(found) < len(expected)
        else:
            assert run["code"] == 0 and found == expected
            for stale in tmp_path.glob("crash.db*"):
                stale.unlink()  # start again from nothing
    assert kills == KILLS["ingest"], f"seed {SEED}: only {kills} runs were killed before finishing"
    assert partial >= KILLS["ingest"] // 4, f"seed {SEED}: only {partial} kills fell in the middle of the work"
    rerun = server.run(db, "ingest", "-q", str(inputs))
    assert rerun["code"] == 0
    assert per_document(db) == expected
    assert state(db) == state(reference["ingested"])


@pytest.mark.parametrize(
    ("command", "before", "after"),
    [
        (["dedupe", "--no-backup"], "unmerged", "deduped"),
        (["unmerge", "--all", "--no-backup"], "ingested", "unmerged"),
        (["merge"], "ingested", "merged"),
    ],
    ids=["dedupe", "unmerge", "merge"],
)
def test_killed_bulk_operations_are_all_or_nothing(
    server: ForkServer, reference: dict[str, Any], tmp_path: Path, command: list[str], before: str, after: str
) -> None:
    name = command[0]
    rng = random.Random(SEED + len(name))
    args = merge_args(reference["ingested"]) if name == "merge" else command
    states = {"before": state(reference[before]), "after": state(reference[after])}
    db = tmp_path / "crash.db"
    shutil.copy(reference[before], db)
    kills = 0
    # every run starts from the same state, so one that finished bounds the next kill times: the
    # reference's duration may have been taken on a busier machine than this run's
    span = reference["seconds"][name]
    for _ in range(KILLS[name] * 3):
        if kills == KILLS[name]:
            break
        run = server.run(db, *args, kill_after=rng.uniform(0, span))
        now = state(db)
        if run["killed"]:
            kills += 1
            assert now in (states["before"], states["after"]), f"seed {SEED}: {name} half applied"
        else:
            assert run["code"] == 0 and now == states["after"], f"seed {SEED}"
            span = min(span, run["seconds"])
        if now == states["after"]:
            shutil.copy(reference[before], db)
            for stale in tmp_path.glob("crash.db-*"):
                stale.unlink()
    assert kills == KILLS[name], f"seed {SEED}: only {kills} {name} runs were killed before finishing"
    rerun = server.run(db, *args)
    assert rerun["code"] == 0 and state(db) == states["after"]


@pytest.mark.parametrize("created", [["biblio_meta"], ["work", "edition"], ["biblio_meta", "work", "person"]])
def test_a_catalog_whose_creation_was_killed_opens_and_is_completed(tmp_path: Path, created: list[str]) -> None:
    """Found by the kill test: tables are created one by one, so a kill can leave some without a version."""
    db = tmp_path / "half.db"
    engine = create_engine(f"sqlite:///{db}")
    SQLModel.metadata.create_all(engine, tables=[SQLModel.metadata.tables[name] for name in created])
    engine.dispose()
    catalog = Catalog(f"sqlite:///{db}")
    try:
        assert all(r.ok for r in catalog.check())
        assert catalog.counts()["documents"] == 0
    finally:
        catalog.close()
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT value FROM biblio_meta WHERE key = 'schema_version'").fetchone() is not None
    conn.close()


def test_a_database_with_foreign_tables_is_still_refused(tmp_path: Path) -> None:
    db = tmp_path / "other.db"
    conn = sqlite3.connect(db)
    conn.execute("CREATE TABLE work (id INTEGER PRIMARY KEY, notes TEXT)")
    conn.execute("CREATE TABLE invoices (id INTEGER PRIMARY KEY)")
    conn.close()
    with pytest.raises(CatalogError, match="not a biblio catalog"):
        Catalog(f"sqlite:///{db}")
