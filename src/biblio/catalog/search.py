"""The search index over root editions, and the search itself.

One index row per root edition holds its titles (its own, its members' and its
work's), every name form of every contributor (through person merges), its
publishers and places, and its note.  Triggers on the tables those come from
record the ids a change touches in `search_dirty`, inside the transaction
that makes the change, whatever code path makes it (ingest, a replaced
document, merges, dedupe, unmerge).  `refresh_search` rebuilds the rows of the
touched editions and empties the set; every search runs it first, so the index
a search reads is always the catalog's current state.  Tags and citation keys
are not in the index (a search reads them from their tables), so tagging and
rekeying touch nothing here.

The text is folded with the project's `fold_text` before indexing, and every
word of a query the same way (ASCII, lower case, punctuation as spaces), so
accents never matter and another script matches its transliteration.  SQLite
stores it in an FTS5 table; PostgreSQL in a table with a `tsvector` column
('simple' configuration, no extension needed) under a GIN index.
"""

from __future__ import annotations

import json
import re
from collections import defaultdict
from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import text
from sqlalchemy.engine import Connection, Engine
from sqlmodel import Session, col, select

from biblio.catalog.merges import members_of, roots_of
from biblio.catalog.tables import Contributor, EditionRow, NameForm, PersonRow, WorkRow
from biblio.errors import UsageError
from biblio.resolve.keys import fold_text

__all__ = [
    "COLUMNS",
    "SORTS",
    "Hit",
    "SearchQuery",
    "ensure_search",
    "fts_expression",
    "rebuild_search",
    "refresh_search",
    "search_editions",
]

#: the indexed fields, in index order; `author:` in a query means `names:`
COLUMNS = ("title", "names", "publisher", "place", "note")
_ALIASES = {"author": "names", "name": "names", **{c: c for c in COLUMNS}}
SORTS = ("relevance", "title", "year", "-year", "author")
_CHUNK = 500
_SEPARATOR = " ; "

_SQLITE_DDL = (
    "CREATE TABLE IF NOT EXISTS search_dirty (kind VARCHAR NOT NULL, ref INTEGER)",
    "CREATE VIRTUAL TABLE IF NOT EXISTS search_fts USING fts5("
    + ", ".join(COLUMNS)
    + ", tokenize = 'unicode61 remove_diacritics 2')",
)

# (table, events, the (kind, id expression) pairs each event marks dirty)
_TRIGGERS: tuple[tuple[str, str, str, tuple[tuple[str, str], ...]], ...] = (
    ("edition", "ins", "INSERT", (("edition", "NEW.id"),)),
    (
        "edition",
        "upd",
        "UPDATE OF title, publisher, place, csl, merged_into, work_id",
        (("edition", "OLD.id"), ("edition", "OLD.merged_into"), ("edition", "NEW.merged_into")),
    ),
    ("edition", "del", "DELETE", (("edition", "OLD.id"), ("edition", "OLD.merged_into"))),
    ("contributor", "ins", "INSERT", (("edition", "NEW.edition_id"),)),
    ("contributor", "upd", "UPDATE", (("edition", "OLD.edition_id"), ("edition", "NEW.edition_id"))),
    ("contributor", "del", "DELETE", (("edition", "OLD.edition_id"),)),
    ("name_form", "ins", "INSERT", (("person", "NEW.person_id"),)),
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


def ensure_search(engine: Engine) -> None:
    """Create the index, its dirty set and triggers when missing, and fill a new index."""
    with engine.begin() as conn:
        if engine.dialect.name == "sqlite":
            present = conn.exec_driver_sql("SELECT 1 FROM sqlite_master WHERE name = 'search_fts'").first()
            if present is not None:
                return
            for statement in (*_SQLITE_DDL, *_sqlite_triggers()):
                conn.exec_driver_sql(statement)
        else:
            present = conn.exec_driver_sql("SELECT to_regclass('search_doc')").scalar()
            if present is not None:
                return
            for statement in _pg_statements():
                conn.exec_driver_sql(statement)
        # an older catalog that had no index: everything in it is new to the index
        conn.exec_driver_sql("INSERT INTO search_dirty (kind, ref) SELECT 'edition', id FROM edition")


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
        for chunk in _chunks(persons):
            editions.update(session.exec(select(Contributor.edition_id).where(col(Contributor.person_id).in_(chunk))))
    if by_kind["work"]:
        roots = set(roots_of(session, WorkRow, by_kind["work"]).values())
        works = sorted(members_of(session, WorkRow, roots))
        for chunk in _chunks(works):
            editions.update(
                e for e in session.exec(select(EditionRow.id).where(col(EditionRow.work_id).in_(chunk))) if e
            )
    return editions


def refresh_search(conn: Connection) -> int:
    """Rebuild the index rows of every edition a change touched; return how many rows were written."""
    rows = _fetch(conn, "SELECT DISTINCT kind, ref FROM search_dirty")
    if not rows:
        return 0
    marks = [(str(kind), int(ref)) for kind, ref in rows if ref is not None]
    with _joined(conn) as session:
        written = _rewrite(session, _touched_editions(session, marks))
    conn.exec_driver_sql("DELETE FROM search_dirty")
    return written


def rebuild_search(conn: Connection) -> int:
    """Rebuild the whole index (after a bulk load that bypassed it); return the rows written."""
    table = "search_fts" if _sqlite(conn) else "search_doc"
    conn.exec_driver_sql(f"DELETE FROM {table}")
    roots = [e for (e,) in conn.exec_driver_sql("SELECT id FROM edition WHERE merged_into IS NULL ORDER BY id")]
    written = 0
    with _joined(conn) as session:
        for chunk in _chunks(roots):
            written += _write_rows(conn, _documents(session, chunk))
    conn.exec_driver_sql("DELETE FROM search_dirty")
    return written


def _rewrite(session: Session, touched: set[int]) -> int:
    """Drop the rows of touched editions and of their roots, then write the live roots' rows again."""
    roots = roots_of(session, EditionRow, touched)
    stale = sorted(touched | set(roots.values()))
    conn = session.connection()
    live: list[int] = []
    for chunk in _chunks(stale):
        marks = ", ".join(str(int(i)) for i in chunk)
        if _sqlite(conn):
            conn.exec_driver_sql(f"DELETE FROM search_fts WHERE rowid IN ({marks})")
        else:
            conn.exec_driver_sql(f"DELETE FROM search_doc WHERE edition_id IN ({marks})")
        live.extend(
            e for (e,) in conn.exec_driver_sql(f"SELECT id FROM edition WHERE merged_into IS NULL AND id IN ({marks})")
        )
    written = 0
    for chunk in _chunks(sorted(live)):
        written += _write_rows(conn, _documents(session, chunk))
    return written


def _chunks(ids: Sequence[int]) -> Iterable[list[int]]:
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
    for chunk in _chunks(ids):
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
    for chunk in _chunks(sorted(set(work_roots.values()))):
        work_titles.update(
            (w, t) for w, t in session.exec(select(WorkRow.id, WorkRow.title).where(col(WorkRow.id).in_(chunk))) if w
        )
    person_roots = roots_of(session, PersonRow, {p for _, p in contributors})
    person_members = members_of(session, PersonRow, set(person_roots.values()))
    forms: dict[int, list[str]] = defaultdict(list)
    for chunk in _chunks(sorted(person_members)):
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
    if _sqlite(conn):
        conn.exec_driver_sql(
            f"INSERT INTO search_fts (rowid, {', '.join(COLUMNS)}) VALUES (?, {', '.join('?' for _ in COLUMNS)})",
            [(eid, *(fold_text(doc[c]) for c in COLUMNS)) for eid, doc in docs],
        )
    else:
        weights = dict(zip(COLUMNS, "ABCDD", strict=True))
        vector = " || ".join(f"setweight(to_tsvector('simple', :{c}), '{weights[c]}')" for c in COLUMNS)
        conn.execute(
            text(
                f"INSERT INTO search_doc (edition_id, {', '.join(COLUMNS)}, tsv) "
                f"VALUES (:eid, {', '.join(':' + c for c in COLUMNS)}, {vector})"
            ),
            [{"eid": eid, **{c: fold_text(doc[c]) for c in COLUMNS}} for eid, doc in docs],
        )
    return len(docs)


@contextmanager
def _joined(conn: Connection) -> Iterator[Session]:
    """An ORM session inside the connection's transaction (begun here when a bare cursor only read so far).

    The session joins that transaction and closing it ends nothing: the caller commits the connection.
    """
    if not conn.in_transaction():
        conn.begin()
    with Session(bind=conn) as session:
        yield session


def _sqlite(conn: Connection) -> bool:
    """True on SQLite, False on PostgreSQL."""
    return conn.dialect.name == "sqlite"


# --- queries --------------------------------------------------------------------------------

_TOKEN = re.compile(r'"[^"]*"?|\(|\)|[^\s()"]+')
_OPERATORS = {"AND", "OR", "NOT"}


@dataclass(frozen=True)
class _Term:
    """One piece of a parsed query: an operator, a parenthesis, or words (a phrase) maybe with a prefix star."""

    kind: str  # "op", "open", "close", "words"
    value: str = ""
    words: tuple[str, ...] = ()
    prefix: bool = False
    column: str | None = None


def _parse(query: str) -> list[_Term]:
    """Split a query into terms: words, "phrases", prefix*, OR / AND / NOT, -word, column:word, parentheses."""
    out: list[_Term] = []
    for token in _TOKEN.findall(query):
        if token in ("(", ")"):
            out.append(_Term("open" if token == "(" else "close"))
            continue
        if token in _OPERATORS:
            out.append(_Term("op", token))
            continue
        negate = token.startswith("-") and len(token) > 1
        if negate:
            token = token[1:]
            out.append(_Term("op", "NOT"))
        column = None
        name, colon, rest = token.partition(":")
        if colon and name.lower() in _ALIASES and not name.startswith('"'):
            column, token = _ALIASES[name.lower()], rest
            if not token:
                raise UsageError(f"nothing after {name}: in the search {query!r}")
        if token.startswith('"') and (len(token) == 1 or not token.endswith('"')):
            raise UsageError(f"unclosed quote in the search {query!r}")
        prefix = token.endswith("*")
        words = tuple(fold_text(token.strip('"').rstrip("*")).split())
        if not words:
            if token.strip('"*'):
                continue  # punctuation alone matches nothing and means nothing
            raise UsageError(f"empty term in the search {query!r}")
        out.append(_Term("words", words=words, prefix=prefix, column=column))
    return out


def fts_expression(query: str, column: str | None = None) -> str:
    """A user query as an FTS5 MATCH expression (every word quoted, so punctuation cannot break it)."""
    parts = []
    for term in _parse(query):
        if term.kind == "op":
            parts.append(term.value)
        elif term.kind in ("open", "close"):
            parts.append("(" if term.kind == "open" else ")")
        else:
            phrase = '"' + " ".join(term.words) + '"' + ("*" if term.prefix else "")
            where = term.column or column
            parts.append(f"{where} : {phrase}" if where else phrase)
    return " ".join(parts)


def _ts_expression(query: str, column: str | None = None) -> str:
    """A user query as a PostgreSQL to_tsquery expression (column filters become weights)."""
    weights = dict(zip(COLUMNS, "ABCDD", strict=True))
    parts: list[str] = []
    for term in _parse(query):
        joiner = bool(parts) and parts[-1] not in ("|", "&", "!", "(")
        if term.kind == "op":
            parts.append({"AND": "&", "OR": "|"}.get(term.value, "& !" if joiner else "!"))
            continue
        if term.kind == "open":
            if joiner:
                parts.append("&")
            parts.append("(")
            continue
        if term.kind == "close":
            parts.append(")")
            continue
        where = term.column or column
        label = weights[where] if where else ""
        lexemes = [w.replace("'", "") for w in term.words]
        pieces = [f"'{w}'" + (":" + label if label else "") for w in lexemes]
        if term.prefix:
            pieces[-1] = f"'{lexemes[-1]}':*" + label
        if joiner:
            parts.append("&")
        parts.append("(" + " <-> ".join(pieces) + ")" if len(pieces) > 1 else pieces[0])
    return " ".join(parts)


@dataclass(frozen=True)
class SearchQuery:
    """What a search asks for; every field narrows the result (all empty: every root edition)."""

    text: str | None = None
    author: str | None = None
    title: str | None = None
    publisher: str | None = None
    place: str | None = None
    year_from: int | None = None
    year_to: int | None = None
    type: str | None = None
    tag: str | None = None
    cited_in: tuple[str, ...] = ()
    sort: str | None = None
    limit: int | None = None


@dataclass
class Hit:
    """One root edition found, with what a listing shows of it."""

    edition_id: int
    work_id: int
    citation_key: str | None
    title: str
    authors: list[str]
    year: int | None
    type: str
    publisher: str | None
    place: str | None
    csl: dict[str, Any] = field(repr=False)


def _display_names(csl: dict[str, Any]) -> list[str]:
    """Authors (else editors) of a CSL item as "Given Family" strings."""
    return [
        str(n.get("literal") or " ".join(filter(None, (n.get("given"), n.get("family")))))
        for n in csl.get("author") or csl.get("editor") or []
    ]


def _restricting_sets(conn: Connection, q: SearchQuery) -> set[int] | None:
    """Root editions allowed by --tag and --cited-in (None: no such filter)."""
    if not q.tag and not q.cited_in:
        return None
    with _joined(conn) as session:
        return _allowed_editions(session, q)


def _allowed_editions(session: Session, q: SearchQuery) -> set[int]:
    """Root editions of the works carrying the tag and cited in every document named."""
    conn = session.connection()
    allowed: set[int] | None = None
    param = "?" if _sqlite(conn) else "%s"
    wanted_works: list[set[int]] = []
    if q.tag:
        rows = conn.exec_driver_sql(
            f"SELECT work_tag.work_id FROM work_tag JOIN tag ON tag.id = work_tag.tag_id WHERE tag.name = {param}",
            (q.tag,),
        )
        wanted_works.append({w for (w,) in rows})
    for doc in q.cited_in:
        rows = conn.exec_driver_sql(
            "SELECT DISTINCT edition.work_id FROM citation JOIN document ON document.id = citation.document_id "
            f"JOIN edition ON edition.id = citation.edition_id WHERE document.name = {param}",
            (doc,),
        )
        works = {w for (w,) in rows}
        if not works and conn.exec_driver_sql(f"SELECT 1 FROM document WHERE name = {param}", (doc,)).first() is None:
            raise UsageError(f"no document named {doc!r} (see `biblio documents`)")
        wanted_works.append(set(roots_of(session, WorkRow, works).values()))
    for works in wanted_works:
        members = sorted(members_of(session, WorkRow, set(roots_of(session, WorkRow, works).values())))
        editions: set[int] = set()
        for chunk in _chunks(members):
            editions.update(
                e for e in session.exec(select(EditionRow.id).where(col(EditionRow.work_id).in_(chunk))) if e
            )
        found = set(roots_of(session, EditionRow, editions).values())
        allowed = found if allowed is None else allowed & found
    return allowed or set()


_COLUMNS = "SELECT e.id, e.work_id, e.citation_key, e.title, e.year, e.type, e.publisher, e.place, e.csl, w.merged_into"


def _fields(q: SearchQuery) -> list[tuple[str, str | None]]:
    """The text conditions of a query: (value, column or None for every column)."""
    pairs = ((q.text, None), (q.author, "names"), (q.title, "title"), (q.publisher, "publisher"), (q.place, "place"))
    return [(value, column) for value, column in pairs if value and value.strip()]


def _statement(q: SearchQuery, sort: str, sqlite: bool, limit: int | None) -> tuple[str, list[Any]]:
    """The SELECT of a search and its parameters, for SQLite (FTS5) or PostgreSQL (tsvector)."""
    texts = _fields(q)
    mark = "?" if sqlite else "%s"
    where: list[str] = []
    params: list[Any] = []
    if texts and sqlite:
        source, rank = "search_fts JOIN edition e ON e.id = search_fts.rowid", "search_fts.rank"
        where.append(f"search_fts MATCH {mark}")
        params.append(" AND ".join(f"({fts_expression(v, c)})" for v, c in texts))
    elif texts:
        expression = " & ".join(f"({_ts_expression(v, c)})" for v, c in texts)
        source, rank = (
            "search_doc s JOIN edition e ON e.id = s.edition_id",
            f"-ts_rank(s.tsv, to_tsquery('simple', {mark}))",
        )
        where.append(f"s.tsv @@ to_tsquery('simple', {mark})")
        params.append(expression)
        for value, column in texts:  # a field on its own column too: place and note share a weight
            if column:
                where.append(f"to_tsvector('simple', s.{column}) @@ to_tsquery('simple', {mark})")
                params.append(_ts_expression(value))
    else:
        source, rank = "edition e", "e.title, e.id"
        where.append("e.merged_into IS NULL")
    narrowing: tuple[tuple[str, int | str | None], ...] = (
        ("e.year >= ", q.year_from),
        ("e.year <= ", q.year_to),
        ("e.type = ", q.type or None),
    )
    for condition, bound in narrowing:
        if bound is not None:
            where.append(condition + mark)
            params.append(bound)
    order = {
        "relevance": rank,
        "title": "e.title, e.id",
        "year": "e.year IS NULL, e.year, e.title, e.id",
        "-year": "e.year IS NULL, e.year DESC, e.title, e.id",
        "author": "e.title, e.id",
    }[sort]
    if order.startswith("-ts_rank"):
        params.append(params[0])
    sql = f"{_COLUMNS} FROM {source} JOIN work w ON w.id = e.work_id WHERE {' AND '.join(where)} ORDER BY {order}"
    return (sql + f" LIMIT {int(limit)}" if limit else sql), params


def _ranked_rows(conn: Connection, q: SearchQuery, limit: int) -> list[Any]:
    """The best `limit` rows when only the text decides (SQLite): ranked and cut inside the index,
    then the few edition rows read by id, so the search costs the index lookup and little more."""
    expression = " AND ".join(f"({fts_expression(v, c)})" for v, c in _fields(q))
    ranked = [
        eid
        for (eid,) in _fetch(
            conn, "SELECT rowid FROM search_fts WHERE search_fts MATCH ? ORDER BY rank LIMIT ?", (expression, limit)
        )
    ]
    if not ranked:
        return []
    found = {
        row[0]: row
        for row in _fetch(
            conn,
            f"{_COLUMNS} FROM edition e JOIN work w ON w.id = e.work_id WHERE e.id IN ({', '.join('?' * len(ranked))})",
            tuple(ranked),
        )
    }
    return [found[eid] for eid in ranked if eid in found]


def search_editions(conn: Connection, q: SearchQuery) -> list[Hit]:
    """Root editions matching a query, sorted and limited (the index must be fresh: see refresh_search)."""
    sort = q.sort or ("relevance" if q.text else "title")
    if sort not in SORTS:
        raise UsageError(f"unknown sort {sort!r}: use {', '.join(SORTS)}")
    if q.year_from is not None and q.year_to is not None and q.year_from > q.year_to:
        raise UsageError(f"empty year range {q.year_from}..{q.year_to}")
    allowed = _restricting_sets(conn, q)
    if allowed is not None and not allowed:
        return []
    limit = q.limit if q.limit and allowed is None and sort != "author" else None
    sqlite = _sqlite(conn)
    narrowed = q.year_from is not None or q.year_to is not None or bool(q.type)
    text_only = bool(sqlite and sort == "relevance" and _fields(q)) and not narrowed
    errors = conn.dialect.dbapi.Error  # type: ignore[union-attr]
    try:
        if text_only and limit:
            rows = _ranked_rows(conn, q, limit)
        else:
            sql, params = _statement(q, sort, sqlite, limit)
            rows = _fetch(conn, sql, tuple(params))
    except errors as err:
        message = str(err)
        if "fts5" in message or "tsquery" in message or "no such column" in message:
            raise UsageError(
                f"cannot read the search {' '.join(v for v, _ in _fields(q))!r} ({message}): use words, "
                '"a phrase", prefix*, OR, NOT, parentheses and title:, author:, publisher:, place:, note:'
            ) from err
        raise
    rows = [row for row in rows if allowed is None or row[0] in allowed]
    hits = [_hit(row) for row in rows]
    if sort == "author":
        hits.sort(key=lambda h: (fold_text(h.authors[0].split()[-1]) if h.authors else "\uffff", h.title, h.edition_id))
    if q.limit:
        hits = hits[: q.limit]
    if any(row[-1] is not None for row in rows):  # a hit's work was merged: name its root
        _root_works(conn, hits)
    return hits


def _fetch(conn: Connection, sql: str, params: tuple[Any, ...] = ()) -> list[Any]:
    """Rows of one statement through the bare DB-API cursor: a search is a few small reads, and
    SQLAlchemy's result objects would cost more than the index lookup itself."""
    cursor = conn.connection.dbapi_connection.cursor()  # type: ignore[union-attr]
    try:
        cursor.execute(sql, params)
        return list(cursor.fetchall())
    finally:
        cursor.close()


def _hit(row: Any) -> Hit:
    """A result row as a Hit."""
    eid, work, key, title, year, type_, publisher, place, raw, _ = row
    csl = json.loads(raw) if isinstance(raw, str) else dict(raw)
    return Hit(eid, work, key, title, _display_names(csl), year, type_, publisher, place, csl)


def _root_works(conn: Connection, hits: list[Hit]) -> None:
    """Point each hit at its root work (a work merge leaves editions on the loser's id)."""
    with _joined(conn) as session:
        roots = roots_of(session, WorkRow, {h.work_id for h in hits})
    for hit in hits:
        hit.work_id = roots.get(hit.work_id, hit.work_id)
