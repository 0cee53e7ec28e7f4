"""A selection made printable: pandoc Markdown first, then HTML (print CSS) and PDF (Typst) from it.

Entries come from the CSL processor (biblio.reading.pandoc), never from
strings built here.  Everything that came from documents (titles of
documents, section names, verbatim citations) is backslash-escaped before it
enters the Markdown, and the Markdown is read with raw HTML, TeX and Typst
turned off, so a title "<script>" is printed as text in every output.
"""

from __future__ import annotations

import json
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from biblio.reading.language import guess_language
from biblio.reading.pandoc import MARKDOWN_IN, PandocError, format_entries, run_pandoc
from biblio.reading.select import Entry, Selection
from biblio.resolve.keys import fold_text

__all__ = ["FORMATS", "Rendered", "csl_items", "escape", "render_html", "render_markdown", "render_pdf"]

FORMATS = ("md", "html", "pdf")

_LEADING = re.compile(r"^(\d*)([.)+-])")

_PUNCT = re.compile(r"([\\`*_{}\[\]<>#!|~^$@&=\"'])")

#: Print CSS: A4 with margins, entries never split across pages, headings kept with what follows.
PRINT_CSS = """
body { max-width: 44em; font-family: Georgia, "Times New Roman", serif; line-height: 1.45; }
header#title-block-header { margin-bottom: 2em; }
.introduction { font-size: 1.05em; }
.section-note { font-style: italic; }
.entry { margin: 0 0 1em 0; break-inside: avoid; page-break-inside: avoid; }
.entry > p:first-child { padding-left: 2em; text-indent: -2em; margin-bottom: 0.2em; }
.entry .editions, .entry .cited { font-size: 0.9em; color: #333; margin: 0.15em 0 0.15em 2em; }
.entry .note { margin: 0.2em 0 0.2em 2em; }
.entry blockquote { font-size: 0.85em; margin: 0.2em 0 0.2em 3em; color: #444; }
h2 { margin-top: 1.6em; break-after: avoid; page-break-after: avoid; }
.section-note { break-after: avoid; page-break-after: avoid; }
@page { size: A4; margin: 20mm 22mm 22mm 22mm; }
@media print {
  body { max-width: none; font-size: 10.5pt; margin: 0; padding: 0; }
  a { color: inherit; text-decoration: none; }
  section.level2 { break-before: auto; }
}
"""

#: Typst preamble: entries (pandoc Divs become Typst blocks) never break across pages; reproducible PDFs.
TYPST_PREAMBLE = "\n".join(
    [
        "#set document(date: none)",
        "#set text(hyphenate: false)",
        "#set par(spacing: 0.5em)",
        "#show block: set block(breakable: false, above: 1.3em)",
        "#show heading: set block(above: 1.6em, below: 0.8em)",
    ]
)


def escape(text: str) -> str:
    """Document text as literal pandoc Markdown: every markup character backslash-escaped, one line."""
    out = _PUNCT.sub(r"\\\1", " ".join(text.split()))
    return _LEADING.sub(r"\1\\\2", out)  # "1." or "-" first would open a list


def _clean(csl: dict[str, Any]) -> dict[str, Any]:
    """A CSL item for the processor: raw-only dates (but issued) dropped, a non-English title's language set.

    pandoc's citeproc reads a raw "January 12-19 1938" as a range starting in year 12 AD; the
    same text stays in the record's note.  Without a language, styles title-case every title as English.
    """
    out = {}
    for key, value in csl.items():
        if key != "issued" and isinstance(value, dict) and "raw" in value and "date-parts" not in value:
            continue
        out[key] = value
    if "language" not in out:
        language = guess_language(out.get("title"))
        if language:
            out["language"] = language
    return out


def csl_items(selection: Selection) -> list[dict[str, Any]]:
    """The CSL-JSON items of every edition the list shows, once each, ids = citation keys."""
    seen: dict[str, dict[str, Any]] = {}
    for entry in selection.entries:
        for key, csl in entry.work.editions:
            if key not in seen:
                seen[key] = {**_clean(csl), "id": key}
    return list(seen.values())


@dataclass(frozen=True)
class Rendered:
    """A built list: its Markdown, its CSL items and their entries."""

    markdown: str
    items: list[dict[str, Any]]
    entries: dict[str, str]


def _cited(entry: Entry, verbatim: bool) -> list[str]:
    """The 'Cited in' paragraph, and the verbatim citations when asked for."""
    places: dict[str, list[str]] = {}
    for c in entry.work.citing:
        under = c.section and fold_text(c.section) != fold_text(c.title)
        where = f"line {c.line}" + (f", under “{c.section}”" if under else "")
        places.setdefault(c.title, []).append(where)
    if not places:
        return []
    text = "; ".join(f"*{escape(doc)}* ({escape('; '.join(w))})" for doc, w in places.items())
    out = [f"[Cited in: {text}.]{{.cited}}", ""]
    if verbatim:
        for c in entry.work.citing:
            out += [f"> {escape(c.raw)} — {escape(c.title)}, line {c.line}", ""]
    return out


def _entry_markdown(entry: Entry, entries: dict[str, str], verbatim: bool) -> list[str]:
    """One work: its first edition's entry, the other editions held, the note, where it is cited."""
    keys = entry.work.keys
    lines = [f':::: {{.entry key="{keys[0]}"}}', entries[keys[0]], ""]
    if len(keys) > 1:
        also = " · ".join(entries[k] for k in keys[1:])
        lines += [f"[Also held: {also}]{{.editions}}", ""]
    if entry.note:
        lines += ["::: note", entry.note, ":::", ""]
    lines += _cited(entry, verbatim)
    lines += ["::::", ""]
    return lines


def render_markdown(selection: Selection, style: Path, verbatim: bool = False) -> Rendered:
    """The list as pandoc Markdown, every entry formatted by the CSL processor."""
    theme = selection.theme
    items = csl_items(selection)
    entries = format_entries(items, style)
    meta = {"title": theme.title, "lang": "en"}
    if theme.subtitle:
        meta["subtitle"] = theme.subtitle
    lines = ["---", *(f"{k}: {json.dumps(v, ensure_ascii=False)}" for k, v in meta.items()), "---", ""]
    if theme.introduction:
        lines += ["::: introduction", theme.introduction, ":::", ""]
    for part in selection.sections:
        lines += [f"## {part.section.heading}", ""]
        if part.section.note:
            lines += ["::: section-note", part.section.note, ":::", ""]
        for entry in part.entries:
            lines += _entry_markdown(entry, entries, verbatim)
    return Rendered("\n".join(lines).rstrip() + "\n", items, entries)


def render_html(markdown: str) -> str:
    """One self-contained HTML page with print CSS."""
    return run_pandoc(
        [
            "-f",
            MARKDOWN_IN,
            "-t",
            "html5",
            "-s",
            "--section-divs",
            "--wrap=none",
            "-V",
            f"header-includes=<style>{PRINT_CSS}</style>",
        ],
        markdown,
    )


def render_pdf(markdown: str) -> bytes:
    """A PDF through Typst (no TeX needed)."""
    import typst

    source = run_pandoc(
        ["-f", MARKDOWN_IN, "-t", "typst", "-s", "--wrap=none", "-V", f"header-includes={TYPST_PREAMBLE}"], markdown
    )
    with tempfile.TemporaryDirectory(prefix="biblio-typst-") as tmp:
        path = Path(tmp) / "list.typ"
        path.write_text(source, encoding="utf-8")
        try:
            pdf = typst.compile(str(path))
        except Exception as err:  # typst raises its own error types for any compile problem
            raise PandocError(f"typst could not typeset the list: {err}") from err
    if not isinstance(pdf, bytes):
        raise PandocError("typst returned no PDF")
    return pdf
