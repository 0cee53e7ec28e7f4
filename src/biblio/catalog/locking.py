"""Writers take turns: one write transaction at a time per catalog, on every backend.

Storing a document reads the catalog (is this name, this edition known?) and
then writes what it did not find.  Two writers interleaving would both miss a
new name and both create it, so every write transaction takes the catalog's
write lock before its first read, and holds it until it commits:

- SQLite: ``BEGIN IMMEDIATE``.  A deferred ``BEGIN`` reads from a snapshot and
  fails at once with "database is locked" when it tries to write after another
  writer committed; the busy timeout only covers waiting for a free lock.
- PostgreSQL: ``pg_advisory_xact_lock`` (on the catalog's schema) as the first statement.  Under READ
  COMMITTED every later statement then sees what the previous writer committed.

Readers are never blocked (WAL on SQLite, MVCC on PostgreSQL).
"""

from __future__ import annotations

import sqlite3
import time
from typing import Any

from sqlalchemy import event
from sqlalchemy.engine import Connection, Engine

__all__ = ["LOCK_CLASS", "READ_ONE", "WRITE", "configure", "reader", "writer"]

#: the execution option that marks a write transaction
WRITE = "biblio_write"
#: the execution option of a reader whose every statement stands alone (SQLite: no BEGIN, each
#: statement sees the last commit), for reads as short as one index lookup
READ_ONE = "biblio_read_one"
#: biblio's advisory lock class on PostgreSQL ("bibl" in ASCII); the second key is the catalog's schema
#: (hashed), so catalogs in two schemas of one database do not wait for each other (locks are per database)
LOCK_CLASS = 0x6269626C
#: how long a SQLite writer waits for the lock before giving up, in milliseconds
BUSY_TIMEOUT_MS = 60_000


def _wal(cur: Any) -> None:
    """Put the database in WAL mode (once: the mode is kept in the file).

    Switching needs the database to itself, and SQLite answers "database is locked" at once, without
    the busy handler, when another process opens the same new file at that moment: retry until the
    busy timeout.
    """
    deadline = time.monotonic() + BUSY_TIMEOUT_MS / 1000
    delay = 0.005
    while True:
        try:
            if str(cur.execute("PRAGMA journal_mode").fetchone()[0]).lower() != "wal":
                cur.execute("PRAGMA journal_mode=WAL")
            return
        except sqlite3.OperationalError as err:
            if ("locked" not in str(err) and "busy" not in str(err)) or time.monotonic() > deadline:
                raise
            time.sleep(delay)
            delay = min(delay * 2, 0.2)


def _sqlite_connect(dbapi_conn: Any, _record: Any) -> None:
    """WAL for concurrent readers, a busy timeout for waiting writers, FK checks; BEGIN is ours to emit."""
    cur = dbapi_conn.cursor()
    cur.execute(f"PRAGMA busy_timeout={BUSY_TIMEOUT_MS}")
    _wal(cur)
    cur.execute("PRAGMA foreign_keys=ON")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.close()
    # the sqlite3 module would otherwise open transactions itself, deferred and only before a write
    dbapi_conn.isolation_level = None


def _sqlite_begin(conn: Connection) -> None:
    """Open the transaction: IMMEDIATE (the write lock, waiting for it) for a writer."""
    options = conn.get_execution_options()
    if options.get(WRITE):
        conn.exec_driver_sql("BEGIN IMMEDIATE")
    elif not options.get(READ_ONE):
        conn.exec_driver_sql("BEGIN")


def _postgresql_begin(conn: Connection) -> None:
    """A writer's first statement waits for the catalog's lock; it is released at COMMIT or ROLLBACK."""
    if conn.get_execution_options().get(WRITE):
        conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({LOCK_CLASS}, hashtext(current_schema()))")


def _sqlite_connect_read_only(dbapi_conn: Any, _record: Any) -> None:
    """A read-only catalog: no journal mode to set, and no statement may write."""
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA query_only=ON")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()
    dbapi_conn.isolation_level = None


def configure(engine: Engine, read_only: bool = False) -> None:
    """Install the connection settings and the transaction start of the engine's backend."""
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_connect_read_only if read_only else _sqlite_connect)
        event.listen(engine, "begin", _sqlite_begin)
    elif engine.dialect.name == "postgresql":
        event.listen(engine, "begin", _postgresql_begin)


def reader(engine: Engine) -> Engine:
    """The same engine whose connections read without a transaction on SQLite (see READ_ONE)."""
    return engine.execution_options(**{READ_ONE: True})


def writer(engine: Engine) -> Engine:
    """The same engine (same pool) whose transactions take the write lock first."""
    return engine.execution_options(**{WRITE: True})
