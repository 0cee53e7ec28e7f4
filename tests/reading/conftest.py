"""A small made-up catalog for reading-list tests: an essay with a further-reading list and a bookseller's list."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from biblio.catalog import Catalog
from biblio.ingest import ingest_paths

ESSAY = """\
# Rivers and Mountains

An essay on the land and those who wrote about it.

## Further Reading

- Jane Doe, A Long History of Rivers
- Richard Roe, Mountains and Men
- Sam Poe, Deserts

## Books for sale

A Long History of Rivers, Jane Doe, Penguin, London, 1950, 300 pages.

A Short History of Lakes, Jane Doe, Methuen, London, 1931, 120 pages.

Deserts, Sam Poe, Collins, Glasgow, 1962, 90 pages.

Mountains and Men, Richard Roe, Faber, London, 1975, 210 pages.
"""

#: Imported as CSL-JSON: values no reader would let through, to check that outputs escape them.
HOSTILE = [
    {
        "id": "hostile",
        "type": "book",
        "title": "<script>alert(1)</script> & {braces} $x$ *stars* \\input{x}",
        "author": [{"family": "Hostile", "given": "Ann"}],
        "publisher": "<b>Verso</b>",
        "publisher-place": "London",
        "issued": {"date-parts": [[1999]]},
    }
]


@pytest.fixture
def shelf_catalog(tmp_path: Path, db_url: str) -> Iterator[Catalog]:
    """The made-up documents ingested into a real SQLite catalog."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "essay.md").write_text(ESSAY, encoding="utf-8")
    (docs / "<i>odd<i> & name.json").write_text(json.dumps(HOSTILE), encoding="utf-8")
    catalog = Catalog(db_url)
    report = ingest_paths(catalog, [str(docs)])
    assert not report.failures
    yield catalog
    catalog.close()
