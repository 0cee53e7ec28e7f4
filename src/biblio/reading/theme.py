"""Reading-list themes: `reading_lists/NAME.toml`, read and checked.

A theme names a title, an introduction, a citation style and sections; each
section selects works (explicitly, or by tags, text, authors, years, the
documents that cite them and the document sections they were listed under).
Every problem is reported with the file and line it comes from, so a theme
author never has to guess; tomllib gives no positions, so a small scan of the
source finds the line of each table and key.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from biblio.errors import BiblioError
from biblio.years import parse_years

__all__ = [
    "ORDERS",
    "Section",
    "Theme",
    "ThemeError",
    "WorkRef",
    "find_theme",
    "load_theme",
    "parse_theme",
]

#: How a section orders its works.
ORDERS = ("first-published", "author", "title", "as-listed")

_TOP_KEYS = ("title", "subtitle", "introduction", "style", "order", "sections")
_SECTION_KEYS = (
    "heading",
    "note",
    "order",
    "works",
    "tags",
    "text",
    "authors",
    "years",
    "types",
    "cited_in",
    "listed_under",
    "exclude",
    "notes",
)
_WORK_KEYS = ("key", "title", "author", "note")


class ThemeError(BiblioError):
    """A theme file that cannot be used: names the file, the line and the problem."""

    def __init__(self, path: str, line: int | None, problem: str) -> None:
        where = f"{path}:{line}" if line else path
        super().__init__(f"{where}: {problem}")
        self.path = path
        self.line = line
        self.problem = problem


@dataclass(frozen=True)
class WorkRef:
    """One explicitly chosen work: by citation key, or by title (and author)."""

    key: str | None = None
    title: str | None = None
    author: str | None = None
    note: str | None = None
    line: int | None = None

    def describe(self) -> str:
        """How the theme names the work, for messages."""
        if self.key:
            return self.key
        return f"{self.title!r}" + (f" by {self.author}" if self.author else "")


@dataclass(frozen=True)
class Section:
    """A heading, a note, and what the section selects."""

    heading: str
    index: int
    line: int | None
    note: str = ""
    order: str = "first-published"
    works: tuple[WorkRef, ...] = ()
    tags: tuple[str, ...] = ()
    text: str | None = None
    authors: tuple[str, ...] = ()
    year_from: int | None = None
    year_to: int | None = None
    types: tuple[str, ...] = ()
    cited_in: tuple[str, ...] = ()
    listed_under: tuple[str, ...] = ()
    exclude: tuple[str, ...] = ()
    notes: dict[str, str] = field(default_factory=dict)

    @property
    def has_criteria(self) -> bool:
        """True when the section selects by criteria, not only explicit works."""
        return bool(
            self.tags
            or self.text
            or self.authors
            or self.year_from is not None
            or self.year_to is not None
            or self.types
            or self.cited_in
            or self.listed_under
        )


@dataclass(frozen=True)
class Theme:
    """A whole reading list as its file describes it."""

    name: str
    path: str
    title: str
    subtitle: str
    introduction: str
    style: str
    sections: tuple[Section, ...]
    locator: _Locator

    def error(
        self, problem: str, section: int | None = None, key: str | None = None, value: str | None = None
    ) -> ThemeError:
        """A ThemeError at the line of a section, key or value of this theme."""
        return ThemeError(self.path, self.locator.line(section, key, value), problem)


class _Locator:
    """Lines of the tables, keys and values of a TOML source (tomllib keeps none)."""

    _HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(#.*)?$")
    _KEY = re.compile(r"""^\s*("[^"]*"|'[^']*'|[A-Za-z0-9_.-]+)\s*=""")

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        #: (section index or None, key) -> line number (1-based)
        self.keys: dict[tuple[int | None, str], int] = {}
        #: section index -> (first line, last line)
        self.sections: dict[int, tuple[int, int]] = {}
        section: int | None = None
        table = ""
        in_string: str | None = None
        for number, line in enumerate(self.lines, 1):
            if in_string:
                if line.count(in_string) % 2 == 1:
                    in_string = None
                continue
            header = self._HEADER.match(line)
            if header:
                table = header.group(2).strip()
                if header.group(1) == "[[" and table == "sections":
                    section = len(self.sections)
                    self.sections[section] = (number, len(self.lines))
                    if section > 0:
                        first, _ = self.sections[section - 1]
                        self.sections[section - 1] = (first, number - 1)
                elif not table.startswith("sections."):
                    section = None
                continue
            key = self._KEY.match(line)
            if key:
                name = key.group(1).strip("\"'")
                if table.startswith("sections.") and section is not None:
                    name = f"{table.split('.', 1)[1]}.{name}"
                self.keys.setdefault((section, name), number)
            for quote in ('"""', "'''"):
                if line.count(quote) % 2 == 1:
                    in_string = quote

    def line(self, section: int | None = None, key: str | None = None, value: str | None = None) -> int | None:
        """The best line for a value, else a key, else a section (None if unknown)."""
        first, last = self.sections.get(section, (1, len(self.lines))) if section is not None else (1, len(self.lines))
        if value is not None:
            start = self.keys.get((section, key), first) if key else first
            for number in range(start, last + 1):
                if value in self.lines[number - 1]:
                    return number
        if key is not None and (section, key) in self.keys:
            return self.keys[(section, key)]
        if section is not None and section in self.sections:
            return first
        return None


def _suggest(name: str, allowed: tuple[str, ...]) -> str:
    """' (did you mean X?)' for a misspelt key, else the list of allowed keys."""
    close = difflib.get_close_matches(name, allowed, n=1)
    return f" (did you mean {close[0]!r}?)" if close else f" (allowed: {', '.join(allowed)})"


class _Reader:
    """Reads the parsed TOML into a Theme, raising ThemeError at the first problem."""

    def __init__(self, path: str, name: str, text: str) -> None:
        self.path = path
        self.name = name
        self.locator = _Locator(text)

    def fail(
        self, problem: str, section: int | None = None, key: str | None = None, value: str | None = None
    ) -> ThemeError:
        return ThemeError(self.path, self.locator.line(section, key, value), problem)

    def text(self, data: dict[str, Any], key: str, section: int | None, required: bool = False) -> str:
        value = data.get(key)
        if value is None:
            if required:
                where = f"section {section + 1}" if section is not None else "the theme"
                raise self.fail(f"{where} needs a {key!r}", section)
            return ""
        if not isinstance(value, str):
            raise self.fail(f"{key!r} must be text, not {type(value).__name__}", section, key)
        if required and not value.strip():
            raise self.fail(f"{key!r} is empty", section, key)
        return value.strip()

    def texts(self, data: dict[str, Any], key: str, section: int) -> tuple[str, ...]:
        value = data.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip() for v in value):
            raise self.fail(f"{key!r} must be a list of non-empty texts", section, key)
        return tuple(v.strip() for v in value)

    def order(self, data: dict[str, Any], section: int | None, default: str) -> str:
        value = data.get("order", default)
        if value not in ORDERS:
            raise self.fail(f"unknown order {value!r}: use one of {', '.join(ORDERS)}", section, "order")
        return str(value)

    def years(self, data: dict[str, Any], section: int) -> tuple[int | None, int | None]:
        value = data.get("years")
        if value is None:
            return None, None
        if isinstance(value, int) and not isinstance(value, bool):
            return value, value
        if isinstance(value, str):
            try:
                low, high = parse_years(value)
            except ValueError:
                low = high = None
            if (low, high) != (None, None) and (low is None or high is None or low <= high):
                return low, high
        raise self.fail(f'bad years {value!r}: use "1917..1925", "1917..", "..1925" or 1917', section, "years")

    def works(self, data: dict[str, Any], section: int) -> tuple[WorkRef, ...]:
        value = data.get("works", [])
        if not isinstance(value, list):
            raise self.fail("'works' must be a list of citation keys or {title, author} tables", section, "works")
        out = []
        for item in value:
            if isinstance(item, str) and item.strip():
                out.append(WorkRef(key=item.strip(), line=self.locator.line(section, "works", f'"{item}"')))
                continue
            if not isinstance(item, dict):
                raise self.fail(f"a work must be a citation key or a table, not {item!r}", section, "works")
            for key in item:
                if key not in _WORK_KEYS:
                    raise self.fail(
                        f"unknown field {key!r} in a work{_suggest(key, _WORK_KEYS)}", section, "works", key
                    )
            if not any(isinstance(item.get(k), str) and item[k].strip() for k in ("key", "title")):
                raise self.fail("a work needs a 'key' or a 'title'", section, "works")
            for key, val in item.items():
                if not isinstance(val, str):
                    raise self.fail(f"a work's {key!r} must be text", section, "works", key)
            marker = item.get("key") or item.get("title") or ""
            out.append(
                WorkRef(
                    key=(item.get("key") or "").strip() or None,
                    title=(item.get("title") or "").strip() or None,
                    author=(item.get("author") or "").strip() or None,
                    note=(item.get("note") or "").strip() or None,
                    line=self.locator.line(section, "works", marker),
                )
            )
        return tuple(out)

    def notes(self, data: dict[str, Any], section: int) -> dict[str, str]:
        value = data.get("notes", {})
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            raise self.fail("'notes' must be a table of citation key = \"note\"", section, "notes")
        return {k: v.strip() for k, v in value.items()}

    def section(self, data: Any, index: int, default_order: str) -> Section:
        if not isinstance(data, dict):
            raise self.fail("'sections' must be [[sections]] tables", None, "sections")
        for key in data:
            if key not in _SECTION_KEYS:
                raise self.fail(
                    f"unknown field {key!r} in section {index + 1}{_suggest(key, _SECTION_KEYS)}", index, key
                )
        low, high = self.years(data, index)
        section = Section(
            heading=self.text(data, "heading", index, required=True),
            index=index,
            line=self.locator.line(index),
            note=self.text(data, "note", index),
            order=self.order(data, index, default_order),
            works=self.works(data, index),
            tags=self.texts(data, "tags", index),
            text=self.text(data, "text", index) or None,
            authors=self.texts(data, "authors", index),
            year_from=low,
            year_to=high,
            types=self.texts(data, "types", index),
            cited_in=self.texts(data, "cited_in", index),
            listed_under=self.texts(data, "listed_under", index),
            exclude=self.texts(data, "exclude", index),
            notes=self.notes(data, index),
        )
        if not section.works and not section.has_criteria:
            raise self.fail(
                f"section {index + 1} ({section.heading!r}) selects nothing: give works, tags, text, authors, "
                "years, types, cited_in or listed_under",
                index,
            )
        return section

    def theme(self, data: dict[str, Any]) -> Theme:
        for key in data:
            if key not in _TOP_KEYS:
                raise self.fail(f"unknown field {key!r}{_suggest(key, _TOP_KEYS)}", None, key)
        order = self.order(data, None, "first-published")
        sections = data.get("sections")
        if not isinstance(sections, list) or not sections:
            raise self.fail("a theme needs at least one [[sections]] table", None, "sections")
        return Theme(
            name=self.name,
            path=self.path,
            title=self.text(data, "title", None, required=True),
            subtitle=self.text(data, "subtitle", None),
            introduction=self.text(data, "introduction", None),
            style=self.text(data, "style", None) or "chicago-author-date",
            sections=tuple(self.section(s, i, order) for i, s in enumerate(sections)),
            locator=self.locator,
        )


_TOML_LINE = re.compile(r"\(at (?:line (\d+), column \d+|end of document)\)")


def parse_theme(text: str, path: str = "<theme>", name: str | None = None) -> Theme:
    """A Theme from TOML text; ThemeError names `path`, the line and the problem."""
    name = name or Path(path).stem
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as err:
        message = str(err)
        found = _TOML_LINE.search(message)
        problem = _TOML_LINE.sub("", message).strip()
        line = (int(found.group(1)) if found.group(1) else len(text.splitlines()) or 1) if found else None
        raise ThemeError(path, line, f"not valid TOML: {problem}") from err
    return _Reader(path, name, text).theme(data)


def find_theme(name: str, directory: Path) -> Path:
    """The file of a theme: a path to a .toml file, or NAME in the themes directory."""
    candidate = Path(name)
    if candidate.suffix == ".toml" or candidate.parent != Path("."):
        if candidate.is_file():
            return candidate
        raise ThemeError(name, None, "no such theme file")
    path = directory / f"{name}.toml"
    if path.is_file():
        return path
    known = sorted(p.stem for p in directory.glob("*.toml")) if directory.is_dir() else []
    if known:
        hint = _suggest(name, tuple(known))
    elif directory.is_dir():
        hint = f" ({directory} holds no themes: biblio reading-list new {name})"
    else:
        hint = f" (no folder {directory} here: give --themes DIR, or create one with biblio reading-list new {name})"
    raise ThemeError(str(path), None, f"no theme {name!r}{hint}")


def load_theme(name: str, directory: Path) -> Theme:
    """Find and read a theme (see find_theme)."""
    path = find_theme(name, directory)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as err:
        raise ThemeError(str(path), None, f"cannot read: {err}") from err
    return parse_theme(text, str(path), path.stem)
