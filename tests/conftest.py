"""Shared fixtures: a real SQLite catalog in a temporary folder, the seed documents."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from biblio.catalog import Catalog
from tests.openlibrary_stub import StubServer

ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    """Where a test's catalog file lives."""
    return tmp_path / "catalog.db"


@pytest.fixture
def catalog(db_path: Path) -> Iterator[Catalog]:
    """An empty SQLite catalog in a real file."""
    cat = Catalog(f"sqlite:///{db_path}")
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
