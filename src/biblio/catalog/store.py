"""The Catalog: the only place that opens a database session.

Each document is stored in one transaction: its row, its own record, its
citations and the editions, works and persons they resolve to.  Re-storing an
unchanged document (same origin, same sha256) changes nothing; a changed one
replaces its citations atomically.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from sqlalchemy import event, func, insert, inspect, text
from sqlalchemy.engine import Connection, Engine, make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlmodel import Session, SQLModel, col, create_engine, delete, select

from biblio.catalog import curation, locking, provenance
from biblio.catalog.access import read_only_reason, read_only_url, sqlite_path
from biblio.catalog.check import CheckResult, check_catalog
from biblio.catalog.dedupe import DedupeReport, run_dedupe
from biblio.catalog.enrichment import EnrichmentPlan, Target, enrichment_targets, save_enrichment
from biblio.catalog.keys import ExportFilter, assign_keys, export_records, rekey
from biblio.catalog.merges import recompute_edition, root_map
from biblio.catalog.queries import (
    AuthorRow,
    DocumentSummary,
    WorkDetail,
    WorkSummary,
    catalog_stats,
    list_authors,
    list_documents,
    list_works,
    show_work,
)
from biblio.catalog.search import Hit, SearchQuery, ensure_search, refresh_search, search_editions
from biblio.catalog.search_index import fetch_rows
from biblio.catalog.tables import (
    SCHEMA_VERSION,
    CitationName,
    CitationRow,
    DocumentRow,
    EditionRow,
    MergeLog,
    MetaRow,
    PersonRow,
    WorkRow,
)
from biblio.catalog.tags import tag_work, untag_work
from biblio.catalog.writer import write_document
from biblio.errors import CatalogError, SchemaVersionError
from biblio.export import render
from biblio.model import ROLES, Citation, Document
from biblio.resolve.pause import collector_paused

if TYPE_CHECKING:
    from biblio.reading.select import Selection
    from biblio.reading.theme import Theme

__all__ = ["Catalog", "StoreResult"]


@dataclass(frozen=True)
class StoreResult:
    """What storing one document did."""

    status: str  # "new", "replaced" or "unchanged"
    citations: int = 0
    new_editions: int = 0
    dedupe: DedupeReport | None = None


_ADDED_TABLES = [
    provenance.FieldSource.__table__,  # type: ignore[attr-defined]
    provenance.EnrichmentRow.__table__,  # type: ignore[attr-defined]
    provenance.SuggestedTag.__table__,  # type: ignore[attr-defined]
]


def _engine(url: str) -> Engine:
    """An engine for a catalog URL; PostgreSQL sessions keep time in UTC, as SQLite rows do."""
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    connect_args = {}
    if backend == "postgresql":
        # psycopg takes `options` from connect_args over the URL's: keep the URL's (a search_path, say)
        given = parsed.query.get("options") or ()
        connect_args["options"] = " ".join([*([given] if isinstance(given, str) else given), "-c timezone=UTC"])
    try:
        engine = create_engine(url, connect_args=connect_args)
    except ImportError as err:
        hint = " (PostgreSQL needs the postgres extra: pip install 'biblio[postgres]')"
        raise CatalogError(f"cannot open catalog: {err}{hint if backend == 'postgresql' else ''}") from err
    if backend == "sqlite":
        event.listen(engine, "connect", _sqlite_cache)
    return engine


#: SQLite's page cache per connection, in KiB (its default is 2 MiB)
SQLITE_CACHE_KIB = 64 * 1024
#: pages in the write-ahead log before SQLite copies them into the database (its default is 1,000)
SQLITE_CHECKPOINT_PAGES = 10_000


def _sqlite_cache(dbapi_conn: Any, _record: Any) -> None:
    """A larger page cache and rarer checkpoints, for storing large documents.

    Storing a document updates a dozen indexes at scattered pages: past some 10,000 entries the
    default cache misses on most of them, and a document of 500 entries fills the default log,
    so every commit also copied its pages into the database.  Pages are allocated as they are
    read, so a small catalog does not pay for the cache (docs/ingest-speed.md).
    """
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA cache_size=-{SQLITE_CACHE_KIB}")
    cur.execute(f"PRAGMA wal_autocheckpoint={SQLITE_CHECKPOINT_PAGES}")
    cur.close()


class Catalog:
    """A catalog database: a SQLite file, or a PostgreSQL database (``postgresql+psycopg://...``)."""

    def __init__(self, url: str) -> None:
        self.url = url
        try:
            #: why the catalog cannot be written (it is then opened read-only), or None
            self.read_only = read_only_reason(url)
            path = sqlite_path(url)
            #: the URL without its password, for messages
            self.name = make_url(url).render_as_string(hide_password=True)
            self.engine: Engine = _engine(read_only_url(path) if self.read_only and path else url)
        except (ArgumentError, ValueError) as err:
            raise CatalogError(f"cannot open catalog {url}: {err}") from err
        locking.configure(self.engine, read_only=bool(self.read_only))
        self._writer = locking.writer(self.engine)
        self._reader = locking.reader(self.engine)
        #: the connection searches read through, kept open between them (a checkout costs more than a lookup)
        self._search_conn: Connection | None = None
        try:
            self._prepare()
            if not self.read_only:
                ensure_search(self.engine, self._writer)
        except SQLAlchemyError as err:
            self.engine.dispose()
            raise CatalogError(f"cannot open catalog {self.name}: {getattr(err, 'orig', None) or err}") from err
        except CatalogError:
            self.engine.dispose()
            raise

    def _prepare(self) -> None:
        """Create the tables of a new catalog (once, under the write lock); refuse one of another version."""
        try:
            with self.engine.connect() as conn:
                created = self._check(conn)
                # tables added since schema version 1 without a change of shape elsewhere (enrichment)
                added = created and {t.name for t in _ADDED_TABLES} <= set(inspect(conn).get_table_names())
            if self.read_only:
                if not created:
                    raise CatalogError(f"{self.name} is read-only ({self.read_only}) and not a biblio catalog yet")
                return
            if not created or not added:
                with self._writer.begin() as conn:
                    if not self._check(conn):  # another process may have created it meanwhile
                        SQLModel.metadata.create_all(conn)
                        conn.execute(insert(MetaRow).values(key="schema_version", value=str(SCHEMA_VERSION)))
                    else:
                        SQLModel.metadata.create_all(conn, tables=_ADDED_TABLES)
        except SQLAlchemyError as err:  # unreachable server, no such database, no right to create tables
            raise CatalogError(f"cannot open catalog {self.name}: {getattr(err, 'orig', None) or err}") from err

    def _check(self, conn: Connection) -> bool:
        """True when the catalog exists (of this schema version), False when it is empty or its creation
        was killed half-way (only biblio's tables, no version yet: finished by the caller)."""
        tables = set(inspect(conn).get_table_names())
        foreign = {t for t in tables if t not in SQLModel.metadata.tables and not t.startswith("search_")}
        if foreign:
            raise CatalogError(f"{self.name} is not a biblio catalog (it has other tables)")
        if "biblio_meta" not in tables:
            return False
        found = conn.execute(select(MetaRow.value).where(MetaRow.key == "schema_version")).scalar()
        if found is None:
            return False
        if int(found) != SCHEMA_VERSION:
            raise SchemaVersionError(
                f"{self.name} has catalog schema version {found}; this biblio reads "
                f"version {SCHEMA_VERSION}. Export it with the biblio that wrote it."
            )
        return True

    @contextmanager
    def write(self) -> Iterator[Session]:
        """A write transaction: it waits for the catalog's write lock, commits at the end (see locking)."""
        with self.session(self._writer) as session, session.begin():
            yield session

    @contextmanager
    def _database_errors(self) -> Iterator[None]:
        """Database errors (through SQLAlchemy or a bare cursor) become CatalogError."""
        driver_error: type[Exception] = getattr(self.engine.dialect.dbapi, "Error", sqlite3.Error)
        try:
            yield
        except SQLAlchemyError as err:
            reason = getattr(err, "orig", None) or err
            if self.read_only and "readonly" in str(reason):
                raise CatalogError(f"catalog {self.name} is read-only ({self.read_only}); nothing was changed") from err
            if "disk I/O error" in str(reason) or "disk is full" in str(reason):
                raise CatalogError(
                    f"catalog {self.name}: {reason} (is the disk full?); the transaction was rolled back"
                ) from err
            raise CatalogError(f"catalog {self.name}: {reason}") from err
        except (sqlite3.Error, driver_error) as err:
            raise CatalogError(f"catalog {self.name}: {err}") from err

    @contextmanager
    def session(self, bind: Engine | None = None) -> Iterator[Session]:
        """A session whose database errors become CatalogError (the transaction is rolled back)."""
        with self._database_errors(), Session(bind or self.engine) as session:
            yield session

    def close(self) -> None:
        """Release the database connections."""
        if self._search_conn is not None:
            self._search_conn.close()
            self._search_conn = None
        self.engine.dispose()

    # --- storing ---------------------------------------------------------------
    def store_document(
        self,
        doc: Document,
        citations: Sequence[Citation],
        own_record: dict[str, Any] | None,
        origin: str,
        resolve: bool = True,
        fork: bool = True,
    ) -> StoreResult:
        """Store a document and its citations in one transaction, resolved against the catalog.

        `fork` False keeps the resolution of a very large document (a whole library's export) in this
        process; by default its persons are clustered in a second one (resolve.background).
        The collector is paused throughout: the rows built here form no cycles (see resolve.pause).
        """
        with collector_paused(), self.write() as session:
            existing = session.exec(select(DocumentRow).where(DocumentRow.origin == origin)).first()
            if existing is not None and existing.sha256 == doc.sha256:
                return StoreResult("unchanged")
            status = "new"
            if existing is not None:
                self._forget_document(session, existing)
                status = "replaced"
            row = DocumentRow(
                name=doc.name,
                origin=origin,
                sha256=doc.sha256,
                format=doc.format,
                encoding=doc.encoding,
                csl=own_record or {},
            )
            added = write_document(session, row, own_record, citations)
            report = None
            if resolve:
                report = run_dedupe(session, editions=added.editions, persons=added.persons, written=added, fork=fork)
            # new records: the editions added that did not resolve to one already there
            fresh = set(added.editions)
            merged = {m.loser for m in report.merges if m.kind == "edition"} if report else set()
            return StoreResult(status, len(citations), len(fresh - merged), report)

    def dedupe(self, dry_run: bool = False, jobs: int | None = None) -> DedupeReport:
        """Resolve the whole catalog; a dry run reports the merges and rolls them back.

        `jobs` 1 keeps resolution in this process; by default a large catalog's persons are resolved in a
        second one (resolve.background): the merges are the same.
        """
        with self.write() as session:
            report = run_dedupe(session, fork=jobs is None or jobs > 1)
            if dry_run:
                session.rollback()
            return report

    def _count(self, session: Session, table: type[SQLModel]) -> int:
        """Number of rows in a table."""
        return int(session.exec(select(func.count()).select_from(table)).one())

    def _forget_document(self, session: Session, doc: DocumentRow) -> None:
        """Delete a document's citations, then whatever no longer has a reason to exist.

        Merges that involve the document's editions are undone first (their
        winners are recomputed without it); the new version is resolved afresh,
        and verdicts a person gave are kept by fingerprint, so they apply again.
        """
        rows = list(session.exec(select(CitationRow).where(CitationRow.document_id == doc.id)))
        editions = {c.edition_id for c in rows} | ({doc.edition_id} if doc.edition_id else set())
        curation.undo_merges_touching(session, editions)
        ids = [c.id for c in rows]
        if ids:
            session.exec(delete(CitationName).where(col(CitationName.citation_id).in_(ids)))
            session.exec(delete(CitationRow).where(col(CitationRow.id).in_(ids)))
        session.delete(doc)
        session.flush()
        self._delete_orphans(session)
        curation.retire_dangling(session)

    def _delete_orphans(self, session: Session) -> None:
        """Remove editions nothing refers to, then empty works and unused persons.

        A record that others were merged into is kept (the chain must hold) and
        its canonical values are recomputed from the members that remain.
        """
        orphan = (
            "SELECT id FROM edition WHERE id NOT IN (SELECT edition_id FROM citation) "
            "AND id NOT IN (SELECT edition_id FROM document WHERE edition_id IS NOT NULL) "
            "AND id NOT IN (SELECT merged_into FROM edition WHERE merged_into IS NOT NULL)"
        )
        for statement in (
            f"DELETE FROM field_source WHERE edition_id IN ({orphan})",
            f"DELETE FROM enrichment WHERE edition_id IN ({orphan})",
            f"DELETE FROM contributor WHERE edition_id IN ({orphan})",
            f"DELETE FROM edition_block WHERE edition_id IN ({orphan})",
            f"DELETE FROM edition WHERE id IN ({orphan})",
            "DELETE FROM suggested_tag WHERE work_id NOT IN (SELECT work_id FROM edition) "
            "AND work_id NOT IN (SELECT merged_into FROM work WHERE merged_into IS NOT NULL)",
            "DELETE FROM work WHERE id NOT IN (SELECT work_id FROM edition) "
            "AND id NOT IN (SELECT merged_into FROM work WHERE merged_into IS NOT NULL)",
            "DELETE FROM name_form WHERE person_id NOT IN (SELECT person_id FROM contributor) "
            "AND person_id NOT IN (SELECT person_id FROM citation_name) "
            "AND person_id NOT IN (SELECT merged_into FROM person WHERE merged_into IS NOT NULL)",
            "DELETE FROM person WHERE id NOT IN (SELECT person_id FROM contributor) "
            "AND id NOT IN (SELECT person_id FROM citation_name) "
            "AND id NOT IN (SELECT merged_into FROM person WHERE merged_into IS NOT NULL)",
        ):
            session.exec(text(statement))  # type: ignore[call-overload]
        for (eid,) in session.exec(
            text(  # type: ignore[call-overload]
                "SELECT DISTINCT merged_into FROM edition WHERE merged_into IS NOT NULL"
            )
        ):
            recompute_edition(session, eid)

    # --- reading ----------------------------------------------------------------
    def citation_records(self, source: str | None = None) -> list[dict[str, Any]]:
        """Every citation in the JSON contract's shape, in document and line order."""
        with self.session() as session:
            query = (
                select(CitationRow, DocumentRow.name, EditionRow.work_id)
                .join(DocumentRow, col(DocumentRow.id) == col(CitationRow.document_id))
                .join(EditionRow, col(EditionRow.id) == col(CitationRow.edition_id))
            )
            if source:
                query = query.where(DocumentRow.name == source)
            rows = list(session.exec(query))
            # sorted here, not by ORDER BY: a server's collation would order names differently from SQLite
            rows.sort(key=lambda row: (row[1], row[0].line, row[0].id))
            names: dict[int, dict[str, list[int]]] = {}
            p_roots = root_map(session, PersonRow)
            for cn in session.exec(select(CitationName).order_by(col(CitationName.position))):
                pid = p_roots.get(cn.person_id, cn.person_id)
                names.setdefault(cn.citation_id, {}).setdefault(cn.role, []).append(pid)
            e_roots, w_roots = root_map(session, EditionRow), root_map(session, WorkRow)
            work_of = dict(session.exec(select(EditionRow.id, EditionRow.work_id)).all())
        out = []
        for cit, doc_name, _work in rows:
            assert cit.id is not None
            persons = names.get(cit.id, {})
            edition_id = e_roots.get(cit.edition_id, cit.edition_id)
            work_id = w_roots.get(work_of[edition_id], work_of[edition_id])
            out.append(
                {
                    "id": cit.id,
                    "source": doc_name,
                    "line": cit.line,
                    "raw": cit.raw,
                    "kind": cit.kind,
                    "confidence": cit.confidence,
                    "section": cit.section,
                    "span": [cit.span_start, cit.span_end],
                    "recognizer": cit.recognizer,
                    "csl": cit.csl,
                    "edition_id": edition_id,
                    "work_id": work_id,
                    "persons": {role: persons.get(role, []) for role in ROLES},
                }
            )
        return out

    def counts(self) -> dict[str, int]:
        """Row counts of the main tables; merged records count once (as their root)."""
        with self.session() as session:
            out = {"documents": self._count(session, DocumentRow), "citations": self._count(session, CitationRow)}
            for name, table in (("editions", EditionRow), ("works", WorkRow), ("persons", PersonRow)):
                query = select(func.count()).select_from(table).where(col(table.merged_into).is_(None))
                out[name] = int(session.exec(query).one())
            return out

    def search(self, query: SearchQuery, keys: bool = False) -> list[Hit]:
        """Root editions matching a query; `keys` gives keyless ones their citation key first (for exports).

        The index is brought up to date first, under the write lock, only when a change left it stale:
        a search of an up-to-date index is a read on one bare connection, never blocked by a writer.
        """
        with self._database_errors():
            if not keys:
                if self._search_conn is None or self._search_conn.closed:
                    self._search_conn = self._reader.connect()
                conn = self._search_conn
                try:
                    if not fetch_rows(conn, "SELECT 1 FROM search_dirty LIMIT 1"):
                        return search_editions(conn, query)
                finally:
                    # nothing is held between searches: SQLAlchemy's transaction and the driver's own
                    # (the bare cursor's first statement opens one on PostgreSQL) both end here
                    conn.rollback()
                    raw = conn.connection.dbapi_connection
                    if raw is not None:
                        raw.rollback()
            with self.write() as session:
                refresh_search(session.connection())
                if keys:
                    assign_keys(session)
                return search_editions(session.connection(), query)

    def show(self, ref: str) -> WorkDetail:
        """A work (by id or citation key) with its editions, contributors, tags and citations."""
        with self.write() as session:  # keys are given at first need
            return show_work(session, ref)

    def works(self, min_documents: int = 0, limit: int | None = None) -> list[WorkSummary]:
        """Root works with their counts (those cited by at least `min_documents` documents)."""
        with self.session() as session:
            return list_works(session, min_documents, limit)

    def authors(self, name: str | None = None, limit: int | None = None) -> list[AuthorRow]:
        """Persons with their name forms and counts."""
        with self.session() as session:
            return list_authors(session, name, limit)

    def documents(self) -> list[DocumentSummary]:
        """Ingested documents with their counts."""
        with self.session() as session:
            return list_documents(session)

    def stats(self) -> dict[str, Any]:
        """Counts of everything in the catalog."""
        with self.session() as session:
            return catalog_stats(session)

    # --- exports ---------------------------------------------------------------------
    def export(self, fmt: str, flt: ExportFilter | None = None) -> str:
        """The catalog (or the editions passing `flt`) as BibTeX, CSL-JSON or RIS text."""
        # keys are given at first need, under the write lock; a read-only catalog exports the keys it has;
        # an export builds a dict per record and per name, none in a cycle: the collector would only rescan them
        with collector_paused():
            with self.session() if self.read_only else self.write() as session:
                records = export_records(session, flt)
            return render(records, fmt)

    def reading_list(self, theme: Theme) -> Selection:
        """What a reading-list theme selects from the catalog (ThemeError for what it cannot resolve)."""
        from biblio.reading.select import load_shelf, select

        with self.write() as session:  # citation keys given at first need are kept
            shelf = load_shelf(session)
        return select(theme, shelf)

    def rekey(self) -> int:
        """Regenerate every citation key; return how many changed."""
        with self.write() as session:
            return rekey(session)

    def tag(self, work: str, tags: list[str]) -> list[str]:
        """Tag a work (by id or citation key); return its tags."""
        with self.write() as session:
            return tag_work(session, work, tags)

    def untag(self, work: str, tags: list[str]) -> list[str]:
        """Remove tags from a work; return its tags."""
        with self.write() as session:
            return untag_work(session, work, tags)

    # --- enrichment ---------------------------------------------------------------
    def enrichment_targets(
        self, source: str, flt: ExportFilter | None = None, redo: Collection[str] | None = ()
    ) -> list[Target]:
        """Root editions to enrich from `source` (see `catalog.enrichment.enrichment_targets`)."""
        with self.session() as session:
            return enrichment_targets(session, source, flt, redo)

    def save_enrichment(self, plan: EnrichmentPlan) -> list[str]:
        """Store one edition's enrichment in its own transaction; return the fields filled."""
        with self.write() as session:
            return save_enrichment(session, plan)

    def field_sources(self, edition_id: int) -> list[provenance.FieldOrigin]:
        """Which fields of an edition came from where and when (for `biblio show`)."""
        with self.session() as session:
            return provenance.field_sources(session, edition_id)

    def suggested_tags(self, work_id: int) -> list[str]:
        """Tags suggested for a work by enrichment (not applied)."""
        with self.session() as session:
            return provenance.suggested_tags(session, work_id)

    # --- curation -----------------------------------------------------------------
    def merge(self, kind: str, winner: int, loser: int) -> MergeLog:
        """Merge two editions, works or persons by hand."""
        with self.write() as session:
            log = curation.merge_records(session, kind, winner, loser)
            session.flush()
            session.expunge(log)
            return log

    def unmerge(self, log_id: int | None = None) -> list[MergeLog]:
        """Undo one merge by its log id, or every merge when `log_id` is None."""
        with self.write() as session:
            undone = curation.unmerge_all(session) if log_id is None else curation.unmerge_log(session, log_id)
            session.flush()
            for log in undone:
                session.expunge(log)
            return undone

    def merges(self, include_undone: bool = False) -> list[MergeLog]:
        """The merge log, oldest first."""
        with self.session() as session:
            query = select(MergeLog).order_by(col(MergeLog.id))
            if not include_undone:
                query = query.where(col(MergeLog.undone_at).is_(None))
            return list(session.exec(query))

    def reviews(self) -> list[dict[str, Any]]:
        """Pairs waiting for a decision, side by side."""
        with self.session() as session:
            return curation.pending_reviews(session)

    def decide(self, review_id: int, verdict: str) -> MergeLog | None:
        """Decide a queued pair: "same", "different" or "skip"."""
        with self.write() as session:
            log = curation.decide_review(session, review_id, verdict)
            if log is not None:
                session.flush()
                session.expunge(log)
            return log

    def check(self) -> list[CheckResult]:
        """Every invariant of the catalog and what breaks it (reads only)."""
        try:
            with self.engine.connect() as conn:
                return check_catalog(conn)
        except SQLAlchemyError as err:
            raise CatalogError(f"catalog {self.url}: {getattr(err, 'orig', None) or err}") from err

    def dump(self) -> dict[str, list[dict[str, Any]]]:
        """Every record, id and link, for comparing two states of the catalog."""
        with self.session() as session:
            return curation.dump_tables(session)
