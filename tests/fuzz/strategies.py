"""What the fuzzers feed biblio: random text and bytes, mutated seed lines, hostile records."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from typing import Any, TypeVar

from hypothesis import strategies as st

from biblio.errors import BiblioError
from tests.conftest import ROOT

__all__ = [
    "LONG",
    "bib_files",
    "csl_items",
    "csl_json_files",
    "documents_text",
    "mutated_lines",
    "only_biblio_errors",
    "ris_files",
    "seed_lines",
]

T = TypeVar("T")

#: True under BIBLIO_FUZZ_PROFILE=long (more shapes, bigger inputs)
LONG = os.environ.get("BIBLIO_FUZZ_PROFILE", "ci") == "long"


def only_biblio_errors(fn: Callable[..., T], *args: Any) -> T | None:
    """Call fn; a BiblioError is an acceptable answer to bad input, anything else escapes."""
    try:
        return fn(*args)
    except BiblioError:
        return None


def seed_lines() -> list[str]:
    """Every non-blank line of the seed documents (real citations in all their shapes)."""
    lines = []
    for path in sorted((ROOT / "seeds").glob("*")):
        lines += [line for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]
    return lines


_SEEDS = seed_lines()
# characters citations are made of, weighted toward the ones the recognizers look at
_CITATION_CHARS = st.sampled_from(
    [
        *"abcdefghijklmnopqrstuvwxyzAEIMOSTW0123456789 ,.;:()[]{}\"'“”‘’-–—&/\\#*_<>\n\t",
        *["pp.", "Vol.", "ed.", "and ", "The ", "London", "Press", "1891", "(1950)", "no. ", "In: ", "Ibid."],
    ]
)
citation_text = st.lists(_CITATION_CHARS, max_size=300).map("".join)
any_text = st.text(max_size=500)


@st.composite
def mutated_lines(draw: st.DrawFn) -> str:
    """A seed line cut, duplicated, spliced with another or sprinkled with odd characters."""
    line = draw(st.sampled_from(_SEEDS))
    for _ in range(draw(st.integers(0, 4))):
        if not line:
            break
        i = draw(st.integers(0, len(line)))
        j = draw(st.integers(i, len(line)))
        op = draw(st.sampled_from(["delete", "repeat", "insert", "splice", "upper", "swap"]))
        if op == "delete":
            line = line[:i] + line[j:]
        elif op == "repeat":
            line = line[:j] + line[i:j] * draw(st.integers(2, 20)) + line[j:]
        elif op == "insert":
            line = line[:i] + draw(st.one_of(citation_text, any_text)) + line[i:]
        elif op == "splice":
            line = line[:i] + draw(st.sampled_from(_SEEDS))[i:]
        elif op == "upper":
            line = line[:i] + line[i:j].upper() + line[j:]
        else:
            line = line[j:] + line[i:j] + line[:i]
    return line


#: one line of text of any kind
lines = st.one_of(citation_text, any_text, mutated_lines())


@st.composite
def documents_text(draw: st.DrawFn) -> str:
    """A document: lines joined by newlines, with headings, list marks, markup and blank lines."""
    parts = draw(st.lists(lines, max_size=12))
    decorated = [
        draw(st.sampled_from(["", "# ", "## ", "- ", "* ", "1. ", "> ", "<li>", "<p>", "<h2>", "    "])) + p
        for p in parts
    ]
    return draw(st.sampled_from(["\n", "\n\n", "\r\n", "<br>\n"])).join(decorated)


_BRACE_TEXT = st.lists(st.sampled_from(["{", "}", "\\", "%", "@", ",", "=", '"', "#", "a", " ", "\n", "Title"]))
_FIELD_VALUE = st.one_of(citation_text, _BRACE_TEXT.map("".join), mutated_lines())
_BIB_FIELDS = (
    "title author editor date year publisher location volume number addendum note maintitle editora "
    "editoratype journaltitle pages entrysubtype"
).split()


@st.composite
def bib_files(draw: st.DrawFn) -> str:
    """BibTeX entries with odd values, unbalanced braces and missing pieces."""
    entries = []
    for _ in range(draw(st.integers(0, 4))):
        kind = draw(st.sampled_from(["book", "article", "booklet", "misc", "online", "incollection", "", "{"]))
        fields = [
            f"{draw(st.sampled_from(_BIB_FIELDS))} = "
            + draw(st.sampled_from(["{%s}", '"%s"', "%s", "{%s", "%s}"])) % draw(_FIELD_VALUE)
            for _ in range(draw(st.integers(0, 6)))
        ]
        key = draw(st.sampled_from(["key1", "", "a b", "k{", "doe1950"]))
        entries.append(f"@{kind}{{{key},\n  " + ",\n  ".join(fields) + draw(st.sampled_from(["\n}", "", "}}", ","])))
    junk = draw(st.one_of(st.just(""), citation_text, _BRACE_TEXT.map("".join)))
    return draw(st.sampled_from(["\n\n", "\n", ""])).join([*entries, junk])


_JSON = st.recursive(
    st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=False), st.text(max_size=30)),
    lambda inner: st.one_of(st.lists(inner, max_size=4), st.dictionaries(st.text(max_size=12), inner, max_size=4)),
    max_leaves=12,
)
_NAME = st.one_of(
    st.fixed_dictionaries({}, optional={k: _JSON for k in ("family", "given", "literal", "suffix")}),
    _JSON,
)
_DATE = st.one_of(
    st.fixed_dictionaries(
        {}, optional={"date-parts": st.one_of(_JSON, st.lists(st.lists(_JSON))), "circa": _JSON, "season": _JSON}
    ),
    _JSON,
)
_CSL_VALUES: dict[str, st.SearchStrategy[Any]] = {
    "type": st.one_of(st.sampled_from(["book", "article-journal", "chapter", "pamphlet", "thesis"]), _JSON),
    "title": st.one_of(citation_text, _JSON),
    "author": st.one_of(st.lists(_NAME, max_size=3), _JSON),
    "editor": st.one_of(st.lists(_NAME, max_size=3), _JSON),
    "compiler": st.one_of(st.lists(_NAME, max_size=3), _JSON),
    "translator": st.one_of(st.lists(_NAME, max_size=3), _JSON),
    "issued": _DATE,
    "original-date": _DATE,
    "publisher": _JSON,
    "publisher-place": _JSON,
    "volume": _JSON,
    "issue": _JSON,
    "page": _JSON,
    "number-of-pages": _JSON,
    "container-title": _JSON,
    "volume-title": _JSON,
    "edition": _JSON,
    "note": _JSON,
    "URL": _JSON,
    "DOI": _JSON,
    "ISBN": _JSON,
    "id": _JSON,
    "language": _JSON,
}
csl_items = st.fixed_dictionaries({}, optional=_CSL_VALUES)


@st.composite
def csl_json_files(draw: st.DrawFn) -> str:
    """CSL-JSON with wrong types in every field (a string for a name list, a number for a date...)."""
    top = draw(st.one_of(st.lists(st.one_of(csl_items, _JSON), max_size=4), csl_items, _JSON))
    return json.dumps(top, ensure_ascii=draw(st.booleans()))


_RIS_TAGS = "TY AU A1 A2 A3 A4 TI T1 T2 T3 PY Y1 DA PB CY VL IS SP EP ET DO SN UR N1 ID C1 LA M3 ER KW XX ty".split()


@st.composite
def ris_files(draw: st.DrawFn) -> str:
    """RIS with unknown tags, missing TY or ER, odd separators and wrong-looking values."""
    out = []
    for _ in range(draw(st.integers(0, 12))):
        tag = draw(st.sampled_from(_RIS_TAGS))
        sep = draw(st.sampled_from(["  - ", "  -", " - ", "-", "  - \n"]))
        value = draw(st.one_of(citation_text, st.sampled_from(["BOOK", "JOUR", "", "1950///", "a/b/c", "////"])))
        out.append(f"{tag}{sep}{value}")
    return "\n".join(out)
