"""Listings: a limited listing of works is the first page of the whole one."""

from __future__ import annotations

from dataclasses import asdict

from bench.corpus import generate

from biblio.catalog import Catalog
from biblio.model import Citation, Document


def _fill(catalog: Catalog, size: int) -> None:
    """Generated records (duplicates, variants, volumes, several documents), resolved as they are stored."""
    records = list(generate(size))
    for first in range(0, size, 100):
        doc = Document(name=f"list-{first}.txt", text="", blocks=[], sha256=str(first))
        citations = [
            Citation(source=doc.name, line=i + 1, raw="", kind="list", confidence=0.9, csl=r.csl)
            for i, r in enumerate(records[first : first + 100])
        ]
        catalog.store_document(doc, citations, None, doc.name)


def test_a_limited_listing_is_the_first_page_of_the_whole(catalog: Catalog) -> None:
    _fill(catalog, 600)
    everything = [asdict(w) for w in catalog.works()]
    assert len(everything) < 600  # works were merged: the counts go through merges
    assert any(w["editions"] > 1 for w in everything) and any(w["documents"] > 1 for w in everything)
    assert any(w["authors"] for w in everything)
    for limit in (1, 7, 50, len(everything), len(everything) + 5):
        assert [asdict(w) for w in catalog.works(limit=limit)] == everything[:limit]
    cited_twice = [asdict(w) for w in catalog.works(min_documents=2)]
    assert cited_twice and all(w["documents"] >= 2 for w in cited_twice)
    assert [asdict(w) for w in catalog.works(min_documents=2, limit=3)] == cited_twice[:3]


def test_a_limited_listing_of_authors_is_the_first_page_of_the_whole(catalog: Catalog) -> None:
    _fill(catalog, 600)
    everyone = [asdict(a) for a in catalog.authors()]
    assert any(len(a["forms"]) > 1 for a in everyone)  # merged persons bring every form of their name
    for limit in (1, 9, len(everyone) + 1):
        assert [asdict(a) for a in catalog.authors(limit=limit)] == everyone[:limit]
    some = [asdict(a) for a in catalog.authors(name="a")]
    assert some and all(any("a" in f.lower() for f in a["forms"]) for a in some)
    assert [asdict(a) for a in catalog.authors(name="a", limit=4)] == some[:4]
