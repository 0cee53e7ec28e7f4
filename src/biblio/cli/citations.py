"""`biblio citations`: every citation with its provenance."""

import csv
import json
import sys
from typing import Annotated, Any

import typer

from biblio.cli.app import app, fail, open_catalog

__all__ = ["citations"]

_CSV_FIELDS = ("source", "line", "kind", "confidence", "title", "authors", "year", "edition_id", "work_id", "raw")


def _flat(record: dict[str, Any]) -> dict[str, Any]:
    """A citation as one row of plain values (for CSV and tables)."""
    csl = record["csl"]
    names = [
        n.get("literal") or " ".join(filter(None, (n.get("given"), n.get("family"))))
        for n in csl.get("author") or csl.get("editor") or []
    ]
    issued = (csl.get("issued") or {}).get("date-parts") or [[""]]
    return {
        "source": record["source"],
        "line": record["line"],
        "kind": record["kind"],
        "confidence": record["confidence"],
        "title": csl.get("title", ""),
        "authors": "; ".join(names),
        "year": issued[0][0] if issued[0] else "",
        "edition_id": record["edition_id"],
        "work_id": record["work_id"],
        "raw": record["raw"],
    }


def _table(records: list[dict[str, Any]]) -> None:
    """A rich table that fits the terminal."""
    from rich.console import Console
    from rich.table import Table

    table = Table(show_lines=False)
    for column in ("source", "line", "kind", "title", "authors", "year"):
        table.add_column(column, overflow="fold")
    for record in map(_flat, records):
        table.add_row(*(str(record[c]) for c in ("source", "line", "kind", "title", "authors", "year")))
    Console().print(table)


@app.command()
def citations(
    source: Annotated[str | None, typer.Option(help="Only this document (its file name).")] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="table, json or csv.")] = "table",
) -> None:
    """List every citation with its provenance (document, line, verbatim text).

    The JSON form is a stable contract: source, line, raw, kind, confidence,
    csl (CSL-JSON of what the citation says), edition_id, work_id and persons.

    Examples:

      biblio citations

      biblio citations --source essay.txt --format csv > essay.csv

      biblio citations --format json | jq '.[].csl.title'
    """
    if fmt not in ("table", "json", "csv"):
        fail(f"unknown format {fmt!r}: use table, json or csv", 2)
    with open_catalog() as catalog:
        records = catalog.citation_records(source)
    if fmt == "json":
        typer.echo(json.dumps(records, indent=1, ensure_ascii=False))
    elif fmt == "csv":
        writer = csv.DictWriter(sys.stdout, fieldnames=_CSV_FIELDS)
        writer.writeheader()
        writer.writerows(map(_flat, records))
    else:
        _table(records)
    if not records:
        raise typer.Exit(1)
