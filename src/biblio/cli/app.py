"""The typer application, its global options and the error handling every command shares."""

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING, Annotated

import typer

from biblio.config import DEFAULT_DB, ENV_DB

if TYPE_CHECKING:
    from biblio.catalog import Catalog

__all__ = ["State", "app", "fail", "main", "open_catalog"]

app = typer.Typer(
    name="biblio",
    help=(
        "Extract cited works from documents into a deduplicated catalog, and give them back "
        "as BibTeX, CSL-JSON and reading lists.\n\n"
        "Examples:\n\n"
        "  biblio build                      # ingest seeds/ into biblio.db\n\n"
        "  biblio --db my.db ingest essays/  # ingest a folder\n\n"
        "  biblio citations --format json    # every citation with its provenance"
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
)


class State:
    """Options given before the command."""

    db: str | None = None


@app.callback()
def _global(
    db: Annotated[
        str | None,
        typer.Option(
            "--db",
            help=f"Catalog: a SQLite file path or a SQLAlchemy URL. Default: ${ENV_DB}, else ./{DEFAULT_DB}.",
            metavar="PATH_OR_URL",
        ),
    ] = None,
) -> None:
    """Global options."""
    State.db = db


def fail(message: str, code: int = 1) -> None:
    """Print an error to stderr and exit with `code`."""
    typer.echo(f"biblio: error: {message}", err=True)
    raise typer.Exit(code)


@contextmanager
def open_catalog() -> Iterator["Catalog"]:
    """The catalog named by --db / $BIBLIO_DB / the default, closed afterwards."""
    from biblio.catalog import Catalog
    from biblio.config import database_url
    from biblio.errors import BiblioError

    try:
        catalog = Catalog(database_url(State.db))
    except BiblioError as err:
        fail(str(err), err.exit_code)
        raise  # unreachable: fail() exits
    try:
        yield catalog
    except BiblioError as err:
        fail(str(err), err.exit_code)
    finally:
        catalog.close()


def main() -> None:
    """Console-script entry point."""
    try:
        app()
    except KeyboardInterrupt:
        typer.echo("interrupted", err=True)
        sys.exit(130)
