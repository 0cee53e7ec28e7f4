"""Generated documents: the corpus's records written as the list entries biblio reads, and as BibTeX.

Each record of `bench.corpus.generate` becomes one entry in one of the shapes
of real documents: a bookseller listing line (title first), a Chicago
author-date or notes-bibliography entry, an APA or MLA reference, a short
"Further Reading" line and a Chicago first-citation footnote.  Entries are
grouped into Markdown documents of `per_document` entries, each shape under a
heading of its kind; the same entries are also written as one BibTeX file per
document, for the peer (bibtexparser) to parse.  The variant spellings and
duplicates are the corpus's, so the truth of every entry is known.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from bench.corpus import GeneratedRecord, generate

__all__ = ["SHAPES", "GeneratedDocument", "bibtex_entry", "documents", "render_entry"]

SHAPES = ("listing", "chicago", "chicago-notes", "apa", "mla", "further", "footnote")
_HEADINGS = {
    "listing": "Books for sale",
    "chicago": "References",
    "chicago-notes": "Bibliography",
    "apa": "References",
    "mla": "Works Cited",
    "further": "Further Reading",
    "footnote": "Notes",
}


@dataclass(frozen=True)
class GeneratedDocument:
    """One Markdown document, the same entries as BibTeX, and the truth of each entry in order."""

    name: str
    markdown: str
    bibtex: str
    records: list[GeneratedRecord]
    shapes: list[str]
    lines: list[int]  # the line of each entry in the Markdown (1-based)


def _year(csl: dict[str, Any]) -> int:
    """The record's year."""
    return int(csl["issued"]["date-parts"][0][0])


def _natural(name: dict[str, str]) -> str:
    """ "Given Family"."""
    return f"{name['given']} {name['family']}".strip()


def _inverted_list(names: list[dict[str, str]], initials: bool = False) -> str:
    """ "Family, Given, and Given Family" (APA: "Family, G., & Family, G.")."""
    if initials:
        parts = [f"{n['family']}, {n['given'][0]}." for n in names]
        return ", & ".join(parts)
    first = f"{names[0]['family']}, {names[0]['given']}"
    rest = [_natural(n) for n in names[1:]]
    return ", and ".join([first, *rest])


def _volume(csl: dict[str, Any], sep: str) -> str:
    """ "{sep}Vol. 2" when the record is a volume."""
    return f"{sep}Vol. {csl['volume']}" if csl.get("volume") else ""


def render_entry(csl: dict[str, Any], shape: str, note: int = 1) -> str:
    """One record as a list entry of the given shape."""
    names, title, year = csl["author"], csl["title"], _year(csl)
    publisher, place = csl["publisher"], csl["publisher-place"]
    pages = csl.get("number-of-pages")
    if shape == "listing":
        out = f"{title}{_volume(csl, ', ')}, {' and '.join(_natural(n) for n in names)}, {publisher}, {place}, {year}"
        return out + (f", {pages} pages." if pages else ".")
    if shape == "chicago":
        return f"{_inverted_list(names)}. {year}. {title}{_volume(csl, '. ')}. {place}: {publisher}."
    if shape == "chicago-notes":
        return f"{_inverted_list(names)}. {title}{_volume(csl, '. ')}. {place}: {publisher}, {year}."
    if shape == "apa":
        return f"{_inverted_list(names, initials=True)} ({year}). {title}{_volume(csl, '. ')}. {publisher}."
    if shape == "mla":
        return f"{_inverted_list(names)}. {title}{_volume(csl, '. ')}. {publisher}, {year}."
    if shape == "further":
        return f"{' and '.join(_natural(n) for n in names)}, {title}{_volume(csl, ', ')}"
    if shape == "footnote":
        people = " and ".join(_natural(n) for n in names)
        return f"{note}. {people}, {title}{_volume(csl, ', ')} ({place}: {publisher}, {year}), {note * 7}."
    raise ValueError(f"unknown shape {shape!r}")


def _braced(text: str) -> str:
    """A BibTeX field value."""
    return "{" + text.replace("{", "").replace("}", "") + "}"


def bibtex_entry(csl: dict[str, Any], key: str) -> str:
    """The same record as a BibTeX @book entry."""
    fields = {
        "author": " and ".join(f"{n['family']}, {n['given']}" for n in csl["author"]),
        "title": csl["title"],
        "publisher": csl["publisher"],
        "address": csl["publisher-place"],
        "year": str(_year(csl)),
    }
    if csl.get("volume"):
        fields["volume"] = str(csl["volume"])
    if csl.get("number-of-pages"):
        fields["pagetotal"] = str(csl["number-of-pages"])
    body = ",\n".join(f"  {k} = {_braced(v)}" for k, v in fields.items())
    return f"@book{{{key},\n{body}\n}}\n"


def _markdown(title: str, entries: list[tuple[str, str]]) -> tuple[str, list[int]]:
    """A document: a title, then each run of one shape under its heading, as list items or notes.

    Notes are paragraphs (a blank line between them); list items are one list.
    Returns the text and the line each entry starts on.
    """
    lines = [f"# {title}", ""]
    at: list[int] = []
    shape_now = ""
    for shape, text in entries:
        if shape != shape_now:
            lines += ["", f"## {_HEADINGS[shape]}", ""]
            shape_now = shape
        at.append(len(lines) + 1)
        lines += [text, ""] if shape == "footnote" else [f"- {text}"]
    return "\n".join(lines) + "\n", at


def documents(size: int, per_document: int = 500, seed: int = 1917) -> Iterator[GeneratedDocument]:
    """About `size` entries in documents of `per_document`, shapes in runs of 5 to 50 entries."""
    rng = random.Random(seed + 1)
    records = generate(size, seed)
    number = 0
    while True:
        chunk = [r for _, r in zip(range(per_document), records, strict=False)]
        if not chunk:
            return
        shapes: list[str] = []
        while len(shapes) < len(chunk):
            shapes += [rng.choice(SHAPES)] * rng.randint(5, 50)
        shapes = shapes[: len(chunk)]
        entries = [(s, render_entry(r.csl, s, i + 1)) for i, (s, r) in enumerate(zip(shapes, chunk, strict=True))]
        bib = "\n".join(bibtex_entry(r.csl, f"d{number}e{i}") for i, r in enumerate(chunk))
        text, lines = _markdown(f"Reading list {number}", entries)
        yield GeneratedDocument(f"list-{number:05d}.md", text, bib, chunk, shapes, lines)
        number += 1
