"""Tags on works: a reader's own shelves ("civil war", "to read").

A work is named by its id or by the citation key of one of its editions;
tags are kept on the root work, so they follow merges.
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from biblio.catalog.keys import assign_keys
from biblio.catalog.merges import follow
from biblio.catalog.tables import EditionRow, TagRow, WorkRow, WorkTag
from biblio.errors import UsageError

__all__ = ["resolve_work", "tag_work", "untag_work", "work_tags"]


def resolve_work(session: Session, ref: str) -> int:
    """The root work named by a work id or an edition's citation key."""
    if ref.isdigit() and session.get(WorkRow, int(ref)) is not None:
        return follow(session, WorkRow, int(ref))
    assign_keys(session)  # a key is given once, at first need
    edition = session.exec(select(EditionRow).where(EditionRow.citation_key == ref)).first()
    if edition is None:
        raise UsageError(f"no work {ref!r}: give a work id or a citation key (see `biblio export bibtex`)")
    root = session.get(EditionRow, follow(session, EditionRow, edition.id or 0)) or edition
    return follow(session, WorkRow, root.work_id)


def tag_work(session: Session, ref: str, tags: list[str]) -> list[str]:
    """Add tags to a work; return its tags."""
    work = resolve_work(session, ref)
    for name in (t.strip() for t in tags):
        if not name:
            raise UsageError("a tag cannot be empty")
        tag = session.exec(select(TagRow).where(TagRow.name == name)).first()
        if tag is None:
            tag = TagRow(name=name)
            session.add(tag)
            session.flush()
        assert tag.id is not None
        if session.get(WorkTag, (work, tag.id)) is None:
            session.add(WorkTag(work_id=work, tag_id=tag.id))
    session.flush()
    return work_tags(session, work)


def untag_work(session: Session, ref: str, tags: list[str]) -> list[str]:
    """Remove tags from a work; return its tags."""
    work = resolve_work(session, ref)
    for name in tags:
        tag = session.exec(select(TagRow).where(TagRow.name == name)).first()
        link = session.get(WorkTag, (work, tag.id)) if tag is not None and tag.id is not None else None
        if link is None:
            raise UsageError(f"work {ref} has no tag {name!r}")
        session.delete(link)
    session.flush()
    return work_tags(session, work)


def work_tags(session: Session, work: int) -> list[str]:
    """The tags of a work, sorted."""
    rows = session.exec(
        select(TagRow.name).join(WorkTag, col(WorkTag.tag_id) == col(TagRow.id)).where(WorkTag.work_id == work)
    )
    return sorted(rows)
