"""Exports (BibTeX, CSL-JSON, RIS) and their importers.

`render` turns catalog records (citation key, canonical CSL item) into one of
the three formats; `read_records` reads a file of any of them back into CSL
items; `write_atomic` never leaves half a file behind.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from biblio.errors import UsageError
from biblio.export.bibtex import from_bibtex, to_entry, write_bibtex
from biblio.export.csl_json import from_csl_json, to_csl_item, write_csl_json
from biblio.export.items import clean_item
from biblio.export.ris import from_ris, to_ris_entry, write_ris
from biblio.model import Failure

__all__ = ["DATA_SUFFIXES", "FORMATS", "read_records", "render", "write_atomic"]

FORMATS = ("bibtex", "csl-json", "ris")
#: file suffixes read as bibliographic data rather than as documents
DATA_SUFFIXES = {".bib": "bibtex", ".json": "csl-json", ".ris": "ris"}
Record = tuple[str, dict[str, Any]]


def render(records: list[Record], fmt: str) -> str:
    """The records as a file of one format, in the order given."""
    if fmt == "bibtex":
        return write_bibtex([to_entry(csl, key) for key, csl in records])
    if fmt == "csl-json":
        return write_csl_json([to_csl_item(csl, key) for key, csl in records])
    if fmt == "ris":
        return write_ris([to_ris_entry(csl, key) for key, csl in records])
    raise UsageError(f"unknown export format {fmt!r}: use {', '.join(FORMATS)}")


def read_records(text: str, fmt: str, source: str) -> tuple[list[dict[str, Any]], list[Failure]]:
    """CSL items of a BibTeX, CSL-JSON or RIS file, and what could not be read."""
    readers = {"bibtex": from_bibtex, "csl-json": from_csl_json, "ris": from_ris}
    if fmt not in readers:
        raise UsageError(f"unknown format {fmt!r}: use {', '.join(FORMATS)}")
    items, failures = readers[fmt](text, source)
    return [clean_item(item) for item in items], failures


def write_atomic(path: Path, text: str | bytes) -> None:
    """Write a file whole or not at all: a temporary file beside it, synced, then a rename.

    On any failure (a full disk, a size limit, an interrupt) the temporary file is
    removed and the old file, if any, is left as it was.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
    try:
        umask = os.umask(0)
        os.umask(umask)
        os.fchmod(fd, 0o666 & ~umask)  # mkstemp's 0600 would surprise whoever shares the file
        data = text.encode("utf-8") if isinstance(text, str) else text
        with os.fdopen(fd, "wb") as handle:
            fd = -1  # the handle owns it now
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except BaseException:
        if fd >= 0:
            os.close(fd)
        Path(tmp).unlink(missing_ok=True)
        raise
    _sync_folder(path.parent)


def _sync_folder(folder: Path) -> None:
    """Make the rename itself durable (a power cut after it keeps the new file); best effort."""
    try:
        handle = os.open(folder, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)
