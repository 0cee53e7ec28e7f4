"""Where a field came from: values filled in by enrichment, their source, reference and time.

Enrichment never rewrites what citations say: it only fills a field the
edition's canonical record leaves empty, and writes one `FieldSource` row per
value.  Because canonical records are recomputed from citations (on merges,
unmerges, re-ingests), `overlay_sources` puts the filled values back in
whenever the recomputed record still leaves those fields empty.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, NamedTuple

from sqlalchemy import JSON, Column, UniqueConstraint
from sqlmodel import Field, Session, SQLModel, col, select

__all__ = [
    "CSL_FIELDS",
    "EnrichmentRow",
    "FieldOrigin",
    "FieldSource",
    "SuggestedTag",
    "field_sources",
    "overlay_sources",
    "suggested_tags",
]

#: the CSL variables enrichment may fill (other provenance rows, like ids, stay out of the record)
CSL_FIELDS = ("ISBN", "publisher", "publisher-place", "number-of-pages", "original-date")


def _now() -> datetime:
    """The current time in UTC."""
    return datetime.now(UTC)


class FieldSource(SQLModel, table=True):
    """One value filled into an edition from outside the documents: which field, from where, when."""

    __tablename__ = "field_source"
    __table_args__ = (UniqueConstraint("edition_id", "field", "source"), {"sqlite_autoincrement": True})
    id: int | None = Field(default=None, primary_key=True)
    edition_id: int = Field(index=True)
    field: str
    value: Any = Field(sa_column=Column(JSON, nullable=False))
    source: str  # "openlibrary"
    #: the URL (or id) of the record the value was read from
    ref: str
    at: datetime = Field(default_factory=_now)


class EnrichmentRow(SQLModel, table=True):
    """The last enrichment verdict on an edition from one source, so a re-run skips it."""

    __tablename__ = "enrichment"
    edition_id: int = Field(primary_key=True)
    source: str = Field(primary_key=True)
    status: str  # "enriched", "refused", "no-match", "nothing to fill"
    score: float | None = None
    reasons: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    work_ref: str | None = None  # "OL1W"
    edition_ref: str | None = None  # "OL1M"
    checked_at: datetime = Field(default_factory=_now)


class SuggestedTag(SQLModel, table=True):
    """A tag a source suggests for a work (its subjects); applied only by a person."""

    __tablename__ = "suggested_tag"
    work_id: int = Field(primary_key=True)
    name: str = Field(primary_key=True)
    source: str
    ref: str
    at: datetime = Field(default_factory=_now)


class FieldOrigin(NamedTuple):
    """One filled field as `biblio show` lists it."""

    field: str
    value: Any
    source: str
    ref: str
    at: datetime


def _members(session: Session, edition_id: int) -> list[int]:
    """The edition and every edition merged into it."""
    from biblio.catalog.merges import members_of
    from biblio.catalog.tables import EditionRow

    return sorted(members_of(session, EditionRow, [edition_id]))


def field_sources(session: Session, edition_id: int) -> list[FieldOrigin]:
    """Every value filled into an edition (or the editions merged into it), oldest first."""
    ids = _members(session, edition_id)
    rows = session.exec(
        select(FieldSource)
        .where(col(FieldSource.edition_id).in_(ids))
        .order_by(col(FieldSource.at), col(FieldSource.id))
    )
    return [FieldOrigin(r.field, r.value, r.source, r.ref, r.at) for r in rows]


def suggested_tags(session: Session, work_id: int) -> list[str]:
    """The tags suggested for a work, by name."""
    rows = session.exec(
        select(SuggestedTag.name).where(SuggestedTag.work_id == work_id).order_by(col(SuggestedTag.name))
    )
    return list(rows)


def overlay_sources(session: Session, edition_ids: Iterable[int], csl: dict[str, Any]) -> dict[str, Any]:
    """A canonical record with the filled values of these editions put into its empty fields."""
    ids = list(edition_ids)
    if not ids:
        return csl
    rows = session.exec(
        select(FieldSource).where(col(FieldSource.edition_id).in_(ids), col(FieldSource.field).in_(CSL_FIELDS))
    ).all()
    if not rows:
        return csl
    out = dict(csl)
    for row in sorted(rows, key=lambda r: (r.at, r.id or 0)):
        if out.get(row.field) in (None, "", []):
            out[row.field] = row.value
    return out
