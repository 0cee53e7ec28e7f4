"""Export benchmark: biblio's exports beside the peers doing the comparable job on the same data.

- BibTeX: `Catalog.export("bibtex")` (read the editions, build the entries,
  write) against bibtexparser v2 writing the same library, built in memory
  beforehand.
- CSL-JSON: `Catalog.export("csl-json")` against a bare SQL query reading the
  same rows plus `json.dumps` of the result.

Usage: python -m bench.export SIZE  (prints one JSON line)
"""

from __future__ import annotations

import json
import sqlite3
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bibtexparser.entrypoint import write_string
from bibtexparser.library import Library

from bench.corpus import generate
from biblio.catalog import Catalog
from biblio.export.bibtex import to_entry
from biblio.model import Citation, Document

__all__ = ["run"]


def _best(fn: Any, repeat: int = 3) -> float:
    """The best of a few timings of fn()."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def run(size: int, per_document: int = 5000) -> dict[str, Any]:
    """Fill a catalog with `size` editions, then time both exports and their peers."""
    records = list(generate(size))
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "bench.db"
        catalog = Catalog(f"sqlite:///{path}")
        for first in range(0, len(records), per_document):
            chunk = records[first : first + per_document]
            doc = Document(name=f"list-{first}.txt", text="", blocks=[], sha256=str(first))
            citations = [
                Citation(source=doc.name, line=i + 1, raw="", kind="list", confidence=0.9, csl=r.csl)
                for i, r in enumerate(chunk)
            ]
            catalog.store_document(doc, citations, None, doc.name, resolve=False)
        catalog.export("csl-json")  # gives every edition its key once, as a first export does
        bibtex = _best(lambda: catalog.export("bibtex"))
        csl = _best(lambda: catalog.export("csl-json"))
        with sqlite3.connect(path) as conn:
            rows = conn.execute("SELECT citation_key, csl FROM edition WHERE merged_into IS NULL").fetchall()
        library = Library([to_entry(json.loads(c), k) for k, c in rows])
        peer_bibtex = _best(lambda: write_string(library))

        def bare_json() -> str:
            with sqlite3.connect(path) as conn:
                found = conn.execute(
                    "SELECT citation_key, csl FROM edition WHERE merged_into IS NULL ORDER BY citation_key"
                ).fetchall()
            return json.dumps([{"id": k, **json.loads(c)} for k, c in found], ensure_ascii=False)

        peer_json = _best(bare_json)
        catalog.close()
    return {
        "size": size,
        "editions": len(rows),
        "bibtex_s": round(bibtex, 2),
        "bibtexparser_write_s": round(peer_bibtex, 2),
        "bibtex_ratio": round(bibtex / peer_bibtex, 2),
        "csl_json_s": round(csl, 2),
        "sql_plus_json_dumps_s": round(peer_json, 2),
        "csl_json_ratio": round(csl / peer_json, 2),
    }


if __name__ == "__main__":
    print(json.dumps(run(int(sys.argv[1]))))
