"""`check_catalog`: the invariants a healthy catalog keeps, each checked with plain SQL.

A catalog is only ever changed inside transactions that keep these true, so a
problem found here means damage from outside (a disk fault, a hand edit, a
tool that wrote to the file).  Every check reads; nothing is repaired, so the
report can be trusted as a description of the file as it is.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection
from sqlalchemy.exc import DBAPIError

__all__ = ["CheckResult", "check_catalog"]

#: how many offending rows a result lists (the count is always exact)
MAX_DETAILS = 20


@dataclass(frozen=True)
class CheckResult:
    """One invariant: its name, what it means, and the rows that break it."""

    name: str
    description: str
    problems: list[str] = field(default_factory=list)
    count: int = 0

    @property
    def ok(self) -> bool:
        """True when nothing breaks the invariant."""
        return self.count == 0


# name -> (description, child table, its column, parent table, whether the column may be NULL)
_LINKS: dict[str, tuple[str, str, str, str, bool]] = {
    "citation-document": ("every citation has its document", "citation", "document_id", "document", False),
    "citation-edition": ("every citation has its edition", "citation", "edition_id", "edition", False),
    "edition-work": ("every edition has its work", "edition", "work_id", "work", False),
    "contributor-person": ("every contributor is a person", "contributor", "person_id", "person", False),
    "contributor-edition": ("every contributor has its edition", "contributor", "edition_id", "edition", False),
    "citation-name-person": ("every name in a citation is a person", "citation_name", "person_id", "person", False),
    "document-edition": ("a document's own record exists", "document", "edition_id", "edition", True),
}
_ORPHAN_PERSONS = (
    "SELECT id, COALESCE(literal, family, given, '') FROM person WHERE merged_into IS NULL "
    "AND id NOT IN (SELECT person_id FROM contributor) "
    "AND id NOT IN (SELECT person_id FROM citation_name) "
    "AND id NOT IN (SELECT merged_into FROM person WHERE merged_into IS NOT NULL) ORDER BY id"
)
_DUPLICATE_KEYS = (
    "SELECT LOWER(citation_key), COUNT(*) FROM edition WHERE citation_key IS NOT NULL "
    "GROUP BY LOWER(citation_key) HAVING COUNT(*) > 1 ORDER BY 1"
)


def _rows(conn: Connection, sql: str) -> list[tuple[Any, ...]]:
    """All rows of a query as tuples."""
    return [tuple(row) for row in conn.execute(text(sql))]


def _result(name: str, description: str, problems: list[str]) -> CheckResult:
    """A result listing at most MAX_DETAILS problems but counting all."""
    return CheckResult(name, description, problems[:MAX_DETAILS], len(problems))


def _guarded(conn: Connection, name: str, description: str, find: Callable[[], list[str]]) -> CheckResult:
    """Run one check; a damaged file that makes the query itself fail is a problem too."""
    try:
        with conn.begin_nested():
            return _result(name, description, find())
    except DBAPIError as err:
        return _result(name, description, [f"cannot be checked: {err.orig}"])


def _dangling(conn: Connection, child: str, column: str, parent: str, nullable: bool) -> list[str]:
    """Rows of `child` whose `column` names no row of `parent`."""
    null = f" AND c.{column} IS NOT NULL" if nullable else ""
    sql = (
        f"SELECT c.id, c.{column} FROM {child} c LEFT JOIN {parent} p ON p.id = c.{column} "
        f"WHERE p.id IS NULL{null} ORDER BY c.id"
    )
    return [f"{child} {rid}: no {parent} {ref}" for rid, ref in _rows(conn, sql)]


def _merge_chains(conn: Connection, table: str) -> list[str]:
    """Merge chains that point nowhere or loop (every chain must end at a root)."""
    links = {int(rid): int(into) for rid, into in _rows(conn, f"SELECT id, merged_into FROM {table}") if into}
    existing = {int(rid) for (rid,) in _rows(conn, f"SELECT id FROM {table}")}
    problems = []
    for start in sorted(links):
        seen = {start}
        current = links[start]
        while current in links and current not in seen:
            seen.add(current)
            current = links[current]
        if current in seen:
            problems.append(f"{table} {start}: merge chain loops back to {current}")
        elif current not in existing:
            problems.append(f"{table} {start}: merge chain ends at missing {table} {current}")
    return problems


def _sqlite_pragmas(conn: Connection) -> list[CheckResult]:
    """SQLite's own checks: the file's structure and the declared foreign keys."""
    return [
        _guarded(
            conn,
            "integrity",
            "the database file is sound (PRAGMA integrity_check)",
            lambda: [str(row[0]) for row in _rows(conn, "PRAGMA integrity_check") if row[0] != "ok"],
        ),
        _guarded(
            conn,
            "foreign-keys",
            "every foreign key points at a row (PRAGMA foreign_key_check)",
            lambda: [
                f"{table} row {rowid}: references missing {parent}"
                for table, rowid, parent, _fk in _rows(conn, "PRAGMA foreign_key_check")
            ],
        ),
    ]


def _relational(conn: Connection) -> list[CheckResult]:
    """The invariants biblio's own writes keep."""
    results = []
    for name, (description, child, column, parent, nullable) in _LINKS.items():
        find = partial(_dangling, conn, child, column, parent, nullable)
        results.append(_guarded(conn, name, description, find))
    results.append(
        _guarded(
            conn,
            "merge-chains",
            "every merge chain ends at a root",
            lambda: [p for table in ("edition", "work", "person") for p in _merge_chains(conn, table)],
        )
    )
    results.append(
        _guarded(
            conn,
            "orphan-persons",
            "every person is named by an edition or a citation",
            lambda: [f"person {pid} ({label}): named nowhere" for pid, label in _rows(conn, _ORPHAN_PERSONS)],
        )
    )
    results.append(
        _guarded(
            conn,
            "citation-keys",
            "citation keys are unique (ignoring case, as BibTeX does)",
            lambda: [f"citation key {key!r}: {n} editions" for key, n in _rows(conn, _DUPLICATE_KEYS)],
        )
    )
    return results


def check_catalog(conn: Connection) -> list[CheckResult]:
    """Every invariant of the catalog behind `conn`, in a fixed order."""
    results = _sqlite_pragmas(conn) if conn.dialect.name == "sqlite" else []
    return results + _relational(conn)
