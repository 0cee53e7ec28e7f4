"""Deduplication benchmark: time, peak memory and pairwise F1 on generated catalogs.

Three measurements per size:

- `engine`: the resolution engine biblio's `dedupe` runs (person authority,
  blocking, scored work and edition decisions with vetoes) on the records in
  memory, as `run_dedupe` has them after loading;
- `catalog` (optional, smaller sizes): the same records stored in a real SQLite
  catalog, then `Catalog.dedupe()` end to end, merge log included.

Each size runs in a fresh process so that its peak memory is its own.
"""

from __future__ import annotations

import json
import os
import resource
import sys
import tempfile
import threading
import time
from collections import Counter
from functools import partial
from pathlib import Path
from typing import Any

from bench.corpus import GeneratedRecord, generate
from biblio.catalog.dedupe import BACKGROUND_MIN_FORMS
from biblio.model import ROLES
from biblio.resolve.background import can_fork, map_beside
from biblio.resolve.match import Record, record_from, record_of, with_persons
from biblio.resolve.pause import collector_paused
from biblio.resolve.persons import NameForm, cluster_names
from biblio.resolve.plan import plan_editions, plan_works

__all__ = ["pairwise_f1", "run_catalog", "run_engine", "run_splink"]


def pairwise_f1(truth: list[str], predicted: list[int]) -> dict[str, float]:
    """Pairwise precision, recall and F1 of a clustering against the truth."""

    def pairs(keys: list[Any]) -> int:
        return sum(n * (n - 1) // 2 for n in Counter(keys).values())

    gold, pred, both = pairs(truth), pairs(predicted), pairs(list(zip(truth, predicted, strict=True)))
    precision = both / pred if pred else 1.0
    recall = both / gold if gold else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return {"precision": round(precision, 4), "recall": round(recall, 4), "f1": round(f1, 4)}


class _Roots:
    """A union-find over record ids, fed with planned merges."""

    def __init__(self) -> None:
        self.parent: dict[int, int] = {}

    def find(self, x: int) -> int:
        """The cluster of x."""
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a: int, b: int) -> None:
        """Join two clusters."""
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


def _persons(records: list[GeneratedRecord]) -> list[frozenset[int]]:
    """Person ids of each record's names, by clustering every distinct name form."""
    index: dict[tuple[str, str, str], int] = {}
    forms_of: list[list[int]] = []
    for r in records:
        forms_of.append(
            [
                index.setdefault((n.get("family", ""), n.get("given", ""), n.get("literal", "")), len(index))
                for role in ROLES
                for n in r.csl.get(role, ())
            ]
        )
    person_of = [0] * len(index)
    for pid, cluster in enumerate(cluster_names([NameForm(*form) for form in index])):
        for i in cluster:
            person_of[i] = pid
    return [frozenset(person_of[i] for i in forms) for forms in forms_of]


def _bare_record(item: tuple[int, GeneratedRecord]) -> Record:
    """A record without its persons, as run_dedupe builds them."""
    return record_of(item[0], item[1].csl, ())


def _children_cpu() -> float:
    """CPU seconds of the child processes this one has waited for."""
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_engine(size: int) -> dict[str, Any]:
    """Resolve `size` generated records in memory; time, memory and F1."""
    records = list(generate(size))
    with collector_paused():  # as run_dedupe resolves
        return _engine(size, records)


def _status_kib(pid: int | str, field: str, name: str = "status") -> int:
    """A memory figure (KiB) from /proc/PID/status or smaps_rollup; 0 when the process is gone."""
    try:
        with open(f"/proc/{pid}/{name}") as lines:
            return sum(int(line.split()[1]) for line in lines if line.startswith(field))
    except (OSError, ValueError, IndexError):
        return 0


class _BothProcesses:
    """Peak memory of this process and the child it forks, together: this process's resident memory
    plus the child's private pages (what it copied or allocated; the pages it still shares with this
    process are counted once, in this process), sampled every half second (reading a large child's
    page map more often slows it)."""

    def __init__(self) -> None:
        self.peak_mib = 0.0
        self._peak_kib = 0
        self._stop = threading.Event()

    def __enter__(self) -> _BothProcesses:
        self._thread = threading.Thread(target=self._sample, daemon=True)
        self._thread.start()
        return self

    def _sample(self) -> None:
        me = os.getpid()
        while not self._stop.wait(0.5):
            try:
                with open(f"/proc/{me}/task/{me}/children") as listing:
                    children = listing.read().split()
            except OSError:
                children = []
            child = sum(_status_kib(pid, "Private_", "smaps_rollup") for pid in children)
            self._peak_kib = max(self._peak_kib, _status_kib(me, "VmRSS:") + child)

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()
        own_peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        self.peak_mib = round(max(self._peak_kib, own_peak) / 1024, 1)


def _engine(size: int, records: list[GeneratedRecord]) -> dict[str, Any]:
    """`run_engine` on generated records."""
    with _BothProcesses() as memory:
        result = _engine_run(size, records)
    result["both_peak_mib"] = memory.peak_mib
    return result


def _engine_run(size: int, records: list[GeneratedRecord]) -> dict[str, Any]:
    """The timed part of `_engine`."""
    start, cpu, cpu_children = time.perf_counter(), time.process_time(), _children_cpu()
    # as run_dedupe: persons clustered in a child (a second core) while the records are built
    # (a generated record's names are mostly distinct forms: the record count stands for the form count)
    forked = size >= BACKGROUND_MIN_FORMS and can_fork()
    jobs = partial(_persons, records), _bare_record, list(enumerate(records))
    persons, bare = map_beside(*jobs, fork=forked, plain=tuple, rebuild=record_from)
    t_persons = time.perf_counter() - start
    recs = bare  # persons attached in place, as run_dedupe does
    for i, record in enumerate(recs):
        recs[i] = with_persons(record, persons[record.id])
    works = _Roots()
    for merge in plan_works(recs).merges:
        works.union(merge.winner, merge.loser)
    groups: dict[int, list[Record]] = {}
    for rec in recs:
        groups.setdefault(works.find(rec.id), []).append(rec)
    editions = _Roots()
    for merge in plan_editions([g for g in groups.values() if len(g) > 1]).merges:
        editions.union(merge.winner, merge.loser)
    elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu + _children_cpu() - cpu_children
    return {
        "size": size,
        "mode": "engine",
        "seconds": round(elapsed, 2),
        "cpu_seconds": round(cpu, 2),  # both processes
        "persons_seconds": round(t_persons, 2),  # until the persons were there (records built meanwhile)
        "persons_forked": forked,
        "peak_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        # the child's own peak resident memory (counting the pages it shares with this process)
        "child_peak_mib": round(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024, 1) if forked else 0,
        "edition": pairwise_f1([r.edition for r in records], [editions.find(i) for i in range(len(records))]),
        "work": pairwise_f1([r.work for r in records], [works.find(i) for i in range(len(records))]),
    }


def run_catalog(size: int, per_document: int = 1000) -> dict[str, Any]:
    """Store `size` generated records in a SQLite catalog, then `Catalog.dedupe()`; time and F1."""
    from biblio.catalog import Catalog
    from biblio.model import Citation, Document

    records = list(generate(size))
    with tempfile.TemporaryDirectory() as tmp:
        catalog = Catalog(f"sqlite:///{Path(tmp) / 'bench.db'}")
        start, cpu = time.perf_counter(), time.process_time()
        for first in range(0, len(records), per_document):
            chunk = records[first : first + per_document]
            doc = Document(name=f"list-{first}.txt", text="", blocks=[], sha256=str(first))
            citations = [
                Citation(source=doc.name, line=i + 1, raw="", kind="list", confidence=0.9, csl=r.csl)
                for i, r in enumerate(chunk)
            ]
            catalog.store_document(doc, citations, {"type": "article", "title": doc.name}, doc.name, resolve=False)
        stored = time.perf_counter() - start
        stored_cpu = time.process_time() - cpu
        report = catalog.dedupe()
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
        rows = catalog.citation_records()
        catalog.close()
    order = {(r["source"], r["line"]): r for r in rows}
    predicted = [order[(f"list-{i - i % per_document}.txt", i % per_document + 1)] for i in range(len(records))]
    return {
        "size": size,
        "mode": "catalog",
        "seconds": round(elapsed, 2),
        "cpu_seconds": round(cpu, 2),
        "store_seconds": round(stored, 2),
        "store_cpu_seconds": round(stored_cpu, 2),
        "merges": len(report.merges),
        "peak_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "edition": pairwise_f1([r.edition for r in records], [p["edition_id"] for p in predicted]),
        "work": pairwise_f1([r.work for r in records], [p["work_id"] for p in predicted]),
    }


def run_splink(size: int) -> dict[str, Any]:
    """The peer: splink with DuckDB clustering the same records; time, memory and F1 against editions."""
    from bench.peer_splink import splink_clusters

    records = list(generate(size))
    cpu = time.process_time()
    clusters, timings = splink_clusters(records)
    return {
        "size": size,
        "mode": "splink",
        "seconds": round(timings["seconds"], 2),
        "cpu_seconds": round(time.process_time() - cpu, 2),
        "train_seconds": round(timings["train_s"], 2),
        "peak_mib": round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1),
        "edition": pairwise_f1([r.edition for r in records], clusters),
    }


MODES = {"engine": run_engine, "catalog": run_catalog, "splink": run_splink}

if __name__ == "__main__":
    mode, size = sys.argv[1], int(sys.argv[2])
    if mode not in MODES:
        sys.exit(f"unknown mode {mode!r}: {', '.join(MODES)}")
    print(json.dumps(MODES[mode](size)))
