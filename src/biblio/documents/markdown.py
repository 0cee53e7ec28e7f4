"""Markdown documents, parsed with markdown-it-py (CommonMark, tables, footnotes).

Headings (ATX and setext) are "heading" blocks; a paragraph is a "paragraph",
or a "list_item" (`listed` True) when it sits in a list item or a footnote
definition (`[^1]: ...`); each table row is one "paragraph" with its cells
joined by " | "; code blocks and fences give one "line" block per line; raw
HTML blocks go through the HTML reader.  Inline markup is removed (links keep
their text, images their alt text), thematic breaks and YAML front matter are
skipped.

Per-line rule: many Markdown-ish files hold one entry per line without blank
lines, which Markdown joins into one paragraph.  So a paragraph outside lists
and footnotes is cut after each of its source lines that ends with . ! ? ) ]
or a quote, or is shorter than 60 characters; the pieces that stay single
lines are "line" blocks, joined pieces are "paragraph" blocks.  Hard-wrapped
prose (long lines ending mid-sentence) stays one paragraph.

Speed: a document in the plain subset that `markdown_scan.scan_markdown`
accepts (headings, one-line items, plain paragraphs) skips markdown-it's block
parser; only its text with inline markup goes through markdown-it's inline
parser.  The blocks are the same as `_parse_markdown_it` gives (tested by
tests/documents/test_markdown_scan.py; see docs/reading-markdown.md).
"""

from __future__ import annotations

import re
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.token import Token
from mdit_py_plugins.footnote import footnote_plugin
from mdit_py_plugins.front_matter import front_matter_plugin

from biblio.documents.decoding import line_starts
from biblio.documents.html import parse_html
from biblio.documents.markdown_scan import Segment, has_inline_markup, scan_markdown
from biblio.model import Block, BlockKind

__all__ = ["parse_markdown", "read_markdown"]

#: a paragraph line shorter than this is taken as an entry of its own
SHORT_LINE = 60
_ENTRY_END = (".", "!", "?", ")", "]", '"', "”")
_TITLE_RE = re.compile(r"^title:\s*(.+?)\s*$", re.MULTILINE)
# (line, order, text, kind, listed): `order` keeps the token order on one line
_Raw = tuple[int, int, str, BlockKind, bool]


@lru_cache(maxsize=1)
def _parser() -> MarkdownIt:
    """The shared parser; footnote definitions stay where they are written."""
    # CommonMark allows 20 nesting levels and silently drops deeper text; 100 stays well
    # inside the recursion limit.
    md = MarkdownIt("commonmark", {"maxNesting": 100}).enable(["table", "strikethrough"])
    md.use(front_matter_plugin)
    md.use(footnote_plugin, inline=False, move_to_end=False)
    return md


def _is_br(token: Token) -> bool:
    """True for an inline HTML <br>, which reads as a space."""
    return token.type == "html_inline" and token.content.lower().startswith("<br")


def _render(children: list[Token]) -> str:
    """Inline tokens to plain text: markup dropped, line breaks and <br> as spaces."""
    parts: list[str] = []
    for child in children:
        if child.type in ("text", "text_special", "code_inline", "image"):
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak") or _is_br(child):
            parts.append(" ")
    return " ".join("".join(parts).split())


def _split_lines(children: list[Token]) -> list[str]:
    """Inline tokens cut at line breaks, one rendered string per source line."""
    lines: list[list[Token]] = [[]]
    for child in children:
        if child.type in ("softbreak", "hardbreak"):
            lines.append([])
        else:
            lines[-1].append(child)
    return [_render(line) for line in lines]


def _ends_entry(text: str) -> bool:
    """True when a paragraph line can end an entry: it is short or ends a sentence."""
    return len(text) < SHORT_LINE or text.endswith(_ENTRY_END)


def _paragraph(children: list[Token], first: int, count: int) -> list[tuple[int, str, BlockKind]]:
    """A paragraph of `count` lines as (line, text, kind) pieces, per the line rule."""
    return _cut_paragraph(_render(children), _split_lines(children), first, count)


def _cut_paragraph(whole: str, pieces: list[str], first: int, count: int) -> list[tuple[int, str, BlockKind]]:
    """The line rule on a paragraph rendered whole and line by line."""
    if len(pieces) < 2 or len(pieces) != count:
        return [(first, whole, "paragraph")]
    groups: list[list[int]] = [[0]]
    for index in range(1, len(pieces)):
        if _ends_entry(pieces[index - 1]):
            groups.append([index])
        else:
            groups[-1].append(index)
    if len(groups) == 1:
        return [(first, whole, "paragraph")]
    result: list[tuple[int, str, BlockKind]] = []
    for group in groups:
        text = " ".join(" ".join(pieces[index] for index in group).split())
        if text:
            result.append((first + group[0], text, "line" if len(group) == 1 else "paragraph"))
    return result


def _code_lines(token: Token, first: int, listed: bool, order: int) -> list[_Raw]:
    """One "line" block per non-blank line of a code block or fence."""
    raws: list[_Raw] = []
    for index, line in enumerate(token.content.split("\n")):
        text = " ".join(line.split())
        if text:
            raws.append((first + index, order, text, "line", listed))
    return raws


def _collect(tokens: list[Token]) -> list[_Raw]:
    """Walk the flat token stream and gather blocks in token order."""
    raws: list[_Raw] = []
    items = 0  # open list items and footnote definitions
    heading = False
    row: list[str] | None = None
    row_line = 0
    for order, token in enumerate(tokens):
        kind = token.type
        if kind in ("list_item_open", "footnote_reference_open"):
            items += 1
        elif kind in ("list_item_close", "footnote_reference_close"):
            items -= 1
        elif kind == "heading_open":
            heading = True
        elif kind == "heading_close":
            heading = False
        elif kind == "tr_open":
            row, row_line = [], (token.map[0] + 1 if token.map else 0)
        elif kind == "tr_close" and row is not None:
            text = " | ".join(cell for cell in row if cell)
            if text:
                raws.append((row_line, order, text, "paragraph", items > 0))
            row = None
        elif kind == "inline" and token.map is not None:
            first = token.map[0] + 1
            if row is not None:
                row.append(_render(token.children or []))
            elif heading:
                raws.append((first, order, _render(token.children or []), "heading", False))
            elif items:
                raws.append((first, order, _render(token.children or []), "list_item", True))
            else:
                count = token.map[1] - token.map[0]
                pieces = _paragraph(token.children or [], first, count)
                raws.extend((line, order, text, piece, False) for line, text, piece in pieces)
        elif kind in ("fence", "code_block") and token.map is not None:
            start = token.map[0] + (2 if kind == "fence" else 1)
            raws.extend(_code_lines(token, start, items > 0, order))
        elif kind == "html_block" and token.map is not None:
            for block in parse_html(token.content)[0]:
                listed = block.listed or items > 0
                raws.append((token.map[0] + block.line, order, block.text, block.kind, listed))
    return raws


def _locate(line_text: str, start: int, text: str) -> int:
    """Offset of `text`'s first word on its line, else of the line's first non-blank."""
    probe = text.split(" ", 1)[0][:8]
    index = line_text.find(probe) if probe else -1
    if index < 0:
        index = len(line_text) - len(line_text.lstrip())
    return start + index


def _inline(content: str) -> list[Token]:
    """markdown-it's inline tokens for one paragraph's or heading's content.

    Only for documents without definitions: inline parsing then depends on the
    content alone, as it does inside `MarkdownIt.parse` (whose "text_join" step
    merges text tokens, which `_render` does not need).
    """
    md = _parser()
    children: list[Token] = []
    md.inline.parse(content, md, {}, children)
    return children


def _plain(text: str) -> str:
    """Text without inline markup as markdown-it renders it: whitespace runs as one space."""
    return " ".join(text.split())


def _is_clean(text: str) -> bool:
    """True when no line has leading, trailing, doubled or non-ASCII whitespace (or tabs).

    In a scanned document every content string is then its own `_plain` rendering.
    """
    if "  " in text or " \n" in text or text.endswith(" "):
        return False
    if text.isascii():
        # the printable ASCII characters are the 95 from " " to "~": deleting them and the
        # newlines from the bytes leaves nothing (seven times quicker than `isprintable`
        # on a copy without the newlines)
        return not text.encode("ascii").translate(None, _PRINTABLE_ASCII)
    return text.replace("\n", "").isprintable()


_PRINTABLE_ASCII = bytes(range(32, 127)) + b"\n"


def _rendered(content: str, plain: bool) -> str:
    """A heading's or list item's text: `_plain` unless inline markup may be in it."""
    if plain or not has_inline_markup(content):
        return _plain(content)
    return _render(_inline(content))


def _paragraph_blocks(segment: Segment, plain: bool) -> list[tuple[int, str, BlockKind, int]]:
    """(line, text, kind, offset) of a scanned paragraph, cut by the line rule."""
    _, first, start, source, content = segment
    lines = source.split("\n")
    if not plain and has_inline_markup(source):
        pieces = _paragraph(_inline(content), first, len(lines))
    elif len(lines) == 1:
        pieces = [(first, _plain(source), "paragraph")]
    else:
        pieces = _cut_paragraph(_plain(source), [_plain(line) for line in lines], first, len(lines))
    starts = [start]
    for line in lines:
        starts.append(starts[-1] + len(line) + 1)
    return [
        (line, text, kind, _locate(lines[line - first], starts[line - first], text))
        for line, text, kind in pieces
        if text
    ]


def _scanned_blocks(text: str, segments: list[Segment]) -> list[Block]:
    """Blocks of a scanned document, as `_blocks(text, _parsed(text)[0])` would give them."""
    plain = not has_inline_markup(text)
    clean = plain and _is_clean(text)
    blocks: list[Block] = []
    section: str | None = None
    for segment in segments:
        kind = segment[0]
        if kind == "paragraph":
            for line, block_text, piece, offset in _paragraph_blocks(segment, plain):
                blocks.append(Block(block_text, line, piece, section, offset, False))
            continue
        _, number, start, source, content = segment
        block_text = content if clean else _rendered(content, plain)
        if not block_text:
            continue
        offset = _locate(source, start, block_text)
        if kind == "heading":
            blocks.append(Block(block_text, number, "heading", section, offset, False))
            section = block_text
        else:
            blocks.append(Block(block_text, number, "list_item", section, offset, True))
    return blocks


def _parsed(text: str) -> tuple[list[tuple[int, str, BlockKind, bool]], str | None]:
    """(line, text, kind, listed) and front-matter title, through markdown-it's full parse."""
    tokens = _parser().parse(text)
    title: str | None = None
    if tokens and tokens[0].type == "front_matter":
        match = _TITLE_RE.search(tokens[0].content)
        if match:
            title = match.group(1).strip("\"'").strip() or None
    raws = sorted(_collect(tokens), key=lambda raw: raw[:2])
    return [(line, block_text, kind, listed) for line, _, block_text, kind, listed in raws], title


def _blocks(text: str, raws: list[tuple[int, str, BlockKind, bool]]) -> list[Block]:
    """Blocks in source order with offsets and sections, empty texts dropped."""
    starts = line_starts(text)
    lines = text.split("\n")
    blocks: list[Block] = []
    section: str | None = None
    for line, block_text, kind, listed in raws:
        if not block_text:
            continue
        offset = _locate(lines[line - 1], starts[line - 1], block_text) if line <= len(lines) else None
        blocks.append(Block(block_text, line, kind, section, offset, listed))
        if kind == "heading":
            section = block_text
    return blocks


def _parse_markdown_it(text: str) -> tuple[list[Block], str | None]:
    """`parse_markdown` without the fast path: markdown-it on every document."""
    raws, title = _parsed(text)
    return _blocks(text, raws), title


def parse_markdown(text: str) -> tuple[list[Block], str | None]:
    """Parse Markdown once into (blocks in source order, front-matter title or None).

    Documents in the plain subset `scan_markdown` accepts skip markdown-it's
    block parser, with the same result; all others go through it.
    """
    segments = scan_markdown(text)
    if segments is None:
        return _parse_markdown_it(text)
    return _scanned_blocks(text, segments), None


def read_markdown(text: str, name: str) -> list[Block]:
    """Split a Markdown document into blocks with exact lines, one per entry line."""
    return parse_markdown(text)[0]
