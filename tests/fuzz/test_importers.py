"""Fuzzing the importers (BibTeX, CSL-JSON, RIS) all the way into a real catalog and back out.

A file of any shape is read into records and failures; the records are stored
(resolved against what the catalog holds) and exported again.  Wrong types in
a field (a number for a name list, a string for a date) must become data or a
biblio error, never a crash in the resolver, the writer or an exporter.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from biblio.catalog import Catalog
from biblio.export import FORMATS, read_records
from biblio.ingest import IngestReport, ingest_records
from tests.conftest import Databases
from tests.fuzz.strategies import LONG, bib_files, csl_items, csl_json_files, only_biblio_errors, ris_files

SUFFIX = {"bibtex": ".bib", "csl-json": ".json", "ris": ".ris"}
#: examples that go through a catalog (a transaction and three exports each)
through_catalog = settings(max_examples=1000 if LONG else 25)


@pytest.fixture(scope="module")
def catalog(tmp_path_factory: pytest.TempPathFactory, databases: Databases) -> Iterator[tuple[Catalog, Path]]:
    """One real catalog (on the run's backend) that every example is ingested into (resolution sees earlier ones)."""
    folder = tmp_path_factory.mktemp("fuzz-import")
    url = databases.create(folder)
    cat = Catalog(url)
    yield cat, folder
    cat.close()
    databases.drop(url)


def _ingest(catalog: tuple[Catalog, Path], text: str, fmt: str) -> IngestReport:
    """Write `text` to a file and ingest it; then every export must still render."""
    cat, folder = catalog
    path = folder / f"{hashlib.sha256(text.encode()).hexdigest()[:16]}{SUFFIX[fmt]}"
    path.write_text(text, encoding="utf-8")
    report = IngestReport()
    only_biblio_errors(ingest_records, cat, path, fmt, report)
    for out in FORMATS:
        cat.export(out)
    return report


@given(text=bib_files())
def test_bibtex_of_any_shape_is_read(text: str) -> None:
    items, failures = read_records(text, "bibtex", "fuzz.bib")
    assert all(isinstance(item, dict) for item in items)
    assert all(f.source == "fuzz.bib" for f in failures)


@given(text=csl_json_files())
def test_csl_json_with_wrong_types_is_read(text: str) -> None:
    items, failures = read_records(text, "csl-json", "fuzz.json")
    assert all(isinstance(item, dict) for item in items)
    assert all(f.source == "fuzz.json" for f in failures)


@given(text=ris_files())
def test_ris_of_any_shape_is_read(text: str) -> None:
    items, _failures = read_records(text, "ris", "fuzz.ris")
    assert all(isinstance(item, dict) for item in items)


@through_catalog
@given(text=st.one_of(bib_files(), st.text(max_size=500)))
def test_bibtex_is_ingested_and_exported(catalog: tuple[Catalog, Path], text: str) -> None:
    _ingest(catalog, text, "bibtex")


@through_catalog
@given(items=st.lists(csl_items, min_size=1, max_size=4))
def test_csl_json_with_wrong_types_is_ingested_and_exported(
    catalog: tuple[Catalog, Path], items: list[dict[str, Any]]
) -> None:
    _ingest(catalog, json.dumps(items), "csl-json")


@through_catalog
@given(text=csl_json_files())
def test_any_json_is_ingested_and_exported(catalog: tuple[Catalog, Path], text: str) -> None:
    _ingest(catalog, text, "csl-json")


@through_catalog
@given(text=ris_files())
def test_ris_is_ingested_and_exported(catalog: tuple[Catalog, Path], text: str) -> None:
    _ingest(catalog, text, "ris")


def test_a_10_mb_single_line_is_imported(catalog: tuple[Catalog, Path]) -> None:
    line = "@book{k, title={" + "a" * 10_000_000 + "}}"
    report = _ingest(catalog, line, "bibtex")
    assert report.documents + len(report.failures) >= 1
