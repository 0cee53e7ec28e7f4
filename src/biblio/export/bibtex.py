"""BibTeX (biblatex flavour) out and in, through bibtexparser v2's model.

Every text field is escaped so that no value can run a LaTeX command: the ten
specials become `\\textbraceleft{}`, `\\textbackslash{}`, `\\%` and so on, and the
importer undoes exactly that, so export -> import -> export is a fixed point.
"""

from __future__ import annotations

import re
from typing import Any

from bibtexparser.entrypoint import parse_string, write_string
from bibtexparser.library import Library
from bibtexparser.middlewares import default_unparse_stack
from bibtexparser.model import Entry, Field

from biblio.model import Failure
from biblio.resolve.match import number_value

__all__ = ["escape", "from_bibtex", "to_entry", "unescape", "write_bibtex"]

_TYPES = {
    "book": "book",
    "pamphlet": "booklet",
    "periodical": "periodical",
    "article-journal": "article",
    "article-magazine": "article",
    "article-newspaper": "article",
    "article": "article",
    "chapter": "incollection",
    "manuscript": "unpublished",
    "webpage": "online",
    "post-weblog": "online",
    "thesis": "thesis",
    "report": "report",
}
_SUBTYPES = {"article-magazine": "magazine", "article-newspaper": "newspaper"}
_BACK = {
    "booklet": "pamphlet",
    "unpublished": "manuscript",
    "online": "webpage",
    "incollection": "chapter",
    "misc": "document",
    "thesis": "thesis",
    "report": "report",
    "periodical": "periodical",
    "book": "book",
}
# Braces are written as text macros, not as \{ and \}: BibTeX's own parser (btparse, in biber)
# counts every brace, escaped or not, so a lone \{ would run the field on into the next entry.
_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\textbraceleft{}",
    "}": r"\textbraceright{}",
    "%": r"\%",
    "#": r"\#",
    "&": r"\&",
    "_": r"\_",
    "$": r"\$",
    "~": r"\textasciitilde{}",
    "^": r"\textasciicircum{}",
}
_ESCAPE_RE = re.compile(r"[\\{}%#&_$~^]")
_UNESCAPE_RE = re.compile(
    r"\\text(?:backslash|asciitilde|asciicircum|braceleft|braceright)\{\}|\\[{}%#&_$]"
)
# \{ and \} are read back too: older exports (and other tools) write braces that way
_UNESCAPES = {v: k for k, v in _ESCAPES.items()} | {r"\{": "{", r"\}": "}"}
_TEXT_MACRO = re.compile(r"\\[A-Za-z]+\{\}")
_SEASONS = {1: "spring", 2: "summer", 3: "autumn", 4: "winter"}
# simple one-to-one fields: CSL variable -> biblatex field
_SIMPLE = [
    ("publisher", "publisher"),
    ("publisher-place", "location"),
    ("number-of-pages", "pagetotal"),
    ("page", "pages"),
    ("edition", "edition"),
    ("original-publisher", "origpublisher"),
    ("original-publisher-place", "origlocation"),
    ("URL", "url"),
    ("DOI", "doi"),
    ("ISBN", "isbn"),
    ("language", "langid"),
    ("genre", "type"),
    ("medium", "howpublished"),
]


#: biblatex fields (among those biblio writes) that an entry type does not have
_NOT_IN = {
    "book": frozenset({"type", "howpublished"}),
    "booklet": frozenset({"isbn", "series"}),
    "periodical": frozenset({"pagetotal", "publisher", "location", "type", "howpublished", "isbn", "edition"}),
    "article": frozenset({"pagetotal", "publisher", "location", "type", "howpublished", "isbn", "edition"}),
    "online": frozenset({"pagetotal", "publisher", "location", "type", "howpublished", "isbn", "edition"}),
    "unpublished": frozenset({"pagetotal", "publisher", "isbn", "edition"}),
    "misc": frozenset({"pagetotal", "publisher", "isbn", "edition"}),
    "incollection": frozenset({"pagetotal", "type", "howpublished"}),
}
_LABELS = {variable: variable for variable, _ in _SIMPLE} | {
    v: v for v in ("volume", "part-number", "issue", "container-title")
}


def _as_integer(value: str) -> str | None:
    """The number in a volume designation ("First Period" -> "1", "II" -> "2"), or None."""
    return next((w for w in number_value(value).split() if w.isdigit()), None)


def escape(text: str) -> str:
    """A value with every LaTeX special escaped (no field can inject a command)."""
    return _ESCAPE_RE.sub(lambda m: _ESCAPES[m.group()], text)


def unescape(text: str) -> str:
    """The inverse of `escape`."""
    return _UNESCAPE_RE.sub(lambda m: _UNESCAPES[m.group()], text)


def _names(names: list[dict[str, Any]]) -> str:
    """biblatex name list: "Family, Given and {Literal Body}"."""
    out = []
    for n in names:
        if n.get("literal"):
            out.append("{" + escape(str(n["literal"])) + "}")
            continue
        family = escape(str(n.get("family") or ""))
        family = "{" + family + "}" if " and " in family or "," in family else family
        parts = [
            family,
            *([escape(str(n["suffix"]))] if n.get("suffix") else []),
            *([escape(str(n["given"]))] if n.get("given") else []),
        ]
        out.append(", ".join(parts))
    return " and ".join(out)


def _date(date: Any) -> tuple[str | None, str | None]:
    """An ISO 8601-2 date for biblatex ("1941~" for circa), and a season note."""
    try:
        parts = [int(p) for p in date["date-parts"][0]]
    except (KeyError, IndexError, TypeError, ValueError):
        return None, None
    if not parts:
        return None, None
    text = "-".join([f"{parts[0]:04d}", *(f"{p:02d}" for p in parts[1:3])])
    season = _SEASONS.get(date.get("season")) if isinstance(date.get("season"), int) else None
    return text + ("~" if date.get("circa") else ""), season


def to_entry(csl: dict[str, Any], key: str) -> Entry:
    """A biblatex entry for one catalog record."""
    kind = str(csl.get("type") or "book")
    fields: list[tuple[str, str]] = []
    for role, field in (("author", "author"), ("editor", "editor"), ("translator", "translator")):
        if csl.get(role):
            fields.append((field, _names(csl[role])))
    if csl.get("compiler"):
        fields += [("editora", _names(csl["compiler"])), ("editoratype", "compiler")]
    title = escape(str(csl.get("title") or ""))
    if csl.get("volume-title"):
        fields += [("maintitle", title), ("title", escape(str(csl["volume-title"])))]
    elif title:
        fields.append(("title", title))
    if csl.get("part-title"):
        fields.append(("titleaddon", escape(str(csl["part-title"]))))
    entry_type = _TYPES.get(kind, "misc")
    refused = _NOT_IN.get(entry_type, frozenset())
    addendum = []
    for variable, field in (("volume", "volume"), ("part-number", "part"), ("issue", "number")):
        if csl.get(variable):
            value = str(csl[variable])
            number = value if value.isdigit() else _as_integer(value)
            if number:
                fields.append((field, number))
            if number != value:  # "First Period": biblatex wants an integer, the wording is kept
                addendum.append(f"{variable}: {escape(value)}")
    if csl.get("container-title"):
        container = "booktitle" if kind == "chapter" else "journaltitle" if entry_type == "article" else "series"
        if container in refused:
            addendum.append(f"container-title: {escape(str(csl['container-title']))}")
        else:
            fields.append((container, escape(str(csl["container-title"]))))
    notes = [escape(str(csl["note"]))] if csl.get("note") else []
    for variable, field in (("issued", "date"), ("original-date", "origdate")):
        text, season = _date(csl.get(variable))
        if text:
            fields.append((field, text))
        if season:
            notes.append(f"{season}")
    for variable, field in _SIMPLE:
        if not csl.get(variable):
            continue
        if field == "publisher" and entry_type == "booklet":
            fields.append(("howpublished", escape(str(csl[variable]))))
        elif field in refused:  # not a field of this entry type: kept, labelled, where biber accepts it
            addendum.append(f"{_LABELS[variable]}: {escape(str(csl[variable]))}")
        else:
            fields.append((field, escape(str(csl[variable]))))
    if kind in _SUBTYPES:
        fields.append(("entrysubtype", _SUBTYPES[kind]))
    if notes:
        fields.append(("note", "; ".join(notes)))
    if addendum:
        fields.append(("addendum", "; ".join(addendum)))
    return Entry(_TYPES.get(kind, "misc"), key, [Field(k, v) for k, v in fields])


def write_bibtex(entries: list[Entry]) -> str:
    """A .bib file of the entries, through bibtexparser's writer."""
    library = Library(list(entries))
    # the library is built for this one write: its blocks may be changed in place (no deep copies)
    stack = default_unparse_stack(allow_inplace_modification=True)
    return write_string(library, unparse_stack=stack).strip() + "\n"


def _top_level(value: str, separator: str) -> list[str]:
    """Split at `separator` outside braces (escaped braces do not count)."""
    out, depth, start, i = [], 0, 0, 0
    while i < len(value):
        ch = value[i]
        if ch == "\\":
            macro = _TEXT_MACRO.match(value, i)  # \textbraceleft{} and the like: its {} is not a group
            i = macro.end() if macro else i + 2
            continue
        depth += (ch == "{") - (ch == "}")
        if depth == 0 and value.startswith(separator, i):
            out.append(value[start:i])
            start = i = i + len(separator)
            continue
        i += 1
    out.append(value[start:])
    return out


def _braced(part: str) -> bool:
    """True when the whole part is one {group} (a body's name written as a literal)."""
    if not (part.startswith("{") and part.endswith("}")):
        return False
    inner = part[1:-1]
    return len(_top_level(inner, "}")) == 1 and len(_top_level(inner, "{")) == 1


def _split_names(value: str) -> list[dict[str, Any]]:
    """biblatex names back to CSL name objects."""
    names = []
    for part in _top_level(value.strip(), " and "):
        part = part.strip()
        if _braced(part):
            names.append({"literal": unescape(part[1:-1])})
            continue
        pieces = [p.strip() for p in _top_level(part, ",")]
        family = unescape(pieces[0].strip("{}") if pieces[0].startswith("{") else pieces[0])
        name: dict[str, Any] = {"family": family}
        if len(pieces) == 3:
            name["suffix"], name["given"] = unescape(pieces[1]), unescape(pieces[2])
        elif len(pieces) == 2:
            name["given"] = unescape(pieces[1])
        names.append(name)
    return names


def _parse_date(value: str) -> dict[str, Any] | None:
    """An ISO date ("1941~", "2017-11-10") as a CSL date."""
    m = re.fullmatch(r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?(~)?", value.strip())
    if not m:
        return {"raw": value} if value.strip() else None
    date: dict[str, Any] = {"date-parts": [[int(g) for g in m.groups()[:3] if g]]}
    if m.group(4):
        date["circa"] = True
    return date


def from_entry(entry: Entry) -> dict[str, Any]:
    """A CSL item from a biblatex entry (the inverse of `to_entry`)."""
    f = {field.key.lower(): str(field.value) for field in entry.fields}
    kind = _BACK.get(entry.entry_type.lower(), "document")
    if entry.entry_type.lower() == "article":
        kind = {"magazine": "article-magazine", "newspaper": "article-newspaper"}.get(
            f.get("entrysubtype", ""), "article-journal"
        )
    csl: dict[str, Any] = {"id": entry.key, "type": kind}
    for role, field in (("author", "author"), ("editor", "editor"), ("translator", "translator")):
        if f.get(field):
            csl[role] = _split_names(f[field])
    if f.get("editora") and f.get("editoratype", "").lower() == "compiler":
        csl["compiler"] = _split_names(f["editora"])
    if f.get("maintitle"):
        csl["title"], csl["volume-title"] = unescape(f["maintitle"]), unescape(f.get("title", ""))
    elif f.get("title"):
        csl["title"] = unescape(f["title"])
    for variable, field in (
        ("part-title", "titleaddon"),
        ("volume", "volume"),
        ("part-number", "part"),
        ("issue", "number"),
    ):
        if f.get(field):
            csl[variable] = unescape(f[field])
    for field in ("booktitle", "journaltitle", "journal", "series"):
        if f.get(field):
            csl["container-title"] = unescape(f[field])
    for variable, field in (("issued", "date"), ("original-date", "origdate")):
        if f.get(field) and (date := _parse_date(f[field])):
            csl[variable] = date
    if "issued" not in csl and f.get("year", "").isdigit():
        csl["issued"] = {"date-parts": [[int(f["year"])]]}
    for variable, field in _SIMPLE:
        if f.get(field):
            csl[variable] = unescape(f[field])
    if entry.entry_type.lower() == "booklet" and f.get("howpublished"):
        csl["publisher"] = unescape(f["howpublished"])
        csl.pop("medium", None)
    for part in _top_level(f.get("addendum", ""), "; ") if f.get("addendum") else []:
        label, sep, value = part.partition(": ")
        if sep and label in _LABELS:
            csl[label] = unescape(value)
    if f.get("note"):
        csl["note"] = unescape(f["note"])
    return csl


def from_bibtex(text: str, source: str) -> tuple[list[dict[str, Any]], list[Failure]]:
    """CSL items of a .bib file, and the blocks that could not be parsed (with their lines)."""
    library = parse_string(text)
    failures = [
        Failure(
            source, f"unparseable BibTeX block: {getattr(block, 'error', 'syntax error')}", (block.start_line or 0) + 1
        )
        for block in library.failed_blocks
    ]
    items = []
    for entry in library.entries:
        item = from_entry(entry)
        item["_line"] = (entry.start_line or 0) + 1
        items.append(item)
    return items, failures
