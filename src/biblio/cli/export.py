"""`biblio export` and `biblio rekey`."""

from pathlib import Path
from typing import Annotated

import typer

from biblio.cli.app import app, fail, open_catalog

__all__ = ["export", "rekey_command"]


def _years(value: str | None) -> tuple[int | None, int | None]:
    """ "1930..1939", "1930..", "..1939" or "1935" as a range."""
    from biblio.years import parse_years

    if not value:
        return None, None
    try:
        return parse_years(value)
    except ValueError:
        fail(f"bad year range {value!r}: use 1930..1939, 1930.., ..1939 or 1935", 2)
        raise


@app.command()
def export(
    fmt: Annotated[str, typer.Argument(metavar="FORMAT", help="bibtex, csl-json or ris.")],
    output: Annotated[Path | None, typer.Option("--output", "-o", help="Write here (atomically).")] = None,
    text: Annotated[str | None, typer.Option(help="Only records whose title, names or notes hold this.")] = None,
    author: Annotated[str | None, typer.Option(help="Only records with this contributor name.")] = None,
    year: Annotated[str | None, typer.Option(help="Year or range: 1930..1939.")] = None,
    type_: Annotated[str | None, typer.Option("--type", help="CSL type: book, pamphlet, ...")] = None,
    tag: Annotated[str | None, typer.Option(help="Only works carrying this tag.")] = None,
    reading_list: Annotated[
        str | None, typer.Option(help="Only the editions a reading-list theme selects (a name in reading_lists/).")
    ] = None,
) -> None:
    """Export the catalog as BibTeX (biblatex), CSL-JSON or RIS: one entry per edition.

    Citation keys (`doe1950long`) are given once and kept. With -o the
    file is written whole or not at all; without it, to standard output.

    Examples:

      biblio export bibtex -o catalog.bib

      biblio export csl-json --author Doe --year 1930..1939

      biblio export ris --type pamphlet > pamphlets.ris

      biblio export bibtex --reading-list civil-war -o civil-war.bib
    """
    from biblio.catalog.keys import ExportFilter
    from biblio.export import FORMATS, write_atomic

    if fmt not in FORMATS:
        fail(f"unknown format {fmt!r}: use {', '.join(FORMATS)}", 2)
    low, high = _years(year)
    keys = None
    if reading_list:
        from biblio.cli.reading_lists import reading_list_keys

        keys = reading_list_keys(reading_list)
    flt = ExportFilter(text=text, author=author, year_from=low, year_to=high, type=type_, tag=tag, keys=keys)
    with open_catalog() as catalog:
        rendered = catalog.export(fmt, flt)
    if output is None:
        typer.echo(rendered, nl=False)
    else:
        try:
            write_atomic(output, rendered)
        except OSError as err:
            fail(f"cannot write {output}: {err.strerror or err}")


@app.command("rekey")
def rekey_command(
    no_backup: Annotated[bool, typer.Option("--no-backup", help="Skip the automatic backup taken first.")] = False,
) -> None:
    """Regenerate every citation key (they otherwise never change between exports).

    Examples:

      biblio rekey
    """
    from biblio.cli.maintenance import backup_before

    with open_catalog() as catalog:
        backup_before("rekey", not no_backup)
        changed = catalog.rekey()
    typer.echo(f"{changed} keys changed")
