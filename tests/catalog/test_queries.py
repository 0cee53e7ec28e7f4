"""Listings: a limited listing of works is the first page of the whole one."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import asdict

from sqlmodel import select
from tests.generated import store_generated

from biblio.catalog import Catalog
from biblio.catalog.keys import assign_keys
from biblio.catalog.tables import EditionRow


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


def test_keys_are_given_once_and_the_same_whoever_asks_first(new_db_url: Callable[[str], str]) -> None:
    shown, exported = Catalog(new_db_url("shown")), Catalog(new_db_url("exported"))
    try:
        _keys_compared(shown, exported)
    finally:
        shown.close()
        exported.close()


def _keys_compared(shown: Catalog, exported: Catalog) -> None:
    """The body of the test above, on two catalogs it closes."""
    store_generated(shown, 400)
    store_generated(exported, 400)
    shown.show(str(shown.works(limit=1)[0].id))  # the first show keys every root edition
    with shown.write() as session:
        assert assign_keys(session) == 0  # nothing left to key
    with exported.write() as session:
        assert assign_keys(session) > 0  # an export keys them the same way
    keys = []
    for catalog in (shown, exported):
        with catalog.session() as session:
            rows = session.exec(select(EditionRow.id, EditionRow.citation_key, EditionRow.merged_into)).all()
        keys.append({eid: key for eid, key, into in rows if into is None})
    assert keys[0] == keys[1]
    assert all(keys[0].values()) and len(set(keys[0].values())) == len(keys[0])
    assert any(key[-1].isalpha() and key[:-1] in keys[0].values() for key in keys[0].values())  # collisions met
