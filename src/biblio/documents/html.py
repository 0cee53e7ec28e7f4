"""HTML documents, read with the standard library's event parser (no recursion).

Blocks come from h1-h6 ("heading"), li ("list_item", `listed`), p, dd, dt,
blockquote, td/th and the text of div/section/article/body that is not inside
another block element ("paragraph"); a p or div inside an li inherits the
item's kind.  A nested block element ends the text collected so far, so an
li's own text before a nested list is its block and the nested items are
theirs.  <pre> gives one "line" block per line; <br> is a space elsewhere.
script, style, noscript, template, svg and head are ignored, except that the
first <title> is captured.  Line numbers and offsets are those of the first
non-blank character of a block's text.
"""

from __future__ import annotations

from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from html.parser import HTMLParser

from biblio.documents.decoding import line_starts
from biblio.model import Block, BlockKind

__all__ = ["html_title", "parse_html", "read_html"]

_HEADINGS = frozenset({"h1", "h2", "h3", "h4", "h5", "h6"})
_IGNORED = frozenset({"script", "style", "noscript", "template", "svg"})
_HEAD_CONTENT = frozenset({"title", "meta", "link", "style", "script", "base", "noscript", "template"})
_VOID = frozenset(
    {
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta",
        "param", "source", "track", "wbr",
    }
)  # fmt: skip
#: elements that end the text before them and start a new block
_BLOCKS = _HEADINGS | frozenset(
    {
        "address", "article", "aside", "blockquote", "body", "caption", "center", "dd",
        "details", "dialog", "div", "dl", "dt", "fieldset", "figcaption", "figure",
        "footer", "form", "header", "hgroup", "html", "legend", "li", "main", "menu",
        "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot",
        "th", "thead", "tr", "ul",
    }
)  # fmt: skip
#: blocks that take the kind of an enclosing list item
_INHERITING = frozenset({"p", "div", "section", "article", "blockquote", "figure", "figcaption"})
#: how far up the open elements an implied end tag (a second <li>, <td>) looks
_SCOPE_LIMIT = 64


@dataclass
class _Frame:
    """Text being collected for one block element, as (line, offset, data) chunks."""

    kind: BlockKind
    listed: bool = False
    pre: bool = False
    chunks: list[tuple[int, int, str]] = field(default_factory=list)


@dataclass
class _Open:
    """An open element on the parser's stack, with the frame it owns, if any."""

    tag: str
    frame: _Frame | None = None
    ignored: bool = False


class _BlockParser(HTMLParser):
    """Collect blocks and the title from HTML events with an explicit element stack."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.title: str | None = None
        self._text = text
        self._starts = line_starts(text)
        self._stack: list[_Open] = []
        self._counts: dict[str, int] = {}
        self._frames: list[_Frame] = [_Frame("paragraph")]
        self._ignored = 0
        self._in_head = False
        self._title_parts: list[str] | None = None
        self._section: str | None = None

    # -- events ---------------------------------------------------------------

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag == "title":
            if self.title is None and self._ignored == 0:
                self._title_parts = []
            return
        if self._in_head and tag not in _HEAD_CONTENT:
            self._close("head")
        if tag == "br":
            if not self._ignoring():
                self._add_text("\n" if self._frames[-1].pre else " ")
            return
        if tag in _VOID:
            if tag == "hr" and not self._ignoring():
                self._flush()
            return
        if tag in _IGNORED or tag == "head":
            self._push(_Open(tag, ignored=tag != "head"))
            self._in_head = self._in_head or tag == "head"
            return
        if tag not in _BLOCKS:
            return
        if self._title_parts is not None:  # an unclosed <title> ends where the body starts
            self.handle_endtag("title")
        if self._ignoring():
            self._push(_Open(tag))
            return
        self._close_implied(tag)
        self._flush()
        parent = self._frames[-1]
        frame = _Frame("paragraph")
        if tag in _HEADINGS:
            frame.kind = "heading"
        elif tag == "li" or (parent.listed and tag in _INHERITING):
            frame.kind, frame.listed = "list_item", True
        elif tag == "pre":
            frame.kind, frame.pre, frame.listed = "line", True, parent.listed
        self._frames.append(frame)
        self._push(_Open(tag, frame))

    def handle_endtag(self, tag: str) -> None:
        if tag == "title":
            if self._title_parts is not None:
                self.title = " ".join("".join(self._title_parts).split()) or None
                self._title_parts = None
            return
        if self._counts.get(tag, 0) > 0:
            self._close(tag)

    def handle_data(self, data: str) -> None:
        if self._title_parts is not None:
            self._title_parts.append(data)
        elif not self._ignoring():
            self._add_text(data)

    def parse_marked_section(self, i: int, report: bool = True) -> int:
        # "<![foo" without a known keyword makes the base class raise; read it as a comment.
        position = self.getpos()
        try:
            return super().parse_marked_section(i, report)
        except AssertionError:
            self.lineno, self.offset = position  # the base class moved them before raising
            return self.parse_bogus_comment(i, report)

    def close(self) -> None:
        super().close()
        while self._stack:
            self._pop()
        self._flush()

    # -- helpers --------------------------------------------------------------

    def _ignoring(self) -> bool:
        return self._ignored > 0 or self._in_head

    def _add_text(self, data: str) -> None:
        line, column = self.getpos()
        self._frames[-1].chunks.append((line, self._starts[line - 1] + column, data))

    def _push(self, element: _Open) -> None:
        self._stack.append(element)
        self._counts[element.tag] = self._counts.get(element.tag, 0) + 1
        self._ignored += element.ignored

    def _pop(self) -> None:
        element = self._stack.pop()
        self._counts[element.tag] -= 1
        self._ignored -= element.ignored
        if element.tag == "head":
            self._in_head = False
        if element.frame is not None:
            self._flush()
            self._frames.pop()

    def _close(self, tag: str) -> None:
        """Pop open elements up to and including the innermost `tag`."""
        while self._counts.get(tag, 0) > 0:
            if self._stack[-1].tag == tag:
                self._pop()
                return
            self._pop()

    def _close_implied(self, tag: str) -> None:
        """Close what a start tag implies: open p, previous li, dt/dd, cell or row."""
        if self._stack and self._stack[-1].tag == "p":
            self._pop()
        if tag in _HEADINGS and self._stack and self._stack[-1].tag in _HEADINGS:
            self._pop()
            return
        targets: AbstractSet[str]
        passable: AbstractSet[str]
        if tag == "li":
            targets, passable = {"li"}, {"div", "p", "address"}
        elif tag in ("dt", "dd"):
            targets, passable = {"dt", "dd"}, {"div", "p", "address"}
        elif tag in ("td", "th"):
            targets, passable = (
                {"td", "th"},
                _BLOCKS - {"tr", "table", "tbody", "thead", "tfoot"},
            )
        elif tag == "tr":
            targets, passable = {"tr"}, _BLOCKS - {"table", "tbody", "thead", "tfoot"}
        else:
            return
        for index in range(len(self._stack) - 1, max(-1, len(self._stack) - 1 - _SCOPE_LIMIT), -1):
            found = self._stack[index].tag
            if found in targets:
                while len(self._stack) > index:
                    self._pop()
                return
            if found not in passable:
                return

    def _flush(self) -> None:
        """Turn the current frame's collected text into block(s) and empty it."""
        frame = self._frames[-1]
        if not frame.chunks:
            return
        if frame.pre:
            self._flush_pre(frame)
        else:
            text = " ".join("".join(data for _, _, data in frame.chunks).split())
            if text:
                line, offset = self._first_character(frame.chunks)
                self._emit(text, line, offset, frame.kind, frame.listed)
        frame.chunks = []

    def _flush_pre(self, frame: _Frame) -> None:
        """Emit one "line" block per non-blank line of a <pre>, positions read off the raw text."""
        parts: list[str] = []
        start: tuple[int, int] | None = None
        for line, cursor, data in frame.chunks:
            for index, piece in enumerate(data.split("\n")):
                if index:
                    self._emit_pre_line(parts, start, frame.listed)
                    parts, start = [], None
                    newline = self._text.find("\n", cursor)
                    if newline >= 0:  # else a "&#10;" made it: stay on the raw line
                        line, cursor = line + 1, newline + 1
                if start is None and piece.strip():
                    start = (line, self._skip_blanks(cursor))
                parts.append(piece)
        self._emit_pre_line(parts, start, frame.listed)

    def _skip_blanks(self, position: int) -> int:
        """The first position at or after `position` that is not a blank within the line."""
        while position < len(self._text) and self._text[position] in " \t\f\v":
            position += 1
        return position

    def _first_character(self, chunks: list[tuple[int, int, str]]) -> tuple[int, int]:
        """Line and offset of the first non-blank character among `chunks`, read off the raw text."""
        for line, offset, data in chunks:
            if data.strip():
                end = offset
                while end < len(self._text) and self._text[end].isspace():
                    end += 1
                return line + self._text.count("\n", offset, end), end
        line, offset, _ = chunks[0]
        return line, offset

    def _emit_pre_line(self, parts: list[str], start: tuple[int, int] | None, listed: bool) -> None:
        text = " ".join("".join(parts).split())
        if text and start is not None:
            self._emit(text, start[0], start[1], "line", listed)

    def _emit(self, text: str, line: int, offset: int, kind: BlockKind, listed: bool) -> None:
        self.blocks.append(Block(text, line, kind, self._section, offset, listed))
        if kind == "heading":
            self._section = text


def parse_html(text: str) -> tuple[list[Block], str | None]:
    """Parse HTML once into (blocks, title), for callers that need both."""
    parser = _BlockParser(text)
    parser.feed(text)
    parser.close()
    return parser.blocks, parser.title


def read_html(text: str, name: str) -> list[Block]:
    """Split an HTML document into blocks with the line each starts on."""
    return parse_html(text)[0]


def html_title(text: str) -> str | None:
    """The text of the document's first <title>, whitespace collapsed, or None."""
    return parse_html(text)[1]
