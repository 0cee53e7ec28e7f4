"""`biblio enrich`: fill empty fields from Open Library."""

import json
import os
import sys
from typing import TYPE_CHECKING, Annotated, Any

import typer

from biblio.cli.app import app, fail, open_catalog
from biblio.cli.export import _years

if TYPE_CHECKING:
    from biblio.enrich import EnrichReport

__all__ = ["enrich"]

ENV_INTERVAL = "BIBLIO_HTTP_INTERVAL"
ENV_BACKOFF = "BIBLIO_HTTP_BACKOFF"


def _float_env(name: str, default: float) -> float:
    """A number from the environment (a bad one is a usage error)."""
    value = os.environ.get(name)
    if not value:
        return default
    try:
        return float(value)
    except ValueError:
        fail(f"${name} must be a number of seconds, not {value!r}", 2)
        raise


def _payload(report: "EnrichReport") -> dict[str, Any]:
    """The report as JSON-ready data."""
    rows = []
    for o in report.outcomes:
        plan = o.plan
        rows.append(
            {
                "edition_id": o.edition_id,
                "title": o.title,
                "status": o.status,
                "score": plan.score if plan else None,
                "reasons": plan.reasons if plan else [o.error],
                "work": plan.work_ref if plan else None,
                "edition": plan.edition_ref if plan else None,
                "filled": {k: plan.fills[k][0] for k in o.filled} if plan else {},
                "suggested_tags": sorted(plan.suggestions) if plan else [],
            }
        )
    statuses = ("enriched", "nothing to fill", "refused", "no-match", "skipped", "error")
    return {
        "dry_run": report.dry_run,
        "requests": report.requests,
        "stopped": report.stopped,
        "counts": {s: report.count(s) for s in statuses},
        "records": rows,
    }


def _print_table(report: "EnrichReport") -> None:
    """One block per record: status, score, what was (or would be) filled, and why."""
    data = _payload(report)
    verb = "would fill" if report.dry_run else "filled"
    for row in data["records"]:
        score = f" {row['score']:.2f}" if row["score"] is not None else ""
        typer.echo(f"[{row['status']}{score}] #{row['edition_id']} {row['title']}")
        if row["work"]:
            typer.echo(f"    Open Library: {row['work']}" + (f" / {row['edition']}" if row["edition"] else ""))
        if row["filled"]:
            shown = ", ".join(f"{k}={json.dumps(v, ensure_ascii=False)}" for k, v in row["filled"].items())
            typer.echo(f"    {verb}: {shown}")
        if row["suggested_tags"]:
            typer.echo("    suggested tags: " + "; ".join(row["suggested_tags"]))
        typer.echo("    why: " + "; ".join(str(r) for r in row["reasons"]))
    counts = ", ".join(f"{n} {s}" for s, n in data["counts"].items())
    typer.echo(f"{'dry run: ' if report.dry_run else ''}{counts}; {report.requests} requests")


@app.command()
def enrich(
    text: Annotated[str | None, typer.Option(help="Only records whose title, names or notes hold this.")] = None,
    author: Annotated[str | None, typer.Option(help="Only records with this contributor name.")] = None,
    year: Annotated[str | None, typer.Option(help="Year or range: 1930..1939.")] = None,
    type_: Annotated[str | None, typer.Option("--type", help="CSL type: book, pamphlet, ...")] = None,
    tag: Annotated[str | None, typer.Option(help="Only works carrying this tag.")] = None,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would be filled; store nothing.")] = False,
    offline: Annotated[bool, typer.Option("--offline", help="Use only the response cache; send no request.")] = False,
    limit: Annotated[int | None, typer.Option(help="Look up at most this many records.", min=1)] = None,
    retry: Annotated[bool, typer.Option("--retry", help="Look up again the records refused or not found.")] = False,
    force: Annotated[
        bool, typer.Option("--force", help="Look up again every record (still fills empty fields only).")
    ] = False,
    contact: Annotated[
        str | None, typer.Option(help="Contact address for the User-Agent (default: $BIBLIO_CONTACT).")
    ] = None,
    fmt: Annotated[str, typer.Option("--format", "-f", help="'table' or 'json'.")] = "table",
) -> None:
    """Fill empty fields (ISBN, publisher, place, pages, first year) from Open Library.

    A record is filled only on a confident match (title, authors, and the year
    and publisher it states all agreeing); ambiguous ones are refused and shown
    with their reasons. Values a citation states are never replaced; each
    filled field records its source URL and time. Subjects are stored as
    suggested tags, not applied. Each record is committed as it goes; a re-run
    skips records already judged (unless --retry or --force). Answers are
    cached on disk ($BIBLIO_CACHE_DIR, else ~/.cache/biblio). The service is
    $BIBLIO_OPENLIBRARY_URL (default https://openlibrary.org), asked at most
    once a second ($BIBLIO_HTTP_INTERVAL seconds).

    Examples:

      biblio enrich --dry-run --limit 20

      biblio enrich --author Doe --year 1930..1939 --contact me@example.org

      biblio enrich --offline --format json
    """
    from rich.progress import Progress

    from biblio.catalog.keys import ExportFilter
    from biblio.enrich import enrich_catalog
    from biblio.enrich.openlibrary import OpenLibrary
    from biblio.net import ClientSettings, PoliteClient, ResponseCache

    if fmt not in ("table", "json"):
        fail(f"unknown format {fmt!r}: use table or json", 2)
    low, high = _years(year)
    flt = ExportFilter(text=text, author=author, year_from=low, year_to=high, type=type_, tag=tag)
    settings = ClientSettings(
        contact=contact,
        offline=offline,
        min_interval=_float_env(ENV_INTERVAL, 1.0),
        backoff=_float_env(ENV_BACKOFF, 1.0),
    )
    cache = ResponseCache()
    library = OpenLibrary(PoliteClient(settings, cache))
    redo = None if force else (("refused", "no-match") if retry else ())
    show_bar = fmt == "table" and sys.stderr.isatty()
    try:
        with open_catalog() as catalog, Progress(transient=True, disable=not show_bar) as bar:
            task = bar.add_task("enriching", total=None)
            report = enrich_catalog(
                catalog,
                library,
                flt,
                dry_run=dry_run,
                limit=limit,
                redo=redo,
                progress=lambda _title: bar.advance(task),
                on_targets=lambda n: bar.update(task, total=n),
            )
    finally:
        cache.close()
    if report.stopped and not report.outcomes:
        fail(f"network unreachable, nothing changed: {report.stopped}")
    if fmt == "json":
        typer.echo(json.dumps(_payload(report), indent=2, ensure_ascii=False, default=str))
    else:
        _print_table(report)
    if report.stopped:
        fail(f"network unreachable, stopped: {report.stopped}")
    if report.count("error"):
        raise typer.Exit(1)
