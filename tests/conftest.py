"""Shared fixtures: a real SQLite catalog in a temporary folder, the seed documents."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from biblio.catalog import Catalog

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
