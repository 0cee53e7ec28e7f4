"""Searching the index: the query language, and the editions a query finds.

A query is parsed once into words, "phrases", prefix*, OR / AND / NOT,
parentheses and field prefixes (`title:`, `author:` ...), then written as an
FTS5 MATCH expression (SQLite) or a `to_tsquery` expression (PostgreSQL), every
word folded as the index text was (see search_index).  A query the database
still rejects is a UsageError, never a traceback.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.engine import Connection
from sqlmodel import Session, col, select

from biblio.catalog.merges import members_of, roots_of
from biblio.catalog.search_index import (
    COLUMNS,
    WEIGHTS,
    chunks,
    ensure_search,
    fetch_rows,
    is_sqlite,
    joined_session,
    rebuild_search,
    refresh_search,
)
from biblio.catalog.tables import EditionRow, WorkRow
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

_ALIASES = {"author": "names", "name": "names", **{c: c for c in COLUMNS}}
SORTS = ("relevance", "title", "year", "-year", "author")


#: a phrase (maybe negated, maybe after a field name), a parenthesis, or a run of anything else
_TOKEN = re.compile(r'-?(?:[A-Za-z]+:)?"[^"]*"?|\(|\)|[^\s()"]+')
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
    parts: list[str] = []
    for term in _parse(query):
        joiner = bool(parts) and parts[-1] not in ("|", "&", "!", "& !", "(")
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
        label = WEIGHTS[where] if where else ""
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
    with joined_session(conn) as session:
        return _allowed_editions(session, q)


def _allowed_editions(session: Session, q: SearchQuery) -> set[int]:
    """Root editions of the works carrying the tag and cited in every document named."""
    conn = session.connection()
    allowed: set[int] | None = None
    param = "?" if is_sqlite(conn) else "%s"
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
        for chunk in chunks(members):
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
    then the few edition rows read by id, so the search costs the index lookup and little more.

    Two statements: a join with the ranked rows (one statement) measured 0.044 ms against 0.035 ms
    for a one-row answer at 1M editions, SQLite materialising the ranking before the join."""
    expression = " AND ".join(f"({fts_expression(v, c)})" for v, c in _fields(q))
    ranked = [
        eid
        for (eid,) in fetch_rows(
            conn, "SELECT rowid FROM search_fts WHERE search_fts MATCH ? ORDER BY rank LIMIT ?", (expression, limit)
        )
    ]
    if not ranked:
        return []
    found = {
        row[0]: row
        for row in fetch_rows(
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
    sqlite = is_sqlite(conn)
    narrowed = q.year_from is not None or q.year_to is not None or bool(q.type)
    text_only = bool(sqlite and sort == "relevance" and _fields(q)) and not narrowed
    errors = conn.dialect.dbapi.Error  # type: ignore[union-attr]
    try:
        if text_only and limit:
            rows = _ranked_rows(conn, q, limit)
        else:
            sql, params = _statement(q, sort, sqlite, limit)
            rows = fetch_rows(conn, sql, tuple(params))
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


def _hit(row: Any) -> Hit:
    """A result row as a Hit."""
    eid, work, key, title, year, type_, publisher, place, raw, _ = row
    csl = json.loads(raw) if isinstance(raw, str) else dict(raw)
    return Hit(eid, work, key, title, _display_names(csl), year, type_, publisher, place, csl)


def _root_works(conn: Connection, hits: list[Hit]) -> None:
    """Point each hit at its root work (a work merge leaves editions on the loser's id)."""
    with joined_session(conn) as session:
        roots = roots_of(session, WorkRow, {h.work_id for h in hits})
    for hit in hits:
        hit.work_id = roots.get(hit.work_id, hit.work_id)
