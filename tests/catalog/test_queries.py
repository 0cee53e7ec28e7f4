"""Listings: a limited listing of works is the first page of the whole one."""

from __future__ import annotations

from dataclasses import asdict

from tests.generated import store_generated

from biblio.catalog import Catalog


def test_a_limited_listing_is_the_first_page_of_the_whole(catalog: Catalog) -> None:
    store_generated(catalog, 600)
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
    store_generated(catalog, 600)
    everyone = [asdict(a) for a in catalog.authors()]
    assert any(len(a["forms"]) > 1 for a in everyone)  # merged persons bring every form of their name
    for limit in (1, 9, len(everyone) + 1):
        assert [asdict(a) for a in catalog.authors(limit=limit)] == everyone[:limit]
    some = [asdict(a) for a in catalog.authors(name="a")]
    assert some and all(any("a" in f.lower() for f in a["forms"]) for a in some)
    assert [asdict(a) for a in catalog.authors(name="a", limit=4)] == some[:4]
