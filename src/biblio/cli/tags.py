"""`biblio tag` and `biblio untag`."""

from typing import Annotated

import typer

from biblio.cli.app import app, open_catalog

__all__ = ["tag", "untag"]

WorkArg = Annotated[str, typer.Argument(help="A work id or the citation key of one of its editions.")]
TagsArg = Annotated[list[str], typer.Argument(help="One or more tags.")]


@app.command()
def tag(work: WorkArg, tags: TagsArg) -> None:
    """Tag a work (tags follow it through merges; exports filter by them with --tag).

    Examples:

      biblio tag doe1950long "civil war" "to read"
    """
    with open_catalog() as catalog:
        now = catalog.tag(work, tags)
    typer.echo(f"{work}: {', '.join(now)}")


@app.command()
def untag(work: WorkArg, tags: TagsArg) -> None:
    """Remove tags from a work.

    Examples:

      biblio untag doe1950long "to read"
    """
    with open_catalog() as catalog:
        now = catalog.untag(work, tags)
    typer.echo(f"{work}: {', '.join(now) or '(no tags)'}")
