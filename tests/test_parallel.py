"""Worker processes read and extract while the catalog stores: same catalog, same failures, nothing lost."""

from __future__ import annotations

import os
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from bench.documents import documents

import biblio.parallel
from biblio.catalog import Catalog
from biblio.documents import read_path
from biblio.ingest import ingest_paths
from biblio.model import Document, Failure
from biblio.parallel import prepare_paths, workers_for

PARENT = os.getpid()


def corpus(folder: Path, entries: int = 400, per_document: int = 50) -> list[Path]:
    """Generated list documents (several shapes, duplicates across documents) in a folder."""
    folder.mkdir()
    paths = []
    for doc in documents(entries, per_document):
        path = folder / doc.name
        path.write_text(doc.markdown, encoding="utf-8")
        paths.append(path)
    return paths


def snapshot(catalog: Catalog) -> tuple[Any, ...]:
    """What the catalog holds, in terms that do not depend on the order rows were written."""
    rows = sorted((r["source"], r["line"], r["raw"], r["edition_id"], r["work_id"]) for r in catalog.citation_records())
    return rows, catalog.export("csl-json"), catalog.export("bibtex"), catalog.counts()


def test_workers_build_the_same_catalog_as_one_process(new_db_url: Callable[[str], str], tmp_path: Path) -> None:
    paths = corpus(tmp_path / "docs")
    (tmp_path / "docs" / "huge.md").write_text("x" * 50_000, encoding="utf-8")
    results = []
    for jobs in (1, 2):
        catalog = Catalog(new_db_url(f"jobs{jobs}"))
        report = ingest_paths(catalog, [str(tmp_path / "docs")], jobs=jobs, parallel_min_bytes=0, max_bytes=40_000)
        results.append((report.documents, report.citations, report.new_records, report.failures, snapshot(catalog)))
        catalog.close()
    assert len(paths) >= 4 and results[0][1] >= 400
    assert results[0] == results[1]
    assert [f.source for f in results[0][3]] == [str(tmp_path / "docs" / "huge.md")]


def test_results_come_back_in_the_order_given(tmp_path: Path) -> None:
    paths = [str(p) for p in corpus(tmp_path / "docs", entries=300, per_document=30)]
    got = list(prepare_paths(list(reversed(paths)), 1 << 20, jobs=2, min_bytes=0))
    assert [item for item, _ in got] == list(reversed(paths))
    first = got[0][1]
    assert not isinstance(first, Failure)
    assert first.doc.name == Path(paths[-1]).name and first.citations
    assert first.doc.text == "" and first.doc.blocks == []  # only what the catalog stores crosses back


def _dies_in_a_worker(path: Path, max_bytes: int = 0) -> Document:
    """read_path that kills the worker process reading a file named dead-*, and reads normally here."""
    if path.name.startswith("dead-") and os.getpid() != PARENT:
        os._exit(3)
    return read_path(path, max_bytes=max_bytes)


def test_a_worker_that_dies_loses_no_document(
    catalog: Catalog, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    paths = corpus(tmp_path / "docs", entries=300, per_document=30)
    paths[3].rename(tmp_path / "docs" / "dead-one.md")
    monkeypatch.setattr(biblio.parallel, "read_path", _dies_in_a_worker)  # forked workers inherit it
    report = ingest_paths(catalog, [str(tmp_path / "docs")], jobs=2, parallel_min_bytes=0)
    assert report.failures == []
    assert report.documents == len(paths) and report.citations == 300
    assert "dead-one.md" in {r["source"] for r in catalog.citation_records()}


def test_small_batches_stay_in_this_process(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    paths = [str(p) for p in corpus(tmp_path / "docs", entries=100, per_document=50)]

    def no_pool(*args: object, **kwargs: object) -> None:
        raise AssertionError("a pool was started")

    assert (workers_for(paths, 2), workers_for(paths, 2, min_bytes=0), workers_for(paths[:1], 2, min_bytes=0)) == (
        0,
        2,
        0,
    )
    monkeypatch.setattr(biblio.parallel, "ProcessPoolExecutor", no_pool)
    assert len(list(prepare_paths(paths, 1 << 20, jobs=2))) == 2  # under the default size threshold
    assert len(list(prepare_paths(paths, 1 << 20, jobs=1, min_bytes=0))) == 2
    assert len(list(prepare_paths(paths[:1], 1 << 20, jobs=2, min_bytes=0))) == 1
    with pytest.raises(AssertionError, match="a pool was started"):
        list(prepare_paths(paths, 1 << 20, jobs=2, min_bytes=0))
