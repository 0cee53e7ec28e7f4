"""Reading the records to enrich, and storing what enrichment found (empty fields only).

`enrichment_targets` lists root editions passing an export filter that the
source has not yet judged; `save_enrichment` writes one edition's outcome in
the caller's transaction, re-checking inside it that each field is still
empty, so a value a citation or a person gave in the meantime is kept.
"""

from __future__ import annotations

import json
from collections.abc import Collection
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from sqlmodel import Session, col, select

from biblio.catalog.keys import ExportFilter, _matches, _tagged_editions
from biblio.catalog.merges import canonical_values, members_of
from biblio.catalog.provenance import CSL_FIELDS, EnrichmentRow, FieldSource, SuggestedTag, overlay_sources
from biblio.catalog.tables import EditionRow
from biblio.resolve.keys import fold_text

__all__ = ["EnrichmentPlan", "Target", "enrichment_targets", "save_enrichment"]


@dataclass(frozen=True)
class Target:
    """A root edition to enrich: its ids and canonical record."""

    edition_id: int
    work_id: int
    csl: dict[str, Any]


@dataclass
class EnrichmentPlan:
    """What enrichment decided for one edition: the verdict, the values to fill, the suggestions."""

    edition_id: int
    work_id: int
    source: str
    status: str
    score: float | None = None
    reasons: list[str] = field(default_factory=list)
    work_ref: str | None = None
    edition_ref: str | None = None
    #: CSL field -> (value, reference URL)
    fills: dict[str, tuple[Any, str]] = field(default_factory=dict)
    #: subject -> reference URL
    suggestions: dict[str, str] = field(default_factory=dict)


def _names(csl: dict[str, Any]) -> str:
    """Every contributor name of a record, folded, for the --author and --text filters."""
    parts = []
    for role in ("author", "editor", "compiler"):
        for name in csl.get(role) or []:
            if isinstance(name, dict):
                parts.append(fold_text(" ".join(str(name.get(k) or "") for k in ("given", "family", "literal"))))
    return " ".join(parts)


def enrichment_targets(
    session: Session, source: str, flt: ExportFilter | None = None, redo: Collection[str] | None = ()
) -> list[Target]:
    """Root editions passing the filter, in id order, skipping those `source` already judged.

    `redo` names the statuses judged again ("refused", "no-match"); None judges every record again.
    """
    flt = flt or ExportFilter()
    tagged = _tagged_editions(session, flt.tag) if flt.tag else None
    judged = {
        eid: status
        for eid, status in session.exec(
            select(EnrichmentRow.edition_id, EnrichmentRow.status).where(EnrichmentRow.source == source)
        )
    }
    rows = session.exec(
        select(EditionRow.id, EditionRow.work_id, EditionRow.csl)
        .where(col(EditionRow.merged_into).is_(None))
        .order_by(col(EditionRow.id))
    )
    out = []
    for eid, work_id, raw in rows:
        assert eid is not None
        csl = json.loads(raw) if isinstance(raw, str) else dict(raw)
        if tagged is not None and eid not in tagged:
            continue
        if eid in judged and redo is not None and judged[eid] not in redo:
            continue
        if _matches(csl, _names(csl), flt):
            out.append(Target(eid, work_id, csl))
    return out


def save_enrichment(session: Session, plan: EnrichmentPlan) -> list[str]:
    """Store one edition's outcome; return the fields actually filled (still empty when stored)."""
    edition = session.get(EditionRow, plan.edition_id)
    if edition is None:
        return []
    now = datetime.now(UTC)
    filled = []
    for name, (value, ref) in plan.fills.items():
        if edition.csl.get(name) not in (None, "", []):
            continue
        row = session.exec(
            select(FieldSource).where(
                FieldSource.edition_id == plan.edition_id, FieldSource.field == name, FieldSource.source == plan.source
            )
        ).first()
        if row is not None and row.value == value:  # known already (an id recorded by an earlier run)
            continue
        row = row or FieldSource(edition_id=plan.edition_id, field=name, value=value, source=plan.source, ref=ref)
        row.value, row.ref, row.at = value, ref, now
        session.add(row)
        filled.append(name)
    session.flush()
    if any(name in CSL_FIELDS for name in filled):
        members = members_of(session, EditionRow, [plan.edition_id])
        csl = overlay_sources(session, members, dict(edition.csl))
        for column, value in canonical_values([csl]).items():
            setattr(edition, column, value)
        session.add(edition)
    for name, ref in plan.suggestions.items():
        if session.get(SuggestedTag, (plan.work_id, name)) is None:
            session.add(SuggestedTag(work_id=plan.work_id, name=name, source=plan.source, ref=ref, at=now))
    verdict = session.get(EnrichmentRow, (plan.edition_id, plan.source)) or EnrichmentRow(
        edition_id=plan.edition_id, source=plan.source, status=plan.status
    )
    verdict.status, verdict.score, verdict.reasons = plan.status, plan.score, list(plan.reasons)
    verdict.work_ref, verdict.edition_ref, verdict.checked_at = plan.work_ref, plan.edition_ref, now
    session.add(verdict)
    return filled
