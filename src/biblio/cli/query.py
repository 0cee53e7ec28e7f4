"""`biblio search`, `show`, `works`, `authors`, `documents` and `stats`: questions to the catalog.

Every listing prints as a rich table that fits the terminal (no colour under
NO_COLOR or when piped), as JSON with stable keys, or as CSV; `search` also
as BibTeX, CSL-JSON or RIS.  The exit code is 0 with results, 1 with none
(as grep does), 2 on a usage error.
"""

import json
import sys
from typing import Annotated, Any

import typer

from biblio.cli.app import app, fail, open_catalog
from biblio.cli.export import _years

__all__ = ["authors", "documents", "search", "show", "stats", "works"]

_SEARCH_FIELDS = ("edition_id", "work_id", "citation_key", "title", "authors", "year", "type", "publisher", "place")
#: a table has room for fewer columns than JSON and CSV carry
_SEARCH_TABLE = ("edition_id", "title", "authors", "year", "publisher", "place")
_LIST_FORMATS = ("table", "json", "csv")
_EXPORTS = ("bibtex", "csl-json", "ris")

LimitOption = Annotated[int, typer.Option("--limit", "-n", help="At most this many rows (0: all).", min=0)]


def _check_format(fmt: str, allowed: tuple[str, ...]) -> None:
    """Exit 2 on a format the command does not write."""
    if fmt not in allowed:
        fail(f"unknown format {fmt!r}: use {', '.join(allowed)}", 2)


def _cell(value: Any) -> str:
    """A value as table or CSV text (lists joined, None empty)."""
    if value is None:
        return ""
    if isinstance(value, list):
        return "; ".join(map(str, value))
    return str(value)


def _emit(rows: list[dict[str, Any]], fmt: str, columns: tuple[str, ...], title: str | None = None) -> None:
    """Rows as a table, JSON or CSV on standard output; exit 1 when there are none."""
    if fmt == "json":
        typer.echo(json.dumps(rows, indent=1, ensure_ascii=False))
    elif fmt == "csv":
        import csv

        writer = csv.DictWriter(sys.stdout, fieldnames=list(columns), extrasaction="ignore", lineterminator="\n")
        writer.writeheader()
        writer.writerows({c: _cell(row.get(c)) for c in columns} for row in rows)
    elif rows:
        from rich.console import Console
        from rich.table import Table

        table = Table(title=title, show_lines=False, title_justify="left")
        for column in columns:
            numeric = column in ("year", "editions", "citations", "documents", "works", "edition_id", "work_id", "id")
            table.add_column(column, overflow="fold", justify="right" if numeric else "left")
        for row in rows:
            table.add_row(*(_cell(row.get(c)) for c in columns))
        Console().print(table)
    if not rows:
        if fmt == "table":
            typer.echo("nothing found", err=True)
        raise typer.Exit(1)


@app.command()
def search(
    text: Annotated[str | None, typer.Argument(help='Words, "a phrase", prefix*, OR, NOT, title:word ...')] = None,
    author: Annotated[str | None, typer.Option(help="A contributor's name, in any of its forms.")] = None,
    title: Annotated[str | None, typer.Option(help="Words of the title.")] = None,
    publisher: Annotated[str | None, typer.Option(help="Words of the publisher's name.")] = None,
    place: Annotated[str | None, typer.Option(help="Place of publication.")] = None,
    year: Annotated[str | None, typer.Option(help="Year or range: 1935, 1930..1939, 1930.., ..1939.")] = None,
    type_: Annotated[str | None, typer.Option("--type", help="CSL type: book, pamphlet, article-journal ...")] = None,
    tag: Annotated[str | None, typer.Option(help="Only works carrying this tag.")] = None,
    cited_in: Annotated[
        list[str] | None, typer.Option("--cited-in", help="Only works cited in this document (repeat: in all of them).")
    ] = None,
    theme: Annotated[
        str | None, typer.Option(help="Only editions a reading list shows (a theme name in reading_lists/ or a path).")
    ] = None,
    sort: Annotated[str | None, typer.Option(help="relevance (with TEXT), title, year, -year or author.")] = None,
    limit: LimitOption = 100,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, json, csv, bibtex, csl-json or ris.")] = "table",
) -> None:
    """Find editions by full text over titles, every name form, publishers, places and notes.

    Diacritics do not matter (Nemec finds Němec). TEXT takes words (all must
    match), "a phrase", prefix*, OR, NOT (or -word), parentheses, and a field
    before a word: title:, author:, publisher:, place:, note:. Options narrow
    further. One row per edition (merged duplicates count once); JSON keys:
    edition_id, work_id, citation_key, title, authors, year, type, publisher, place.

    Examples:

      biblio search --author Doe

      biblio search --place Springfield --year 1930..1939

      biblio search '"long road" OR harbo*' --format json

      biblio search --cited-in essay.md --cited-in list.html --format bibtex > both.bib

      biblio search --theme civil-war --year ..1930
    """
    from biblio.catalog.search import SearchQuery

    _check_format(fmt, (*_LIST_FORMATS, *_EXPORTS))
    low, high = _years(year)
    shown: frozenset[str] | None = None
    if theme:
        from biblio.cli.reading_lists import reading_list_keys

        shown = reading_list_keys(theme)
    query = SearchQuery(
        text=text,
        author=author,
        title=title,
        publisher=publisher,
        place=place,
        year_from=low,
        year_to=high,
        type=type_,
        tag=tag,
        cited_in=tuple(cited_in or ()),
        sort=sort,
        limit=limit + 1 if limit and shown is None else None,
    )
    with open_catalog() as catalog:
        hits = catalog.search(query, keys=fmt in _EXPORTS or shown is not None)
    if shown is not None:
        hits = [h for h in hits if h.citation_key in shown]
    if limit and len(hits) > limit:
        hits = hits[:limit]
        typer.echo(f"biblio: showing the first {limit} results; --limit 0 shows all", err=True)
    if fmt in _EXPORTS:
        from biblio.export import render

        typer.echo(render([(h.citation_key or "", h.csl) for h in hits], fmt), nl=False)
        if not hits:
            raise typer.Exit(1)
        return
    rows = [{f: getattr(h, f) for f in _SEARCH_FIELDS} for h in hits]
    _emit(rows, fmt, _SEARCH_TABLE if fmt == "table" else _SEARCH_FIELDS)


@app.command()
def show(
    ref: Annotated[str, typer.Argument(metavar="ID_OR_KEY", help="A work id or an edition's citation key.")],
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
) -> None:
    """Show a work: its editions, contributors and their name forms, tags, and every citation of it.

    JSON keys: id, title, merged, editions, contributors, tags, citations
    (document, line, raw, kind, edition_id) and sources.

    Examples:

      biblio show 12

      biblio show doe1950long --format json
    """
    _check_format(fmt, ("table", "json"))
    with open_catalog() as catalog:
        detail = catalog.show(ref)
    if fmt == "json":
        from dataclasses import asdict

        typer.echo(json.dumps(asdict(detail), indent=1, ensure_ascii=False))
        return
    _print_detail(detail)


def _print_detail(detail: Any) -> None:
    """A work as readable sections."""
    from rich.console import Console
    from rich.markup import escape

    out = Console(highlight=False)
    merged = f" (merged: {', '.join(map(str, detail.merged))})" if detail.merged else ""
    out.print(f"[bold cyan]work {detail.id}[/bold cyan]: {escape(detail.title)}{merged}")
    if detail.tags:
        out.print("tags: " + escape(", ".join(detail.tags)))
    out.print(f"\n[bold cyan]editions[/bold cyan] ({len(detail.editions)})")
    for e in detail.editions:
        where = ", ".join(str(v) for v in (e["place"], e["publisher"], e["year"]) if v)
        key = escape(f"[{e['citation_key']}]")
        out.print(f"  {e['id']} {key} {e['type']}: {escape(e['title'])}. {escape(where)}")
    out.print(f"\n[bold cyan]contributors[/bold cyan] ({len(detail.contributors)})")
    for p in detail.contributors:
        out.print(f"  {p['id']} {escape(p['name'])} ({', '.join(p['roles'])}): {escape(' | '.join(p['forms']))}")
    out.print(f"\n[bold cyan]citations[/bold cyan] ({len(detail.citations)})")
    for c in detail.citations:
        out.print(f"  {escape(c['document'])}:{c['line']} ({c['kind']}) {escape(c['raw'])}")
    if detail.sources:
        out.print(f"\n[bold cyan]filled from elsewhere[/bold cyan] ({len(detail.sources)})")
        for src in detail.sources:
            value = src["value"] if isinstance(src["value"], str) else json.dumps(src["value"], ensure_ascii=False)
            out.print(
                f"  edition {src['edition_id']} {escape(src['field'])} = {escape(value)}"
                f"  ({escape(src['source'])} {escape(src['ref'])}, {src['at'][:19]})"
            )


@app.command()
def works(
    min_documents: Annotated[
        int, typer.Option("--min-documents", help="Only works cited by at least this many documents.", min=0)
    ] = 0,
    limit: LimitOption = 0,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, json or csv.")] = "table",
) -> None:
    """List works (merged duplicates once) with their editions, citations and citing documents.

    JSON keys: id, title, authors, year (earliest edition), editions,
    citations, documents. With --min-documents the most cited come first.

    Examples:

      biblio works

      biblio works --min-documents 2 --format csv
    """
    from dataclasses import asdict

    _check_format(fmt, _LIST_FORMATS)
    with open_catalog() as catalog:
        found = catalog.works(min_documents, limit or None)
    columns = ("id", "title", "authors", "year", "editions", "citations", "documents")
    _emit([asdict(w) for w in found], fmt, columns)


@app.command()
def authors(
    name: Annotated[str | None, typer.Option(help="Only persons with a name form containing this.")] = None,
    limit: LimitOption = 0,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, json or csv.")] = "table",
) -> None:
    """List persons with every form of their name and how many works, editions and citations they have.

    JSON keys: id, name, forms, works, editions, citations.

    Examples:

      biblio authors

      biblio authors --name doe --format json
    """
    from dataclasses import asdict

    _check_format(fmt, _LIST_FORMATS)
    with open_catalog() as catalog:
        found = catalog.authors(name, limit or None)
    _emit([asdict(a) for a in found], fmt, ("id", "name", "forms", "works", "editions", "citations"))


@app.command()
def documents(
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, json or csv.")] = "table",
) -> None:
    """List the ingested documents with how many citations, editions and works each gives.

    JSON keys: id, name, origin, format, citations, editions, works, ingested_at.

    Examples:

      biblio documents

      biblio documents --format json | jq '.[].name'
    """
    from dataclasses import asdict

    _check_format(fmt, _LIST_FORMATS)
    with open_catalog() as catalog:
        found = catalog.documents()
    columns = ("id", "name", "format", "citations", "editions", "works", "ingested_at")
    _emit([asdict(d) for d in found], fmt, columns)


@app.command()
def stats(
    fmt: Annotated[str, typer.Option("--format", "-f", help="table or json.")] = "table",
) -> None:
    """Count what the catalog holds: documents, citations, works, editions, persons, merges, reviews.

    JSON keys: documents, citations, works, editions, persons, name_forms, tags,
    merges, pending_reviews, types {type: n}, decades {"1930s": n}.

    Examples:

      biblio stats

      biblio stats --format json | jq .editions
    """
    _check_format(fmt, ("table", "json"))
    with open_catalog() as catalog:
        counts = catalog.stats()
    if fmt == "json":
        typer.echo(json.dumps(counts, indent=1, ensure_ascii=False))
        return
    rows = [{"what": k, "count": v} for k, v in counts.items() if not isinstance(v, dict)]
    rows += [
        {"what": f"{k}: {sub}", "count": n} for k, v in counts.items() if isinstance(v, dict) for sub, n in v.items()
    ]
    _emit(rows, "table", ("what", "count"))
