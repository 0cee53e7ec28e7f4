"""Opening a catalog on a server: clear errors that never show the password."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from biblio.catalog import Catalog
from biblio.errors import CatalogError


def test_an_unreachable_server_is_a_catalog_error_without_the_password() -> None:
    # port 1 on the loopback: nothing listens there, so the connection is refused at once
    with pytest.raises(CatalogError) as caught:
        Catalog("postgresql+psycopg://reader:s3cret-pw@127.0.0.1:1/books")
    assert "127.0.0.1" in str(caught.value)
    assert "s3cret-pw" not in str(caught.value)


def test_an_unknown_driver_is_a_catalog_error() -> None:
    with pytest.raises(CatalogError, match="nosuchdriver"):
        Catalog("postgresql+nosuchdriver://reader@127.0.0.1/books")


def test_without_psycopg_the_error_names_the_extra_to_install(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "psycopg", None)  # as if the postgres extra were not installed
    with pytest.raises(CatalogError, match=r"biblio\[postgres\]"):
        Catalog("postgresql+psycopg://reader@127.0.0.1:1/books")


def test_automatic_backups_of_a_server_catalog_stay_out_of_the_working_folder(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A PostgreSQL catalog's backups go to $BIBLIO_BACKUP_DIR (else the user's data folder), never the cwd."""
    from biblio.catalog.backup import auto_backup, default_backup_path, server_backup_dir

    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("BIBLIO_BACKUP_DIR", str(tmp_path / "kept"))
    server = "postgresql+psycopg://me@db.example/books?options=-csearch_path%3Dshelf"
    assert default_backup_path(server).parent == tmp_path / "kept" == server_backup_dir()
    assert default_backup_path(server).name.startswith("books-shelf.backup-")
    monkeypatch.delenv("BIBLIO_BACKUP_DIR")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "data"))
    assert server_backup_dir() == tmp_path / "data" / "biblio" / "backups"
    Catalog(db_url).close()
    made = auto_backup(db_url, "dedupe")
    assert made is None or not made.is_relative_to(tmp_path / "kept")
    assert list(tmp_path.glob("*.dump")) == []
