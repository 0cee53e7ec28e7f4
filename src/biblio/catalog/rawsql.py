"""Reads on the hot path of storing a document, through the driver's own cursor.

Resolving one document runs a few dozen reads of ids and CSL items by long
IN lists.  Through the ORM each costs its statement's parameter expansion and
result processing, more than the database's own work; these helpers send
fixed SQL text (the driver caches its prepared form) and return plain tuples.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from typing import Any

from sqlalchemy.engine import Connection
from sqlmodel import Session

__all__ = ["CHUNK", "driver_cursor", "json_loader", "select_in"]

CHUNK = 500  # values per IN (...) list


def _placeholder(session: Session) -> str:
    """The driver's positional placeholder."""
    return "?" if session.get_bind().dialect.paramstyle == "qmark" else "%s"


@contextmanager
def driver_cursor(conn: Connection) -> Iterator[Any]:
    """The driver's own cursor on the transaction's connection, closed after use."""
    cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
    try:
        yield cursor
    finally:
        cursor.close()


def select_in(session: Session, sql: str, values: Sequence[Any], before: Sequence[Any] = ()) -> list[tuple[Any, ...]]:
    """Rows of a statement whose `{in}` stands for an IN list, for all `values` (CHUNK at a time).

    `before` are parameters written as `{p}` ahead of the list.  Rows come chunk by chunk: a statement
    that orders its rows orders them within each chunk.
    """
    if not values:
        return []
    session.flush()
    mark = _placeholder(session)
    text = sql.replace("{p}", mark)
    out: list[tuple[Any, ...]] = []
    with driver_cursor(session.connection()) as cursor:
        for start in range(0, len(values), CHUNK):
            part = list(values[start : start + CHUNK])
            cursor.execute(text.replace("{in}", ", ".join([mark] * len(part))), (*before, *part))
            out.extend(tuple(row) for row in cursor.fetchall())
    return out


def json_loader(session: Session) -> Callable[[Any], Any]:
    """What turns a JSON column's value as the driver returns it into Python (SQLite: text; psycopg: done)."""
    if session.get_bind().dialect.name == "sqlite":
        return json.loads
    return lambda value: json.loads(value) if isinstance(value, str) else value
