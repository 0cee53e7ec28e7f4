"""Per-citation decision benchmark: is one new citation a duplicate, in a catalog of a million editions?

The catalog is built once (a SQLite file under /tmp, reused while it exists)
from the corpus's distinct editions, stored in documents of 10,000 citations
by the catalog's own batched writer, then resolved once as a whole
(`Catalog.dedupe`: persons with several name forms, editions of one work).  Then for
each of `--citations` new citations (half of them another spelling of an
edition in the catalog, half new works), in a transaction that is rolled back:
write the citation as `biblio ingest` does (`write_document`), then decide
(`run_dedupe` scoped to what was added: persons by family skeleton, editions
by blocking key through the index).  The decision time is the second step.

Then whole documents of 500 citations (half other spellings of catalog
editions, half new works) are written and resolved in the catalog the same
way, each rolled back: the CPU an entry costs when the catalog is large, to
set beside a 100k ingest's last documents (`python -m bench.store`).
"""

from __future__ import annotations

import json
import random
import resource
import statistics
import sys
import time
from pathlib import Path
from typing import Any

from bench.corpus import GeneratedRecord, _vary, generate

__all__ = ["build_catalog", "run_decide"]

BATCH = 10_000


def _distinct(size: int, seed: int = 1917) -> list[GeneratedRecord]:
    """The first `size` distinct editions of the corpus (the first citation of each)."""
    seen: set[str] = set()
    out: list[GeneratedRecord] = []
    for record in generate(10 * size, seed):
        if record.edition not in seen:
            seen.add(record.edition)
            out.append(record)
            if len(out) == size:
                break
    return out


def build_catalog(path: Path, records: list[GeneratedRecord]) -> float:
    """Store the records (each its own edition) in a new catalog file; return the seconds it took."""
    from biblio.catalog import Catalog
    from biblio.model import Citation, Document

    catalog = Catalog(f"sqlite:///{path}")
    start = time.perf_counter()
    for first in range(0, len(records), BATCH):
        chunk = records[first : first + BATCH]
        doc = Document(name=f"catalog-{first}.txt", text="", blocks=[], sha256=str(first))
        citations = [
            Citation(source=doc.name, line=i + 1, raw="", kind="list", confidence=0.9, csl=r.csl)
            for i, r in enumerate(chunk)
        ]
        catalog.store_document(doc, citations, None, doc.name, resolve=False)
    catalog.dedupe()  # the catalog as ingest leaves it: persons and works resolved
    catalog.close()
    return time.perf_counter() - start


def _percentiles(values: list[float]) -> dict[str, float]:
    """p50, p95, p99 and max, in milliseconds."""
    cuts = statistics.quantiles(values, n=100, method="inclusive")
    return {
        "p50_ms": round(1000 * cuts[49], 2),
        "p95_ms": round(1000 * cuts[94], 2),
        "p99_ms": round(1000 * cuts[98], 2),
        "max_ms": round(1000 * max(values), 2),
    }


def _new_document(name: str, items: list[dict[str, Any]]) -> tuple[Any, list[Any]]:
    """A document row and its citations, one a CSL item, as ingest makes them (nothing stored yet)."""
    from biblio.catalog.tables import DocumentRow
    from biblio.model import Citation

    row = DocumentRow(name=name, origin=name, sha256=name, format="text", encoding="utf-8", csl={})
    citations = [
        Citation(source=name, line=i + 1, raw="", kind="list", confidence=0.9, csl=dict(csl))
        for i, csl in enumerate(items)
    ]
    return row, citations


def _document_trials(catalog: Any, records: list[GeneratedRecord], trials: int, per_document: int) -> list[float]:
    """Store and resolve whole documents in the catalog as `biblio ingest` does, each rolled back;
    CPU µs an entry of each (half the entries other spellings of catalog editions, half new works)."""
    from biblio.catalog.dedupe import run_dedupe
    from biblio.catalog.writer import write_document

    rng = random.Random(1918)
    out = []
    for n in range(trials):
        half = per_document // 2
        items = [_vary(rng, r.csl) for r in rng.sample(records, half)]
        items += [r.csl for r in _distinct(per_document - half, seed=3000 + n)]
        rng.shuffle(items)
        with catalog.session() as session:
            transaction = session.begin()
            row, citations = _new_document(f"doc-{n}.md", items)
            cpu = time.process_time()
            added = write_document(session, row, None, citations)
            run_dedupe(session, editions=added.editions, persons=added.persons, written=added)
            session.flush()
            out.append(1e6 * (time.process_time() - cpu) / len(items))
            transaction.rollback()
    return out


def run_decide(size: int, citations: int = 1000) -> dict[str, Any]:
    """Build (or reuse) the catalog of `size` editions; time `citations` decisions."""
    from biblio.catalog import Catalog
    from biblio.catalog.dedupe import run_dedupe
    from biblio.catalog.writer import write_document

    records = _distinct(size)
    path = Path(f"/tmp/biblio-bench-decide-{size}-resolved.db")
    built = None
    if not path.exists():
        partial = path.with_suffix(".partial")
        for leftover in path.parent.glob(partial.name + "*"):
            leftover.unlink()
        built = round(build_catalog(partial, records), 1)
        partial.rename(path)
    rng = random.Random(8)
    known = [(_vary(rng, r.csl), True) for r in rng.sample(records, citations // 2)]
    fresh = [(r.csl, False) for r in _distinct(citations - len(known), seed=2024)]
    trials = known + fresh
    rng.shuffle(trials)
    catalog = Catalog(f"sqlite:///{path}")
    write_s, decide_s, decide_cpu, found, wrong = [], [], [], 0, 0
    for n, (csl, duplicate) in enumerate(trials):
        with catalog.session() as session:
            transaction = session.begin()
            row, cited = _new_document(f"new-{n}.txt", [csl])
            start = time.perf_counter()
            added = write_document(session, row, None, cited)
            written, cpu = time.perf_counter(), time.process_time()
            report = run_dedupe(session, editions=added.editions, persons=added.persons)
            done = time.perf_counter()
            decide_cpu.append(time.process_time() - cpu)
            transaction.rollback()
        write_s.append(written - start)
        decide_s.append(done - written)
        merged = any(m.kind == "edition" and m.loser in added.editions for m in report.merges)
        found += merged and duplicate
        wrong += merged and not duplicate
    documents = _document_trials(catalog, records, 5, 500)
    catalog.close()
    return {
        "size": size,
        "document_cpu_us_per_entry": round(statistics.median(documents), 1),
        "document_cpu_us_per_entry_all": [round(d, 1) for d in documents],
        "citations": len(trials),
        "build_seconds": built,
        "decide": _percentiles(decide_s),
        "decide_cpu": _percentiles(decide_cpu),
        "write_and_decide": _percentiles([a + b for a, b in zip(write_s, decide_s, strict=True)]),
        "duplicates_found": round(found / len(known), 4),
        "new_merged": round(wrong / len(fresh), 4),
        "peak_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
    }


if __name__ == "__main__":
    size = int(sys.argv[1])
    count = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    print(json.dumps(run_decide(size, count)))
