"""`biblio reading-list build | show | new`: printable themed reading lists."""

import json
import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer

from biblio.cli.app import app, fail, open_catalog

if TYPE_CHECKING:
    from biblio.reading.select import Selection

__all__ = ["THEMES_ENV", "build_all", "reading_list_keys", "themes_dir"]

THEMES_ENV = "BIBLIO_READING_LISTS"

reading = typer.Typer(
    help=(
        "Printable themed reading lists: reading_lists/NAME.toml selects works, a CSL style formats them.\n\n"
        "Examples:\n\n"
        "  biblio reading-list new civil-war\n\n"
        "  biblio reading-list show civil-war\n\n"
        "  biblio reading-list build --all --style apa --format md,html"
    ),
    no_args_is_help=True,
    rich_markup_mode=None,
)
app.add_typer(reading, name="reading-list")

ThemesOption = Annotated[
    Path | None,
    typer.Option("--themes", help=f"Folder of theme files. Default: ${THEMES_ENV}, else ./reading_lists."),
]


def themes_dir(option: Path | None) -> Path:
    """The themes folder: --themes, $BIBLIO_READING_LISTS, else ./reading_lists."""
    return option or Path(os.environ.get(THEMES_ENV) or "reading_lists")


def _formats(value: str) -> tuple[str, ...]:
    """'md,html,pdf' as a tuple, checked."""
    from biblio.reading import FORMATS

    chosen = tuple(v.strip() for v in value.split(",") if v.strip())
    unknown = [v for v in chosen if v not in FORMATS]
    if unknown or not chosen:
        fail(f"unknown format {', '.join(unknown) or value!r}: use a list of {', '.join(FORMATS)}", 2)
    return chosen


def _names(names: list[str] | None, every: bool, folder: Path) -> list[str]:
    """The themes to build: those named, or every .toml in the folder with --all."""
    if every:
        found = sorted(p.stem for p in folder.glob("*.toml"))
        if not found:
            fail(f"{folder} holds no themes (.toml files)", 1)
        return found
    if not names:
        fail("name one or more themes, or give --all", 2)
    return list(names or [])


def _select(name: str, folder: Path) -> "Selection":
    """Load a theme and select its works from the catalog."""
    from biblio.errors import BiblioError
    from biblio.reading.theme import load_theme

    try:
        theme = load_theme(name, folder)
    except BiblioError as err:
        fail(str(err), err.exit_code)
        raise
    with open_catalog() as catalog:
        return catalog.reading_list(theme)
    raise AssertionError("unreachable")  # open_catalog exits on errors


def reading_list_keys(name: str, themes: Path | None = None) -> frozenset[str]:
    """The citation keys of every edition a theme's list shows (for `biblio export --reading-list`)."""
    selection = _select(name, themes_dir(themes))
    return frozenset(k for entry in selection.entries for k in entry.work.keys)


def build_all(folder: Path, out_dir: Path, formats: tuple[str, ...], style: str | None = None) -> list[str]:
    """Build every theme of a folder (used by `biblio build`); the files written."""
    from biblio.reading import build_list

    written = []
    for name in sorted(p.stem for p in folder.glob("*.toml")):
        built = build_list(_select(name, folder), out_dir, style, formats)
        written += [str(p) for p in built.files]
    return written


@reading.command("build")
def build(
    names: Annotated[list[str] | None, typer.Argument(metavar="NAME...", help="Theme names or .toml paths.")] = None,
    every: Annotated[bool, typer.Option("--all", help="Every theme in the themes folder.")] = False,
    style: Annotated[
        str | None, typer.Option(help="CSL style id or .csl path (default: the theme's, else chicago-author-date).")
    ] = None,
    formats: Annotated[str, typer.Option("--format", help="Outputs, comma-separated: md, html, pdf.")] = "md,html,pdf",
    output: Annotated[Path, typer.Option("--output", "-o", help="Folder to write to.")] = Path("exports/reading-lists"),
    verbatim: Annotated[bool, typer.Option(help="Quote every citation verbatim under its entry.")] = False,
    themes: ThemesOption = None,
) -> None:
    """Build reading lists as Markdown, a printable HTML page and a PDF (plus the CSL-JSON behind them).

    Examples:

      biblio reading-list build civil-war

      biblio reading-list build --all --style apa -o handouts/

      biblio reading-list build eyewitnesses --format html --verbatim
    """
    from biblio.errors import BiblioError
    from biblio.reading import build_list

    folder = themes_dir(themes)
    chosen = _formats(formats)
    for name in _names(names, every, folder):
        selection = _select(name, folder)
        try:
            built = build_list(selection, output, style, chosen, verbatim)
        except BiblioError as err:
            fail(f"{name}: {err}", err.exit_code)
            raise
        typer.echo(f"{name}: {built.entries} works -> " + ", ".join(str(p) for p in built.files))


@reading.command("show")
def show(
    name: Annotated[str, typer.Argument(help="Theme name or .toml path.")],
    fmt: Annotated[str, typer.Option("--format", help="table or json.")] = "table",
    themes: ThemesOption = None,
) -> None:
    """Show what a theme selects, section by section, and why each work is in.

    Examples:

      biblio reading-list show civil-war

      biblio reading-list show civil-war --format json | jq '.sections[].works[].key'
    """
    if fmt not in ("table", "json"):
        fail(f"unknown format {fmt!r}: use table or json", 2)
    selection = _select(name, themes_dir(themes))
    data: dict[str, Any] = {
        "name": selection.theme.name,
        "title": selection.theme.title,
        "style": selection.theme.style,
        "sections": [
            {
                "heading": part.section.heading,
                "works": [
                    {
                        "key": e.work.keys[0],
                        "work_id": e.work.id,
                        "title": e.work.title,
                        "year": e.work.first_year,
                        "editions": e.work.keys,
                        "reasons": e.reasons,
                        "note": e.note,
                        "cited_in": sorted({c.document for c in e.work.citing}),
                    }
                    for e in part.entries
                ],
            }
            for part in selection.sections
        ],
    }
    if fmt == "json":
        typer.echo(json.dumps(data, ensure_ascii=False, indent=2))
        return
    from rich.console import Console
    from rich.table import Table
    from rich.text import Text

    console = Console()  # honours NO_COLOR and the terminal's width
    console.print(Text(f"{data['title']}  ({data['name']}, {data['style']})"))
    for section in data["sections"]:
        table = Table(title=Text(str(section["heading"])), title_justify="left", expand=False)
        for column in ("key", "year", "title", "why"):
            table.add_column(column, overflow="fold")
        for work in section["works"]:
            why = "; ".join(work["reasons"]) + (" (has a note)" if work["note"] else "")
            table.add_row(Text(work["key"]), str(work["year"] or ""), Text(work["title"]), Text(why))
        console.print(table)


@reading.command("new")
def new(
    name: Annotated[str, typer.Argument(help="The theme's name (its file is NAME.toml).")],
    force: Annotated[bool, typer.Option(help="Overwrite an existing theme.")] = False,
    themes: ThemesOption = None,
) -> None:
    """Write a commented theme template to the themes folder.

    Examples:

      biblio reading-list new civil-war

      biblio reading-list new eyewitnesses --themes ~/lists
    """
    from biblio.export import write_atomic
    from biblio.reading.template import template

    if not name or "/" in name or name.startswith("."):
        fail(f"bad theme name {name!r}: use letters, digits, - and _", 2)
    path = themes_dir(themes) / f"{name}.toml"
    if path.exists() and not force:
        fail(f"{path} exists (use --force to overwrite)", 1)
    write_atomic(path, template(name))
    typer.echo(f"wrote {path}: edit it, then `biblio reading-list show {name}`")
