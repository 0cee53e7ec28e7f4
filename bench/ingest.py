"""Ingest benchmark: extraction and full ingest beside bibtexparser v2 on the same entries.

Three stages, each run in its own process on the same generated documents
(`bench.documents`), so that each has its own peak memory:

- `bibtexparser`: `bibtexparser.parse_string` on each document's entries written
  as BibTeX (the peer: turning text into records);
- `extract`: biblio reading each Markdown document (`read_bytes`) and
  extracting its citations (`extract_citations`): the same entries as free text;
- `extract-workers`: the same through `biblio.parallel.prepare_paths` on a
  folder of the documents, as `biblio ingest` reads them: worker processes,
  one per core (wall-clock time; the CPU is spread over the processes);
- `ingest` / `ingest-serial`: `biblio ingest` end to end (`ingest_paths` on a
  folder of the documents into a fresh SQLite catalog: extraction,
  resolution, storage) with its default workers / in one process,
  with pairwise F1 of the resulting editions and works against the truth
  (a further-reading line, "Author, Title", names a work and no edition: its
  truth is one mention per work, never one of the work's editions).

Only the stage's own work is timed; writing the documents is not.
"""

from __future__ import annotations

import json
import resource
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from bench.dedupe import pairwise_f1
from bench.documents import documents

__all__ = ["run_stage"]

PER_DOCUMENT = 500


def _peak_mib() -> float:
    """Peak resident memory of this process."""
    return round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)


def _bibtexparser(size: int) -> dict[str, Any]:
    """bibtexparser v2 parsing every document's BibTeX."""
    import bibtexparser

    elapsed, cpu, entries, failed = 0.0, 0.0, 0, 0
    for doc in documents(size, PER_DOCUMENT):
        start, cpu_start = time.perf_counter(), time.process_time()
        library = bibtexparser.parse_string(doc.bibtex)
        elapsed += time.perf_counter() - start
        cpu += time.process_time() - cpu_start
        entries += len(library.entries)
        failed += len(library.failed_blocks)
    return {"seconds": round(elapsed, 3), "cpu_seconds": round(cpu, 3), "entries": entries, "failed": failed}


def _extract(size: int) -> dict[str, Any]:
    """biblio reading and extracting every Markdown document; recall of titles."""
    from biblio.documents import read_bytes
    from biblio.extract import extract_citations
    from biblio.resolve.keys import title_key

    elapsed, reading, cpu, found, right, total = 0.0, 0.0, 0.0, 0, 0, 0
    for doc in documents(size, PER_DOCUMENT):
        data = doc.markdown.encode("utf-8")
        start, cpu_start = time.perf_counter(), time.process_time()
        document = read_bytes(data, doc.name)
        read = time.perf_counter()
        citations = extract_citations(document)
        elapsed += time.perf_counter() - start
        reading += read - start
        cpu += time.process_time() - cpu_start
        found += len(citations)
        by_line = {c.line: c for c in citations}
        for line, record in zip(doc.lines, doc.records, strict=True):
            total += 1
            got = by_line.get(line)
            # a volume written after the title ("Title, Vol. 2") stays in it: compare the title's start
            right += got is not None and title_key(got.csl.get("title")).startswith(title_key(record.csl["title"]))
    return {
        "seconds": round(elapsed, 3),
        "cpu_seconds": round(cpu, 3),
        "read_seconds": round(reading, 3),
        "entries": total,
        "citations": found,
        "title_recall": round(right / total, 4),
    }


def _write_folder(size: int, folder: Path) -> None:
    """The Markdown documents as files."""
    folder.mkdir()
    for doc in documents(size, PER_DOCUMENT):
        (folder / doc.name).write_text(doc.markdown, encoding="utf-8")


def _extract_workers(size: int) -> dict[str, Any]:
    """Reading and extracting a folder of the documents with biblio ingest's worker processes."""
    from biblio.parallel import prepare_paths, workers_for

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "docs"
        _write_folder(size, folder)
        paths = sorted(str(p) for p in folder.iterdir())
        start, cpu = time.perf_counter(), time.process_time()
        found = sum(len(r.citations) for _, r in prepare_paths(paths, 1 << 30) if not isinstance(r, Exception))
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
        workers = workers_for(paths)
    return {"seconds": round(elapsed, 3), "cpu_seconds": round(cpu, 3), "citations": found, "workers": workers}


def _ingest(size: int, jobs: int | None = None) -> dict[str, Any]:
    """`ingest_paths` on a folder of the documents into a new SQLite catalog; F1 of the result."""
    from biblio.catalog import Catalog
    from biblio.ingest import ingest_paths
    from biblio.parallel import workers_for

    truth: dict[tuple[str, int], tuple[str, str]] = {}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "docs"
        folder.mkdir()
        for doc in documents(size, PER_DOCUMENT):
            (folder / doc.name).write_text(doc.markdown, encoding="utf-8")
            for line, record, shape in zip(doc.lines, doc.records, doc.shapes, strict=True):
                # a further-reading line names a work, not an edition: its mentions are one "edition" per work
                edition = f"{record.work}:mention" if shape == "further" else record.edition
                truth[(doc.name, line)] = (edition, record.work)
        catalog = Catalog(f"sqlite:///{Path(tmp) / 'bench.db'}")
        start, cpu = time.perf_counter(), time.process_time()
        workers = workers_for(sorted(str(p) for p in folder.iterdir()), jobs)
        report = ingest_paths(catalog, [str(folder)], jobs=jobs)
        elapsed, cpu = time.perf_counter() - start, time.process_time() - cpu
        rows = {(r["source"], r["line"]): r for r in catalog.citation_records()}
        catalog.close()
    keys = sorted(truth)
    missing = iter(range(-1, -len(keys) - 1, -1))  # an entry not extracted is a cluster of its own
    editions = [rows[k]["edition_id"] if k in rows else next(missing) for k in keys]
    works = [rows[k]["work_id"] if k in rows else next(missing) for k in keys]
    return {
        "seconds": round(elapsed, 3),
        "cpu_seconds": round(cpu, 3),
        "entries": len(keys),
        "citations": report.citations,
        "failures": len(report.failures),
        "workers": workers,
        "edition": pairwise_f1([truth[k][0] for k in keys], editions),
        "work": pairwise_f1([truth[k][1] for k in keys], works),
    }


def _ingest_serial(size: int) -> dict[str, Any]:
    """Full ingest in one process."""
    return _ingest(size, jobs=1)


STAGES = {
    "bibtexparser": _bibtexparser,
    "extract": _extract,
    "extract-workers": _extract_workers,
    "ingest": _ingest,
    "ingest-serial": _ingest_serial,
}


def run_stage(stage: str, size: int) -> dict[str, Any]:
    """One stage on `size` entries: seconds, entries, peak memory."""
    result = STAGES[stage](size)
    return {
        "stage": stage,
        "size": size,
        **result,
        "per_entry_us": round(1e6 * result["seconds"] / size, 1),
        "peak_mib": _peak_mib(),
    }


if __name__ == "__main__":
    stage, size = sys.argv[1], int(sys.argv[2])
    if stage not in STAGES:
        sys.exit(f"unknown stage {stage!r}: {', '.join(STAGES)}")
    print(json.dumps(run_stage(stage, size)))
