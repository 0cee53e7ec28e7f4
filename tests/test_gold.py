"""Gold regression: the seeds, ingested for real, against the hand-made gold standard."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from biblio.catalog import Catalog
from biblio.ingest import ingest_paths
from tests.conftest import DATA, Databases
from tests.gold import Comparison, compare, load_gold


@pytest.fixture(scope="module")
def comparison(tmp_path_factory: pytest.TempPathFactory, databases: Databases, seeds_dir: Path) -> Comparison:
    """The seeds ingested into a fresh catalog, compared with the gold."""
    url = databases.create(tmp_path_factory.mktemp("gold"))
    catalog = Catalog(url)
    report = ingest_paths(catalog, [str(seeds_dir)])
    assert report.ok, report.failures
    predicted = catalog.citation_records()
    catalog.close()
    databases.drop(url)
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


def test_editions(comparison: Comparison) -> None:
    """Bar: edition pairwise F1 >= 0.97 (one record per edition)."""
    assert comparison.pair_f1(lambda g: g["edition"], lambda p: p["edition_id"]) >= 0.97


def test_works(comparison: Comparison) -> None:
    """Bar: work pairwise F1 >= 0.95 (editions grouped under their work)."""
    assert comparison.pair_f1(lambda g: g["work"], lambda p: p["work_id"]) >= 0.95


def test_persons(comparison: Comparison) -> None:
    """Bar: person pairwise F1 >= 0.97 (one person per author whatever the spelling)."""
    assert comparison.person_f1() >= 0.97


def test_distinct_volumes_parts_and_periods_are_never_merged(comparison: Comparison) -> None:
    """Every pair the gold keeps apart as different works stays apart, listed by name."""
    by_work: dict[Any, set[Any]] = {}
    for gold, pred in comparison.pairs:
        by_work.setdefault(pred["work_id"], set()).add(gold["work"])
    merged = {w: keys for w, keys in by_work.items() if len(keys) > 1}
    assert not merged, f"distinct works merged: {merged}"
    volumes = [
        (g["line"], g["csl"])
        for g, _ in comparison.pairs
        if g["source"].startswith("003") and ("volume" in g["csl"] or "part-number" in g["csl"])
    ]
    # the seeds' multi-volume sets: Civil War 1-2, Anglo-Soviet Relations 1-2, Soviet foreign policy 1-2,
    # Class Struggles First/Second/Third Period parts 1-2, and a magazine's volume 62: eleven records,
    # eleven works
    works = {p["work_id"] for g, p in comparison.pairs if any(g["line"] == line for line, _ in volumes)}
    assert len(volumes) == 11 and len(works) == 11
