"""Shared fixtures: a fresh real catalog per test (SQLite file or PostgreSQL database), the seed documents.

The backend is SQLite unless $BIBLIO_TEST_DB_URL names a PostgreSQL server
(``postgresql+psycopg://user@host/postgres``): the run then creates a database
there, each test gets a schema of its own in it (dropped afterwards), and the
database is dropped at the end.  Tests marked
``sqlite_only`` test the SQLite file itself; on PostgreSQL they are reported
as skipped with that reason, never left out in silence.
"""

from __future__ import annotations

import json
import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine
from sqlalchemy.engine import Engine, make_url

from biblio.catalog import Catalog, store
from tests.openlibrary_stub import StubServer

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
DATA = Path(__file__).resolve().parent / "data"
SERVER_ENV = "BIBLIO_TEST_DB_URL"


class Databases:
    """Where tests' catalogs live: SQLite files in a folder, or schemas of one database on a PostgreSQL server."""

    def __init__(self, server: str | None) -> None:
        self.server = make_url(server) if server else None
        self.backend = self.server.get_backend_name() if self.server else "sqlite"
        if self.backend not in ("sqlite", "postgresql"):
            raise pytest.UsageError(f"${SERVER_ENV}: a PostgreSQL server URL, not {self.backend}")
        self._server_admin: Engine | None = None
        self._admin: Engine | None = None
        self._database = f"biblio_test_{uuid.uuid4().hex[:12]}"
        self._schemas: dict[str, str] = {}
        #: whether the running test may open a SQLite catalog (on a PostgreSQL run: only sqlite_only tests)
        self.sqlite_allowed = True

    def admin(self) -> Engine:
        """A connection to the run's database outside transactions, which is created at first need."""
        assert self.server is not None
        if self._admin is None:
            self._server_admin = create_engine(self.server, isolation_level="AUTOCOMMIT")
            with self._server_admin.connect() as conn:
                conn.exec_driver_sql(f'CREATE DATABASE "{self._database}"')
            self._admin = create_engine(self.server.set(database=self._database), isolation_level="AUTOCOMMIT")
        return self._admin

    def create(self, folder: Path, name: str = "catalog") -> str:
        """The URL of a new, empty catalog: a file in `folder`, or a schema of its own on the server.

        A schema costs a few milliseconds where a database costs half a second;
        the URL's search_path puts biblio's tables there, and the catalog's
        write lock is per schema, so nothing is shared between tests.
        """
        if self.server is None:
            return f"sqlite:///{folder / name}.db"
        schema = f"{name}_{uuid.uuid4().hex[:12]}"
        with self.admin().connect() as conn:
            conn.exec_driver_sql(f'CREATE SCHEMA "{schema}"')
        url = (
            self.server.set(database=self._database)
            .update_query_dict({"options": f"-csearch_path={schema}"})
            .render_as_string(hide_password=False)
        )
        self._schemas[url] = schema
        return url

    def drop(self, url: str) -> None:
        """Drop a catalog made by `create` (a SQLite file goes with its temporary folder)."""
        schema = self._schemas.pop(url, None)
        if schema is not None:
            with self.admin().connect() as conn:
                conn.exec_driver_sql(f'DROP SCHEMA "{schema}" CASCADE')

    def drop_all(self) -> None:
        """Drop the run's database, whatever is left in it, and close the admin connections."""
        if self._admin is None or self._server_admin is None:
            return
        self._admin.dispose()
        with self._server_admin.connect() as conn:
            conn.exec_driver_sql(f'DROP DATABASE IF EXISTS "{self._database}" WITH (FORCE)')
        self._server_admin.dispose()


_DATABASES = Databases(os.environ.get(SERVER_ENV) or None)


def pytest_configure(config: pytest.Config) -> None:
    """Backups of server catalogs (automatic ones included) go to the run's temporary folder, never the tree."""
    import tempfile

    os.environ["BIBLIO_BACKUP_DIR"] = tempfile.mkdtemp(prefix="biblio-test-backups-")


def pytest_report_header() -> str:
    """Say which backend this run tests."""
    where = _DATABASES.server.render_as_string(hide_password=True) if _DATABASES.server else "temporary files"
    return f"biblio catalog backend: {_DATABASES.backend} ({where})"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """On PostgreSQL, skip the SQLite-file tests with a reason the summary shows."""
    if _DATABASES.backend == "sqlite":
        return
    for item in items:
        marker = item.get_closest_marker("sqlite_only")
        if marker is not None:
            why = marker.args[0] if marker.args else "tests the SQLite file itself"
            item.add_marker(pytest.mark.skip(reason=f"sqlite_only on {_DATABASES.backend}: {why}"))


def pytest_runtest_setup(item: pytest.Item) -> None:
    """Note whether this test (and the fixtures set up for it) may open a SQLite catalog."""
    _DATABASES.sqlite_allowed = _DATABASES.backend == "sqlite" or item.get_closest_marker("sqlite_only") is not None


@pytest.fixture(scope="session", autouse=True)
def databases() -> Iterator[Databases]:
    """The run's catalog backend; what a module-scoped fixture creates is dropped at the end.

    On a PostgreSQL run a test that opens a SQLite catalog fails, unless it is
    marked sqlite_only: the whole suite must run on the server, not quietly on files.
    """
    original = store._engine

    def guarded(url: str) -> Engine:
        if not _DATABASES.sqlite_allowed and make_url(url).get_backend_name() == "sqlite":
            pytest.fail(
                f"a SQLite catalog ({url}) on a {_DATABASES.backend} run: use the db_url / new_db_url / "
                "databases fixtures, or mark the test sqlite_only(reason)"
            )
        return original(url)

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(store, "_engine", guarded)
        yield _DATABASES
    _DATABASES.drop_all()


@pytest.fixture
def new_db_url(databases: Databases, tmp_path: Path) -> Iterator[Callable[[str], str]]:
    """Make fresh catalogs by name (a test comparing two catalogs needs two); dropped afterwards."""
    made: list[str] = []

    def make(name: str) -> str:
        made.append(databases.create(tmp_path, name))
        return made[-1]

    yield make
    for url in made:
        databases.drop(url)


@pytest.fixture
def db_url(new_db_url: Callable[[str], str]) -> str:
    """The URL of a test's own empty catalog database (what the CLI gets as --db)."""
    return new_db_url("catalog")


@pytest.fixture
def catalog(db_url: str) -> Iterator[Catalog]:
    """An empty catalog on the run's backend."""
    cat = Catalog(db_url)
    yield cat
    cat.close()


@pytest.fixture(scope="session")
def seeds_dir() -> Path:
    """The project's copies of the seed documents."""
    return SEEDS


@pytest.fixture
def openlibrary_stub() -> Iterator[StubServer]:
    """A real HTTP server on localhost answering like Open Library from tests/data/openlibrary.json."""
    stub = StubServer(json.loads((DATA / "openlibrary.json").read_text(encoding="utf-8"))).start()
    yield stub
    stub.stop()


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A fresh response cache folder, also named by $BIBLIO_CACHE_DIR for CLI runs."""
    folder = tmp_path / "http-cache"
    monkeypatch.setenv("BIBLIO_CACHE_DIR", str(folder))
    return folder
