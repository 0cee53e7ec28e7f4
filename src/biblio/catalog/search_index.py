"""The search index over root editions: its tables, its triggers, and keeping it right.

One index row per root edition holds its titles (its own, its members' and its
work's), every name form of every contributor (through person merges), its
publishers and places, and its note.  Every change to the tables those come
from records the ids it touches in `search_dirty`, inside the transaction that
makes it: updates and deletes through triggers, whatever code path makes them
(a replaced document, merges, dedupe, unmerge, enrichment); inserts through the
writer (`writer.mark_inserted`), the one code that inserts editions, contributors and
name forms.  An insert trigger fired once per row and cost about 14 µs an
entry of a 100k ingest, a quarter of SQLite's own work (docs/ingest-speed.md,
"Session 6"); catalogs made before lose those triggers when opened.
`refresh_search` rebuilds the rows of the touched editions and empties the
set; every search runs it first, so the index a search reads is always the
catalog's current state.  Tags and citation keys
are not in the index (a search reads them from their tables), so tagging and
rekeying touch nothing here.

The text is folded with the project's `fold_text` before indexing (ASCII,
lower case, punctuation as spaces), so accents never matter and another
script matches its transliteration.  SQLite stores it in an FTS5 table;
PostgreSQL in a table with a `tsvector` column ('simple' configuration, no
extension needed) under a GIN index.
"""

from __future__ import annotations

import json
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Column, Integer, MetaData, String, Table, text
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session, col, select

from biblio.catalog.merges import members_of, roots_of
from biblio.catalog.tables import Contributor, EditionRow, NameForm, PersonRow, WorkRow
from biblio.resolve.keys import fold_text

__all__ = [
    "COLUMNS",
    "SEARCH_DIRTY",
    "WEIGHTS",
    "chunks",
    "ensure_search",
    "fetch_rows",
    "is_sqlite",
    "joined_session",
    "rebuild_search",
    "refresh_search",
]

#: the indexed fields, in index order; `author:` in a query means `names:`
COLUMNS = ("title", "names", "publisher", "place", "note")
#: PostgreSQL weights of the fields (four labels: place and note share one)
WEIGHTS = dict(zip(COLUMNS, "ABCDD", strict=True))
_CHUNK = 500
_SEPARATOR = " ; "

_SQLITE_DDL = (
    "CREATE TABLE IF NOT EXISTS search_dirty (kind VARCHAR NOT NULL, ref INTEGER)",
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5("
    + ", ".join(COLUMNS)
    + ", tokenize = 'unicode61 remove_diacritics 2')",
)

#: the set of touched ids, as a Core table for the writer's inserts (made by the DDL, not by create_all)
SEARCH_DIRTY = Table("search_dirty", MetaData(), Column("kind", String, nullable=False), Column("ref", Integer))

# (table, events, the (kind, id expression) pairs each event marks dirty); inserts are marked by the writer
_TRIGGERS: tuple[tuple[str, str, str, tuple[tuple[str, str], ...]], ...] = (
    (
        "edition",
        "upd",
        "UPDATE OF title, publisher, place, csl, merged_into, work_id",
        (("edition", "OLD.id"), ("edition", "OLD.merged_into"), ("edition", "NEW.merged_into")),
    ),
    ("edition", "del", "DELETE", (("edition", "OLD.id"), ("edition", "OLD.merged_into"))),
    ("contributor", "upd", "UPDATE", (("edition", "OLD.edition_id"), ("edition", "NEW.edition_id"))),
    ("contributor", "del", "DELETE", (("edition", "OLD.edition_id"),)),
    ("name_form", "upd", "UPDATE", (("person", "OLD.person_id"), ("person", "NEW.person_id"))),
    ("name_form", "del", "DELETE", (("person", "OLD.person_id"),)),
    (
        "person",
        "upd",
        "UPDATE OF merged_into",
        (("person", "OLD.id"), ("person", "OLD.merged_into"), ("person", "NEW.merged_into")),
    ),
    (
        "work",
        "upd",
        "UPDATE OF title, merged_into",
        (("work", "OLD.id"), ("work", "OLD.merged_into"), ("work", "NEW.merged_into")),
    ),
)


#: (table, trigger) of the insert triggers catalogs made before session 6 have, dropped when one is opened
_RETIRED = (
    ("edition", "search_edition_ins"),
    ("contributor", "search_contributor_ins"),
    ("name_form", "search_name_form_ins"),
)


def _values(marks: Sequence[tuple[str, str]]) -> str:
    """The VALUES list of a trigger's INSERT into search_dirty."""
    return ", ".join(f"('{kind}', {expr})" for kind, expr in marks)


def _sqlite_triggers() -> list[str]:
    """CREATE TRIGGER statements (SQLite): each marks the ids a change touches."""
    return [
        f"CREATE TRIGGER IF NOT EXISTS search_{table}_{suffix} AFTER {event} ON {table} "
        f"BEGIN INSERT INTO search_dirty (kind, ref) VALUES {_values(marks)}; END"
        for table, suffix, event, marks in _TRIGGERS
    ]


def _pg_statements() -> list[str]:
    """The index table, its GIN index and the triggers (PostgreSQL)."""
    out = [
        "CREATE TABLE IF NOT EXISTS search_dirty (kind VARCHAR NOT NULL, ref INTEGER)",
        "CREATE TABLE IF NOT EXISTS search_doc (edition_id INTEGER PRIMARY KEY, "
        + ", ".join(f"{c} TEXT NOT NULL DEFAULT ''" for c in COLUMNS)
        + ", tsv TSVECTOR NOT NULL)",
        "CREATE INDEX IF NOT EXISTS ix_search_doc_tsv ON search_doc USING GIN (tsv)",
    ]
    for table, suffix, event, marks in _TRIGGERS:
        name = f"search_{table}_{suffix}"
        body = f"INSERT INTO search_dirty (kind, ref) VALUES {_values(marks)};"
        out.append(
            f"CREATE OR REPLACE FUNCTION {name}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            f"BEGIN {body} RETURN NULL; END $$"
        )
        out.append(f"DROP TRIGGER IF EXISTS {name} ON {table}")
        out.append(f"CREATE TRIGGER {name} AFTER {event} ON {table} FOR EACH ROW EXECUTE FUNCTION {name}()")
    return out


def _search_present(conn: Connection) -> bool:
    """True when the catalog has its search index."""
    if conn.dialect.name == "sqlite":
        return conn.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'search_fts'").first() is not None
    return conn.exec_driver_sql("SELECT to_regclass('search_doc')").scalar() is not None


def ensure_search(engine: Engine, writer: Engine | None = None) -> None:
    """Create the index, its dirty set and triggers when missing, and fill a new index.

    Looked for with a plain read; created under the catalog's write lock (`writer`), and looked for
    again there, so two processes opening a new catalog at once create it once.
    """
    with engine.connect() as conn:
        present = _search_present(conn)
        retired = present and _retired_present(conn)
        conn.rollback()
    if present:
        if retired:
            with (writer or engine).begin() as conn:
                _drop_retired(conn)
        return
    with (writer or engine).begin() as conn:
        if _search_present(conn):
            return
        statements = (*_SQLITE_DDL, *_sqlite_triggers()) if engine.dialect.name == "sqlite" else _pg_statements()
        for statement in statements:
            conn.exec_driver_sql(statement)
        # an older catalog that had no index: everything in it is new to the index
        conn.exec_driver_sql("INSERT INTO search_dirty (kind, ref) SELECT 'edition', id FROM edition")


def _retired_present(conn: Connection) -> bool:
    """True when the catalog still has one of the retired insert triggers."""
    names = ", ".join(f"'{name}'" for _, name in _RETIRED)
    if conn.dialect.name == "sqlite":
        sql = f"SELECT 1 FROM sqlite_master WHERE type = 'trigger' AND name IN ({names})"
    else:
        sql = f"SELECT 1 FROM pg_trigger WHERE NOT tgisinternal AND tgname IN ({names})"
    return conn.exec_driver_sql(sql).first() is not None


def _drop_retired(conn: Connection) -> None:
    """Drop the retired insert triggers (and their functions on PostgreSQL): the writer marks inserts."""
    for table, name in _RETIRED:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name}")
        else:
            conn.exec_driver_sql(f"DROP TRIGGER IF EXISTS {name} ON {table}")
            conn.exec_driver_sql(f"DROP FUNCTION IF EXISTS {name}()")


# --- keeping the index right ------------------------------------------------------------


def _touched_editions(session: Session, marks: Iterable[tuple[str, int]]) -> set[int]:
    """Every edition whose index row may have changed, from the raw ids the triggers marked."""
    by_kind: dict[str, set[int]] = defaultdict(set)
    for kind, ref in marks:
        by_kind[kind].add(ref)
    editions = set(by_kind["edition"])
    if by_kind["person"]:
        roots = set(roots_of(session, PersonRow, by_kind["person"]).values())
        persons = sorted(members_of(session, PersonRow, roots))
        for chunk in chunks(persons):
            editions.update(session.exec(select(Contributor.edition_id).where(col(Contributor.person_id).in_(chunk))))
    if by_kind["work"]:
        roots = set(roots_of(session, WorkRow, by_kind["work"]).values())
        works = sorted(members_of(session, WorkRow, roots))
        for chunk in chunks(works):
            editions.update(
                e for e in session.exec(select(EditionRow.id).where(col(EditionRow.work_id).in_(chunk))) if e
            )
    return editions


def refresh_search(conn: Connection) -> int:
    """Rebuild the index rows of every edition a change touched; return how many rows were written."""
    rows = fetch_rows(conn, "SELECT DISTINCT kind, ref FROM search_dirty")
    if not rows:
        return 0
    marks = [(str(kind), int(ref)) for kind, ref in rows if ref is not None]
    with joined_session(conn) as session:
        written = _rewrite(session, _touched_editions(session, marks))
    conn.exec_driver_sql("DELETE FROM search_dirty")
    return written


def rebuild_search(conn: Connection) -> int:
    """Rebuild the whole index (after a bulk load that bypassed it); return the rows written."""
    table = "search_fts" if is_sqlite(conn) else "search_doc"
    conn.exec_driver_sql(f"DELETE FROM {table}")
    roots = [e for (e,) in conn.exec_driver_sql("SELECT id FROM edition WHERE merged_into IS NULL ORDER BY id")]
    written = 0
    with joined_session(conn) as session:
        for chunk in chunks(roots):
            written += _write_rows(conn, _documents(session, chunk))
    conn.exec_driver_sql("DELETE FROM search_dirty")
    return written


def _rewrite(session: Session, touched: set[int]) -> int:
    """Drop the rows of touched editions and of their roots, then write the live roots' rows again."""
    roots = roots_of(session, EditionRow, touched)
    stale = sorted(touched | set(roots.values()))
    conn = session.connection()
    live: list[int] = []
    for chunk in chunks(stale):
        marks = ", ".join(str(int(i)) for i in chunk)
        if is_sqlite(conn):
            conn.exec_driver_sql(f"DELETE FROM search_fts WHERE rowid IN ({marks})")
        else:
            conn.exec_driver_sql(f"DELETE FROM search_doc WHERE edition_id IN ({marks})")
        live.extend(
            e for (e,) in conn.exec_driver_sql(f"SELECT id FROM edition WHERE merged_into IS NULL AND id IN ({marks})")
        )
    written = 0
    for chunk in chunks(sorted(live)):
        written += _write_rows(conn, _documents(session, chunk))
    return written


def chunks(ids: Sequence[int]) -> Iterable[list[int]]:
    """Slices of at most _CHUNK ids."""
    for start in range(0, len(ids), _CHUNK):
        yield list(ids[start : start + _CHUNK])


def _unique(values: Iterable[Any]) -> str:
    """Distinct non-empty values joined, in first-seen order."""
    seen: dict[str, None] = {}
    for value in values:
        if value:
            seen.setdefault(str(value), None)
    return _SEPARATOR.join(seen)


def _documents(session: Session, roots: list[int]) -> list[tuple[int, dict[str, str]]]:
    """The index text of some root editions: (id, {column: text})."""
    members = members_of(session, EditionRow, roots)
    ids = sorted(members)
    editions: dict[int, list[tuple[bool, str, str | None, str | None, int]]] = defaultdict(list)
    notes: dict[int, str] = {}
    contributors: list[tuple[int, int]] = []
    for chunk in chunks(ids):
        marks = ", ".join(str(int(i)) for i in chunk)
        for eid, title, publisher, place, work, csl in session.connection().exec_driver_sql(
            f"SELECT id, title, publisher, place, work_id, csl FROM edition WHERE id IN ({marks})"
        ):
            editions[members[eid]].append((eid != members[eid], title, publisher, place, work))
            if eid == members[eid]:
                item = csl if isinstance(csl, dict) else json.loads(csl)
                notes[eid] = _unique(item.get(k) for k in ("note", "container-title", "collection-title"))
        contributors.extend(
            session.exec(
                select(Contributor.edition_id, Contributor.person_id)
                .where(col(Contributor.edition_id).in_(chunk))
                .order_by(col(Contributor.edition_id), col(Contributor.role), col(Contributor.position))
            )
        )
    work_roots = roots_of(session, WorkRow, {w for rows in editions.values() for *_, w in rows})
    work_titles: dict[int, str] = {}
    for chunk in chunks(sorted(set(work_roots.values()))):
        work_titles.update(
            (w, t) for w, t in session.exec(select(WorkRow.id, WorkRow.title).where(col(WorkRow.id).in_(chunk))) if w
        )
    person_roots = roots_of(session, PersonRow, {p for _, p in contributors})
    person_members = members_of(session, PersonRow, set(person_roots.values()))
    forms: dict[int, list[str]] = defaultdict(list)
    for chunk in chunks(sorted(person_members)):
        for pid, form in session.exec(
            select(NameForm.person_id, NameForm.form)
            .where(col(NameForm.person_id).in_(chunk))
            .order_by(col(NameForm.id))
        ):
            forms[person_members[pid]].append(form)
    names: dict[int, list[str]] = defaultdict(list)
    for eid, pid in contributors:
        names[members[eid]].extend(forms.get(person_roots[pid], []))
    out = []
    for root in roots:
        rows = sorted(editions.get(root, []), key=lambda r: r[0])  # the root's own values first
        titles = [t for _, t, *_ in rows] + [work_titles.get(work_roots.get(w, w), "") for *_, w in rows]
        out.append(
            (
                root,
                {
                    "title": _unique(titles),
                    "names": _unique(names.get(root, [])),
                    "publisher": _unique(r[2] for r in rows),
                    "place": _unique(r[3] for r in rows),
                    "note": notes.get(root, ""),
                },
            )
        )
    return out


def _write_rows(conn: Connection, docs: list[tuple[int, dict[str, str]]]) -> int:
    """Insert index rows."""
    if not docs:
        return 0
    if is_sqlite(conn):
        conn.exec_driver_sql(
            f"INSERT INTO search_fts (rowid, {', '.join(COLUMNS)}) VALUES (?, {', '.join('?' for _ in COLUMNS)})",
            [(eid, *(fold_text(doc[c]) for c in COLUMNS)) for eid, doc in docs],
        )
    else:
        vector = " || ".join(f"setweight(to_tsvector('simple', :{c}), '{WEIGHTS[c]}')" for c in COLUMNS)
        conn.execute(
            text(
                f"INSERT INTO search_doc (edition_id, {', '.join(COLUMNS)}, tsv) "
                f"VALUES (:eid, {', '.join(':' + c for c in COLUMNS)}, {vector})"
            ),
            [{"eid": eid, **{c: fold_text(doc[c]) for c in COLUMNS}} for eid, doc in docs],
        )
    return len(docs)


@contextmanager
def joined_session(conn: Connection) -> Iterator[Session]:
    """An ORM session inside the connection's transaction (begun here when a bare cursor only read so far).

    The session joins that transaction and closing it ends nothing: the caller commits the connection.
    """
    if not conn.in_transaction():
        conn.begin()
    with Session(bind=conn) as session:
        yield session


def is_sqlite(conn: Connection) -> bool:
    """True on SQLite, False on PostgreSQL."""
    return conn.dialect.name == "sqlite"


def fetch_rows(conn: Connection, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
    """Rows of one statement through the bare DB-API cursor: a search is a few small reads, and
    SQLAlchemy's result objects would cost more than the index lookup itself."""
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(sql, params)
        return list(cursor.fetchall())
    finally:
        cursor.close()
