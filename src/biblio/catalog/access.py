"""Read-only SQLite catalogs: opened for reading, refused for writing with a clear reason.

SQLite in WAL mode writes even to read: it creates `-wal` and `-shm` files beside
the catalog.  A catalog whose file or folder cannot be written (a read-only mount,
a file shared with mode 0444) is therefore opened through SQLite's read-only URI
(`mode=ro`, and `immutable=1` when no journal is waiting to be replayed), so that
it can still be searched and exported; any write is refused before it starts.
"""

from __future__ import annotations

import os
from pathlib import Path
from urllib.parse import quote

from sqlalchemy.engine import make_url

__all__ = ["read_only_reason", "read_only_url", "sqlite_path"]


def sqlite_path(url: str) -> Path | None:
    """The file of a SQLite catalog URL, or None for another database (or an in-memory one)."""
    parsed = make_url(url)
    if parsed.get_backend_name() != "sqlite" or not parsed.database or parsed.database == ":memory:":
        return None
    if parsed.database.startswith("file:"):  # already a SQLite URI
        return None
    return Path(parsed.database)


def read_only_reason(url: str) -> str | None:
    """Why an existing SQLite catalog cannot be written, or None when it can (or is not SQLite)."""
    path = sqlite_path(url)
    if path is None or not path.is_file():
        return None
    if not os.access(path, os.W_OK):
        return "the file is read-only"
    if not os.access(path.parent, os.W_OK | os.X_OK):
        return "its folder is read-only, and SQLite writes its journal there"
    return None


def read_only_url(path: Path) -> str:
    """A SQLAlchemy URL that opens the file through SQLite's read-only URI."""
    waiting = Path(f"{path}-wal").exists()  # a journal to replay: immutable would ignore it
    flags = "mode=ro" if waiting else "mode=ro&immutable=1"
    return f"sqlite:///file:{quote(str(path.resolve()))}?{flags}&uri=true"
