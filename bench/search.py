"""Search benchmark: biblio's search beside a bare FTS5 query on the same index, and `biblio --help` beside typer.

- The catalog: `size` generated editions (bench/corpus.py), one work and
  edition each, with their persons, name forms and contributors, written with
  plain bulk INSERTs (setup, not measured), then the index built once by
  `rebuild_search` (timed: the cost of indexing a catalog from scratch).  The
  file is cached under /tmp and reused by later runs.
- Each query runs through `Catalog.search` (a session, the dirty-set check,
  the query translation, the join to the edition rows, the Hit objects) and as
  a bare `SELECT rowid FROM search_fts WHERE search_fts MATCH ? ORDER BY rank
  LIMIT ?` on a sqlite3 connection, in the same process; each is timed as the
  best of repeated runs (5 alternating rounds of 20), as bench/export.py does.
- Upkeep, on 20,000 generated citations stored as `ingest` stores them: the
  time to store them with the index triggers and without, then the refresh
  after storing and after `dedupe` merged the duplicates.
- `biblio --help` and `python -c "import typer"` run alternately in fresh
  processes; the medians of wall time and of CPU time (user + system) are
  compared.

Usage: python -m bench.search SIZE  (prints one JSON line)
"""

from __future__ import annotations

import json
import os
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from bench.corpus import generate
from biblio.catalog import Catalog
from biblio.catalog.search import SearchQuery, fts_expression, rebuild_search, refresh_search
from biblio.model import Citation, Document
from biblio.resolve.keys import fold_text, name_form, person_key, title_key

__all__ = ["run"]

LIMIT = 50
BATCH = 20000


def _fill(path: Path, size: int) -> float:
    """Write `size` editions with plain INSERTs, then build the index; return the seconds the index took."""
    Catalog(f"sqlite:///{path}").close()  # the schema, the index table and its triggers
    conn = sqlite3.connect(path)
    conn.execute("PRAGMA journal_mode=WAL")
    conn.execute("PRAGMA synchronous=OFF")
    triggers = [name for (name,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'")]
    saved = [sql for (sql,) in conn.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger'")]
    for name in triggers:  # a bulk load marks nothing; the index is built whole afterwards
        conn.execute(f"DROP TRIGGER {name}")
    now = datetime.now(UTC).isoformat(sep=" ")
    persons: dict[str, int] = {}
    works, editions, people, forms, contributors = [], [], [], [], []

    def flush() -> None:
        conn.executemany("INSERT INTO work (id, title, match_key, created_at) VALUES (?, ?, ?, ?)", works)
        conn.executemany(
            "INSERT INTO edition (id, work_id, title, type, year, publisher, place, match_key, csl, created_at) "
            "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            editions,
        )
        conn.executemany("INSERT INTO person (id, family, given, match_key, block_key) VALUES (?, ?, ?, ?, ?)", people)
        conn.executemany("INSERT INTO name_form (person_id, form, family, given) VALUES (?, ?, ?, ?)", forms)
        conn.executemany(
            "INSERT INTO contributor (edition_id, person_id, role, position) VALUES (?, ?, ?, ?)", contributors
        )
        for rows in (works, editions, people, forms, contributors):
            rows.clear()

    for number, record in enumerate(generate(size), start=1):
        csl = record.csl
        title = csl["title"]
        works.append((number, title, title_key(title), now))
        year = csl["issued"]["date-parts"][0][0]
        editions.append(
            (number, number, title, "book", year, csl["publisher"], csl["publisher-place"], title_key(title),
             json.dumps(csl), now)
        )  # fmt: skip
        for position, name in enumerate(csl["author"]):
            key = person_key(name)
            if key not in persons:
                persons[key] = len(persons) + 1
                people.append((persons[key], name["family"], name["given"], key, fold_text(name["family"])))
                forms.append((persons[key], name_form(name), name["family"], name["given"]))
            contributors.append((number, persons[key], "author", position))
        if len(editions) >= BATCH:
            flush()
    flush()
    for sql in saved:
        conn.execute(sql)
    conn.commit()
    conn.close()
    catalog = Catalog(f"sqlite:///{path}")
    start = time.perf_counter()
    with catalog.session() as session, session.begin():
        rebuild_search(session.connection())
    seconds = time.perf_counter() - start
    with catalog.session() as session, session.begin():
        session.connection().exec_driver_sql(
            "INSERT INTO biblio_meta (key, value) VALUES ('bench_index_s', ?)", (str(seconds),)
        )
    catalog.close()
    return seconds


def _catalog(size: int) -> tuple[Path, float]:
    """The cached catalog of this size (built when missing), and how long its index took to build."""
    path = Path(f"/tmp/biblio-bench-search-{size}.db")
    if path.exists():
        with sqlite3.connect(path) as conn:
            row = conn.execute("SELECT value FROM biblio_meta WHERE key = 'bench_index_s'").fetchone()
        if row:
            return path, float(row[0])
        path.unlink()
    return path, _fill(path, size)


def _store(catalog: Catalog, size: int, per_document: int = 1000) -> float:
    """Store `size` generated citations in documents of `per_document`, unresolved; return the seconds."""
    records = list(generate(size, seed=7))
    start = time.perf_counter()
    for first in range(0, len(records), per_document):
        doc = Document(name=f"list-{first}.txt", text="", blocks=[], sha256=str(first))
        citations = [
            Citation(source=doc.name, line=i + 1, raw="", kind="list", confidence=0.9, csl=r.csl)
            for i, r in enumerate(records[first : first + per_document])
        ]
        catalog.store_document(doc, citations, None, doc.name, resolve=False)
    return time.perf_counter() - start


def _refresh(catalog: Catalog) -> float:
    """Seconds to bring the index up to date."""
    start = time.perf_counter()
    with catalog.session() as session, session.begin():
        refresh_search(session.connection())
    return time.perf_counter() - start


def _upkeep(size: int) -> dict[str, Any]:
    """What keeping the index costs: storing with and without the triggers (the writer's marks of its
    inserts stay: one executemany a document), and each refresh."""
    with tempfile.TemporaryDirectory() as tmp:
        plain = Catalog(f"sqlite:///{tmp}/plain.db")
        with plain.engine.begin() as conn:
            for (name,) in conn.exec_driver_sql("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
                conn.exec_driver_sql(f"DROP TRIGGER {name}")
        store_plain = _store(plain, size)
        plain.close()
        catalog = Catalog(f"sqlite:///{tmp}/indexed.db")
        store_indexed = _store(catalog, size)
        after_store = _refresh(catalog)
        start = time.perf_counter()
        report = catalog.dedupe()
        dedupe_s = time.perf_counter() - start
        after_dedupe = _refresh(catalog)
        catalog.close()
    return {
        "upkeep_records": size,
        "store_without_index_s": round(store_plain, 2),
        "store_with_triggers_s": round(store_indexed, 2),
        "refresh_after_store_s": round(after_store, 2),
        "dedupe_s": round(dedupe_s, 2),
        "dedupe_merges": len(report.merges),
        "refresh_after_dedupe_s": round(after_dedupe, 2),
    }


def _best(fn: Callable[[], Any], repeat: int) -> float:
    """The best of `repeat` timings of fn() (as bench/export.py: the least disturbed by other load)."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def _queries(path: Path) -> dict[str, SearchQuery]:
    """Queries of several selectivities, their words taken from the catalog itself."""
    with sqlite3.connect(path) as conn:
        # a person from the middle of the catalog, whatever its size
        family = conn.execute(
            "SELECT family FROM person WHERE family IS NOT NULL ORDER BY id "
            "LIMIT 1 OFFSET (SELECT count(*) / 2 FROM person WHERE family IS NOT NULL)"
        ).fetchone()[0]
    return {
        "rare family name": SearchQuery(text=family, limit=LIMIT),
        "common title word": SearchQuery(text="revolution", limit=LIMIT),
        "two words": SearchQuery(text="iron harbour", limit=LIMIT),
        "phrase": SearchQuery(text='"secret archive"', limit=LIMIT),
        "prefix": SearchQuery(text="revol*", limit=LIMIT),
        # a query without free text is sorted by title unless told: ranked here, as the bare query is
        "author: field": SearchQuery(author=family, limit=LIMIT, sort="relevance"),
    }


def _bare_expression(q: SearchQuery) -> str:
    """The MATCH expression the bare query gets: the same FTS5 expression biblio sends."""
    if q.author:
        return fts_expression(q.author, "names")
    return fts_expression(q.text or "")


_BARE_ROWS = (
    "WITH ranked AS (SELECT rowid AS eid, rank FROM search_fts WHERE search_fts MATCH ? ORDER BY rank LIMIT ?) "
    "SELECT e.id, e.work_id, e.citation_key, e.title, e.year, e.type, e.publisher, e.place, e.csl, w.merged_into "
    "FROM ranked JOIN edition e ON e.id = ranked.eid JOIN work w ON w.id = e.work_id ORDER BY ranked.rank"
)


def _searches(path: Path, repeat: int) -> list[dict[str, Any]]:
    """Each query through Catalog.search and bare, alternating, in this process."""
    catalog = Catalog(f"sqlite:///{path}")
    bare = sqlite3.connect(path)
    out = []
    for label, query in _queries(path).items():
        expression = _bare_expression(query)

        def bare_query(expression: str = expression) -> list[Any]:
            return bare.execute(
                "SELECT rowid FROM search_fts WHERE search_fts MATCH ? ORDER BY rank LIMIT ?", (expression, LIMIT)
            ).fetchall()

        def bare_rows(expression: str = expression) -> list[Any]:
            # the same FTS5 lookup, also reading the rows a search shows (what a hand-written search returns)
            return bare.execute(_BARE_ROWS, (expression, LIMIT)).fetchall()

        def biblio_query(query: SearchQuery = query) -> list[Any]:
            return catalog.search(query)

        found = biblio_query()
        assert [h.edition_id for h in found] == [r[0] for r in bare_query()], label
        matches = bare.execute("SELECT count(*) FROM search_fts WHERE search_fts MATCH ?", (expression,)).fetchone()[0]
        biblio_s, bare_s, rows_s = [], [], []
        for _ in range(5):  # alternate, so that all meet the same machine load
            biblio_s.append(_best(biblio_query, repeat))
            bare_s.append(_best(bare_query, repeat))
            rows_s.append(_best(bare_rows, repeat))
        b, f, r = min(biblio_s), min(bare_s), min(rows_s)
        out.append(
            {
                "query": label,
                "matches": matches,
                "biblio_ms": round(b * 1000, 3),
                "bare_fts5_ms": round(f * 1000, 3),
                "ratio": round(b / f, 2),
                "bare_fts5_rows_ms": round(r * 1000, 3),
                "ratio_rows": round(b / r, 2),
            }
        )
    bare.close()
    catalog.close()
    return out


def _process_times(argv: list[str], runs: int) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds of `runs` fresh processes."""
    walls, cpus = [], []
    for _ in range(runs):
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _, _, usage = os.wait4(proc.pid, 0)
        walls.append(time.perf_counter() - start)
        cpus.append(usage.ru_utime + usage.ru_stime)
    return walls, cpus


def _help_startup(runs: int = 40) -> dict[str, Any]:
    """`biblio --help` against `python -c "import typer"`, alternating, in fresh processes."""
    biblio = [str(Path(sys.executable).parent / "biblio"), "--help"]
    typer_only = [sys.executable, "-c", "import typer"]
    times: dict[str, tuple[list[float], list[float]]] = {"biblio": ([], []), "typer": ([], [])}
    for _ in range(runs // 5):
        for name, argv in (("biblio", biblio), ("typer", typer_only)):
            walls, cpus = _process_times(argv, 5)
            times[name][0].extend(walls)
            times[name][1].extend(cpus)
    med = {name: (statistics.median(w), statistics.median(c)) for name, (w, c) in times.items()}
    return {
        "help_wall_ms": round(med["biblio"][0] * 1000, 1),
        "import_typer_wall_ms": round(med["typer"][0] * 1000, 1),
        "help_wall_ratio": round(med["biblio"][0] / med["typer"][0], 2),
        "help_cpu_ms": round(med["biblio"][1] * 1000, 1),
        "import_typer_cpu_ms": round(med["typer"][1] * 1000, 1),
        "help_cpu_ratio": round(med["biblio"][1] / med["typer"][1], 2),
    }


def run(size: int, repeat: int = 20) -> dict[str, Any]:
    """Build (or reuse) the catalog, time the searches and the start-up."""
    path, index_s = _catalog(size)
    with sqlite3.connect(path) as conn:
        editions = conn.execute("SELECT count(*) FROM edition").fetchone()[0]
    return {
        "size": size,
        "editions": editions,
        "index_build_s": round(index_s, 1),
        "db_mib": round(path.stat().st_size / 2**20),
        "searches": _searches(path, repeat),
        **_help_startup(),
        **_upkeep(20000),
    }


if __name__ == "__main__":
    print(json.dumps(run(int(sys.argv[1]))))
