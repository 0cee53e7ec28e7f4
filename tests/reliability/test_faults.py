"""A read-only catalog and a full disk: a clear message, an exit code, nothing half-written.

The commands run as subprocesses with the fault applied to them only:
- read-only: the catalog file is chmod 0444 or its folder 0555.  Root ignores file
  modes, so when the tests run as root the subprocess first drops the capabilities
  that let it (CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER) from its bounding
  set: after exec it is root without them, and the modes hold;
- disk full: RLIMIT_FSIZE caps the size of any file the subprocess writes, with
  SIGXFSZ ignored, so a write past it fails with EFBIG exactly as on a full disk.
"""

from __future__ import annotations

import ctypes
import hashlib
import json
import os
import resource
import signal
import sqlite3
import stat
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from bench.corpus import generate

from biblio.catalog import Catalog
from biblio.ingest import ingest_paths
from tests.conftest import DATA, SEEDS

pytestmark = pytest.mark.sqlite_only("file modes and size limits of a SQLite catalog file")

PR_CAPBSET_DROP = 24
FILE_MODE_CAPABILITIES = (1, 2, 3)  # CAP_DAC_OVERRIDE, CAP_DAC_READ_SEARCH, CAP_FOWNER


def _obey_file_modes() -> None:
    """In the child before exec: give up root's power to ignore file modes (no-op for other users)."""
    if os.geteuid() != 0:
        return
    libc = ctypes.CDLL(None, use_errno=True)
    for capability in FILE_MODE_CAPABILITIES:
        if libc.prctl(PR_CAPBSET_DROP, capability, 0, 0, 0) != 0:
            raise OSError(ctypes.get_errno(), "prctl(PR_CAPBSET_DROP)")


def _file_size_limit(limit: int) -> Callable[[], None]:
    """In the child before exec: writes past `limit` bytes fail with EFBIG (no signal)."""

    def apply() -> None:
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
        resource.setrlimit(resource.RLIMIT_FSIZE, (limit, limit))

    return apply


def biblio(db: Path, *args: str, before_exec: Callable[[], None]) -> subprocess.CompletedProcess[str]:
    """Run `biblio --db DB ARGS` in a subprocess with a fault applied."""
    return subprocess.run(
        [sys.executable, "-c", "from biblio.cli import main; main()", "--db", str(db), *args],
        capture_output=True,
        text=True,
        check=False,
        preexec_fn=before_exec,
        timeout=120,
    )


def fingerprint(folder: Path) -> dict[str, str]:
    """Every file of a folder and its content hash: what "nothing changed" means."""
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


@pytest.fixture
def catalog_dir(tmp_path: Path) -> Iterator[Path]:
    """A folder holding a closed catalog of two seed documents, exported once (no -wal or -shm beside it)."""
    folder = tmp_path / "catalog"
    folder.mkdir()
    catalog = Catalog(f"sqlite:///{folder / 'c.db'}")
    seeds = sorted(SEEDS.iterdir())[:2]
    assert ingest_paths(catalog, [str(p) for p in seeds]).ok
    catalog.export("bibtex")  # citation keys are given at the first export; later ones only read
    catalog.close()
    assert sorted(p.name for p in folder.iterdir()) == ["c.db"]
    yield folder
    for path in (folder, *folder.iterdir()):  # let pytest clean up
        path.chmod(path.stat().st_mode | stat.S_IWUSR | stat.S_IXUSR)


@pytest.fixture
def held_open(catalog_dir: Path) -> Iterator[Path]:
    """The catalog with its -wal and -shm files created by a reader that stays open.

    SQLite sizes the -shm file at 32 kB on first use: held open here, the size limit
    set on a subprocess hits only what the subprocess itself writes.
    """
    db = catalog_dir / "c.db"
    reader = sqlite3.connect(db)
    reader.execute("SELECT COUNT(*) FROM citation").fetchone()
    yield db
    reader.close()


@pytest.fixture
def big_document(tmp_path: Path) -> Path:
    """A CSL-JSON file of 300 generated records: its transaction needs far more than 32 kB of journal."""
    path = tmp_path / "many.json"
    path.write_text(json.dumps([r.csl for r in generate(300, seed=5)]), encoding="utf-8")
    return path


@pytest.fixture
def new_document() -> Path:
    """A document the catalog does not hold yet."""
    return sorted(SEEDS.iterdir())[2]


@pytest.mark.parametrize("what", ["file", "folder"])
def test_a_read_only_catalog_refuses_an_ingest_clearly_and_stays_unchanged(
    catalog_dir: Path, new_document: Path, what: str
) -> None:
    db = catalog_dir / "c.db"
    before = fingerprint(catalog_dir)
    (db if what == "file" else catalog_dir).chmod(0o444 if what == "file" else 0o555)
    run = biblio(db, "ingest", str(new_document), before_exec=_obey_file_modes)
    assert run.returncode == 1, run.stderr
    assert "read-only" in run.stderr and str(db) in run.stderr, run.stderr
    assert "Traceback" not in run.stderr
    assert fingerprint(catalog_dir) == before


@pytest.mark.parametrize("what", ["file", "folder"])
def test_a_read_only_catalog_can_still_be_exported_and_checked(catalog_dir: Path, tmp_path: Path, what: str) -> None:
    db = catalog_dir / "c.db"
    before = fingerprint(catalog_dir)
    (db if what == "file" else catalog_dir).chmod(0o444 if what == "file" else 0o555)
    out = tmp_path / "out.bib"
    run = biblio(db, "export", "bibtex", "-o", str(out), before_exec=_obey_file_modes)
    assert run.returncode == 0, run.stderr
    assert out.read_text(encoding="utf-8").count("@") >= 3
    checked = biblio(db, "check", before_exec=_obey_file_modes)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert fingerprint(catalog_dir) == before


def test_an_export_into_a_read_only_folder_fails_clearly(catalog_dir: Path, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "old.bib").write_text("old\n", encoding="utf-8")
    folder.chmod(0o555)
    run = biblio(catalog_dir / "c.db", "export", "bibtex", "-o", str(folder / "old.bib"), before_exec=_obey_file_modes)
    folder.chmod(0o755)
    assert run.returncode == 1
    assert "cannot write" in run.stderr and "Permission denied" in run.stderr, run.stderr
    assert [p.name for p in folder.iterdir()] == ["old.bib"]
    assert (folder / "old.bib").read_text(encoding="utf-8") == "old\n"


def test_a_full_disk_during_an_export_keeps_the_old_file_and_no_temporary(held_open: Path, tmp_path: Path) -> None:
    folder = tmp_path / "out"
    folder.mkdir()
    (folder / "catalog.bib").write_text("the previous export\n", encoding="utf-8")
    run = biblio(held_open, "export", "bibtex", "-o", str(folder / "catalog.bib"), before_exec=_file_size_limit(64))
    assert run.returncode == 1
    assert "cannot write" in run.stderr and "too large" in run.stderr.lower(), run.stderr
    assert [p.name for p in folder.iterdir()] == ["catalog.bib"]
    assert (folder / "catalog.bib").read_text(encoding="utf-8") == "the previous export\n"


def test_a_full_disk_during_build_fails_clearly_and_leaves_no_partial_export(held_open: Path, tmp_path: Path) -> None:
    exports = tmp_path / "exports"
    exports.mkdir()
    run = biblio(
        held_open, "build", "--seeds", str(DATA / "documents"), "--exports", str(exports),
        before_exec=_file_size_limit(64),
    )  # fmt: skip
    assert run.returncode == 1
    assert "(is the disk full?)" in run.stderr or "cannot write" in run.stderr, run.stderr
    assert "Traceback" not in run.stderr
    assert not [p.name for p in exports.iterdir() if p.name.startswith(".")]  # no temporary file left


def _per_document(db: Path) -> dict[str, int]:
    conn = sqlite3.connect(db)
    try:
        assert conn.execute("PRAGMA integrity_check").fetchall() == [("ok",)]
        rows = conn.execute(
            "SELECT d.name, COUNT(c.id) FROM document d LEFT JOIN citation c ON c.document_id = d.id GROUP BY d.id"
        )
        return dict(rows.fetchall())
    finally:
        conn.close()


def test_a_full_disk_during_an_ingest_leaves_the_catalog_as_it_was(held_open: Path, big_document: Path) -> None:
    db = held_open
    before = _per_document(db)
    run = biblio(db, "ingest", str(big_document), before_exec=_file_size_limit(32 * 1024))
    assert run.returncode == 1
    assert "Traceback" not in run.stderr
    assert "(is the disk full?)" in run.stderr and "rolled back" in run.stderr, run.stderr
    assert _per_document(db) == before
    catalog = Catalog(f"sqlite:///{db}")
    try:
        assert all(r.ok for r in catalog.check())
    finally:
        catalog.close()


def test_a_full_disk_during_a_backup_leaves_no_partial_copy(held_open: Path, tmp_path: Path) -> None:
    target = tmp_path / "copies"
    target.mkdir()
    limit = 40 * 1024  # above the 32 kB -shm file the catalog needs to open, below a copy of it
    assert held_open.stat().st_size > 2 * limit
    run = biblio(held_open, "backup", str(target / "copy.db"), before_exec=_file_size_limit(limit))
    assert run.returncode == 1
    assert "cannot back up" in run.stderr, run.stderr
    assert list(target.iterdir()) == []


def test_a_failed_automatic_backup_stops_the_bulk_operation(held_open: Path) -> None:
    before = fingerprint(held_open.parent)
    limit = 40 * 1024  # above the 32 kB -shm file the catalog needs to open, below a copy of it
    assert held_open.stat().st_size > 2 * limit
    run = biblio(held_open, "rekey", before_exec=_file_size_limit(limit))
    assert run.returncode == 1
    assert "cannot back up" in run.stderr and "--no-backup" in run.stderr, run.stderr
    assert "keys changed" not in run.stdout
    after = fingerprint(held_open.parent)
    assert after["c.db"] == before["c.db"]
    assert not [name for name in after if ".auto-" in name]
