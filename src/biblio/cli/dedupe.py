"""`biblio dedupe`, `biblio dedupe review`, `biblio merge`, `biblio unmerge`."""

import json
from typing import Annotated, Any

import typer

from biblio.cli.app import app, fail, open_catalog
from biblio.cli.maintenance import backup_before

__all__ = ["dedupe_app"]

dedupe_app = typer.Typer()
app.add_typer(dedupe_app, name="dedupe")

FormatOption = Annotated[str, typer.Option("--format", "-f", help="table or json.")]
NoBackupOption = Annotated[
    bool, typer.Option("--no-backup", help="Skip the automatic backup of the catalog taken first.")
]


def _merge_rows(merges: list[Any]) -> list[dict[str, Any]]:
    """Merges as plain dicts."""
    return [
        {
            "merge_id": m.log_id if hasattr(m, "log_id") else m.id,
            "kind": m.kind,
            "winner": m.winner if hasattr(m, "winner") else m.winner_id,
            "loser": m.loser if hasattr(m, "loser") else m.loser_id,
            "score": m.score,
            "reasons": list(m.reasons),
        }
        for m in merges
    ]


def _print_merges(rows: list[dict[str, Any]], fmt: str, header: str) -> None:
    """Merges as JSON or as one line each."""
    if fmt == "json":
        typer.echo(json.dumps(rows, indent=1, ensure_ascii=False))
        return
    typer.echo(header)
    for r in rows:
        merge_id = f"#{r['merge_id']} " if r["merge_id"] is not None else ""
        typer.echo(
            f"  {merge_id}{r['kind']} {r['loser']} -> {r['winner']}  score {r['score']:.2f}  "
            f"({'; '.join(r['reasons'])})"
        )


@dedupe_app.callback(invoke_without_command=True)
def dedupe(
    ctx: typer.Context,
    dry_run: Annotated[bool, typer.Option("--dry-run", help="Show what would be merged; change nothing.")] = False,
    fmt: FormatOption = "table",
    no_backup: NoBackupOption = False,
    jobs: Annotated[
        int,
        typer.Option(
            "--jobs", "-j", min=0, help="Processes resolving a large catalog (0: two when there are two cores; 1: one)."
        ),
    ] = 0,
) -> None:
    """Merge duplicate persons, works and editions, with the score and reasons of each.

    Pairs scored between the thresholds are queued for `biblio dedupe review`.
    Every merge is logged and can be undone with `biblio unmerge MERGE_ID`.
    On a large catalog, persons are resolved in a second process while the
    editions are read; the merges are the same for any --jobs.

    Examples:

      biblio dedupe --dry-run

      biblio dedupe --format json

      biblio dedupe --jobs 1
    """
    if ctx.invoked_subcommand is not None:
        return
    with open_catalog() as catalog:
        backup_before("dedupe", not dry_run and not no_backup)
        report = catalog.dedupe(dry_run=dry_run, jobs=jobs or None)
    rows = _merge_rows(report.merges)
    if dry_run:
        for row in rows:
            row["merge_id"] = None
    verb = "would merge" if dry_run else "merged"
    _print_merges(rows, fmt, f"{verb} {len(rows)} pairs; {report.reviews} new pairs to review")


@dedupe_app.command("review")
def review(
    accept: Annotated[list[int] | None, typer.Option("--accept", help="Review pair ID is the same record.")] = None,
    reject: Annotated[list[int] | None, typer.Option("--reject", help="Review pair ID is two records.")] = None,
    skip: Annotated[list[int] | None, typer.Option("--skip", help="Leave review pair ID undecided.")] = None,
    fmt: FormatOption = "table",
) -> None:
    """Show queued pairs side by side, or decide them.

    Without options, lists the pending pairs (and asks for a decision on each
    when run in a terminal). Decisions persist: a rejected pair is never
    merged again, even after re-ingesting.

    Examples:

      biblio dedupe review

      biblio dedupe review --accept 3 --reject 4
    """
    decisions = (
        [(i, "same") for i in accept or []]
        + [(i, "different") for i in reject or []]
        + [(i, "skip") for i in skip or []]
    )
    with open_catalog() as catalog:
        if decisions:
            for review_id, verdict in decisions:
                log = catalog.decide(review_id, verdict)
                typer.echo(f"pair {review_id}: {verdict}" + (f" (merge #{log.id})" if log else ""))
            return
        pending = catalog.reviews()
        if fmt == "json":
            typer.echo(json.dumps(pending, indent=1, ensure_ascii=False))
            return
        if not pending:
            typer.echo("no pairs to review")
            return
        for pair in pending:
            _show_pair(pair)
            if _interactive():
                answer = typer.prompt("same, different or skip? [s/d/k]", default="k")
                verdict = {"s": "same", "d": "different"}.get(answer.strip()[:1].lower(), "skip")
                catalog.decide(pair["id"], verdict)


def _interactive() -> bool:
    """True when a person is at the terminal."""
    import sys

    return sys.stdin.isatty() and sys.stdout.isatty()


def _show_pair(pair: dict[str, Any]) -> None:
    """Two records side by side, field by field."""
    a, b = pair["a"]["csl"] or {}, pair["b"]["csl"] or {}
    typer.echo(f"pair {pair['id']} ({pair['kind']}), score {pair['score']:.2f}: {'; '.join(pair['reasons'])}")
    for field in sorted(set(a) | set(b)):
        left, right = json.dumps(a.get(field), ensure_ascii=False), json.dumps(b.get(field), ensure_ascii=False)
        mark = " " if left == right else "*"
        typer.echo(f" {mark} {field:<16} {left[:40]:<42} {right[:40]}")


@app.command()
def merge(
    kind: Annotated[str, typer.Argument(help="edition, work or person.")],
    winner: Annotated[int, typer.Argument(help="The record that stays.")],
    loser: Annotated[int, typer.Argument(help="The record merged into it.")],
) -> None:
    """Merge two records by hand (logged; undo with `biblio unmerge`).

    Examples:

      biblio merge person 12 40

      biblio merge edition 3 17
    """
    if kind not in ("edition", "work", "person"):
        fail(f"unknown kind {kind!r}: use edition, work or person", 2)
    with open_catalog() as catalog:
        log = catalog.merge(kind, winner, loser)
    typer.echo(f"merge #{log.id}: {kind} {log.loser_id} -> {log.winner_id}")


@app.command()
def unmerge(
    merge_id: Annotated[int | None, typer.Argument(help="The merge to undo (see `biblio dedupe`).")] = None,
    all_merges: Annotated[bool, typer.Option("--all", help="Undo every merge.")] = False,
    fmt: FormatOption = "table",
    no_backup: NoBackupOption = False,
) -> None:
    """Undo a merge, restoring records, ids and citation links exactly.

    Examples:

      biblio unmerge 7

      biblio unmerge --all
    """
    if (merge_id is None) == (not all_merges):
        fail("give a MERGE_ID or --all", 2)
    with open_catalog() as catalog:
        backup_before("unmerge", all_merges and not no_backup)
        undone = catalog.unmerge(None if all_merges else merge_id)
    _print_merges(_merge_rows(undone), fmt, f"undid {len(undone)} merges")
