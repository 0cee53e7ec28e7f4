"""The `biblio` command line: a thin typer layer over the library.

Heavy modules (the database, the parsers) are imported inside the commands,
so that `biblio --help` starts about as fast as typer itself.
"""

from __future__ import annotations

from biblio.cli import citations, dedupe, export, ingest, maintenance, tags  # noqa: F401  (each module registers its commands)
from biblio.cli.app import app, main

__all__ = ["app", "main"]
