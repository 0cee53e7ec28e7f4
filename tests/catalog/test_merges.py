"""Merging, unmerging and reviewing in a real catalog (SQLite or PostgreSQL) built from made-up documents."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from biblio.catalog import Catalog
from biblio.documents import read_path
from biblio.errors import UsageError
from biblio.extract import describe_document, extract_citations
from biblio.ingest import ingest_paths

DOC_A = """Harbour Notes

Books

The Long Road Home, an account of the war years, WP and Jane Doe, Harbour Press, London, 1950, 210 pages.
History of the Harbour Guild, Volume 1, Arthur Quenby, Lantern House, Bristol, 1931, 300 pages.
History of the Harbour Guild, Volume 2, Arthur Quenby, Lantern House, Bristol, 1933, 280 pages.
Paper Harbours, Thomas Amberly, Gollancz, London, 1937, 180 pages.
"""

DOC_B = """More Harbour Notes

Books

The Long Road Home, W. P. Doe & Jane K. Doe, The Harbour Press, London, 1950, 210 pages.
Paper Harbours, T. Amberly, Victor Gollancz, London, 1962, 190 pages.
Maps of Nowhere, Zoe Doe, Quill & Sons, Leeds, 1988, 96 pages.
"""

# "The Long Road Home Again" (no author) scores between review and same against "The Long Road Home"
DOC_C = """Further Notes

Books

The Long Road Home Again, Harbour Press, London, 1951, 90 pages.
Harbour Lights, William P. Doe, Harbour Press, London, 1955, 150 pages.
"""

# DOC_C changed: a line added in front, so every record of it gets a new place
DOC_C2 = """Further Notes

Books

Quiet Engines, Ruth Quenby, Lantern House, Bristol, 1960, 120 pages.
The Long Road Home Again, Harbour Press, London, 1951, 90 pages.
Harbour Lights, William P. Doe, Harbour Press, London, 1955, 150 pages.
"""

# DOC_B without its copy of The Long Road Home
DOC_B2 = """More Harbour Notes

Books

Paper Harbours, T. Amberly, Victor Gollancz, London, 1962, 190 pages.
Maps of Nowhere, Zoe Doe, Quill & Sons, Leeds, 1988, 96 pages.
"""


def write(folder: Path, name: str, text: str) -> str:
    path = folder / name
    path.write_text(text, encoding="utf-8")
    return str(path)


@pytest.fixture
def docs(tmp_path: Path) -> dict[str, str]:
    folder = tmp_path / "docs"
    folder.mkdir()
    return {"a": write(folder, "a.txt", DOC_A), "b": write(folder, "b.txt", DOC_B), "c": write(folder, "c.txt", DOC_C)}


@pytest.fixture
def filled(catalog: Catalog, docs: dict[str, str]) -> Catalog:
    """The catalog with documents A and B ingested (and resolved)."""
    report = ingest_paths(catalog, [docs["a"], docs["b"]])
    assert report.ok, report.failures
    assert report.documents == 2
    return catalog


def store_unresolved(cat: Catalog, paths: list[str]) -> None:
    """Store documents exactly as ingest does, but without deduplication."""
    for raw in paths:
        path = Path(raw)
        doc = read_path(path)
        cat.store_document(doc, extract_citations(doc), describe_document(doc), str(path.resolve()), resolve=False)


def without_times(dump: dict[str, list[dict[str, Any]]]) -> dict[str, list[dict[str, Any]]]:
    """A dump without timestamps (two catalogs are never written in the same instant)."""
    return {
        table: [{k: v for k, v in row.items() if not k.endswith("_at")} for row in rows] for table, rows in dump.items()
    }


def find(records: list[dict[str, Any]], source: str, title: str, **csl: Any) -> dict[str, Any]:
    """The one citation of a document with this title (and these CSL values)."""
    hits = [
        r
        for r in records
        if r["source"] == source
        and r["csl"].get("title") == title
        and all(r["csl"].get(k) == v for k, v in csl.items())
    ]
    assert len(hits) == 1, (source, title, csl, [(r["source"], r["csl"].get("title")) for r in records])
    return hits[0]


def citations(cat: Catalog) -> dict[str, dict[str, Any]]:
    """The citations of A, B (and C when ingested) under short names."""
    recs = cat.citation_records()
    out = {
        "road_a": find(recs, "a.txt", "The Long Road Home"),
        "road_b": find(recs, "b.txt", "The Long Road Home"),
        "vol1": find(recs, "a.txt", "History of the Harbour Guild", volume="1"),
        "vol2": find(recs, "a.txt", "History of the Harbour Guild", volume="2"),
        "paper_37": find(recs, "a.txt", "Paper Harbours"),
        "paper_62": find(recs, "b.txt", "Paper Harbours"),
        "maps": find(recs, "b.txt", "Maps of Nowhere"),
    }
    if any(r["source"] == "c.txt" for r in recs):
        out["again"] = find(recs, "c.txt", "The Long Road Home Again")
        out["lights"] = find(recs, "c.txt", "Harbour Lights")
    return out


def author_ids(record: dict[str, Any]) -> list[int]:
    return list(record["persons"]["author"])


# --- automatic resolution ------------------------------------------------------------


def test_extraction_reads_the_made_up_entries(filled: Catalog) -> None:
    c = citations(filled)
    assert c["road_a"]["csl"]["author"][0]["family"] == "Doe"
    assert c["road_a"]["csl"]["issued"] == {"date-parts": [[1950]]}
    assert c["road_b"]["csl"]["publisher"] == "The Harbour Press"
    assert c["paper_62"]["csl"]["issued"] == {"date-parts": [[1962]]}


def test_two_spellings_of_one_edition_share_the_edition(filled: Catalog) -> None:
    c = citations(filled)
    assert c["road_a"]["edition_id"] == c["road_b"]["edition_id"]
    assert c["road_a"]["work_id"] == c["road_b"]["work_id"]


def test_distinct_volumes_are_distinct_works(filled: Catalog) -> None:
    c = citations(filled)
    assert c["vol1"]["work_id"] != c["vol2"]["work_id"]
    assert c["vol1"]["edition_id"] != c["vol2"]["edition_id"]
    # same author though
    assert author_ids(c["vol1"]) == author_ids(c["vol2"])


def test_edition_of_another_year_shares_the_work_not_the_edition(filled: Catalog) -> None:
    c = citations(filled)
    assert c["paper_37"]["work_id"] == c["paper_62"]["work_id"]
    assert c["paper_37"]["edition_id"] != c["paper_62"]["edition_id"]
    # "Thomas Amberly" and "T. Amberly" are one person
    assert author_ids(c["paper_37"]) == author_ids(c["paper_62"])


def test_unrelated_works_stay_apart(filled: Catalog) -> None:
    c = citations(filled)
    works = {c[k]["work_id"] for k in ("road_a", "vol1", "vol2", "paper_37", "maps")}
    assert len(works) == 5


def test_persons_initials_and_full_names(filled: Catalog) -> None:
    c = citations(filled)
    wp_a, jane_a = author_ids(c["road_a"])
    wp_b, jane_b = author_ids(c["road_b"])
    assert wp_a == wp_b  # "WP Doe" / "W. P. Doe"
    assert jane_a == jane_b  # "Jane Doe" / "Jane K. Doe"
    assert wp_a != jane_a
    zoe = author_ids(c["maps"])[0]
    assert zoe not in (wp_a, jane_a)  # "Zoe Doe" is a third person


def test_full_given_name_in_a_later_document_joins_the_initials(filled: Catalog, docs: dict[str, str]) -> None:
    ingest_paths(filled, [docs["c"]])
    c = citations(filled)
    wp = author_ids(c["road_a"])[0]
    assert author_ids(c["lights"]) == [wp]  # "William P. Doe" is "W. P. Doe"
    assert author_ids(c["road_b"])[0] == wp


def test_reingesting_unchanged_documents_changes_nothing(filled: Catalog, docs: dict[str, str]) -> None:
    before = filled.dump()
    merges = [m.id for m in filled.merges()]
    report = ingest_paths(filled, [docs["a"], docs["b"]])
    assert report.unchanged == 2
    assert filled.dump() == before
    assert [m.id for m in filled.merges()] == merges


def test_ingest_order_does_not_change_the_resolution(new_db_url: Callable[[str], str], docs: dict[str, str]) -> None:
    one = Catalog(new_db_url("one"))
    two = Catalog(new_db_url("two"))
    try:
        ingest_paths(one, [docs["a"], docs["b"]])
        ingest_paths(two, [docs["b"]])
        ingest_paths(two, [docs["a"]])

        def shape(cat: Catalog) -> set[frozenset[tuple[str, int]]]:
            recs = cat.citation_records()
            groups: dict[int, set[tuple[str, int]]] = {}
            for r in recs:
                groups.setdefault(r["edition_id"], set()).add((r["source"], r["line"]))
            return {frozenset(g) for g in groups.values()}

        assert shape(one) == shape(two)
        assert one.counts() == two.counts()
    finally:
        one.close()
        two.close()


# --- merging by hand and unmerging ---------------------------------------------------------


def _pick(c: dict[str, dict[str, Any]], kind: str) -> tuple[int, int]:
    """Two unrelated records of a kind: Maps of Nowhere and volume 1 of the Guild history."""
    if kind == "edition":
        return c["vol1"]["edition_id"], c["maps"]["edition_id"]
    if kind == "work":
        return c["vol1"]["work_id"], c["maps"]["work_id"]
    return author_ids(c["vol1"])[0], author_ids(c["maps"])[0]


@pytest.mark.parametrize("kind", ["edition", "work", "person"])
def test_merge_then_unmerge_restores_the_dump(filled: Catalog, kind: str) -> None:
    before = filled.dump()
    records_before = filled.citation_records()
    counts_before = filled.counts()
    a, b = _pick(citations(filled), kind)
    log = filled.merge(kind, a, b)
    assert log.kind == kind
    assert (log.winner_id, log.loser_id) == (a, b)
    assert not log.automatic

    after = citations(filled)
    if kind == "edition":
        assert after["vol1"]["edition_id"] == after["maps"]["edition_id"]
        assert after["vol1"]["work_id"] == after["maps"]["work_id"]  # one edition, one work
    elif kind == "work":
        assert after["vol1"]["work_id"] == after["maps"]["work_id"]
        assert after["vol1"]["edition_id"] != after["maps"]["edition_id"]
    else:
        assert author_ids(after["vol1"]) == author_ids(after["maps"])
    assert filled.counts()[kind + "s"] == counts_before[kind + "s"] - 1
    assert filled.dump() != before

    undone = filled.unmerge(log.id)
    assert log.id in {u.id for u in undone}
    assert filled.dump() == before
    assert filled.citation_records() == records_before
    assert filled.counts() == counts_before


@pytest.mark.parametrize("kind", ["edition", "work", "person"])
def test_merge_through_a_merged_record_then_unmerge(filled: Catalog, kind: str) -> None:
    # the second spelling of The Long Road Home was merged automatically: merging it means merging its root
    before = filled.dump()
    c = citations(filled)
    recs = filled.dump()
    if kind == "edition":
        merged = [e["id"] for e in recs["edition"] if e["merged_into"] is not None]
        other = c["maps"]["edition_id"]
        root = c["road_a"]["edition_id"]
    elif kind == "work":
        merged = [w["id"] for w in recs["work"] if w["merged_into"] is not None]
        other = c["maps"]["work_id"]
        root = c["road_a"]["work_id"]
    else:
        merged = [p["id"] for p in recs["person"] if p["merged_into"] is not None]
        other = author_ids(c["maps"])[0]
        root = None
    assert merged
    loser = merged[0]
    log = filled.merge(kind, other, loser)
    assert log.loser_id != loser  # the root was merged, not the merged record
    if root is not None:
        assert log.loser_id == root
    filled.unmerge(log.id)
    assert filled.dump() == before


def test_merging_one_record_into_itself_is_refused(filled: Catalog) -> None:
    c = citations(filled)
    before = filled.dump()
    with pytest.raises(UsageError):
        filled.merge("edition", c["road_a"]["edition_id"], c["road_b"]["edition_id"])  # already one
    with pytest.raises(UsageError):
        filled.merge("work", c["paper_37"]["work_id"], c["paper_37"]["work_id"])
    with pytest.raises(UsageError):
        filled.merge("shelf", 1, 2)
    assert filled.dump() == before


def test_unmerging_twice_is_refused(filled: Catalog) -> None:
    a, b = _pick(citations(filled), "work")
    log = filled.merge("work", a, b)
    filled.unmerge(log.id)
    before = filled.dump()
    with pytest.raises(UsageError):
        filled.unmerge(log.id)
    with pytest.raises(UsageError):
        filled.unmerge(10_000)
    assert filled.dump() == before


def test_merges_lists_what_is_in_force(filled: Catalog) -> None:
    automatic = filled.merges()
    assert automatic and all(m.automatic for m in automatic)
    kinds = {m.kind for m in automatic}
    assert {"person", "work", "edition"} <= kinds
    a, b = _pick(citations(filled), "person")
    log = filled.merge("person", a, b)
    assert [m.id for m in filled.merges()] == [m.id for m in automatic] + [log.id]
    filled.unmerge(log.id)
    assert [m.id for m in filled.merges()] == [m.id for m in automatic]
    assert log.id in [m.id for m in filled.merges(include_undone=True)]


def test_undone_hand_merge_stays_undone_after_dedupe(filled: Catalog) -> None:
    a, b = _pick(citations(filled), "edition")
    log = filled.merge("edition", a, b)
    filled.unmerge(log.id)
    before = filled.dump()
    filled.dedupe()
    c = citations(filled)
    assert c["vol1"]["edition_id"] != c["maps"]["edition_id"]
    assert filled.dump() == before


# --- unmerging automatic merges ----------------------------------------------------------


def test_unmerge_an_automatic_edition_merge(
    filled: Catalog, new_db_url: Callable[[str], str], docs: dict[str, str]
) -> None:
    edition_logs = [m for m in filled.merges() if m.kind == "edition" and m.automatic]
    assert len(edition_logs) == 1
    filled.unmerge(edition_logs[0].id)

    c = citations(filled)
    assert c["road_a"]["edition_id"] != c["road_b"]["edition_id"]
    assert c["road_a"]["work_id"] == c["road_b"]["work_id"]  # the work merge still holds

    # the same state, built from the unresolved documents and the merges still in force
    plain = Catalog(new_db_url("plain"))
    try:
        store_unresolved(plain, [docs["a"], docs["b"]])
        for log in filled.merges():
            if log.parent_id is None:
                plain.merge(log.kind, log.winner_id, log.loser_id)
        assert without_times(filled.dump()) == without_times(plain.dump())
    finally:
        plain.close()


def test_unmerge_an_automatic_person_merge(filled: Catalog) -> None:
    c = citations(filled)
    person_logs = [m for m in filled.merges() if m.kind == "person"]
    assert person_logs
    jane = author_ids(c["road_a"])[1]
    log = next(m for m in person_logs if jane in (m.winner_id, m.loser_id))
    filled.unmerge(log.id)
    c = citations(filled)
    assert author_ids(c["road_a"])[1] != author_ids(c["road_b"])[1]
    assert author_ids(c["road_a"])[0] == author_ids(c["road_b"])[0]


def test_unmerge_everything_restores_the_unresolved_catalog(
    filled: Catalog, new_db_url: Callable[[str], str], docs: dict[str, str]
) -> None:
    plain = Catalog(new_db_url("plain"))
    try:
        store_unresolved(plain, [docs["a"], docs["b"]])
        assert without_times(filled.dump()) != without_times(plain.dump())
        undone = filled.unmerge(None)
        assert undone
        assert filled.merges() == []
        assert without_times(filled.dump()) == without_times(plain.dump())
        assert filled.counts() == plain.counts()
        c = citations(filled)
        assert c["road_a"]["edition_id"] != c["road_b"]["edition_id"]
        assert c["paper_37"]["work_id"] != c["paper_62"]["work_id"]
    finally:
        plain.close()


def test_unmerge_everything_after_a_manual_merge(
    filled: Catalog, new_db_url: Callable[[str], str], docs: dict[str, str]
) -> None:
    a, b = _pick(citations(filled), "edition")
    filled.merge("edition", a, b)
    filled.unmerge(None)
    plain = Catalog(new_db_url("plain"))
    try:
        store_unresolved(plain, [docs["a"], docs["b"]])
        assert without_times(filled.dump()) == without_times(plain.dump())
    finally:
        plain.close()


def test_dedupe_after_unmerge_everything_resolves_again(filled: Catalog) -> None:
    resolved = citations(filled)
    filled.unmerge(None)
    filled.dedupe()
    again = citations(filled)
    for key in resolved:
        assert again[key]["edition_id"] == resolved[key]["edition_id"], key
        assert again[key]["work_id"] == resolved[key]["work_id"], key


def test_dry_run_dedupe_changes_nothing(filled: Catalog) -> None:
    filled.unmerge(None)
    before = filled.dump()
    report = filled.dedupe(dry_run=True)
    assert report.merges
    assert filled.dump() == before


# --- unmerge after a document changed ------------------------------------------------------


def test_unmerge_everything_after_a_document_was_replaced(filled: Catalog, docs: dict[str, str]) -> None:
    Path(docs["b"]).write_text(DOC_B2, encoding="utf-8")
    report = ingest_paths(filled, [docs["b"]])
    assert report.replaced == 1
    filled.unmerge(None)
    assert filled.merges() == []


def test_winner_is_recomputed_when_its_members_are_removed(filled: Catalog, docs: dict[str, str]) -> None:
    Path(docs["b"]).write_text(DOC_B2, encoding="utf-8")
    ingest_paths(filled, [docs["b"]])
    road = find(filled.citation_records(), "a.txt", "The Long Road Home")
    edition = next(e for e in filled.dump()["edition"] if e["id"] == road["edition_id"])
    assert edition["csl"] == road["csl"]
    assert edition["publisher"] == "Harbour Press"


# --- review queue ---------------------------------------------------------------------------


def _road_review(cat: Catalog) -> dict[str, Any]:
    """The pending review of The Long Road Home against The Long Road Home Again."""
    hits = [
        r
        for r in cat.reviews()
        if {(r["a"]["csl"] or {}).get("title"), (r["b"]["csl"] or {}).get("title")}
        == {"The Long Road Home", "The Long Road Home Again"}
    ]
    assert len(hits) == 1, cat.reviews()
    return hits[0]


def test_pair_between_thresholds_is_queued(filled: Catalog, docs: dict[str, str]) -> None:
    ingest_paths(filled, [docs["c"]])
    review = _road_review(filled)
    assert 0.7 <= review["score"] < 0.85
    assert review["kind"] == "work"
    c = citations(filled)
    assert c["again"]["work_id"] != c["road_a"]["work_id"]


def test_decide_same_merges_the_pair(filled: Catalog, docs: dict[str, str]) -> None:
    ingest_paths(filled, [docs["c"]])
    review = _road_review(filled)
    log = filled.decide(review["id"], "same")
    assert log is not None and not log.automatic
    c = citations(filled)
    assert c["again"]["work_id"] == c["road_a"]["work_id"]
    assert c["again"]["edition_id"] != c["road_a"]["edition_id"]  # another year: another edition
    assert all(r["id"] != review["id"] for r in filled.reviews())
    with pytest.raises(UsageError):
        filled.decide(review["id"], "different")


def test_accepting_a_work_review_keeps_two_editions(filled: Catalog, docs: dict[str, str]) -> None:
    ingest_paths(filled, [docs["c"]])
    review = _road_review(filled)
    assert review["kind"] == "work"
    filled.decide(review["id"], "same")
    filled.dedupe()
    c = citations(filled)
    assert c["again"]["work_id"] == c["road_a"]["work_id"]
    assert c["again"]["edition_id"] != c["road_a"]["edition_id"]


def test_decide_skip_merges_nothing(filled: Catalog, docs: dict[str, str]) -> None:
    ingest_paths(filled, [docs["c"]])
    before = filled.dump()
    review = _road_review(filled)
    assert filled.decide(review["id"], "skip") is None
    assert filled.dump() == before
    assert all(r["id"] != review["id"] for r in filled.reviews())


def test_decide_different_persists_across_reingesting_a_changed_document(filled: Catalog, docs: dict[str, str]) -> None:
    ingest_paths(filled, [docs["c"]])
    review = _road_review(filled)
    assert filled.decide(review["id"], "different") is None

    Path(docs["c"]).write_text(DOC_C2, encoding="utf-8")
    report = ingest_paths(filled, [docs["c"]])
    assert report.replaced == 1

    c = citations(filled)
    assert c["again"]["work_id"] != c["road_a"]["work_id"]
    titles = [{(r["a"]["csl"] or {}).get("title"), (r["b"]["csl"] or {}).get("title")} for r in filled.reviews()]
    assert {"The Long Road Home", "The Long Road Home Again"} not in titles

    # and a full deduplication does not merge them either
    filled.dedupe()
    c = citations(filled)
    assert c["again"]["work_id"] != c["road_a"]["work_id"]


def test_without_a_decision_the_changed_document_is_queued_again(filled: Catalog, docs: dict[str, str]) -> None:
    # control for the test above: the pair really comes back when nobody decided
    ingest_paths(filled, [docs["c"]])
    Path(docs["c"]).write_text(DOC_C2, encoding="utf-8")
    ingest_paths(filled, [docs["c"]])
    review = _road_review(filled)
    c = citations(filled)
    assert {review["a"]["id"], review["b"]["id"]} == {c["road_a"]["edition_id"], c["again"]["edition_id"]}


def test_decide_same_persists_across_reingesting_a_changed_document(filled: Catalog, docs: dict[str, str]) -> None:
    ingest_paths(filled, [docs["c"]])
    filled.decide(_road_review(filled)["id"], "same")
    Path(docs["c"]).write_text(DOC_C2, encoding="utf-8")
    ingest_paths(filled, [docs["c"]])
    c = citations(filled)
    assert c["again"]["work_id"] == c["road_a"]["work_id"]


def test_pending_reviews_stay_valid_after_a_document_is_replaced(filled: Catalog, docs: dict[str, str]) -> None:
    ingest_paths(filled, [docs["c"]])
    Path(docs["c"]).write_text(DOC_C2, encoding="utf-8")
    ingest_paths(filled, [docs["c"]])
    for review in filled.reviews():
        assert review["a"]["csl"] is not None and review["b"]["csl"] is not None
        titles = {review["a"]["csl"]["title"], review["b"]["csl"]["title"]}
        assert "Quiet Engines" not in titles, review
