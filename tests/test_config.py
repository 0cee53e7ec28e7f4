"""Where the catalog lives: paths are SQLite files, URLs pass through, PostgreSQL goes through psycopg 3."""

from __future__ import annotations

from pathlib import Path

import pytest

from biblio.config import ENV_DB, database_url


def test_a_path_is_a_sqlite_file(tmp_path: Path) -> None:
    assert database_url(str(tmp_path / "my.db")) == f"sqlite:///{tmp_path / 'my.db'}"


def test_the_environment_names_the_catalog_when_no_option_does(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(ENV_DB, "postgresql+psycopg://reader@db.example/books")
    assert database_url() == "postgresql+psycopg://reader@db.example/books"
    assert database_url("sqlite:////srv/other.db") == "sqlite:////srv/other.db"


@pytest.mark.parametrize("scheme", ["postgresql", "postgres"])
def test_a_bare_postgresql_url_uses_psycopg_3(scheme: str) -> None:
    assert database_url(f"{scheme}://me:pw@db.example:5433/books") == "postgresql+psycopg://me:pw@db.example:5433/books"
