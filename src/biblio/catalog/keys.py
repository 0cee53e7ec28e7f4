"""Citation keys in the catalog, and the records an export reads.

A root edition gets its key the first time it is exported (or when it is
imported with one) and keeps it: exports are stable.  `rekey` regenerates
every key on request.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, text, update
from sqlmodel import Session, col, select

from biblio.catalog.merges import root_map
from biblio.catalog.rawsql import driver_cursor, json_loader
from biblio.catalog.tables import Contributor, EditionRow, NameForm, TagRow, WorkRow, WorkTag
from biblio.catalog.writer import core_table, update_rows
from biblio.export.keys import unique_key
from biblio.resolve.keys import fold_text

__all__ = ["ExportFilter", "assign_keys", "export_records", "rekey"]


@dataclass(frozen=True)
class ExportFilter:
    """Which editions an export takes (all when every field is empty)."""

    text: str | None = None
    author: str | None = None
    year_from: int | None = None
    year_to: int | None = None
    type: str | None = None
    tag: str | None = None
    #: only these citation keys (a reading list's editions)
    keys: frozenset[str] | None = None


def assign_keys(session: Session) -> int:
    """Give every root edition without a key a unique one; return how many were given.

    Read and written through the driver (`rawsql`, `writer.update_rows`): the first export or `show`
    of a large catalog keys every edition at once, and the ORM's rows and bulk UPDATE cost more than
    the keys themselves (a million editions: about 68 s before).
    """
    missing = session.exec(
        select(func.count())
        .select_from(EditionRow)
        .where(col(EditionRow.merged_into).is_(None), col(EditionRow.citation_key).is_(None))
    ).one()
    if not missing:
        return 0
    session.flush()
    load = json_loader(session)
    with driver_cursor(session.connection()) as cursor:
        cursor.execute("SELECT citation_key FROM edition WHERE citation_key IS NOT NULL")
        taken = {key for (key,) in cursor.fetchall()}
        cursor.execute("SELECT id, csl FROM edition WHERE merged_into IS NULL AND citation_key IS NULL ORDER BY id")
        rows = cursor.fetchall()
    updates = []
    for eid, csl in rows:
        key = unique_key(load(csl), taken)
        taken.add(key)
        updates.append((key, eid))
    update_rows(session, core_table(EditionRow), ("citation_key",), updates)
    return len(updates)


def rekey(session: Session) -> int:
    """Regenerate every root edition's key; return how many keys changed."""
    before = dict(session.exec(select(EditionRow.id, EditionRow.citation_key)).all())
    session.execute(update(EditionRow).values(citation_key=None))
    assign_keys(session)
    after = dict(session.exec(select(EditionRow.id, EditionRow.citation_key)).all())
    return sum(1 for eid, key in after.items() if key is not None and before.get(eid) != key)


def _matches(csl: dict[str, Any], names: str, flt: ExportFilter) -> bool:
    """True when a record passes the filter."""
    if flt.type and csl.get("type") != flt.type:
        return False
    if flt.year_from is not None or flt.year_to is not None:
        year = None
        with contextlib.suppress(KeyError, IndexError, TypeError, ValueError):
            year = int(csl["issued"]["date-parts"][0][0])
        if year is None:
            return False
        if flt.year_from is not None and year < flt.year_from:
            return False
        if flt.year_to is not None and year > flt.year_to:
            return False
    if flt.author and fold_text(flt.author) not in names:
        return False
    if flt.text:
        haystack = fold_text(" ".join(str(csl.get(k) or "") for k in ("title", "publisher", "note")) + " " + names)
        if fold_text(flt.text) not in haystack:
            return False
    return True


def _tagged_editions(session: Session, tag: str) -> set[int]:
    """Root editions whose work (through any merge) carries the tag."""
    query = select(WorkTag.work_id).join(TagRow, col(TagRow.id) == col(WorkTag.tag_id)).where(TagRow.name == tag)
    works = set(session.exec(query))
    work_roots = root_map(session, WorkRow)
    works |= {w for w, root in work_roots.items() if root in works}
    edition_roots = root_map(session, EditionRow)
    out = set()
    for eid, work in session.exec(select(EditionRow.id, EditionRow.work_id)):
        root_work = work_roots.get(work, work)
        if work in works or root_work in works:
            out.add(edition_roots.get(eid or 0, eid or 0))
    return out


def export_records(session: Session, flt: ExportFilter | None = None) -> list[tuple[str, dict[str, Any]]]:
    """(key, canonical CSL item) of every root edition passing the filter, by key."""
    assign_keys(session)
    flt = flt or ExportFilter()
    names: dict[int, list[str]] = {}
    if flt.author or flt.text:
        forms = session.exec(
            select(Contributor.edition_id, NameForm.form)
            .join(NameForm, col(NameForm.person_id) == col(Contributor.person_id))
            .order_by(col(Contributor.id), col(NameForm.id))  # the joined names read alike on every backend
        )
        roots = root_map(session, EditionRow)
        for eid, form in forms:
            names.setdefault(roots.get(eid, eid), []).append(fold_text(form))
    tagged = _tagged_editions(session, flt.tag) if flt.tag else None
    # plain rows, not ORM objects: an export reads every row, and ORM rows would double its cost;
    # the JSON is decoded here (SQLite returns text, psycopg a parsed value)
    cursor = session.connection().execute(
        text("SELECT id, citation_key, CAST(csl AS TEXT) FROM edition WHERE merged_into IS NULL")
    )
    by_record = bool(flt.type or flt.author or flt.text or flt.year_from is not None or flt.year_to is not None)
    out = []
    for eid, key, raw in cursor:
        if flt.keys is not None and key not in flt.keys:
            continue
        if tagged is not None and eid not in tagged:
            continue
        csl = json.loads(raw)
        if not by_record or _matches(csl, " ".join(names.get(eid, [])), flt):
            out.append((str(key), csl))
    # sorted here, not by ORDER BY: a server's collation would order keys differently from SQLite
    out.sort(key=lambda pair: pair[0])
    return out
