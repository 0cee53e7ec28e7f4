"""`check_catalog` and `biblio check` on real SQLite files damaged by raw SQL behind biblio's back."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from biblio.catalog import Catalog
from biblio.catalog.backup import backup_catalog
from biblio.cli import app
from biblio.ingest import ingest_paths

pytestmark = pytest.mark.sqlite_only("damages a SQLite file with raw SQL and by overwriting a page")

runner = CliRunner()


@pytest.fixture(scope="module")
def healthy(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> Path:
    """A catalog of the seed documents, deduplicated, with one hand merge (built once)."""
    folder = tmp_path_factory.mktemp("healthy")
    work = folder / "work.db"
    catalog = Catalog(f"sqlite:///{work}")
    report = ingest_paths(catalog, [str(seeds_dir)])
    assert report.ok and report.citations > 20
    catalog.dedupe()
    editions = sorted(r["edition_id"] for r in catalog.citation_records())
    catalog.merge("edition", editions[0], editions[-1])
    catalog.close()
    return backup_catalog(f"sqlite:///{work}", folder / "healthy.db")


@pytest.fixture
def db(healthy: Path, tmp_path: Path) -> Path:
    """A private copy of the healthy catalog, to damage."""
    copy = tmp_path / "catalog.db"
    shutil.copy(healthy, copy)
    return copy


def _sql(db: Path, *statements: str) -> None:
    """Run statements with plain sqlite3 (foreign keys off, as any outside tool would)."""
    conn = sqlite3.connect(db)
    with conn:
        for statement in statements:
            conn.execute(statement)
    conn.close()


def _failing(db: Path) -> dict[str, list[str]]:
    """The checks that fail, with their problems."""
    catalog = Catalog(f"sqlite:///{db}")
    try:
        return {r.name: r.problems for r in catalog.check() if not r.ok}
    finally:
        catalog.close()


def test_a_healthy_catalog_passes_every_check(db: Path) -> None:
    assert _failing(db) == {}
    result = runner.invoke(app, ["--db", str(db), "check", "--format", "json"])
    assert result.exit_code == 0
    payload = json.loads(result.stdout)
    assert payload["ok"] is True
    assert {c["check"] for c in payload["checks"]} >= {"integrity", "citation-document", "orphan-persons"}


FIRST = "(SELECT MIN(id) FROM {})"
DAMAGE: dict[str, tuple[list[str], set[str]]] = {
    "citation without document": (
        [f"UPDATE citation SET document_id = 999999 WHERE id = {FIRST.format('citation')}"],
        {"citation-document", "foreign-keys"},
    ),
    "citation without edition": (
        [f"UPDATE citation SET edition_id = 999999 WHERE id = {FIRST.format('citation')}"],
        {"citation-edition", "foreign-keys"},
    ),
    "edition without work": (
        [f"UPDATE edition SET work_id = 999999 WHERE id = {FIRST.format('edition')}"],
        {"edition-work", "foreign-keys"},
    ),
    "contributor without person": (
        [f"UPDATE contributor SET person_id = 999999 WHERE id = {FIRST.format('contributor')}"],
        {"contributor-person", "foreign-keys"},
    ),
    "merge chain loop": (
        [
            "UPDATE work SET merged_into = (SELECT MAX(id) FROM work) WHERE id = (SELECT MIN(id) FROM work)",
            "UPDATE work SET merged_into = (SELECT MIN(id) FROM work) WHERE id = (SELECT MAX(id) FROM work)",
        ],
        {"merge-chains"},
    ),
    "merge chain to nowhere": (
        [f"UPDATE person SET merged_into = 999999 WHERE id = {FIRST.format('person')}"],
        {"merge-chains", "foreign-keys"},
    ),
    "orphan person": (
        ["INSERT INTO person (family, given, match_key, block_key) VALUES ('Nobody', 'Ann', 'nobody', 'nbd')"],
        {"orphan-persons"},
    ),
    "duplicate citation keys": (
        [
            "UPDATE edition SET citation_key = 'sameKey' WHERE id = (SELECT MIN(id) FROM edition)",
            "UPDATE edition SET citation_key = 'samekey' WHERE id = (SELECT MAX(id) FROM edition)",
        ],
        {"citation-keys"},
    ),
}


@pytest.mark.parametrize("damage", list(DAMAGE))
def test_each_kind_of_damage_is_reported(db: Path, damage: str) -> None:
    statements, expected = DAMAGE[damage]
    _sql(db, *statements)
    failing = _failing(db)
    # the damage may break a second invariant too (a person who lost their only link is orphaned)
    assert expected <= set(failing) <= expected | {"orphan-persons"}
    assert all(problems for problems in failing.values())
    result = runner.invoke(app, ["--db", str(db), "check"])
    assert result.exit_code == 1
    for name in expected:
        assert f"FAIL  {name}" in result.stdout


def _overwrite_page(db: Path, table_or_index: str) -> None:
    """Scribble over the root page of an index, as a failing disk would."""
    conn = sqlite3.connect(db)
    (root,) = conn.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table_or_index,)).fetchone()
    (page_size,) = conn.execute("PRAGMA page_size").fetchone()
    conn.close()
    with db.open("r+b") as handle:
        handle.seek((root - 1) * page_size)
        handle.write(b"\xa5" * page_size)


def test_a_damaged_file_fails_the_integrity_check(db: Path) -> None:
    _overwrite_page(db, "ix_citation_document_line")
    failing = _failing(db)
    assert "integrity" in failing
    assert failing["integrity"][0]
    result = runner.invoke(app, ["--db", str(db), "check", "--format", "json"])
    assert result.exit_code == 1
    assert json.loads(result.stdout)["ok"] is False


def test_problems_are_listed_up_to_a_limit_but_counted_in_full(db: Path) -> None:
    _sql(db, "UPDATE citation SET document_id = document_id + 999999")
    catalog = Catalog(f"sqlite:///{db}")
    (result,) = [r for r in catalog.check() if r.name == "citation-document"]
    catalog.close()
    conn = sqlite3.connect(db)
    (total,) = conn.execute("SELECT COUNT(*) FROM citation").fetchone()
    conn.close()
    assert result.count == total > len(result.problems)
