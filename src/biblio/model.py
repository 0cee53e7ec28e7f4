"""Plain typed records shared by every stage of the pipeline.

Documents are read into `Document` (a list of `Block`), recognizers turn blocks
into `Citation` records whose `csl` dict says what the text says (CSL-JSON
1.0.2 variable names), and the catalog stores them.  Nothing here touches a
database or the file system.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

__all__ = [
    "ROLES",
    "Block",
    "BlockKind",
    "Citation",
    "CitationKind",
    "CslItem",
    "Document",
    "Failure",
]

BlockKind = Literal["heading", "paragraph", "list_item", "line"]
CitationKind = Literal["list", "prose", "metadata"]
CslItem = dict[str, Any]

#: The contributor roles biblio tracks, in the order the JSON contract lists them.
ROLES: tuple[str, ...] = ("author", "editor", "compiler")


@dataclass(frozen=True)
class Block:
    """A unit of text (a paragraph, a list item, a heading) with its place in the file.

    `line` is the 1-based line of the file as given on which the block starts;
    `section` the nearest heading above it (or None).  `text` is the block's
    text with markup removed, on one line.
    """

    text: str
    line: int
    kind: BlockKind = "paragraph"
    section: str | None = None
    #: character offset of `text` in the file's decoded text, when known
    offset: int | None = None
    #: True when the block is an item of a list (Markdown bullet, HTML <li>)
    listed: bool = False


@dataclass
class Document:
    """A source document: where it came from, its decoded text and its blocks."""

    name: str
    text: str
    blocks: list[Block]
    format: Literal["text", "markdown", "html"] = "text"
    path: str | None = None
    sha256: str = ""
    encoding: str = "utf-8"
    #: what the document says about itself (title, author, date, container)
    metadata: CslItem = field(default_factory=dict)


@dataclass
class Citation:
    """One mention of a work in a document, as the text gives it."""

    source: str
    line: int
    raw: str
    kind: CitationKind
    confidence: float
    csl: CslItem
    recognizer: str = ""
    section: str | None = None
    #: [start, end) character span of `raw` in the document's text, when known
    span: tuple[int, int] | None = None
    #: other forms of a name the text gives ("K (AB) Marlowe"), by "role:position"
    name_variants: dict[str, list[CslItem]] = field(default_factory=dict)


@dataclass(frozen=True)
class Failure:
    """Input that could not be read, kept as data next to what could."""

    source: str
    reason: str
    line: int | None = None
