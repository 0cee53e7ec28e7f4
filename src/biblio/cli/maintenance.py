"""`biblio backup` and `biblio check`: keeping a catalog safe for years."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from biblio.cli.app import State, app, fail, open_catalog

__all__ = ["backup", "backup_before", "check"]


def backup_before(operation: str, enabled: bool) -> None:
    """The automatic backup taken before a bulk destructive operation (skipped with --no-backup)."""
    if not enabled:
        return
    from biblio.catalog.backup import auto_backup
    from biblio.config import database_url
    from biblio.errors import BiblioError

    try:
        made = auto_backup(database_url(State.db), operation)
    except BiblioError as err:
        fail(f"{err} (nothing was changed; use --no-backup to go ahead without a backup)")
        return
    if made is None:
        typer.echo("warning: no automatic backup (pg_dump is not on the PATH)", err=True)
    else:
        typer.echo(f"backup: {made}", err=True)


@app.command()
def backup(
    file: Annotated[Path | None, typer.Argument(help="Where to write the copy (default: beside the catalog).")] = None,
) -> None:
    """Copy the catalog to FILE while it stays usable (SQLite online backup; pg_dump for PostgreSQL).

    Without FILE the copy is named after the catalog and the time, e.g.
    biblio.backup-20261130T101500123456Z.db. `biblio dedupe`, `rekey` and
    `unmerge --all` take such a copy by themselves first (biblio.auto-...;
    the last five are kept).

    Examples:

      biblio backup

      biblio --db notes.db backup /mnt/usb/notes-copy.db
    """
    from biblio.catalog.backup import backup_catalog

    with open_catalog() as catalog:  # refuses a file that is not a catalog before copying it
        made = backup_catalog(catalog.url, file)
    typer.echo(f"backed up to {made}")


@app.command()
def check(
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
) -> None:
    """Verify the catalog's invariants; exit 1 when any is broken.

    Checks the file (PRAGMA integrity_check, foreign keys), that every
    citation has its document and edition and every edition its work, that
    merge chains end at a record, that no person is orphaned and that
    citation keys are unique.

    Examples:

      biblio check

      biblio --db old.db check --format json
    """
    if fmt not in ("table", "json"):
        fail(f"unknown format {fmt!r}: use table or json", 2)
    with open_catalog() as catalog:
        results = catalog.check()
    if fmt == "json":
        rows = [
            {"check": r.name, "description": r.description, "ok": r.ok, "count": r.count, "problems": r.problems}
            for r in results
        ]
        typer.echo(json.dumps({"ok": all(r.ok for r in results), "checks": rows}, indent=1, ensure_ascii=False))
    else:
        for r in results:
            typer.echo(f"{'ok' if r.ok else 'FAIL':<5} {r.name:<22} {r.description}")
            for problem in r.problems:
                typer.echo(f"        {problem}")
            if r.count > len(r.problems):
                typer.echo(f"        ... and {r.count - len(r.problems)} more")
    if not all(r.ok for r in results):
        raise typer.Exit(1)
