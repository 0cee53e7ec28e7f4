"""Gold regression: the seeds, ingested for real, against the hand-made gold standard."""

from __future__ import annotations

from pathlib import Path

import pytest

from biblio.catalog import Catalog
from biblio.ingest import ingest_paths
from tests.conftest import DATA
from tests.gold import Comparison, compare, load_gold


@pytest.fixture(scope="module")
def comparison(tmp_path_factory: pytest.TempPathFactory, seeds_dir: Path) -> Comparison:
    """The seeds ingested into a fresh SQLite catalog, compared with the gold."""
    catalog = Catalog(f"sqlite:///{tmp_path_factory.mktemp('gold') / 'catalog.db'}")
    report = ingest_paths(catalog, [str(seeds_dir)])
    assert report.ok, report.failures
    predicted = catalog.citation_records()
    catalog.close()
    return compare(load_gold(DATA / "seeds.gold.jsonl"), predicted)


def test_list_and_metadata_mentions(comparison: Comparison) -> None:
    """Bar: mention F1 >= 0.97 on list and metadata citations."""
    assert comparison.f1(("list", "metadata")) >= 0.97, comparison.errors


def test_prose_mentions(comparison: Comparison) -> None:
    """Bar: prose recall >= 0.75 with precision >= 0.85."""
    assert comparison.recall("prose") >= 0.75, comparison.errors
    assert comparison.precision("prose") >= 0.85, comparison.errors


def test_fields(comparison: Comparison) -> None:
    """Bar: field F1 >= 0.95 on matched citations."""
    assert comparison.field_f1 >= 0.95, comparison.errors
