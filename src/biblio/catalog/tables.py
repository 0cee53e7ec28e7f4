"""SQLModel tables of the catalog.

documents -> citations -> editions -> works, with persons (and every name
form seen) linked to editions through contributor roles and to citations
through the names each citation gives.  CSL items are stored as JSON: the
citation's as the text gave it, the edition's as the canonical record.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, UniqueConstraint
from sqlmodel import Field, SQLModel

__all__ = [
    "SCHEMA_VERSION",
    "CitationName",
    "CitationRow",
    "Contributor",
    "Decision",
    "DocumentRow",
    "EditionBlock",
    "EditionRow",
    "MergeLog",
    "MetaRow",
    "NameForm",
    "PersonRow",
    "ReviewPair",
    "TagRow",
    "WorkRow",
    "WorkTag",
]

#: Bumped whenever a table changes shape; a catalog of another version is refused.
SCHEMA_VERSION = 1


def _now() -> datetime:
    """The current time in UTC (a default for timestamps)."""
    return datetime.now(UTC)


class MetaRow(SQLModel, table=True):
    """Key/value facts about the catalog itself (the schema version)."""

    __tablename__ = "biblio_meta"
    key: str = Field(primary_key=True)
    value: str


class WorkRow(SQLModel, table=True):
    """A work: what every edition of the same book has in common."""

    __table_args__ = {"sqlite_autoincrement": True}

    __tablename__ = "work"
    id: int | None = Field(default=None, primary_key=True)
    title: str
    match_key: str = Field(default="", index=True)
    merged_into: int | None = Field(default=None, foreign_key="work.id", index=True)
    created_at: datetime = Field(default_factory=_now)


class EditionRow(SQLModel, table=True):
    """One edition: a work printed by one publisher in one year."""

    __table_args__ = {"sqlite_autoincrement": True}

    __tablename__ = "edition"
    id: int | None = Field(default=None, primary_key=True)
    work_id: int = Field(foreign_key="work.id", index=True)
    title: str
    type: str = "book"
    year: int | None = Field(default=None, index=True)
    publisher: str | None = None
    place: str | None = None
    match_key: str = Field(default="", index=True)
    citation_key: str | None = Field(default=None, unique=True)
    merged_into: int | None = Field(default=None, foreign_key="edition.id", index=True)
    csl: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(default_factory=_now)


class EditionBlock(SQLModel, table=True):
    """A blocking key of an edition: only editions sharing a key are compared."""

    __tablename__ = "edition_block"
    edition_id: int = Field(foreign_key="edition.id", primary_key=True)
    key: str = Field(primary_key=True, index=True)


class PersonRow(SQLModel, table=True):
    """A person or organisation: the authority record behind every name form."""

    __table_args__ = {"sqlite_autoincrement": True}

    __tablename__ = "person"
    id: int | None = Field(default=None, primary_key=True)
    family: str | None = None
    given: str | None = None
    literal: str | None = None
    match_key: str = Field(default="", index=True)
    #: family-name skeleton: only persons sharing it are compared
    block_key: str = Field(default="", index=True)
    merged_into: int | None = Field(default=None, foreign_key="person.id", index=True)


class NameForm(SQLModel, table=True):
    """A way a person's name was written ("WP Doe", "W. P. Doe")."""

    __tablename__ = "name_form"
    __table_args__ = (UniqueConstraint("person_id", "form"),)
    id: int | None = Field(default=None, primary_key=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    form: str
    family: str | None = None
    given: str | None = None
    literal: str | None = None


class Contributor(SQLModel, table=True):
    """A person's role on an edition (author, editor, compiler, ...), in order."""

    __tablename__ = "contributor"
    __table_args__ = (UniqueConstraint("edition_id", "role", "position"),)
    id: int | None = Field(default=None, primary_key=True)
    edition_id: int = Field(foreign_key="edition.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    role: str
    position: int


class DocumentRow(SQLModel, table=True):
    """An ingested document: where it came from, its hash and what it says of itself."""

    __table_args__ = {"sqlite_autoincrement": True}

    __tablename__ = "document"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(index=True)
    origin: str = Field(unique=True)
    sha256: str
    format: str
    encoding: str
    csl: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    edition_id: int | None = Field(default=None, foreign_key="edition.id")
    ingested_at: datetime = Field(default_factory=_now)


class CitationRow(SQLModel, table=True):
    """One mention of a work in a document, with its provenance."""

    __tablename__ = "citation"
    __table_args__ = (Index("ix_citation_document_line", "document_id", "line"), {"sqlite_autoincrement": True})
    id: int | None = Field(default=None, primary_key=True)
    document_id: int = Field(foreign_key="document.id")
    edition_id: int = Field(foreign_key="edition.id", index=True)
    line: int
    span_start: int | None = None
    span_end: int | None = None
    section: str | None = None
    raw: str
    kind: str
    confidence: float
    recognizer: str = ""
    csl: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


class CitationName(SQLModel, table=True):
    """The person behind each name a citation gives, by role and position."""

    __tablename__ = "citation_name"
    __table_args__ = (UniqueConstraint("citation_id", "role", "position"),)
    id: int | None = Field(default=None, primary_key=True)
    citation_id: int = Field(foreign_key="citation.id", index=True)
    person_id: int = Field(foreign_key="person.id", index=True)
    role: str
    position: int


class TagRow(SQLModel, table=True):
    """A user's tag ("civil war", "to read")."""

    __tablename__ = "tag"
    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True)


class WorkTag(SQLModel, table=True):
    """A tag on a work."""

    __tablename__ = "work_tag"
    work_id: int = Field(foreign_key="work.id", primary_key=True)
    tag_id: int = Field(foreign_key="tag.id", primary_key=True)


class MergeLog(SQLModel, table=True):
    """One merge of two records, with its score and reasons; undone merges are kept."""

    __table_args__ = {"sqlite_autoincrement": True}

    __tablename__ = "merge_log"
    id: int | None = Field(default=None, primary_key=True)
    kind: str  # "edition", "work" or "person"
    winner_id: int
    loser_id: int
    score: float
    reasons: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    #: the merge this one was applied with (an edition merge also merges works)
    parent_id: int | None = Field(default=None, foreign_key="merge_log.id")
    automatic: bool = True
    created_at: datetime = Field(default_factory=_now)
    undone_at: datetime | None = None


class Decision(SQLModel, table=True):
    """A person's verdict on a pair, by content fingerprints so it survives re-ingesting."""

    __tablename__ = "decision"
    __table_args__ = (UniqueConstraint("kind", "key_a", "key_b"),)
    id: int | None = Field(default=None, primary_key=True)
    kind: str
    key_a: str
    key_b: str
    verdict: str  # "same" or "different"
    created_at: datetime = Field(default_factory=_now)


class ReviewPair(SQLModel, table=True):
    """A pair scored between the thresholds, waiting for a person's decision."""

    __tablename__ = "review_pair"
    __table_args__ = (UniqueConstraint("kind", "a_id", "b_id"), {"sqlite_autoincrement": True})
    id: int | None = Field(default=None, primary_key=True)
    kind: str
    a_id: int
    b_id: int
    score: float
    reasons: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    status: str = "pending"  # "pending", "same", "different", "skipped"
