"""pandoc, the reference CSL processor biblio formats entries with, and the converter to HTML and Typst.

pandoc's citeproc honours every CSL option (citeproc-py 0.11, measured while
planning, ignores `initialize="false"` and abbreviates given names that
Chicago spells out).  pandoc comes as a binary inside PyPI's pypandoc-binary;
a `pandoc` on PATH is used when that is missing.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

from biblio.errors import BiblioError

__all__ = ["PandocError", "format_entries", "pandoc_binary", "run_pandoc"]

#: Document text is never read as raw HTML, TeX or Typst, and quotes stay as written.
MARKDOWN_IN = "markdown-raw_html-raw_tex-raw_attribute-smart-tex_math_dollars-tex_math_single_backslash"

_ENTRY = re.compile(r"^:::+ \{#ref-(?P<id>\S+) \.csl-entry[^}]*\}\n(?P<body>.*?)\n:::+$", re.M | re.S)


class PandocError(BiblioError):
    """pandoc is missing or refused its input."""


def pandoc_binary() -> str:
    """The pandoc executable: pypandoc-binary's, else one on PATH."""
    try:
        import pypandoc

        path = str(pypandoc.get_pandoc_path())
        if path:
            return path
    except (ImportError, OSError):
        pass
    found = shutil.which("pandoc")
    if not found:
        raise PandocError("pandoc is needed for reading lists: pip install pypandoc-binary (or install pandoc)")
    return found


def run_pandoc(args: list[str], text: str) -> str:
    """pandoc's standard output for `text` on standard input; PandocError with its message on failure."""
    try:
        done = subprocess.run(
            [pandoc_binary(), *args], input=text, capture_output=True, text=True, encoding="utf-8", check=False
        )
    except OSError as err:
        raise PandocError(f"cannot run pandoc: {err}") from err
    if done.returncode != 0:
        raise PandocError(f"pandoc failed: {done.stderr.strip()[:500]}")
    return done.stdout


def _plain_style(style: Path, folder: Path) -> Path:
    """The style without subsequent-author-substitute: a list's own order would make "———" name the wrong author."""
    text = style.read_text(encoding="utf-8")
    stripped = re.sub(r'\s+subsequent-author-substitute(-rule)?="[^"]*"', "", text)
    if stripped == text:
        return style
    out = folder / style.name
    out.write_text(stripped, encoding="utf-8")
    return out


def format_entries(items: list[dict[str, Any]], style: Path) -> dict[str, str]:
    """Each item's bibliography entry, as pandoc Markdown, keyed by item id (one citeproc run for all)."""
    if not items:
        return {}
    with tempfile.TemporaryDirectory(prefix="biblio-citeproc-") as tmp:
        folder = Path(tmp)
        refs = folder / "references.json"
        refs.write_text(json.dumps(items, ensure_ascii=False), encoding="utf-8")
        csl = _plain_style(style, folder)
        out = run_pandoc(
            [
                "-f",
                "markdown",
                "-t",
                "markdown-smart",
                "--wrap=none",
                "--citeproc",
                f"--bibliography={refs}",
                f"--csl={csl}",
            ],
            '---\nnocite: "@*"\n---\n',
        )
    entries = {m.group("id"): m.group("body").strip() for m in _ENTRY.finditer(out)}
    missing = [str(i["id"]) for i in items if str(i["id"]) not in entries]
    if missing:
        raise PandocError(f"pandoc gave no entry for {', '.join(missing[:5])}")
    return entries
