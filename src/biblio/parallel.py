"""Reading and extracting documents in worker processes while the catalog stores.

Extraction needs nothing from the catalog, so a batch of local files is read
and extracted by a small pool of processes while the main process stores the
results, in input order, one transaction per document as before: the catalog
comes out the same whatever the number of workers.  Only plain data crosses
the process boundary (a document without its text and blocks, its citations,
or a failure), and at most a few documents wait in memory at a time.

The pool forks (where the system can): the workers start at once with the
extraction code already imported, and nothing re-runs the caller's main
module, as "spawn" and "forkserver" do (a script without an `if __name__ ==
"__main__"` guard would run again in every worker).  A child only reads
files and runs the recognizers, so no lock another thread of the parent may
hold (a progress bar's) is ever taken in it.  Where fork is missing, the
batch runs in this process.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Generator, Iterable
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from dataclasses import dataclass, replace
from pathlib import Path

from biblio.documents import read_path
from biblio.errors import BiblioError, DocumentError
from biblio.extract import describe_document, extract_citations
from biblio.model import Citation, CslItem, Document, Failure
from biblio.resolve.background import usable_cores

__all__ = ["PARALLEL_MIN_BYTES", "Prepared", "default_jobs", "prepare_document", "prepare_paths", "workers_for"]

#: below this many bytes of documents, starting workers costs more than it saves
PARALLEL_MIN_BYTES = 256 * 1024
#: documents read ahead of the one being stored, per worker
AHEAD_PER_WORKER = 3


@dataclass
class Prepared:
    """A document read and extracted, ready to store: what the catalog needs of it."""

    doc: Document
    citations: list[Citation]
    own: CslItem | None


def prepare_document(doc: Document) -> Prepared:
    """Extract a document's citations and its own record; a recognizer bug becomes a DocumentError."""
    try:
        citations = extract_citations(doc)
        own = describe_document(doc)
    except Exception as err:  # a recognizer bug must not lose the rest of the batch
        raise DocumentError(doc.name, f"internal error while extracting ({type(err).__name__}: {err})") from err
    return Prepared(doc, citations, own)


def _prepare_path(task: tuple[str, int]) -> Prepared | Failure:
    """Worker: read and extract one file; failures come back as values (exceptions may not pickle)."""
    item, max_bytes = task
    try:
        prepared = prepare_document(read_path(Path(item), max_bytes=max_bytes))
    except BiblioError as err:
        return Failure(item, err.reason)
    # the catalog stores neither the text nor the blocks: do not copy them back
    prepared.doc = replace(prepared.doc, text="", blocks=[])
    return prepared


def default_jobs() -> int:
    """Worker processes: one per core this process may use, at most 8."""
    return max(1, min(usable_cores(), 8))


def workers_for(items: list[str], jobs: int | None = None, min_bytes: int = PARALLEL_MIN_BYTES) -> int:
    """Worker processes `prepare_paths` starts for these files: 0 (all in this process) unless there are
    several files with enough text that workers pay for their start, and fork is available."""
    jobs = default_jobs() if jobs is None else jobs
    if jobs < 2 or len(items) < 2 or "fork" not in multiprocessing.get_all_start_methods():
        return 0
    total = 0
    for item in items:
        try:
            total += os.stat(item).st_size
        except OSError:
            continue
        if total >= min_bytes:
            return jobs
    return 0


def _serial(items: Iterable[str], max_bytes: int) -> Generator[tuple[str, Prepared | Failure], None, None]:
    """Read and extract in this process."""
    for item in items:
        yield item, _prepare_path((item, max_bytes))


def prepare_paths(
    items: list[str],
    max_bytes: int,
    jobs: int | None = None,
    min_bytes: int = PARALLEL_MIN_BYTES,
) -> Generator[tuple[str, Prepared | Failure], None, None]:
    """(file, prepared document or failure) for each local file, in the order given.

    `jobs` worker processes read ahead while the caller stores; one job, or a
    batch too small to pay for the workers' start, runs in this process.  A
    worker that dies (killed, out of memory) only sends the rest of the batch
    back to this process.
    """
    jobs = workers_for(items, jobs, min_bytes)
    if not jobs:
        yield from _serial(items, max_bytes)
        return
    context = multiprocessing.get_context("fork")
    done = 0
    with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
        pending: deque[Future[Prepared | Failure]] = deque()
        submitted = 0
        try:
            while done < len(items):
                while submitted < len(items) and submitted - done < jobs * AHEAD_PER_WORKER:
                    pending.append(pool.submit(_prepare_path, (items[submitted], max_bytes)))
                    submitted += 1
                result = pending.popleft().result()
                yield items[done], result
                done += 1
        except BrokenProcessPool:
            pass
        finally:
            for future in pending:
                future.cancel()
    yield from _serial(items[done:], max_bytes)
