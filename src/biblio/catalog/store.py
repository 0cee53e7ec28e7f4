"""The Catalog: the only place that opens a database session.

Each document is stored in one transaction: its row, its own record, its
citations and the editions, works and persons they resolve to.  Re-storing an
unchanged document (same origin, same sha256) changes nothing; a changed one
replaces its citations atomically.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event, func, inspect, text
from sqlalchemy.engine import Engine
from sqlalchemy.exc import OperationalError, SQLAlchemyError
from sqlmodel import Session, SQLModel, col, create_engine, delete, select

from biblio.catalog import curation
from biblio.catalog.access import read_only_reason, read_only_url, sqlite_path
from biblio.catalog.check import CheckResult, check_catalog
from biblio.catalog.dedupe import DedupeReport, run_dedupe
from biblio.catalog.keys import ExportFilter, export_records, rekey
from biblio.catalog.merges import recompute_edition, root_map
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

__all__ = ["Catalog", "StoreResult"]


@dataclass(frozen=True)
class StoreResult:
    """What storing one document did."""

    status: str  # "new", "replaced" or "unchanged"
    citations: int = 0
    new_editions: int = 0
    dedupe: DedupeReport | None = None


def _sqlite_pragmas(dbapi_conn: Any, _record: Any) -> None:
    """WAL for concurrent readers, a busy timeout for concurrent writers, FK checks."""
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA busy_timeout=30000")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()


def _sqlite_read_pragmas(dbapi_conn: Any, _record: Any) -> None:
    """A read-only catalog: no journal mode to set, and no statement may write."""
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA query_only=ON")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


class Catalog:
    """A catalog database (SQLite file or any SQLAlchemy URL)."""

    def __init__(self, url: str) -> None:
        self.url = url
        #: why the catalog cannot be written (it is then opened read-only), or None
        self.read_only = read_only_reason(url)
        path = sqlite_path(url)
        try:
            self.engine: Engine = create_engine(read_only_url(path) if self.read_only and path else url)
        except (SQLAlchemyError, ImportError, ValueError) as err:
            raise CatalogError(f"cannot open catalog {url}: {err}") from err
        if self.engine.dialect.name == "sqlite":
            event.listen(self.engine, "connect", _sqlite_read_pragmas if self.read_only else _sqlite_pragmas)
        self._prepare()

    def _prepare(self) -> None:
        """Create the tables of a new catalog; refuse one of another schema version."""
        try:
            tables = set(inspect(self.engine).get_table_names())
            # only biblio's tables and no version yet: a creation that was killed half-way, finished below
            if not tables <= set(SQLModel.metadata.tables):
                raise CatalogError(f"{self.url} is not a biblio catalog (it has other tables)")
            if "biblio_meta" in tables:
                with Session(self.engine) as session:
                    row = session.get(MetaRow, "schema_version")
                if row is not None and int(row.value) != SCHEMA_VERSION:
                    raise SchemaVersionError(
                        f"{self.url} has catalog schema version {row.value}; this biblio reads "
                        f"version {SCHEMA_VERSION}. Export it with the biblio that wrote it."
                    )
                if row is not None:
                    return
            SQLModel.metadata.create_all(self.engine)
            with Session(self.engine) as session:
                session.merge(MetaRow(key="schema_version", value=str(SCHEMA_VERSION)))
                session.commit()
        except OperationalError as err:
            raise CatalogError(f"cannot open catalog {self.url}: {err.orig}") from err

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session whose database errors become CatalogError (the transaction is rolled back)."""
        try:
            with Session(self.engine) as session:
                yield session
        except SQLAlchemyError as err:
            reason = getattr(err, "orig", None) or err
            if self.read_only and "readonly" in str(reason):
                raise CatalogError(f"catalog {self.url} is read-only ({self.read_only}); nothing was changed") from err
            if "disk I/O error" in str(reason) or "disk is full" in str(reason):
                raise CatalogError(
                    f"catalog {self.url}: {reason} (is the disk full?); the transaction was rolled back"
                ) from err
            raise CatalogError(f"catalog {self.url}: {reason}") from err
        except sqlite3.Error as err:
            raise CatalogError(f"catalog {self.url}: {err}") from err

    def close(self) -> None:
        """Release the database connections."""
        self.engine.dispose()

    # --- storing ---------------------------------------------------------------
    def store_document(
        self,
        doc: Document,
        citations: Sequence[Citation],
        own_record: dict[str, Any] | None,
        origin: str,
        resolve: bool = True,
    ) -> StoreResult:
        """Store a document and its citations in one transaction, resolved against the catalog."""
        with self.session() as session, session.begin():
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
                report = run_dedupe(session, editions=added.editions, persons=added.persons)
            # new records: the editions added that did not resolve to one already there
            fresh = set(added.editions)
            merged = {m.loser for m in report.merges if m.kind == "edition"} if report else set()
            return StoreResult(status, len(citations), len(fresh - merged), report)

    def dedupe(self, dry_run: bool = False) -> DedupeReport:
        """Resolve the whole catalog; a dry run reports the merges and rolls them back."""
        with self.session() as session:
            transaction = session.begin()
            report = run_dedupe(session)
            if dry_run:
                transaction.rollback()
            else:
                transaction.commit()
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
            f"DELETE FROM contributor WHERE edition_id IN ({orphan})",
            f"DELETE FROM edition_block WHERE edition_id IN ({orphan})",
            f"DELETE FROM edition WHERE id IN ({orphan})",
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
            rows = session.exec(query.order_by(col(DocumentRow.name), col(CitationRow.line), col(CitationRow.id))).all()
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

    # --- exports ---------------------------------------------------------------------
    def export(self, fmt: str, flt: ExportFilter | None = None) -> str:
        """The catalog (or the editions passing `flt`) as BibTeX, CSL-JSON or RIS text."""
        with self.session() as session, session.begin():
            records = export_records(session, flt)
        return render(records, fmt)

    def rekey(self) -> int:
        """Regenerate every citation key; return how many changed."""
        with self.session() as session, session.begin():
            return rekey(session)

    def tag(self, work: str, tags: list[str]) -> list[str]:
        """Tag a work (by id or citation key); return its tags."""
        with self.session() as session, session.begin():
            return tag_work(session, work, tags)

    def untag(self, work: str, tags: list[str]) -> list[str]:
        """Remove tags from a work; return its tags."""
        with self.session() as session, session.begin():
            return untag_work(session, work, tags)

    # --- curation -----------------------------------------------------------------
    def merge(self, kind: str, winner: int, loser: int) -> MergeLog:
        """Merge two editions, works or persons by hand."""
        with self.session() as session, session.begin():
            log = curation.merge_records(session, kind, winner, loser)
            session.flush()
            session.expunge(log)
            return log

    def unmerge(self, log_id: int | None = None) -> list[MergeLog]:
        """Undo one merge by its log id, or every merge when `log_id` is None."""
        with self.session() as session, session.begin():
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
        with self.session() as session, session.begin():
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
