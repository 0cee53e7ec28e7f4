"""Backups of a catalog: on demand, and automatically before bulk destructive operations.

A SQLite catalog is copied with SQLite's online backup API, which gives a
consistent snapshot even while another process writes.  The copy goes to a
temporary file beside the destination and is renamed into place, so a full
disk or a killed process never leaves a half-written backup under the real
name.  A PostgreSQL catalog is dumped with `pg_dump` when it is on the PATH.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import tempfile
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import quote

from sqlalchemy.engine import make_url

from biblio.catalog.access import read_only_reason, sqlite_path
from biblio.errors import CatalogError

__all__ = [
    "AUTO_BACKUPS_KEPT",
    "auto_backup",
    "auto_backups",
    "backup_catalog",
    "default_backup_path",
    "sqlite_path",
]

#: automatic backups kept per catalog; older ones are removed after each new one
AUTO_BACKUPS_KEPT = 5
_AUTO_MARK = ".auto-"
#: where backups of a server catalog go (a SQLite catalog's sit beside its file)
BACKUP_DIR_ENV = "BIBLIO_BACKUP_DIR"


def server_backup_dir() -> Path:
    """Backups of a PostgreSQL catalog: $BIBLIO_BACKUP_DIR, else $XDG_DATA_HOME/biblio/backups
    (~/.local/share/biblio/backups); never the current folder, which may be a source tree."""
    given = os.environ.get(BACKUP_DIR_ENV)
    if given:
        return Path(given).expanduser()
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "biblio" / "backups"


def _server_name(url: str) -> str:
    """A file-name stem for a server catalog: its database (and schema, when the URL names one)."""
    parsed = make_url(url)
    name = Path(parsed.database or "catalog").name
    options = parsed.query.get("options")
    text = " ".join(options) if isinstance(options, tuple) else str(options or "")
    if "search_path=" in text:
        name += "-" + text.split("search_path=", 1)[1].split()[0].split(",")[0]
    return "".join(c if c.isalnum() or c in "-_" else "_" for c in name)


def _stamp() -> str:
    """A UTC timestamp that sorts by time and is safe in file names."""
    return datetime.now(UTC).strftime("%Y%m%dT%H%M%S%fZ")


def default_backup_path(url: str, label: str = "backup") -> Path:
    """`<catalog>.<label>-<UTC timestamp>.db` next to a SQLite catalog (server_backup_dir() for others)."""
    db = sqlite_path(url)
    if db is None:
        return server_backup_dir() / f"{_server_name(url)}.{label}-{_stamp()}.dump"
    return db.with_name(f"{db.stem}.{label}-{_stamp()}{db.suffix or '.db'}")


def _backup_sqlite(source: Path, dest: Path) -> None:
    """Copy a SQLite file through the online backup API, renamed into place when whole."""
    if not source.is_file():
        raise CatalogError(f"no catalog at {source}")
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{dest.name}.", suffix=".tmp", dir=dest.parent)
    except OSError as err:
        raise CatalogError(f"cannot back up {source} to {dest}: {err.strerror or err}") from err
    os.close(fd)
    try:
        # a catalog that cannot be written cannot have its journal files created either
        immutable = read_only_reason(f"sqlite:///{source}") and not Path(f"{source}-wal").exists()
        src = sqlite3.connect(f"file:{quote(str(source))}?mode=ro{'&immutable=1' if immutable else ''}", uri=True)
        try:
            out = sqlite3.connect(tmp)
            try:
                src.backup(out)
                out.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
            finally:
                out.close()
        finally:
            src.close()
        with open(tmp, "rb+") as handle:
            os.fsync(handle.fileno())
        os.replace(tmp, dest)
    except (sqlite3.Error, OSError) as err:
        raise CatalogError(f"cannot back up {source} to {dest}: {err}") from err
    finally:
        Path(tmp).unlink(missing_ok=True)


def _backup_postgres(url: str, dest: Path) -> None:
    """Dump a PostgreSQL catalog with pg_dump (custom format, restore with pg_restore)."""
    pg_dump = shutil.which("pg_dump")
    if pg_dump is None:
        raise CatalogError(
            "backing up a PostgreSQL catalog needs pg_dump on the PATH "
            "(or run it yourself: pg_dump --format=custom --file=FILE DBNAME)"
        )
    libpq = make_url(url).set(drivername="postgresql").render_as_string(hide_password=False)
    tmp = dest.with_name(f".{dest.name}.tmp")
    try:
        dest.parent.mkdir(parents=True, exist_ok=True)
        done = subprocess.run(
            [pg_dump, "--format=custom", f"--file={tmp}", libpq], capture_output=True, text=True, check=False
        )
        if done.returncode != 0:
            raise CatalogError(f"pg_dump failed: {done.stderr.strip()}")
        os.replace(tmp, dest)
    except OSError as err:
        raise CatalogError(f"cannot back up to {dest}: {err.strerror or err}") from err
    finally:
        tmp.unlink(missing_ok=True)


def backup_catalog(url: str, dest: Path | None = None) -> Path:
    """Copy the catalog at `url` to `dest` (default: a timestamped file beside it); return the path."""
    target = dest or default_backup_path(url)
    if target.exists() and target.is_dir():
        target = target / default_backup_path(url).name
    source = sqlite_path(url)
    if source is not None:
        if target.resolve() == source.resolve():
            raise CatalogError(f"the backup would overwrite the catalog itself: {target}")
        _backup_sqlite(source, target)
    elif make_url(url).get_backend_name() == "postgresql":
        _backup_postgres(url, target)
    else:
        raise CatalogError(f"cannot back up a {make_url(url).get_backend_name()} catalog")
    return target


def auto_backups(url: str) -> list[Path]:
    """The automatic backups of a catalog, oldest first (their names sort by time)."""
    db = sqlite_path(url)
    if db is not None:
        folder, prefix = db.parent, f"{db.stem}{_AUTO_MARK}"
    else:
        folder, prefix = server_backup_dir(), f"{_server_name(url)}{_AUTO_MARK}"
    if not folder.is_dir():
        return []
    return sorted(p for p in folder.iterdir() if p.name.startswith(prefix) and p.is_file())


def auto_backup(url: str, operation: str, keep: int = AUTO_BACKUPS_KEPT) -> Path | None:
    """Back up before a bulk destructive operation, keeping only the newest `keep` automatic copies.

    Returns None when the catalog cannot be copied by biblio itself (PostgreSQL
    without pg_dump): the caller warns rather than blocking the operation.
    """
    db = sqlite_path(url)
    if db is None:
        if not shutil.which("pg_dump"):
            return None
        made = backup_catalog(url, server_backup_dir() / f"{_server_name(url)}{_AUTO_MARK}{_stamp()}-{operation}.dump")
    else:
        made = backup_catalog(url, db.with_name(f"{db.stem}{_AUTO_MARK}{_stamp()}-{operation}{db.suffix or '.db'}"))
    for old in auto_backups(url)[: -max(keep, 1)]:
        old.unlink(missing_ok=True)
    return made
