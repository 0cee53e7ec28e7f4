"""Backups on demand and before bulk destructive operations, on real SQLite files."""

from __future__ import annotations

import shutil
import sqlite3
from pathlib import Path

import pytest
from typer.testing import CliRunner

from biblio.catalog import Catalog
from biblio.catalog.backup import AUTO_BACKUPS_KEPT, auto_backups, backup_catalog, default_backup_path
from biblio.cli import app
from biblio.errors import CatalogError
from biblio.ingest import ingest_paths

pytestmark = pytest.mark.sqlite_only("SQLite's online backup API (PostgreSQL catalogs use pg_dump)")

runner = CliRunner()


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> Path:
    """A catalog file holding the seed documents (built once)."""
    db = tmp_path_factory.mktemp("template") / "notes.db"
    catalog = Catalog(f"sqlite:///{db}")
    assert ingest_paths(catalog, [str(seeds_dir)]).ok
    catalog.close()
    assert not Path(f"{db}-wal").exists()  # closed cleanly: the file alone is the catalog
    return db


@pytest.fixture
def filled(template: Path, tmp_path: Path) -> Path:
    """A private copy of the template catalog."""
    db = tmp_path / "notes.db"
    shutil.copy(template, db)
    return db


def _dump(db: Path) -> dict[str, object]:
    """Everything a catalog holds, for comparing two files."""
    catalog = Catalog(f"sqlite:///{db}")
    try:
        return catalog.dump() | {"counts": catalog.counts()}
    finally:
        catalog.close()


def _biblio(db: Path, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--db", str(db), *args])
    return result.exit_code, result.stdout, result.stderr


def test_a_backup_holds_the_whole_catalog_and_opens_on_its_own(filled: Path, tmp_path: Path) -> None:
    made = backup_catalog(f"sqlite:///{filled}", tmp_path / "copies" / "copy.db")
    assert made == tmp_path / "copies" / "copy.db"
    assert not Path(f"{made}-wal").exists()  # one self-contained file
    assert _dump(made) == _dump(filled)
    assert [p.name for p in made.parent.iterdir()] == ["copy.db"]  # no temporary file left


def test_a_backup_taken_during_a_write_has_only_committed_data(filled: Path, tmp_path: Path) -> None:
    writer = sqlite3.connect(filled)
    writer.execute("BEGIN IMMEDIATE")
    writer.execute("DELETE FROM citation_name")
    made = backup_catalog(f"sqlite:///{filled}", tmp_path / "during.db")
    writer.rollback()
    writer.close()
    assert _dump(made) == _dump(filled)


def test_the_default_backup_sits_beside_the_catalog_with_a_timestamp(filled: Path) -> None:
    code, out, _ = _biblio(filled, "backup")
    assert code == 0
    made = Path(out.split("backed up to ", 1)[1].strip())
    assert made.parent == filled.parent
    assert made.name.startswith("notes.backup-") and made.suffix == ".db"
    assert _dump(made) == _dump(filled)
    assert default_backup_path(f"sqlite:///{filled}") != made  # the timestamp moves on


def test_a_backup_never_overwrites_its_catalog(filled: Path) -> None:
    with pytest.raises(CatalogError, match="overwrite the catalog"):
        backup_catalog(f"sqlite:///{filled}", filled)
    code, _, err = _biblio(filled, "backup", str(filled))
    assert code == 1 and "overwrite the catalog" in err


def test_a_file_that_is_not_a_catalog_is_not_backed_up(tmp_path: Path) -> None:
    other = tmp_path / "other.db"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE t (x)")
    conn.close()
    code, _, err = _biblio(other, "backup", str(tmp_path / "copy.db"))
    assert code == 1 and "not a biblio catalog" in err
    assert not (tmp_path / "copy.db").exists()


@pytest.mark.parametrize(
    ("args", "backs_up"),
    [
        (["dedupe"], True),
        (["dedupe", "--dry-run"], False),
        (["dedupe", "--no-backup"], False),
        (["rekey"], True),
        (["rekey", "--no-backup"], False),
        (["unmerge", "--all"], True),
        (["unmerge", "--all", "--no-backup"], False),
    ],
    ids=lambda value: " ".join(value) if isinstance(value, list) else str(value),
)
def test_bulk_destructive_commands_back_up_first(filled: Path, args: list[str], backs_up: bool) -> None:
    before = _dump(filled)
    code, _, err = _biblio(filled, *args)
    assert code == 0, err
    made = auto_backups(f"sqlite:///{filled}")
    assert len(made) == backs_up
    if backs_up:
        assert f"backup: {made[0]}" in err
        assert _dump(made[0]) == before  # the state before the command ran


def test_only_the_newest_automatic_backups_are_kept(filled: Path) -> None:
    url = f"sqlite:///{filled}"
    for _ in range(AUTO_BACKUPS_KEPT + 2):
        assert _biblio(filled, "rekey")[0] == 0
    kept = auto_backups(url)
    assert len(kept) == AUTO_BACKUPS_KEPT
    code, _, err = _biblio(filled, "rekey")
    assert code == 0
    newest = auto_backups(url)
    assert newest[:-1] == kept[1:]
    assert f"backup: {newest[-1]}" in err


def test_a_backup_into_a_place_that_cannot_be_made_fails_clearly(filled: Path, tmp_path: Path) -> None:
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder\n", encoding="utf-8")
    code, _, err = _biblio(filled, "backup", str(blocker / "copy.db"))
    assert code == 1
    assert "cannot back up" in err and "Traceback" not in err
