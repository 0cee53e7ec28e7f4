"""The ingest pipeline: files -> documents -> citations -> catalog, one document at a time.

A document that cannot be read or stored becomes a `Failure` in the report;
the rest of the batch goes on.  Each document is stored in one transaction.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

from biblio.catalog import Catalog
from biblio.documents import DEFAULT_MAX_BYTES, FORMATS, iter_document_paths, read_bytes, read_path
from biblio.errors import BiblioError, DocumentError
from biblio.export import DATA_SUFFIXES, read_records
from biblio.extract import describe_document, extract_citations
from biblio.model import Citation, Document, Failure
from biblio.net.fetch import is_url

__all__ = ["IngestReport", "ingest_document", "ingest_paths", "ingest_url", "list_inputs", "store_records"]

STDIN = "-"
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


def ingest_document(catalog: Catalog, doc: Document, origin: str, report: IngestReport) -> None:
    """Extract one document's citations and store them (one transaction)."""
    if doc.encoding not in ("utf-8", "utf-8-sig"):
        report.warnings.append(Failure(doc.name, f"not valid UTF-8, read as {doc.encoding}"))
    try:
        citations = extract_citations(doc)
        own = describe_document(doc)
    except Exception as err:  # a recognizer bug must not lose the rest of the batch
        raise DocumentError(doc.name, f"internal error while extracting ({type(err).__name__}: {err})") from err
    result = catalog.store_document(doc, citations, own, origin)
    if result.status == "unchanged":
        report.unchanged += 1
        return
    report.documents += 1
    report.replaced += result.status == "replaced"
    report.citations += result.citations
    report.new_records += result.new_editions


def ingest_records(catalog: Catalog, path: Path, fmt: str, report: IngestReport) -> None:
    """Import a BibTeX, CSL-JSON or RIS file: each record a citation, resolved against the catalog."""
    data = path.read_bytes() if path.stat().st_size <= DEFAULT_MAX_BYTES else b""
    if not data:
        raise DocumentError(path.name, "empty file or larger than the size limit")
    store_records(catalog, data, path.name, fmt, str(path.resolve()), report, path=str(path))


def store_records(
    catalog: Catalog, data: bytes, name: str, fmt: str, origin: str, report: IngestReport, path: str | None = None
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
    result = catalog.store_document(doc, citations, None, origin)
    if result.status == "unchanged":
        report.unchanged += 1
        return
    report.documents += 1
    report.replaced += result.status == "replaced"
    report.citations += result.citations
    report.new_records += result.new_editions


def ingest_url(catalog: Catalog, url: str, report: IngestReport, *, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
    """Fetch a document over http(s) and ingest it; its origin is the URL, so an unchanged page changes nothing."""
    from biblio.net.pages import fetch_page

    page = fetch_page(url, max_bytes=max_bytes)
    if page.format in FORMATS:
        doc = read_bytes(page.body, page.name, page.format)
        ingest_document(catalog, doc, url, report)
    else:
        store_records(catalog, page.body, page.name, page.format, url, report)


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
) -> IngestReport:
    """Ingest files and folders (and standard input for "-") into the catalog."""
    inputs, failures = list_inputs(paths)
    report = IngestReport(failures=failures)
    for item in inputs:
        if progress:
            progress(item)
        try:
            if is_url(item):
                ingest_url(catalog, item, report, max_bytes=max_bytes)
                continue
            if item == STDIN:
                doc = read_bytes(stdin or b"", "<stdin>")
                origin = "<stdin>"
            else:
                path = Path(item)
                if path.suffix.lower() in DATA_SUFFIXES:
                    ingest_records(catalog, path, DATA_SUFFIXES[path.suffix.lower()], report)
                    continue
                doc = read_path(path, max_bytes=max_bytes)
                origin = str(path.resolve())
            ingest_document(catalog, doc, origin, report)
        except BiblioError as err:
            reason = err.reason if isinstance(err, DocumentError) else str(err)
            report.failures.append(Failure(item if item != STDIN else "<stdin>", reason))
    return report
