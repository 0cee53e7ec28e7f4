"""Writing one document's records in a few batched statements.

Rows of a kind are added together and flushed once (SQLAlchemy sends them as
one multi-row INSERT ... RETURNING), so the cost per document is a handful of
round trips whatever its number of citations.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session, col, select

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
from biblio.model import ROLES, Citation
from biblio.resolve.keys import fold_text, name_form, person_key, title_key
from biblio.resolve.match import block_keys, record_of
from biblio.resolve.persons import family_skeleton

__all__ = ["Added", "write_document"]


@dataclass
class Added:
    """What one document added: what its resolution must look at."""

    editions: list[int] = field(default_factory=list)
    persons: set[int] = field(default_factory=set)


def _names(item: dict[str, Any]) -> list[tuple[str, int, dict[str, Any]]]:
    """(role, position, name) of every contributor of a CSL item."""
    return [(role, i, name) for role in ROLES for i, name in enumerate(item.get(role) or [])]


def _persons(session: Session, items: Sequence[dict[str, Any]], added: Added) -> dict[str, int]:
    """Person ids by exact name key, creating the persons not yet known (one query, one insert)."""
    wanted = {person_key(name): name for item in items for _, _, name in _names(item)}
    if not wanted:
        return {}
    known = {p.match_key: p.id for p in session.exec(
        select(PersonRow).where(col(PersonRow.match_key).in_(list(wanted))).order_by(col(PersonRow.id)))}
    fresh = []
    for key, name in wanted.items():
        if key in known:
            continue
        block = ("org:" + fold_text(name["literal"])) if name.get("literal") else \
            family_skeleton(str(name.get("family") or ""))
        fresh.append(PersonRow(family=name.get("family"), given=name.get("given"), literal=name.get("literal"),
                               match_key=key, block_key=block))
    session.add_all(fresh)
    session.flush()
    session.add_all(NameForm(person_id=p.id, form=name_form(wanted[p.match_key]), family=p.family,  # type: ignore[arg-type]
                             given=p.given, literal=p.literal) for p in fresh)
    out = {key: pid for key, pid in known.items() if pid is not None}
    out.update({p.match_key: p.id for p in fresh if p.id is not None})
    added.persons.update(out.values())
    return out


def _editions(session: Session, items: Sequence[dict[str, Any]], persons: dict[str, int],
              added: Added) -> list[EditionRow]:
    """One new work and edition for each item (deduplication merges them afterwards)."""
    titles = [str(item.get("title") or "[untitled]") for item in items]
    works = [WorkRow(title=t, match_key=title_key(t)) for t in titles]
    session.add_all(works)
    session.flush()
    editions = []
    for item, title, work in zip(items, titles, works, strict=True):
        issued = (item.get("issued") or {}).get("date-parts") or [[None]]
        year = issued[0][0] if issued and issued[0] else None
        editions.append(EditionRow(work_id=work.id, title=title, type=str(item.get("type") or "book"),  # type: ignore[arg-type]
                                   year=year if isinstance(year, int) else None, publisher=item.get("publisher"),
                                   place=item.get("publisher-place"), match_key=title_key(title), csl=item))
    session.add_all(editions)
    session.flush()
    for item, edition in zip(items, editions, strict=True):
        assert edition.id is not None
        added.editions.append(edition.id)
        session.add_all(EditionBlock(edition_id=edition.id, key=k) for k in block_keys(record_of(edition.id, item, ())))
        session.add_all(Contributor(edition_id=edition.id, person_id=persons[person_key(name)], role=role,
                                    position=i) for role, i, name in _names(item))
    return editions


def write_document(session: Session, row: DocumentRow, own_record: dict[str, Any],
                   citations: Sequence[Citation]) -> Added:
    """Insert a document, its own record, its citations, their editions, works and persons."""
    added = Added()
    items = [own_record, *(c.csl for c in citations)]
    persons = _persons(session, items, added)
    editions = _editions(session, items, persons, added)
    row.edition_id = editions[0].id
    session.add(row)
    session.flush()
    assert row.id is not None
    rows = []
    for citation, edition in zip(citations, editions[1:], strict=True):
        span = citation.span or (None, None)
        rows.append(CitationRow(document_id=row.id, edition_id=edition.id, line=citation.line,  # type: ignore[arg-type]
                                span_start=span[0], span_end=span[1], section=citation.section, raw=citation.raw,
                                kind=citation.kind, confidence=citation.confidence,
                                recognizer=citation.recognizer, csl=citation.csl))
    session.add_all(rows)
    session.flush()
    session.add_all(CitationName(citation_id=r.id, person_id=persons[person_key(name)], role=role,  # type: ignore[arg-type]
                                 position=i) for c, r in zip(citations, rows, strict=True)
                    for role, i, name in _names(c.csl))
    session.flush()
    return added
