"""Where the catalog lives: --db, else $BIBLIO_DB, else biblio.db in the current folder."""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["DEFAULT_DB", "ENV_DB", "database_url"]

DEFAULT_DB = "biblio.db"
ENV_DB = "BIBLIO_DB"


def database_url(db: str | None = None) -> str:
    """A SQLAlchemy URL for a --db value: a plain path means a SQLite file."""
    value = db or os.environ.get(ENV_DB) or DEFAULT_DB
    if "://" in value:
        return value
    return f"sqlite:///{Path(value).expanduser().resolve()}"
