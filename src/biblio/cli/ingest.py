"""`biblio ingest` and `biblio build`."""

import json
import sys
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from biblio.cli.app import app, fail, open_catalog

if TYPE_CHECKING:
    from biblio.ingest import IngestReport

__all__ = ["build", "ingest"]

FormatOption = Annotated[str, typer.Option("--format", "-f", help="Summary as 'text' or 'json'.")]


def _run_ingest(paths: list[str], max_mb: float, quiet: bool, jobs: int | None = None) -> "IngestReport":
    """Ingest with a progress bar on stderr when there are many files."""
    from rich.progress import Progress

    from biblio.ingest import ingest_paths, list_inputs

    stdin = sys.stdin.buffer.read() if "-" in paths else None
    max_bytes = int(max_mb * 1024 * 1024)
    with open_catalog() as catalog:
        inputs, _ = list_inputs(paths)
        if quiet or len(inputs) < 5 or not sys.stderr.isatty():
            return ingest_paths(catalog, paths, stdin=stdin, max_bytes=max_bytes, jobs=jobs)
        with Progress(transient=True, console=None) as bar:
            task = bar.add_task("ingesting", total=len(inputs))
            return ingest_paths(
                catalog,
                paths,
                stdin=stdin,
                max_bytes=max_bytes,
                jobs=jobs,
                progress=lambda _item: bar.advance(task),
            )
    raise AssertionError("unreachable")


def _report(report: "IngestReport", fmt: str) -> None:
    """Print the summary and the failures; exit 1 when something failed."""
    if fmt == "json":
        payload = {
            "documents": report.documents,
            "unchanged": report.unchanged,
            "replaced": report.replaced,
            "citations": report.citations,
            "new_records": report.new_records,
            "failures": [{"source": f.source, "reason": f.reason} for f in report.failures],
            "warnings": [{"source": f.source, "reason": f.reason} for f in report.warnings],
        }
        typer.echo(json.dumps(payload, indent=2, ensure_ascii=False))
    else:
        for warning in report.warnings:
            typer.echo(f"warning: {warning.source}: {warning.reason}", err=True)
        for failure in report.failures:
            typer.echo(f"error: {failure.source}: {failure.reason}", err=True)
        typer.echo(
            f"{report.documents} documents ingested ({report.unchanged} unchanged, "
            f"{report.replaced} replaced), {report.citations} citations, "
            f"{report.new_records} new records, {len(report.failures)} failures"
        )
    if report.failures:
        raise typer.Exit(1)


@app.command()
def ingest(
    paths: Annotated[
        list[str], typer.Argument(help="Files, folders (.txt, .md, .html) or http(s) URLs; '-' reads stdin.")
    ],
    max_size: Annotated[float, typer.Option(help="Refuse files larger than this many MB.")] = 20.0,
    quiet: Annotated[bool, typer.Option("--quiet", "-q", help="No progress bar.")] = False,
    jobs: Annotated[
        int,
        typer.Option(
            "--jobs",
            "-j",
            min=0,
            help="Processes reading and extracting documents (0: one per core; 1: everything in this process).",
        ),
    ] = 0,
    fmt: FormatOption = "text",
) -> None:
    """Extract the works cited in documents into the catalog.

    Folders are read recursively. Each document is stored in one transaction;
    an unchanged document is skipped, a changed one replaces its citations.
    The exit code is 1 when any document failed (the others are kept).
    Large batches are read and extracted by worker processes while the
    catalog stores them in order, and a very large import's persons are
    resolved in a second process: the catalog is the same for any --jobs.

    Examples:

      biblio ingest seeds/

      biblio --db shared.db ingest essay.md list.html

      biblio ingest https://example.org/reading-list.html

      cat notes.txt | biblio ingest -

      biblio ingest --jobs 1 big-folder/
    """
    _report(_run_ingest(paths, max_size, quiet, jobs or None), fmt)


@app.command()
def build(
    seeds: Annotated[str, typer.Option(help="Folder of documents to ingest.")] = "seeds",
    exports: Annotated[Path, typer.Option(help="Folder for catalog.bib, catalog.json, catalog.ris.")] = Path("exports"),
    reading_lists: Annotated[
        Path, typer.Option(help="Themes to build into EXPORTS/reading-lists (skipped when the folder is missing).")
    ] = Path("reading_lists"),
    fmt: FormatOption = "text",
) -> None:
    """The main job: ingest the seed documents, deduplicate, write the exports and reading lists, summarise.

    Examples:

      biblio build

      biblio --db /tmp/catalog.db build --seeds my-documents/ --exports /tmp/out
    """
    from biblio.export import write_atomic

    report = _run_ingest([seeds], 20.0, quiet=True)
    written = []
    with open_catalog() as catalog:
        merged = catalog.dedupe()
        counts = catalog.counts()
        for name, export_format in (("catalog.bib", "bibtex"), ("catalog.json", "csl-json"), ("catalog.ris", "ris")):
            try:
                write_atomic(exports / name, catalog.export(export_format))
            except OSError as err:
                fail(f"cannot write {exports / name}: {err.strerror or err}")
            written.append(str(exports / name))
    if reading_lists.is_dir():
        from biblio.cli.reading_lists import build_all

        built = build_all(reading_lists, exports / "reading-lists", ("md", "html", "pdf"))
        written.append(f"{len(built)} reading-list files in {exports / 'reading-lists'}")
    if fmt != "json":
        typer.echo(f"deduplicated: {len(merged.merges)} further merges, {merged.reviews} pairs to review")
        typer.echo("catalog: " + ", ".join(f"{n} {name}" for name, n in counts.items()))
        typer.echo("wrote " + ", ".join(written))
    _report(report, fmt)
