"""Writing one document's records in a few batched statements.

Rows of a kind go to the database as one executemany of a fixed INSERT, sent
through the driver's own cursor: SQLAlchemy compiles and processes parameters
per statement and per row, which cost more than SQLite's own work.  Values
still pass through each column type's SQLAlchemy bind processor (JSON text,
SQLite datetimes), so what is stored is exactly what the ORM would store.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from operator import itemgetter
from typing import Any, NamedTuple

from sqlalchemy import Table, insert
from sqlalchemy.engine import Connection, Dialect
from sqlmodel import Session, SQLModel, col, select

from biblio.catalog.rawsql import driver_cursor, select_in
from biblio.catalog.search_index import SEARCH_DIRTY
from biblio.catalog.tables import (
    CitationName,
    CitationRow,
    Contributor,
    DocumentRow,
    EditionBlock,
    EditionRow,
    NameForm,
    PersonRow,
    WorkRow,
)
from biblio.errors import CatalogError
from biblio.export.keys import SAFE_KEY
from biblio.model import ROLES, Citation
from biblio.resolve.keys import bounded, fold_text, name_form, person_key, title_key
from biblio.resolve.match import Record, block_keys, record_of
from biblio.resolve.persons import family_skeleton

__all__ = [
    "Added",
    "ItemPrep",
    "core_table",
    "insert_returning_ids",
    "insert_rows",
    "json_text_kind",
    "prepare_item",
    "update_rows",
    "write_document",
]

Processor = Callable[[Any], Any]
#: parameters already converted, by column type and id of the object (kept with it, so the id stays its own)
Memo = dict[tuple[str, int], tuple[Any, Any]]


@dataclass
class Added:
    """What one document added: what its resolution must look at."""

    editions: list[int] = field(default_factory=list)
    persons: set[int] = field(default_factory=set)
    #: the matching record of each new edition (without persons), built once for its blocking keys
    records: dict[int, Record] = field(default_factory=dict)
    #: the work of each new edition (both are roots until resolution merges them)
    works: dict[int, int] = field(default_factory=dict)
    #: the person id of each contributor row of each new edition
    contributors: dict[int, list[int]] = field(default_factory=dict)


@dataclass(frozen=True)
class _Statement:
    """A driver-level statement built once per table, columns and backend."""

    sql: str
    #: (position, column type, processor) of the parameters whose type converts them (JSON, SQLite datetimes)
    processors: tuple[tuple[int, str, Processor], ...]


_STATEMENTS: dict[tuple[str, str, str, tuple[str, ...]], _Statement] = {}


def _placeholder(dialect: Dialect, core: Table, column: str) -> str:
    """The driver's placeholder for a column, with the cast SQLAlchemy would render (psycopg)."""
    if dialect.paramstyle == "qmark":
        return "?"
    impl = core.c[column].type.dialect_impl(dialect)
    if getattr(impl, "render_bind_cast", False):
        return f"%s::{core.c[column].type.compile(dialect=dialect)}"
    return "%s"


def _processors(dialect: Dialect, core: Table, columns: Sequence[str]) -> tuple[tuple[int, str, Processor], ...]:
    """The bind processors of these columns on this backend, with the name of the column's type."""
    out = []
    for i, name in enumerate(columns):
        impl = core.c[name].type.dialect_impl(dialect)
        processor = impl.bind_processor(dialect)
        if processor is not None:
            out.append((i, type(impl).__qualname__, processor))
    return tuple(out)


def _statement(dialect: Dialect, core: Table, verb: str, columns: tuple[str, ...]) -> _Statement:
    """INSERT of `columns`, or UPDATE of `columns[:-1]` by id (`columns[-1]`), built at first use."""
    key = (dialect.name, core.name, verb, columns)
    found = _STATEMENTS.get(key)
    if found is not None:
        return found
    quote = dialect.identifier_preparer.quote
    if verb == "insert":
        sql = (
            f"INSERT INTO {quote(core.name)} ({', '.join(quote(c) for c in columns)}) "
            f"VALUES ({', '.join(_placeholder(dialect, core, c) for c in columns)})"
        )
    else:
        sets = ", ".join(f"{quote(c)} = {_placeholder(dialect, core, c)}" for c in columns[:-1])
        where = f"{quote(columns[-1])} = {_placeholder(dialect, core, columns[-1])}"
        sql = f"UPDATE {quote(core.name)} SET {sets} WHERE {where}"
    made = _Statement(sql, _processors(dialect, core, columns))
    _STATEMENTS[key] = made
    return made


def _params(statement: _Statement, rows: Sequence[Sequence[Any]], memo: Memo | None) -> list[Sequence[Any]]:
    """Rows with each converting column passed through its processor.

    `memo` keeps what each object became, by identity: a new edition and its
    citation store the same CSL item, encoded once, and the rows of a document
    share one timestamp, formatted once.  The processors of one column type on one backend are one
    pure function of the value.
    """
    if not statement.processors:
        return list(rows)
    if memo is None:
        memo = {}
    out: list[Sequence[Any]] = []
    for row in rows:
        values = list(row)
        for i, kind, processor in statement.processors:
            value = values[i]
            found = memo.get((kind, id(value)))
            if found is None or found[0] is not value:
                found = memo[(kind, id(value))] = (value, processor(value))
            values[i] = found[1]
        out.append(values)
    return out


def _ids_in_order(dialect: Dialect, core: Table) -> bool:
    """True when consecutive inserts in one transaction get consecutive ids (SQLite AUTOINCREMENT).

    A SQLite AUTOINCREMENT id is one more than the largest id the table ever
    had, and the write lock keeps every other writer out until commit: n rows
    inserted one after the other get the n ids ending at the last one.
    """
    return dialect.name == "sqlite" and bool(core.dialect_options["sqlite"]["autoincrement"])


@contextmanager
def _driver_cursor(conn: Connection, core: Table) -> Iterator[Any]:
    """The driver's own cursor on the transaction's connection.

    A value that cannot be stored (not JSON, say) raises TypeError or ValueError in a processor or in
    the driver: a CatalogError, as it was when SQLAlchemy wrapped it in a StatementError.
    """
    with driver_cursor(conn) as cursor:
        try:
            yield cursor
        except (TypeError, ValueError) as err:
            raise CatalogError(f"cannot store a row of {core.name}: {err}") from err


def insert_rows(
    session: Session,
    core: Table,
    columns: tuple[str, ...],
    rows: Sequence[Sequence[Any]],
    ids: bool = False,
    memo: Memo | None = None,
) -> list[int]:
    """Insert rows (tuples in `columns` order) in one executemany; return their ids in order when asked.

    Column defaults are not applied: the rows give every column that must not be NULL.
    """
    if not rows:
        return []
    conn = session.connection()  # begins the transaction (and takes the write lock) if not yet done
    dialect = conn.dialect
    if ids and not _ids_in_order(dialect, core) and dialect.name != "postgresql":
        return insert_returning_ids(session, core, [dict(zip(columns, row, strict=True)) for row in rows])
    statement = _statement(dialect, core, "insert", columns)
    with _driver_cursor(conn, core) as cursor:
        params = _params(statement, rows, memo)
        if not ids:
            cursor.executemany(statement.sql, params)
            return []
        if dialect.name == "postgresql":
            cursor.executemany(statement.sql + " RETURNING id", params, returning=True)
            out = []
            while True:
                out.append(int(cursor.fetchone()[0]))
                if not cursor.nextset():
                    break
            return out
        cursor.executemany(statement.sql, params)
        if cursor.rowcount != len(params):
            raise CatalogError(f"{core.name}: {cursor.rowcount} rows inserted of {len(params)}")
        last = int(cursor.execute("SELECT last_insert_rowid()").fetchone()[0])
        return list(range(last - len(params) + 1, last + 1))


def update_rows(
    session: Session, core: Table, columns: tuple[str, ...], rows: Sequence[Sequence[Any]], memo: Memo | None = None
) -> None:
    """UPDATE rows by id in one executemany: each row is the new values of `columns`, then the id.

    ORM objects loaded before do not see this change: the session is expired.
    """
    if not rows:
        return
    conn = session.connection()
    statement = _statement(conn.dialect, core, "update", (*columns, "id"))
    with _driver_cursor(conn, core) as cursor:
        cursor.executemany(statement.sql, _params(statement, rows, memo))
    session.expire_all()


def _insert(
    session: Session, table: type[SQLModel], rows: list[dict[str, Any]], ids: bool = False, memo: Memo | None = None
) -> list[int]:
    """Insert rows given as dicts of the same keys; return their ids in order when asked."""
    if not rows:
        return []
    columns = tuple(rows[0])
    row_of = itemgetter(*columns) if len(columns) > 1 else lambda r: (r[columns[0]],)
    return insert_rows(session, core_table(table), columns, [row_of(r) for r in rows], ids, memo)


def mark_inserted(session: Session, kind: str, refs: Iterable[int]) -> None:
    """Record in the search index's dirty set the ids an insert touched ("edition" or "person").

    Updates and deletes are marked by triggers; inserts are marked here, once per document, because
    the writer is the one code that inserts editions, contributors and name forms (search_index).
    """
    insert_rows(session, SEARCH_DIRTY, ("kind", "ref"), [(kind, ref) for ref in refs])


def core_table(table: type[SQLModel]) -> Table:
    """The Core table of a SQLModel table."""
    return table.__table__  # type: ignore[attr-defined, no-any-return]


def insert_returning_ids(session: Session, core: Table, rows: list[dict[str, Any]]) -> list[int]:
    """Insert rows through SQLAlchemy and return their new ids in the order of `rows`.

    SQLAlchemy can only keep RETURNING in parameter order on SQLite by
    inserting one row per statement (it has no sentinel there), which made a
    document of a thousand citations cost thousands of round trips.  On SQLite
    an AUTOINCREMENT table's ids grow in insertion order, so the sorted returned
    ids are the rows' ids in order (the tables that need ids are AUTOINCREMENT);
    other tables and databases keep SQLAlchemy's ordered RETURNING.
    """
    if session.get_bind().dialect.name == "sqlite" and core.dialect_options["sqlite"]["autoincrement"]:
        return sorted(r[0] for r in session.execute(insert(core).returning(core.c.id), rows))
    returning = insert(core).returning(core.c.id, sort_by_parameter_order=True)
    return [r[0] for r in session.execute(returning, rows)]


#: (role, position, name, exact name key) of one contributor of a CSL item
Named = tuple[str, int, dict[str, Any], str]


def _names(item: dict[str, Any]) -> list[Named]:
    """Every contributor of a CSL item, with its name key (computed once per document)."""
    return [(role, i, name, person_key(name)) for role in ROLES for i, name in enumerate(item.get(role) or [])]


class ItemPrep(NamedTuple):
    """What storing one CSL item needs that follows from the item alone, computed once."""

    #: (role, position, exact name key) of each contributor, in `_names` order
    names: tuple[tuple[str, int, str], ...]
    title: str
    title_key: str
    #: `record_of(0, item, ())` without its id and persons (fields from `year` on), and its title
    record_title: str
    record_rest: tuple[Any, ...]
    #: the edition's blocking keys as stored (bounded, sorted)
    blocks: tuple[str, ...]

    def named(self, item: dict[str, Any]) -> list[Named]:
        """`_names(item)`, from the keys made beforehand."""
        return [(role, i, item[role][i], key) for role, i, key in self.names]

    def record(self, edition_id: int) -> Record:
        """`record_of(edition_id, item, ())`."""
        return Record(edition_id, self.record_title, _NO_PERSONS, *self.record_rest)


_NO_PERSONS: frozenset[int] = frozenset()


def prepare_item(item: dict[str, Any]) -> ItemPrep:
    """`ItemPrep` of one CSL item."""
    title = str(item.get("title") or "[untitled]")
    record = record_of(0, item, ())
    return ItemPrep(
        tuple((role, i, key) for role, i, _, key in _names(item)),
        title,
        title_key(title),
        record.title,
        tuple(record[3:]),
        tuple(bounded(k) for k in sorted(block_keys(record))),
    )


def json_text_kind(session: Session) -> str | None:
    """The memo kind of the CSL column when its processor is `json.dumps` (SQLite, default serializer).

    There, text made with `json.dumps` is the very value the processor would produce, so it can be put
    in a `Memo` beforehand (or compared with what is stored); elsewhere (psycopg wraps the object) None.
    """
    dialect = session.get_bind().dialect
    if dialect.name != "sqlite" or getattr(dialect, "_json_serializer", None) is not None:
        return None
    return type(core_table(EditionRow).c["csl"].type.dialect_impl(dialect)).__qualname__


def _persons(session: Session, named: Sequence[list[Named]], added: Added) -> dict[str, int]:
    """Person ids by exact name key, creating the persons not yet known (one query, one insert)."""
    wanted = {key: name for names in named for _, _, name, key in names}
    if not wanted:
        return {}
    known: dict[str, int] = {}
    # the lowest id of each key: a key's rows all come in its own chunk of the IN list, ordered by id
    for key, pid in select_in(
        session, "SELECT match_key, id FROM person WHERE match_key IN ({in}) ORDER BY id", list(wanted)
    ):
        known.setdefault(key, pid)
    fresh = [key for key in wanted if key not in known]
    rows = []
    for key in fresh:
        name = wanted[key]
        block = (
            ("org:" + fold_text(name["literal"]))
            if name.get("literal")
            else family_skeleton(str(name.get("family") or ""))
        )
        rows.append(
            {
                "family": name.get("family"),
                "given": name.get("given"),
                "literal": name.get("literal"),
                "match_key": key,
                "block_key": bounded(block),
            }
        )
    ids = _insert(session, PersonRow, rows, ids=True)
    _insert(
        session,
        NameForm,
        [
            {
                "person_id": pid,
                "form": name_form(wanted[key]),
                "family": wanted[key].get("family"),
                "given": wanted[key].get("given"),
                "literal": wanted[key].get("literal"),
            }
            for key, pid in zip(fresh, ids, strict=True)
        ],
    )
    known.update(zip(fresh, ids, strict=True))
    added.persons.update(known.values())
    return known


def _editions(
    session: Session,
    items: Sequence[dict[str, Any]],
    preps: Sequence[ItemPrep],
    persons: dict[str, int],
    added: Added,
    memo: Memo,
) -> list[int]:
    """One new work and edition for each item (deduplication merges them afterwards)."""
    now = datetime.now(UTC)
    if not items:
        return []
    titles = [prep.title for prep in preps]
    keys = [prep.title_key for prep in preps]
    works = _insert(
        session,
        WorkRow,
        [{"title": t, "match_key": k, "created_at": now} for t, k in zip(titles, keys, strict=True)],
        ids=True,
    )
    rows = []
    for item, title, key, work in zip(items, titles, keys, works, strict=True):
        issued = (item.get("issued") or {}).get("date-parts") or [[None]]
        year = issued[0][0] if issued and issued[0] else None
        rows.append(
            {
                "work_id": work,
                "title": title,
                "type": str(item.get("type") or "book"),
                "year": year if isinstance(year, int) else None,
                "publisher": item.get("publisher"),
                "place": item.get("publisher-place"),
                "match_key": key,
                "csl": item,
                "created_at": now,
                "citation_key": None,
            }
        )
    wanted = [str(item["id"]) for item in items if item.get("id")]
    taken = {
        key for (key,) in select_in(session, "SELECT citation_key FROM edition WHERE citation_key IN ({in})", wanted)
    }
    for row, item in zip(rows, items, strict=True):
        key = str(item.get("id") or "")
        # an imported record keeps its key, unless the key could break out of a BibTeX entry's header
        if key and key not in taken and SAFE_KEY.fullmatch(key):
            row["citation_key"] = key
            taken.add(key)
    editions = _insert(session, EditionRow, rows, ids=True, memo=memo)
    # a new person's forms name new editions only, so the editions' marks cover them (no person marks)
    mark_inserted(session, "edition", editions)
    added.editions.extend(editions)
    added.works.update(zip(editions, works, strict=True))
    added.records.update((e, prep.record(e)) for prep, e in zip(preps, editions, strict=True))
    # the two largest tables of a document: rows as tuples, in the columns' order (no dict per row)
    insert_rows(
        session,
        core_table(EditionBlock),
        ("edition_id", "key"),
        [(e, k) for prep, e in zip(preps, editions, strict=True) for k in prep.blocks],
    )
    roles = [(e, persons[key], role, i) for prep, e in zip(preps, editions, strict=True) for role, i, key in prep.names]
    insert_rows(session, core_table(Contributor), _ROLE_COLUMNS, roles)
    for e in editions:
        added.contributors[e] = []
    for e, pid, _, _ in roles:
        added.contributors[e].append(pid)
    return editions


#: the columns of a contributor and of a citation's name (the record's id first)
_ROLE_COLUMNS = ("edition_id", "person_id", "role", "position")
_NAME_COLUMNS = ("citation_id", "person_id", "role", "position")


def _variant_forms(session: Session, citations: Sequence[Citation], persons: dict[str, int]) -> None:
    """Record the other forms of a name a citation gives ("A. B." for "K (AB) Marlowe") on its person."""
    wanted: dict[tuple[int, str], dict[str, Any]] = {}
    for citation in citations:
        for slot, variants in citation.name_variants.items():
            role, _, position = slot.partition(":")
            names = citation.csl.get(role) or []
            if not position.isdigit() or int(position) >= len(names):
                continue
            person = persons[person_key(names[int(position)])]
            for variant in variants:
                wanted[(person, name_form(variant))] = variant
    if not wanted:
        return
    known = set(
        session.exec(
            select(NameForm.person_id, NameForm.form).where(col(NameForm.person_id).in_({p for p, _ in wanted}))
        )
    )
    fresh = [(p, form, v) for (p, form), v in wanted.items() if (p, form) not in known]
    rows = [
        {"person_id": p, "form": form, "family": v.get("family"), "given": v.get("given"), "literal": v.get("literal")}
        for p, form, v in fresh
    ]
    _insert(session, NameForm, rows)
    # a form added to a known person changes the names of that person's editions already indexed
    mark_inserted(session, "person", sorted({p for p, _, _ in fresh}))


def write_document(
    session: Session,
    row: DocumentRow,
    own_record: dict[str, Any] | None,
    citations: Sequence[Citation],
) -> Added:
    """Insert a document, its own record (a data file has none), its citations, their editions and persons."""
    added = Added()
    own = [own_record] if own_record is not None else []
    items = [*own, *(c.csl for c in citations)]
    preps = [prepare_item(item) for item in items]
    named = [prep.named(item) for prep, item in zip(preps, items, strict=True)]
    persons = _persons(session, named, added)
    memo: Memo = {}
    editions = _editions(session, items, preps, persons, added, memo)
    row.edition_id = editions[0] if own else None
    session.add(row)
    session.flush()
    rows = []
    for citation, edition in zip(citations, editions[len(own) :], strict=True):
        span = citation.span or (None, None)
        rows.append(
            {
                "document_id": row.id,
                "edition_id": edition,
                "line": citation.line,
                "span_start": span[0],
                "span_end": span[1],
                "section": citation.section,
                "raw": citation.raw,
                "kind": citation.kind,
                "confidence": citation.confidence,
                "recognizer": citation.recognizer,
                "csl": citation.csl,
            }
        )
    ids = _insert(session, CitationRow, rows, ids=True, memo=memo)
    _variant_forms(session, citations, persons)
    insert_rows(
        session,
        core_table(CitationName),
        _NAME_COLUMNS,
        [
            (cid, persons[key], role, i)
            for names, cid in zip(named[len(own) :], ids, strict=True)
            for role, i, _, key in names
        ],
    )
    return added
