"""The ingest pipeline: files -> documents -> citations -> catalog, one document at a time.

A document that cannot be read or stored becomes a `Failure` in the report;
the rest of the batch goes on.  Each document is stored in one transaction.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Generator, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from biblio.catalog import Catalog, StoreResult
from biblio.documents import DEFAULT_MAX_BYTES, FORMATS, iter_document_paths, read_bytes
from biblio.errors import BiblioError, DocumentError
from biblio.export import DATA_SUFFIXES, read_records
from biblio.model import Citation, Document, Failure
from biblio.net.fetch import is_url
from biblio.parallel import PARALLEL_MIN_BYTES, Prepared, prepare_document, prepare_paths
from biblio.resolve.pause import collector_paused

__all__ = [
    "IngestReport",
    "ingest_document",
    "ingest_paths",
    "ingest_url",
    "list_inputs",
    "store_prepared",
    "store_records",
]

STDIN = "-"
#: inputs stored between two collections of the young objects while a batch pauses the collector
COLLECT_EVERY = 20
Progress = Callable[[str], None]


@dataclass
class IngestReport:
    """What an ingest run did, document by document."""

    documents: int = 0
    unchanged: int = 0
    replaced: int = 0
    citations: int = 0
    new_records: int = 0
    failures: list[Failure] = field(default_factory=list)
    warnings: list[Failure] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        """True when nothing failed."""
        return not self.failures

    def count(self, result: StoreResult) -> None:
        """Add what storing one document did."""
        if result.status == "unchanged":
            self.unchanged += 1
            return
        self.documents += 1
        self.replaced += result.status == "replaced"
        self.citations += result.citations
        self.new_records += result.new_editions


def ingest_document(catalog: Catalog, doc: Document, origin: str, report: IngestReport, fork: bool = True) -> None:
    """Extract one document's citations and store them (one transaction)."""
    store_prepared(catalog, prepare_document(doc), origin, report, fork)


def store_prepared(catalog: Catalog, prepared: Prepared, origin: str, report: IngestReport, fork: bool = True) -> None:
    """Store a document already extracted (one transaction) and count what it added; `fork` False keeps
    a large document's resolution in this process (see `Catalog.store_document`)."""
    doc = prepared.doc
    if doc.encoding not in ("utf-8", "utf-8-sig"):
        report.warnings.append(Failure(doc.name, f"not valid UTF-8, read as {doc.encoding}"))
    report.count(catalog.store_document(doc, prepared.citations, prepared.own, origin, fork=fork))


def ingest_records(catalog: Catalog, path: Path, fmt: str, report: IngestReport, fork: bool = True) -> None:
    """Import a BibTeX, CSL-JSON or RIS file: each record a citation, resolved against the catalog."""
    data = path.read_bytes() if path.stat().st_size <= DEFAULT_MAX_BYTES else b""
    if not data:
        raise DocumentError(path.name, "empty file or larger than the size limit")
    store_records(catalog, data, path.name, fmt, str(path.resolve()), report, path=str(path), fork=fork)


def store_records(
    catalog: Catalog,
    data: bytes,
    name: str,
    fmt: str,
    origin: str,
    report: IngestReport,
    path: str | None = None,
    fork: bool = True,
) -> None:
    """Store the records of a BibTeX, CSL-JSON or RIS text as one document's citations."""
    import hashlib

    text = data.decode("utf-8-sig", errors="replace")
    items, failures = read_records(text, fmt, name)
    report.failures.extend(failures)
    citations = []
    for item in items:
        line = int(item.pop("_line", 1))
        citations.append(
            Citation(
                source=name,
                line=line,
                raw=str(item.get("title") or ""),
                kind="list",
                confidence=1.0,
                csl=item,
                recognizer=fmt,
            )
        )
    doc = Document(name=name, text="", blocks=[], format="text", path=path, sha256=hashlib.sha256(data).hexdigest())
    report.count(catalog.store_document(doc, citations, None, origin, fork=fork))


def ingest_url(
    catalog: Catalog, url: str, report: IngestReport, *, max_bytes: int = DEFAULT_MAX_BYTES, fork: bool = True
) -> None:
    """Fetch a document over http(s) and ingest it; its origin is the URL, so an unchanged page changes nothing."""
    from biblio.net.pages import fetch_page

    page = fetch_page(url, max_bytes=max_bytes)
    if page.format in FORMATS:
        doc = read_bytes(page.body, page.name, page.format)
        ingest_document(catalog, doc, url, report, fork)
    else:
        store_records(catalog, page.body, page.name, page.format, url, report, fork=fork)


def _is_local_document(item: str) -> bool:
    """A file path to read as a document (not a URL, standard input or a data file to import)."""
    return item != STDIN and not is_url(item) and Path(item).suffix.lower() not in DATA_SUFFIXES


def list_inputs(paths: Iterable[str]) -> tuple[list[str], list[Failure]]:
    """Expand folders into document files; a missing path is a failure, not an exception."""
    found: list[str] = []
    failures: list[Failure] = []
    for raw in paths:
        if raw == STDIN or is_url(raw):
            found.append(raw)
            continue
        try:
            found.extend(str(p) for p in iter_document_paths([Path(raw)]))
        except DocumentError as err:
            failures.append(Failure(err.source, err.reason))
    return found, failures


def ingest_paths(
    catalog: Catalog,
    paths: Iterable[str],
    *,
    stdin: bytes | None = None,
    max_bytes: int = DEFAULT_MAX_BYTES,
    progress: Progress | None = None,
    jobs: int | None = None,
    parallel_min_bytes: int = PARALLEL_MIN_BYTES,
) -> IngestReport:
    """Ingest files and folders (and standard input for "-") into the catalog.

    Local documents are read and extracted by `jobs` worker processes (default:
    one per core) while this process stores them in the order given, so the
    catalog is the same whatever `jobs` is; small batches stay in this process.
    `jobs` 1 keeps all the work here, a very large document's resolution included.
    """
    inputs, failures = list_inputs(paths)
    report = IngestReport(failures=failures)
    local = [item for item in inputs if _is_local_document(item)]
    prepared = prepare_paths(local, max_bytes, jobs=jobs, min_bytes=parallel_min_bytes)
    try:
        _ingest_inputs(catalog, inputs, prepared, report, stdin, max_bytes, progress, fork=jobs != 1)
    finally:
        prepared.close()  # stops the workers when storing failed
    return report


def _ingest_inputs(
    catalog: Catalog,
    inputs: list[str],
    prepared: Generator[tuple[str, Prepared | Failure], None, None],
    report: IngestReport,
    stdin: bytes | None,
    max_bytes: int,
    progress: Progress | None,
    fork: bool,
) -> None:
    """Store each input in the order given; local documents come prepared by `prepare_paths`.

    The cyclic collector is paused for the batch (storing pauses it anyway), and the objects made
    since the last time are collected every `COLLECT_EVERY` inputs: otherwise each pause's survivors
    (the resolution caches' new entries, mostly) were walked by a collection between documents, again
    as they aged, and by full collections of the growing heap, for no garbage: storing and extracting
    make no cycles (docs/ingest-speed.md, session 5).
    """
    with collector_paused():
        for number, item in enumerate(inputs, 1):
            _ingest_input(catalog, item, prepared, report, stdin, max_bytes, progress, fork)
            if number % COLLECT_EVERY == 0:
                gc.collect(1)


def _ingest_input(
    catalog: Catalog,
    item: str,
    prepared: Generator[tuple[str, Prepared | Failure], None, None],
    report: IngestReport,
    stdin: bytes | None,
    max_bytes: int,
    progress: Progress | None,
    fork: bool,
) -> None:
    """Store one input (a local document comes prepared, the next from `prepared`)."""
    if progress:
        progress(item)
    try:
        if _is_local_document(item):
            _, result = next(prepared)
            if isinstance(result, Failure):
                report.failures.append(result)
            else:
                store_prepared(catalog, result, str(Path(item).resolve()), report, fork=fork)
        elif is_url(item):
            ingest_url(catalog, item, report, max_bytes=max_bytes, fork=fork)
        elif item == STDIN:
            ingest_document(catalog, read_bytes(stdin or b"", "<stdin>"), "<stdin>", report, fork)
        else:
            path = Path(item)
            ingest_records(catalog, path, DATA_SUFFIXES[path.suffix.lower()], report, fork)
    except BiblioError as err:
        report.failures.append(Failure(item if item != STDIN else "<stdin>", err.reason))
