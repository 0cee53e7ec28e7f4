"""The floor of storing: the rows an ingest writes, replayed through bare sqlite3, beside bibtexparser.

usage: python -m bench.floor SIZE [--without triggers,foreign-keys,INDEX...] [--commit-every N]

How fast could `biblio ingest` store the bench documents if every Python cost
were gone?  This stores them once with `store_document(resolve=False)`,
recording each statement and its parameters exactly as the writer hands them
to the driver (`writer._params`), then replays them into a new catalog of the
same schema (tables, indexes, search triggers, pragmas) with bare `sqlite3`:
one transaction per document, as ingest does, and nothing but SQLite's own
work timed.  Resolution is not replayed (it writes little; its cost is
Python), so the figure is a lower bound of storing alone.

`--without` drops the search index's triggers, the foreign-key checks or named
indexes before the replay, to size what each costs; `--commit-every` commits
every N documents instead of each (what one transaction per document costs).
bibtexparser v2 parses the same entries as BibTeX in the same process first,
for the ratio.  Prints one JSON line (docs/ingest-speed.md, "Session 6").
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import tempfile
import time
from collections import defaultdict
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from bench.documents import documents
from bench.ingest import run_stage

PER_DOCUMENT = 500
Statements = list[tuple[str, list[tuple[Any, ...]]]]


@contextmanager
def recording(log: list[Statements]) -> Iterator[None]:
    """Append each driver statement the writer sends, with its converted rows, to the last list of `log`."""
    from biblio.catalog import writer

    original = writer._params

    def record(statement: Any, rows: Any, memo: Any) -> list[Any]:
        out = original(statement, rows, memo)
        log[-1].append((statement.sql, [tuple(r) for r in out]))
        return out

    writer._params = record
    try:
        yield
    finally:
        writer._params = original


def record_rows(size: int, folder: Path) -> tuple[list[Statements], int]:
    """Store the bench documents unresolved into a catalog in `folder`; each document's statements,
    and the number of entries."""
    from biblio.catalog import Catalog
    from biblio.documents import read_bytes
    from biblio.extract import describe_document, extract_citations

    log: list[Statements] = []
    entries = 0
    catalog = Catalog(f"sqlite:///{folder / 'recorded.db'}")
    with recording(log):
        for doc in documents(size, PER_DOCUMENT):
            read = read_bytes(doc.markdown.encode("utf-8"), doc.name)
            log.append([])
            entries += len(doc.lines)
            catalog.store_document(read, extract_citations(read), describe_document(read), doc.name, resolve=False)
    catalog.close()
    return log, entries


def _fresh(path: Path, without: list[str]) -> sqlite3.Connection:
    """A new, empty catalog at `path` (made by biblio), opened bare through biblio's own connection
    hooks (WAL, foreign keys, synchronous, page cache, checkpoints), so the replay follows them."""
    from biblio.catalog import Catalog
    from biblio.catalog.locking import _sqlite_connect
    from biblio.catalog.store import _sqlite_cache

    Catalog(f"sqlite:///{path}").close()
    conn = sqlite3.connect(path, isolation_level=None)
    _sqlite_connect(conn, None)
    _sqlite_cache(conn, None)
    for name in without:
        if name == "triggers":
            for (trigger,) in conn.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
                conn.execute(f"DROP TRIGGER {trigger}")
        elif name == "foreign-keys":
            conn.execute("PRAGMA foreign_keys=OFF")
        else:
            conn.execute(f"DROP INDEX {name}")
    return conn


def replay(log: list[Statements], path: Path, without: list[str], commit_every: int = 1) -> dict[str, Any]:
    """Replay the recorded statements, a transaction per `commit_every` documents; CPU by statement."""
    conn = _fresh(path, without)
    by_table: dict[str, float] = defaultdict(float)
    start, cpu = time.perf_counter(), time.process_time()
    for number, statements in enumerate(log, 1):
        if (number - 1) % commit_every == 0:
            conn.execute("BEGIN IMMEDIATE")
        conn.execute(
            "INSERT INTO document (id, name, origin, sha256, format, encoding, csl, ingested_at) "
            "VALUES (?, ?, ?, '', 'markdown', 'utf-8', '{}', '2026-01-01 00:00:00')",
            (number, f"doc-{number}", f"doc-{number}"),
        )
        for sql, rows in statements:
            began = time.process_time()
            conn.executemany(sql, rows)
            by_table[sql.split(" (", 1)[0]] += time.process_time() - began
        if number % commit_every == 0 or number == len(log):
            began = time.process_time()
            conn.execute("COMMIT")
            by_table["COMMIT"] += time.process_time() - began
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
    conn.close()
    return {"seconds": round(elapsed, 3), "cpu_seconds": round(cpu, 3), "cpu_by_statement": by_table}


def main() -> None:
    """Parse the peer, record the rows, replay them; print one JSON line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("size", type=int)
    parser.add_argument("--without", default="", help="comma-separated: triggers, foreign-keys, index names")
    parser.add_argument("--commit-every", type=int, default=1, help="documents per transaction in the replay")
    args = parser.parse_args()
    without = [w for w in args.without.split(",") if w]
    peer = run_stage("bibtexparser", args.size)
    with tempfile.TemporaryDirectory() as tmp:
        log, entries = record_rows(args.size, Path(tmp))
        result = replay(log, Path(tmp) / "replayed.db", without, args.commit_every)
    by_statement = sorted(result.pop("cpu_by_statement").items(), key=lambda kv: -kv[1])
    per_entry = {k: round(v / entries * 1e6, 1) for k, v in by_statement}
    print(
        json.dumps(
            {
                "stage": "floor",
                "size": args.size,
                "without": without,
                "commit_every": args.commit_every,
                **result,
                "bibtexparser_seconds": peer["seconds"],
                "floor_over_bibtexparser": round(result["seconds"] / peer["seconds"], 2),
                "cpu_us_per_entry": per_entry,
            }
        )
    )


if __name__ == "__main__":
    main()
