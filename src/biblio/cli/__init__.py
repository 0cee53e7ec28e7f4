"""The `biblio` command line: a thin typer layer over the library.

Heavy modules (the database, the parsers) are imported inside the commands,
so that `biblio --help` starts about as fast as typer itself.  The command
modules do not use `from __future__ import annotations`: typer would evaluate
every string annotation again, twice per command, at each start.
"""

from __future__ import annotations

from biblio.cli import (  # noqa: F401  (each module registers its commands)
    citations,
    dedupe,
    enrich,
    export,
    ingest,
    maintenance,
    query,
    reading_lists,
    tags,
)
from biblio.cli.app import app, main

__all__ = ["app", "main"]
