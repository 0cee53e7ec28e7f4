"""Search and catalog queries on the seeds' catalog, checked against the tables read directly.

Each expected answer is computed here from the raw rows (merge chains
followed by hand, names folded with unicodedata), not by biblio's code.
"""

from __future__ import annotations

import re
import unicodedata
from collections import defaultdict
from pathlib import Path
from typing import Any

import pytest

from biblio.catalog import Catalog
from biblio.catalog.search import SearchQuery, fts_expression, rebuild_search, refresh_search
from biblio.catalog.search_index import _TRIGGERS as TRIGGERS
from biblio.errors import UsageError
from biblio.ingest import ingest_paths


@pytest.fixture
def seeded(catalog: Catalog, seeds_dir: Path) -> Catalog:
    """The seeds ingested and deduplicated."""
    report = ingest_paths(catalog, [str(seeds_dir)])
    assert report.ok, report.failures
    catalog.dedupe()
    return catalog


def rows(cat: Catalog, sql: str) -> list[tuple[Any, ...]]:
    """Rows of a plain SQL query."""
    with cat.engine.connect() as conn:
        return [tuple(r) for r in conn.exec_driver_sql(sql)]


def roots(cat: Catalog, table: str) -> dict[int, int]:
    """Every id of a table mapped to the end of its merge chain."""
    links = dict(rows(cat, f"SELECT id, merged_into FROM {table}"))
    out = {}
    for rid in links:
        target = rid
        while links.get(target) is not None:
            target = links[target]
        out[rid] = target
    return out


def fold(text: str | None) -> str:
    """Lower case without diacritics (the test's own folding)."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).lower()


def has_word(text: str | None, word: str) -> bool:
    return re.search(rf"\b{re.escape(word)}\b", fold(text)) is not None


def ids(hits: list[Any]) -> set[int]:
    return {h.edition_id for h in hits}


def editions_by_person_form(cat: Catalog, word: str) -> set[int]:
    """Root editions with a contributor one of whose name forms (through person merges) holds the word."""
    p_roots, e_roots = roots(cat, "person"), roots(cat, "edition")
    persons = {p_roots[pid] for pid, form in rows(cat, "SELECT person_id, form FROM name_form") if has_word(form, word)}
    return {
        e_roots[eid]
        for eid, pid in rows(cat, "SELECT edition_id, person_id FROM contributor")
        if p_roots[pid] in persons
    }


def index_rows(cat: Catalog, rebuilt: bool = False) -> dict[int, tuple[str, ...]]:
    """The index as stored (after the pending refresh), or as a full rebuild would make it (rolled back)."""
    table = "search_fts" if cat.engine.dialect.name == "sqlite" else "search_doc"
    key = "rowid" if table == "search_fts" else "edition_id"
    sql = f"SELECT {key}, title, names, publisher, place, note FROM {table}"
    with cat.session() as session:
        transaction = session.begin()
        if rebuilt:
            rebuild_search(session.connection())
        else:
            refresh_search(session.connection())
        out = {r[0]: tuple(r[1:]) for r in session.connection().exec_driver_sql(sql)}
        transaction.rollback() if rebuilt else transaction.commit()
    return out


def assert_index_right(cat: Catalog) -> None:
    """The incrementally kept index equals a rebuild, with one row per root edition."""
    kept = index_rows(cat)
    assert kept == index_rows(cat, rebuilt=True)
    assert set(kept) == {e for e, root in roots(cat, "edition").items() if e == root}


# --- concrete answers on the seeds --------------------------------------------------


def test_everything_by_the_coateses(seeded: Catalog) -> None:
    expected = editions_by_person_form(seeded, "coates")
    hits = seeded.search(SearchQuery(author="Coates"))
    assert ids(hits) == expected
    assert len(expected) >= 3
    assert all(any("Coates" in a for a in h.authors) for h in hits)


def test_printed_in_moscow_in_the_1930s(seeded: Catalog) -> None:
    e_roots = roots(seeded, "edition")
    year = dict(rows(seeded, "SELECT id, year FROM edition"))
    places: dict[int, set[str]] = defaultdict(set)
    for eid, place in rows(seeded, "SELECT id, place FROM edition"):
        places[e_roots[eid]].add(place or "")
    expected = {
        root
        for root, found in places.items()
        if any(has_word(p, "moscow") for p in found) and year[root] is not None and 1930 <= year[root] <= 1939
    }
    hits = seeded.search(SearchQuery(place="Moscow", year_from=1930, year_to=1939))
    assert ids(hits) == expected
    assert len(expected) >= 5
    assert all(1930 <= (h.year or 0) <= 1939 for h in hits)


def works_cited_by_documents(cat: Catalog) -> dict[int, set[str]]:
    """Root work -> names of the documents citing it."""
    w_roots = roots(cat, "work")
    work_of = {eid: w_roots[w] for eid, w in rows(cat, "SELECT id, work_id FROM edition")}
    names = dict(rows(cat, "SELECT id, name FROM document"))
    out: dict[int, set[str]] = defaultdict(set)
    for doc, eid in rows(cat, "SELECT document_id, edition_id FROM citation"):
        out[work_of[eid]].add(names[doc])
    return out


def test_works_cited_by_two_or_more_documents(seeded: Catalog) -> None:
    cited = works_cited_by_documents(seeded)
    expected = {w for w, docs in cited.items() if len(docs) >= 2}
    found = seeded.works(min_documents=2)
    assert {w.id for w in found} == expected
    assert expected
    assert all(w.documents == len(cited[w.id]) for w in found)


def test_cited_in_two_documents_is_the_intersection(seeded: Catalog) -> None:
    cited = works_cited_by_documents(seeded)
    shared = next(w for w, docs in cited.items() if len(docs) >= 2)
    first, second = sorted(cited[shared])[:2]
    works = {w for w, docs in cited.items() if {first, second} <= docs}
    w_roots, e_roots = roots(seeded, "work"), roots(seeded, "edition")
    expected = {e_roots[eid] for eid, w in rows(seeded, "SELECT id, work_id FROM edition") if w_roots[w] in works}
    hits = seeded.search(SearchQuery(cited_in=(first, second)))
    assert ids(hits) == expected
    assert {h.work_id for h in hits} == works
    only_first = seeded.search(SearchQuery(cited_in=(first,)))
    assert ids(hits) < ids(only_first) or ids(hits) == ids(only_first)
    with pytest.raises(UsageError, match="no document"):
        seeded.search(SearchQuery(cited_in=("no-such-document.txt",)))


def test_diacritics_are_folded(seeded: Catalog) -> None:
    assert ids(seeded.search(SearchQuery(text="Volin"))) == editions_by_person_form(seeded, "volin")
    accented = [f for (f,) in rows(seeded, "SELECT form FROM name_form") if fold(f) != f.lower()]
    assert accented
    for form in accented:
        plain = fold(form).split(",")[0].split()[-1]
        assert editions_by_person_form(seeded, plain) <= ids(seeded.search(SearchQuery(author=plain)))


def all_titles(cat: Catalog) -> dict[int, list[str]]:
    """Root edition -> its members' titles and their works' titles."""
    e_roots, w_roots = roots(cat, "edition"), roots(cat, "work")
    work_title = dict(rows(cat, "SELECT id, title FROM work"))
    out: dict[int, list[str]] = defaultdict(list)
    for eid, title, work in rows(cat, "SELECT id, title, work_id FROM edition"):
        out[e_roots[eid]] += [title, work_title[w_roots[work]]]
    return out


def test_phrase_and_prefix_queries(seeded: Catalog) -> None:
    titles = all_titles(seeded)
    phrase = {e for e, ts in titles.items() if any(re.search(r"\bcivil war\b", fold(t)) for t in ts)}
    assert ids(seeded.search(SearchQuery(title='"civil war"'))) == phrase
    both_words = {
        e for e, ts in titles.items() if any(has_word(t, "civil") for t in ts) and any(has_word(t, "war") for t in ts)
    }
    assert ids(seeded.search(SearchQuery(title="war civil"))) == both_words
    assert phrase and phrase <= both_words
    prefix = {e for e, ts in titles.items() if any(re.search(r"\brevol", fold(t)) for t in ts)}
    assert ids(seeded.search(SearchQuery(text="title:revol*"))) == prefix
    assert len(prefix) >= 3
    either = ids(seeded.search(SearchQuery(text="title:revol* OR title:soviet*")))
    assert prefix < either
    assert ids(seeded.search(SearchQuery(text='title:"civil war"'))) == phrase
    without = ids(seeded.search(SearchQuery(text='title:revol* -"october revolution"')))
    assert without == {e for e in prefix if not any(re.search(r"\boctober revolution\b", fold(t)) for t in titles[e])}
    assert without < prefix
    assert ids(seeded.search(SearchQuery(text="title:revol* NOT title:october"))) == {
        e for e in prefix if not any(has_word(t, "october") for t in titles[e])
    }


def test_filters_sort_and_limit(seeded: Catalog) -> None:
    by_year = seeded.search(SearchQuery(year_from=1900, sort="year"))
    years = [h.year for h in by_year]
    assert years == sorted(years) and len(years) > 10
    assert [h.year for h in seeded.search(SearchQuery(year_from=1900, sort="-year"))] == sorted(years, reverse=True)
    assert len(seeded.search(SearchQuery(year_from=1900, limit=3))) == 3
    pamphlets = {
        e for e, t in rows(seeded, "SELECT id, type FROM edition WHERE merged_into IS NULL") if t == "pamphlet"
    }
    assert ids(seeded.search(SearchQuery(type="pamphlet"))) == pamphlets
    with pytest.raises(UsageError, match="sort"):
        seeded.search(SearchQuery(sort="colour"))


def test_query_syntax_errors_are_usage_errors(seeded: Catalog) -> None:
    for bad in ('"unclosed', "war OR", "(war", "title:"):
        with pytest.raises(UsageError):
            seeded.search(SearchQuery(text=bad))
    # punctuation inside words is quoted, not read as syntax
    assert fts_expression("jean-paul o'neil") == '"jean paul" "oneil"'
    seeded.search(SearchQuery(text="U.S.S.R. civil-war"))


def test_tag_filter(seeded: Catalog) -> None:
    hit = seeded.search(SearchQuery(author="Coates", limit=1))[0]
    seeded.tag(str(hit.work_id), ["interventions"])
    tagged = seeded.search(SearchQuery(tag="interventions"))
    e_roots = roots(seeded, "edition")
    w_roots = roots(seeded, "work")
    expected = {e_roots[e] for e, w in rows(seeded, "SELECT id, work_id FROM edition") if w_roots[w] == hit.work_id}
    assert ids(tagged) == expected
    assert seeded.search(SearchQuery(tag="no such tag")) == []


def test_show_gives_editions_contributors_and_citations(seeded: Catalog) -> None:
    hit = seeded.search(SearchQuery(author="Coates", title="intervention"))[0]
    detail = seeded.show(str(hit.work_id))
    assert detail.id == hit.work_id
    assert hit.edition_id in {e["id"] for e in detail.editions}
    members = [e for e, root in roots(seeded, "edition").items() if root == hit.edition_id]
    expected = rows(
        seeded,
        "SELECT document.name, citation.line, citation.raw FROM citation JOIN document ON document.id = "
        f"citation.document_id WHERE citation.edition_id IN ({', '.join(map(str, members))})",
    )
    assert {(c["document"], c["line"], c["raw"]) for c in detail.citations} == set(expected)
    forms = {f for p in detail.contributors for f in p["forms"]}
    assert any("Coates" in f for f in forms)
    assert detail.sources == []
    listed = {w.id: w for w in seeded.works()}[hit.work_id]
    assert any("Coates" in a for a in listed.authors) and listed.year == hit.year
    by_key = seeded.show(detail.editions[0]["citation_key"])
    assert by_key.id == detail.id
    with pytest.raises(UsageError):
        seeded.show("no-such-key")


def test_authors_documents_and_stats(seeded: Catalog) -> None:
    coateses = seeded.authors(name="coates")
    assert len(coateses) >= 2
    assert all(any("coates" in fold(f) for f in a.forms) for a in coateses)
    p_roots, e_roots = roots(seeded, "person"), roots(seeded, "edition")
    on = defaultdict(set)  # root person -> member editions they contributed to
    for eid, pid in rows(seeded, "SELECT edition_id, person_id FROM contributor"):
        on[p_roots[pid]].add(eid)
    cited_editions = [e for (e,) in rows(seeded, "SELECT edition_id FROM citation")]
    for author in coateses:
        assert author.editions == len({e_roots[e] for e in on[author.id]})
        assert author.citations == sum(1 for e in cited_editions if e in on[author.id])
    everyone = seeded.authors()
    assert [a.id for a in seeded.authors(limit=5)] == [a.id for a in everyone[:5]]
    assert {a.id for a in everyone} == {p for p in on}
    docs = seeded.documents()
    assert sorted(d.name for d in docs) == sorted(n for (n,) in rows(seeded, "SELECT name FROM document"))
    per_doc = defaultdict(int)
    for (doc,) in rows(seeded, "SELECT document_id FROM citation"):
        per_doc[doc] += 1
    assert {d.id: d.citations for d in docs} == {d.id: per_doc[d.id] for d in docs}
    stats = seeded.stats()
    assert stats["editions"] == len([1 for e, r in roots(seeded, "edition").items() if e == r])
    assert stats["citations"] == sum(per_doc.values())
    assert sum(stats["decades"].values()) == stats["editions"]


# --- the index stays right after every change ---------------------------------------------

DOC = """Harbour Notes

Books

The Long Road Home, WP and Jane Doe, Harbour Press, London, 1950, 210 pages.
Paper Harbours, Thomas Amberly, Gollancz, London, 1937, 180 pages.
"""

DOC_CHANGED = """Harbour Notes

Books

Quiet Engines, Ruth Quenby, Lantern House, Bristol, 1960, 120 pages.
Paper Harbours, Thomas Ámberly, Gollancz, London, 1937, 180 pages.
"""


def test_index_follows_ingest_merges_and_unmerges(seeded: Catalog, tmp_path: Path) -> None:
    assert_index_right(seeded)
    seeded.unmerge(None)
    assert_index_right(seeded)
    seeded.dedupe()
    assert_index_right(seeded)
    # a person merged by hand: the editions of both answer to either name
    coates = [a.id for a in seeded.authors(name="coates")]
    reed = seeded.authors(name="reed")[0].id
    log = seeded.merge("person", reed, coates[0])
    assert_index_right(seeded)
    assert ids(seeded.search(SearchQuery(author="Reed"))) >= editions_by_person_form(seeded, "coates")
    seeded.unmerge(log.id)
    assert_index_right(seeded)
    # a work merged by hand: its editions find the winner's title
    a, b = sorted({h.work_id for h in seeded.search(SearchQuery(author="Coates"))})[:2]
    seeded.merge("work", a, b)
    assert_index_right(seeded)
    seeded.tag(str(a), ["x"])
    seeded.rekey()
    assert_index_right(seeded)
    # a document ingested, then replaced by a changed version
    path = tmp_path / "harbour.txt"
    path.write_text(DOC, encoding="utf-8")
    ingest_paths(seeded, [str(path)])
    assert_index_right(seeded)
    assert seeded.search(SearchQuery(text='"long road home"'))
    path.write_text(DOC_CHANGED, encoding="utf-8")
    report = ingest_paths(seeded, [str(path)])
    assert report.replaced == 1
    assert_index_right(seeded)
    assert seeded.search(SearchQuery(text='"long road home"')) == []
    assert len(seeded.search(SearchQuery(text="quiet engines"))) == 1
    assert len(seeded.search(SearchQuery(author="Amberly"))) == 1


def test_an_index_missing_from_an_older_catalog_is_built(seeded: Catalog) -> None:
    sqlite = seeded.engine.dialect.name == "sqlite"
    with seeded.engine.begin() as conn:
        for table, suffix, _, _ in TRIGGERS:
            on = "" if sqlite else f" ON {table}"
            conn.exec_driver_sql(f"DROP TRIGGER search_{table}_{suffix}{on}")
        conn.exec_driver_sql("DROP TABLE search_fts" if sqlite else "DROP TABLE search_doc")
        conn.exec_driver_sql("DROP TABLE search_dirty")
    seeded.close()
    reopened = Catalog(seeded.url)
    try:
        assert ids(reopened.search(SearchQuery(author="Coates"))) == editions_by_person_form(reopened, "coates")
        assert_index_right(reopened)
    finally:
        reopened.close()


# --- inserts are marked by the writer (session 6): no insert triggers ---------------------------------

FIRST = """Engines

Books

Quiet Engines, K Marlowe, Lantern House, Bristol, 1960, 120 pages.
"""

# the same person with another form of the name in brackets: a form added to a person already indexed
SECOND = """Roads

Books

The Long Road Home, K (AB) Marlowe, Harbour Press, London, 1950, 210 pages.
"""


def test_a_form_added_to_a_known_person_reindexes_their_editions(catalog: Catalog, tmp_path: Path) -> None:
    found = []
    for name, text in (("first.txt", FIRST), ("second.txt", SECOND)):
        (tmp_path / name).write_text(text, encoding="utf-8")
        assert ingest_paths(catalog, [str(tmp_path / name)]).ok
        assert_index_right(catalog)
        found.append(ids(catalog.search(SearchQuery(author="A B Marlowe"))))
    forms = {form for (form,) in rows(catalog, "SELECT form FROM name_form")}
    assert len(forms) == 2  # "K. Marlowe" and the bracketed "A. B. Marlowe", one person
    engines = ids(catalog.search(SearchQuery(text="quiet engines")))
    assert len(engines) == 1
    # the older edition is found by the form only the second document gave, and was not before it
    assert not found[0] & engines
    assert found[1] >= engines


def _old_insert_triggers(cat: Catalog) -> None:
    """Give the catalog the insert triggers catalogs made before session 6 had."""
    marks = {"edition": ("edition", "NEW.id"), "contributor": ("edition", "NEW.edition_id")}
    marks["name_form"] = ("person", "NEW.person_id")
    with cat.engine.begin() as conn:
        for table, (kind, ref) in marks.items():
            name, body = f"search_{table}_ins", f"INSERT INTO search_dirty (kind, ref) VALUES ('{kind}', {ref});"
            if cat.engine.dialect.name == "sqlite":
                conn.exec_driver_sql(f"CREATE TRIGGER {name} AFTER INSERT ON {table} BEGIN {body} END")
            else:
                conn.exec_driver_sql(
                    f"CREATE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN {body} RETURN NULL; END $$"
                )
                conn.exec_driver_sql(
                    f"CREATE TRIGGER {name} AFTER INSERT ON {table} FOR EACH ROW EXECUTE FUNCTION {name}()"
                )


def _insert_triggers(cat: Catalog) -> set[str]:
    """The names of the catalog's search insert triggers (search_<table>_ins)."""
    if cat.engine.dialect.name == "sqlite":
        found = rows(cat, "SELECT name FROM sqlite_master WHERE type = 'trigger'")
    else:
        found = rows(cat, "SELECT tgname FROM pg_trigger WHERE NOT tgisinternal")
    return {name for (name,) in found if name.startswith("search_") and name.endswith("_ins")}


def test_an_older_catalogs_insert_triggers_are_dropped_when_opened(seeded: Catalog, tmp_path: Path) -> None:
    assert _insert_triggers(seeded) == set()
    _old_insert_triggers(seeded)
    assert len(_insert_triggers(seeded)) == 3
    seeded.close()
    reopened = Catalog(seeded.url)
    try:
        assert _insert_triggers(reopened) == set()
        (tmp_path / "harbour.txt").write_text(DOC, encoding="utf-8")
        assert ingest_paths(reopened, [str(tmp_path / "harbour.txt")]).ok
        assert_index_right(reopened)
        assert reopened.search(SearchQuery(text='"long road home"'))
    finally:
        reopened.close()
