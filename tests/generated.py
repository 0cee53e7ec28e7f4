"""Catalogs of generated records (bench.corpus: duplicates, variant spellings, volumes) for tests."""

from __future__ import annotations

from bench.corpus import generate

from biblio.catalog import Catalog
from biblio.model import Citation, Document


def store_generated(catalog: Catalog, size: int, per_document: int = 100, resolve: bool = True) -> Catalog:
    """Store `size` generated records as documents of `per_document` citations each."""
    records = list(generate(size))
    for first in range(0, size, per_document):
        doc = Document(name=f"list-{first}.txt", text="", blocks=[], sha256=str(first))
        citations = [
            Citation(source=doc.name, line=i + 1, raw="", kind="list", confidence=0.9, csl=r.csl)
            for i, r in enumerate(records[first : first + per_document])
        ]
        catalog.store_document(doc, citations, None, doc.name, resolve=resolve)
    return catalog
