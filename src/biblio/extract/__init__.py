"""Document -> citations: every recognizer runs over the blocks, the best reading wins.

One recognizer per citation shape (`listing`, `scholarly`, `further`,
`archive`, `prose`); this module decides which one a block belongs to, using
its context (a list item, a "Further Reading" section, neighbouring entries),
and records provenance (line, span, section, verbatim text).
"""

from __future__ import annotations

import re
from operator import itemgetter
from typing import Any

from biblio.extract.archive import find_archive_author, parse_source_block
from biblio.extract.docmeta import describe_document
from biblio.extract.footnote import FOOTNOTE_CONFIDENCE, parse_footnote
from biblio.extract.further import parse_further_reading
from biblio.extract.listing import VARIANTS, has_page_count, listing_ceiling, parse_listing
from biblio.extract.memo import trim_caches
from biblio.extract.prose import find_prose_citations
from biblio.extract.scholarly import SCHOLARLY_CEILING, parse_scholarly
from biblio.model import Block, Citation, CitationKind, Document
from biblio.resolve.pause import collector_paused

__all__ = ["describe_document", "extract_citations"]

#: Headings under which short lines are list entries.
LIST_SECTION = re.compile(
    r"\b(?:further|suggested|recommended|additional)\s+reading|reading\s+list|bibliograph|"
    r"\breferences\b|\bsources\b|works\s+cited|literature|\bbooks\b|resources|selected\s+works|"
    r"see\s+also|notes\b|footnotes",
    re.IGNORECASE,
)
LIST_MIN = 0.5  # below this a list reading is not trusted
# longer blocks are paragraphs: the longest bookseller entries with their notes run to about 80 words
LISTING_MAX_WORDS = 150
SCHOLARLY_MAX_WORDS = 100
Candidate = tuple[str, list[tuple[dict[str, Any], float]]]
_TRIM_EVERY = 4096  # blocks between two checks of the caches' bounds in one document


def _list_reading(block: Block, previous_authors: list[dict[str, Any]] | None) -> Candidate | None:
    """The best list-entry reading of one block: (recognizer, [(csl, confidence), ...]).

    The best reading is the most confident one; on a tie the first of listing,
    scholarly, footnote wins.  A recognizer runs only while it can still win: each has a
    ceiling on the confidence it can return, and one whose ceiling cannot beat the best
    reading so far is skipped.  That picks exactly what running all three would
    (tests/extract/test_dispatch.py compares both), at about half the cost.
    """
    text = block.text
    words = text.count(" ") + 1
    best: Candidate | None = None
    best_conf = -1.0
    # an entry with a page count is most likely a listing, and a sure one: read first, it
    # settles the others
    listing_first = words <= LISTING_MAX_WORDS and has_page_count(text)
    # a recognizer whose ceiling (the listing's with a margin) is below the best reading, or
    # equal to it but later in `_RANK`, cannot win; ties go to the earlier recognizer
    rank = 3  # `_RANK` of the best reading's recognizer
    for name in _LISTING_FIRST if listing_first else _SCHOLARLY_FIRST:
        listing = name == "listing"
        if words > (LISTING_MAX_WORDS if listing else SCHOLARLY_MAX_WORDS):
            continue
        if best is not None:
            ceiling = listing_ceiling(text, listing_first) + _MARGIN if listing else _CEILINGS[name]
            if not (ceiling > best_conf or (ceiling == best_conf and _RANK[name] < rank)):
                continue
        if listing:
            found = parse_listing(text)
        elif name == "scholarly":
            found = parse_scholarly(text, previous_authors)
        else:
            found = parse_footnote(text)
        if found is not None and (
            best is None or found[1] > best_conf or (found[1] == best_conf and _RANK[name] < rank)
        ):
            best, best_conf, rank = (name, [found]), found[1], _RANK[name]
    return best if best is not None and best_conf >= LIST_MIN else None


_RANK = {"listing": 0, "scholarly": 1, "footnote": 2}
_LISTING_FIRST = ("listing", "scholarly", "footnote")
_SCHOLARLY_FIRST = ("scholarly", "footnote", "listing")
#: listing confidences are sums of multiples of 0.05: a margin far wider than rounding error
_MARGIN = 0.01
_CEILINGS = {"scholarly": SCHOLARLY_CEILING, "footnote": FOOTNOTE_CONFIDENCE}


def _in_list_context(block: Block) -> bool:
    """A list item, or a block under a bibliography-like heading."""
    return block.listed or bool(block.section and LIST_SECTION.search(block.section))


def _citation(
    doc: Document,
    block: Block,
    kind: CitationKind,
    csl: dict[str, Any],
    confidence: float,
    recognizer: str,
    raw: str | None = None,
) -> Citation:
    """A citation with the block's provenance."""
    raw = block.text if raw is None else raw
    variants = csl.pop(VARIANTS, {})
    span = None
    if block.offset is not None:
        head, at = raw[:40], block.offset
        # a block's text mostly starts at its offset: `find` would answer the same, later
        if not doc.text.startswith(head, at):
            at = doc.text.find(head, at)
        if at >= 0:
            span = (at, at + len(raw))
    # positional: a third of the time of keywords, on a path taken once a citation
    # (tests/extract/test_memo.py checks the order against the dataclass's fields)
    return Citation(
        doc.name, block.line, raw, kind, round(confidence, 2), csl, recognizer, block.section, span, variants
    )


def _short_entries(blocks: list[Block], taken: set[int]) -> dict[int, list[tuple[dict[str, Any], float]]]:
    """Short "Author, Title" entries, kept where they stand among other entries."""
    readings = {
        i: r
        for i, b in enumerate(blocks)
        if i not in taken and b.kind != "heading" and (r := parse_further_reading(b.text))
    }
    kept = {}
    for i, reading in readings.items():
        neighbours = [
            j
            for j in (i - 1, i + 1)
            if 0 <= j < len(blocks) and blocks[j].section == blocks[i].section and (j in readings or j in taken)
        ]
        if neighbours and (_in_list_context(blocks[i]) or len(neighbours) == 2):
            kept[i] = reading
    return kept


def extract_citations(doc: Document) -> list[Citation]:
    """Every citation in a document, in order of position.

    The cyclic garbage collector is paused meanwhile: reading a list makes
    hundreds of thousands of short-lived dicts, lists and strings, none in a
    cycle, and the collector walking them took about a sixth of the time.
    """
    with collector_paused():
        try:
            return _extract_citations(doc)
        finally:
            trim_caches()


def _extract_citations(doc: Document) -> list[Citation]:
    """`extract_citations` with the collector paused."""
    blocks = [b for b in doc.blocks if b.text.strip()]
    out: list[tuple[int, Citation]] = []
    taken: set[int] = set()
    previous: list[dict[str, Any]] | None = None
    archive_author = None
    i = 0
    while i < len(blocks):
        if i % _TRIM_EVERY == 0:
            trim_caches()  # a very long document fills the caches too
        block = blocks[i]
        # a source block starts with a "Key: value" field (`archive._field`): most entries have no colon
        if ":" in block.text and (source := parse_source_block(blocks, i)) is not None:
            csl, used = source
            if archive_author is None:
                archive_author = find_archive_author(blocks) or {}
            if archive_author:
                csl["author"] = [archive_author]
            raw = "\n\n".join(b.text for b in blocks[i : i + used])
            out.append((i, _citation(doc, block, "metadata", csl, 0.8, "archive", raw)))
            taken.update(range(i, i + used))
            i += used
            continue
        if block.kind != "heading" and (reading := _list_reading(block, previous)) is not None:
            name, items = reading
            for csl, conf in items:
                out.append((i, _citation(doc, block, "list", csl, conf, name)))
            previous = items[-1][0].get("author") or previous
            taken.add(i)
        i += 1
    for i, items in _short_entries(blocks, taken).items():
        for csl, conf in items:
            out.append((i, _citation(doc, blocks[i], "list", csl, conf, "further")))
        taken.add(i)
    for i, block in enumerate(blocks):
        if i in taken or block.kind == "heading":
            continue
        for csl, conf, _at in find_prose_citations(block.text):
            out.append((i, _citation(doc, block, "prose", csl, conf, "prose")))
    out.sort(key=itemgetter(0))  # stable: readings of one block keep their order
    return [c for _, c in out]
