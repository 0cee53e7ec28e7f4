"""Where the catalog lives: --db, else $BIBLIO_DB, else biblio.db in the current folder.

A path is a SQLite file; a URL names any database SQLAlchemy reaches, in
practice PostgreSQL (``postgresql+psycopg://user:password@host/dbname``).
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["DEFAULT_DB", "ENV_DB", "database_url"]

DEFAULT_DB = "biblio.db"
ENV_DB = "BIBLIO_DB"


#: URL schemes that name PostgreSQL without a driver: biblio's driver is psycopg 3
POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def database_url(db: str | None = None) -> str:
    """A SQLAlchemy URL for a --db value: a plain path means a SQLite file, a bare postgresql:// psycopg 3."""
    value = db or os.environ.get(ENV_DB) or DEFAULT_DB
    for scheme in POSTGRES_SCHEMES:
        if value.startswith(scheme):
            return "postgresql+psycopg://" + value.removeprefix(scheme)
    if "://" in value:
        return value
    return f"sqlite:///{Path(value).expanduser().resolve()}"
