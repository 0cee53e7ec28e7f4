"""A persistent response cache: one small SQLite file, so a second run makes no request.

Kept apart from the catalog on purpose: it holds what a service said, not
what the user knows, and can be deleted at any time.  It lives in
$BIBLIO_CACHE_DIR, else $XDG_CACHE_HOME/biblio, else ~/.cache/biblio.
"""

from __future__ import annotations

import os
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from biblio.errors import BiblioError

__all__ = ["ENV_CACHE_DIR", "CachedResponse", "ResponseCache", "default_cache_path"]

ENV_CACHE_DIR = "BIBLIO_CACHE_DIR"
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS response ("
    " url TEXT PRIMARY KEY, status INTEGER NOT NULL, content_type TEXT NOT NULL,"
    " body BLOB NOT NULL, fetched_at TEXT NOT NULL)"
)


@dataclass(frozen=True)
class CachedResponse:
    """A stored answer: its status (200 or 404), type, body and when it was fetched."""

    url: str
    status: int
    content_type: str
    body: bytes
    fetched_at: str


def default_cache_path() -> Path:
    """Where the cache file lives unless told otherwise."""
    folder = os.environ.get(ENV_CACHE_DIR)
    if folder:
        return Path(folder).expanduser() / "http-cache.sqlite"
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base).expanduser() / "biblio" / "http-cache.sqlite"


class ResponseCache:
    """Responses by URL in a SQLite file (opened lazily, created on first write)."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_cache_path()
        self._conn: sqlite3.Connection | None = None

    def _connect(self, create: bool) -> sqlite3.Connection | None:
        """The connection, or None when the file does not exist and need not."""
        if self._conn is None:
            if not create and not self.path.exists():
                return None
            try:
                self.path.parent.mkdir(parents=True, exist_ok=True)
                self._conn = sqlite3.connect(self.path, timeout=30)
                self._conn.execute(_SCHEMA)
            except (OSError, sqlite3.Error) as err:
                raise BiblioError(f"cannot open the response cache {self.path}: {err}") from err
        return self._conn

    def get(self, url: str) -> CachedResponse | None:
        """The stored answer for a URL, if any."""
        conn = self._connect(create=False)
        if conn is None:
            return None
        row = conn.execute(
            "SELECT url, status, content_type, body, fetched_at FROM response WHERE url = ?", (url,)
        ).fetchone()
        return CachedResponse(row[0], row[1], row[2], bytes(row[3]), row[4]) if row else None

    def put(self, url: str, status: int, content_type: str, body: bytes) -> CachedResponse:
        """Store (or replace) the answer for a URL."""
        conn = self._connect(create=True)
        assert conn is not None
        at = datetime.now(UTC).isoformat(timespec="seconds")
        with conn:
            conn.execute(
                "INSERT OR REPLACE INTO response (url, status, content_type, body, fetched_at) VALUES (?, ?, ?, ?, ?)",
                (url, status, content_type, body, at),
            )
        return CachedResponse(url, status, content_type, body, at)

    def close(self) -> None:
        """Close the file."""
        if self._conn is not None:
            self._conn.close()
            self._conn = None
