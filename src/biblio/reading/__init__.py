"""Printable themed reading lists: a theme file selects works, a CSL style formats them.

theme (TOML) -> selection (from the catalog) -> Markdown (entries by pandoc's
citeproc) -> HTML with print CSS, PDF through Typst.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path

from biblio.reading.render import FORMATS, render_html, render_markdown, render_pdf
from biblio.reading.select import Selection
from biblio.reading.styles import resolve_style

__all__ = ["FORMATS", "BuiltList", "build_list"]


@dataclass(frozen=True)
class BuiltList:
    """What building one list wrote."""

    name: str
    entries: int
    files: list[Path]


def build_list(
    selection: Selection,
    out_dir: Path,
    style: str | None = None,
    formats: tuple[str, ...] = FORMATS,
    verbatim: bool = False,
) -> BuiltList:
    """Write NAME.md/.html/.pdf (as asked) and NAME.json (the CSL-JSON they were formatted from)."""
    from biblio.export import write_atomic

    theme = selection.theme
    rendered = render_markdown(selection, resolve_style(style or theme.style), verbatim)
    outputs: list[tuple[Path, str | bytes]] = [
        (out_dir / f"{theme.name}.json", json.dumps(rendered.items, ensure_ascii=False, indent=1) + "\n")
    ]
    if "md" in formats:
        outputs.append((out_dir / f"{theme.name}.md", rendered.markdown))
    if "html" in formats:
        outputs.append((out_dir / f"{theme.name}.html", render_html(rendered.markdown)))
    if "pdf" in formats:
        outputs.append((out_dir / f"{theme.name}.pdf", render_pdf(rendered.markdown)))
    for path, content in outputs:  # every output rendered before any is written
        write_atomic(path, content)
    return BuiltList(theme.name, sum(len(s.entries) for s in selection.sections), [p for p, _ in outputs])
