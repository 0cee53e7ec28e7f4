"""Run the benchmarks: `python -m bench dedupe|export|search [--sizes ...] [--write]`.

Each measurement runs in a fresh process (its own peak memory); the results go
to standard output as JSON lines and, with `--write`, to their section of
bench/RESULTS.md (the other sections are kept).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def _measure(mode: str, size: int) -> dict[str, Any]:
    """One measurement in a subprocess."""
    args = [f"bench.{mode}", str(size)] if mode in ("export", "search") else ["bench.dedupe", mode, str(size)]
    out = subprocess.run(
        [sys.executable, "-m", *args],
        capture_output=True,
        text=True,
        check=True,
        cwd=HERE.parent,
    )
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    return result


def _table(results: list[dict[str, Any]]) -> str:
    """A Markdown table of the results."""
    lines = [
        "| mode | records | seconds | peak MiB | edition P / R / F1 | work P / R / F1 |",
        "|---|---:|---:|---:|---|---|",
    ]
    for r in results:
        e, w = r["edition"], r["work"]
        lines.append(
            f"| {r['mode']} | {r['size']:,} | {r['seconds']} | {r['peak_mib']} | "
            f"{e['precision']} / {e['recall']} / **{e['f1']}** | "
            f"{w['precision']} / {w['recall']} / **{w['f1']}** |"
        )
    return "\n".join(lines)


def _export_table(results: list[dict[str, Any]]) -> str:
    """A Markdown table of export results."""
    lines = [
        "| editions | BibTeX s | bibtexparser write s | ratio (bar <= 1.5) | CSL-JSON s | SQL + json.dumps s "
        "| ratio (bar <= 2) |",
        "|---:|---:|---:|---:|---:|---:|---:|",
    ]
    lines += [
        f"| {r['editions']:,} | {r['bibtex_s']} | {r['bibtexparser_write_s']} | **{r['bibtex_ratio']}** | "
        f"{r['csl_json_s']} | {r['sql_plus_json_dumps_s']} | **{r['csl_json_ratio']}** |"
        for r in results
    ]
    return "\n".join(lines)


def _search_table(results: list[dict[str, Any]]) -> str:
    """Markdown tables of search results: each query, then start-up."""
    lines = []
    for r in results:
        lines += [
            f"{r['editions']:,} editions ({r['db_mib']} MiB); index built from scratch in {r['index_build_s']} s.",
            "",
            "| query | matches | biblio search ms | bare FTS5, rowids ms | ratio (bar <= 2) "
            "| bare FTS5, same rows ms | ratio (bar <= 2) |",
            "|---|---:|---:|---:|---:|---:|---:|",
        ]
        lines += [
            f"| {q['query']} | {q['matches']:,} | {q['biblio_ms']} | {q['bare_fts5_ms']} | **{q['ratio']}** "
            f"| {q['bare_fts5_rows_ms']} | **{q['ratio_rows']}** |"
            for q in r["searches"]
        ]
        lines += [
            "",
            '| start-up (median of 40 fresh processes) | `biblio --help` | `python -c "import typer"` '
            "| ratio (bar <= 1.5) |",
            "|---|---:|---:|---:|",
            f"| wall ms | {r['help_wall_ms']} | {r['import_typer_wall_ms']} | **{r['help_wall_ratio']}** |",
            f"| CPU (user + system) ms | {r['help_cpu_ms']} | {r['import_typer_cpu_ms']} | **{r['help_cpu_ratio']}** |",
            "",
            f"Upkeep on {r['upkeep_records']:,} generated citations: stored in {r['store_with_triggers_s']} s with "
            f"the index triggers, {r['store_without_index_s']} s without; refresh after storing "
            f"{r['refresh_after_store_s']} s; `dedupe` ({r['dedupe_merges']:,} merges) {r['dedupe_s']} s, "
            f"refresh after it {r['refresh_after_dedupe_s']} s.",
            "",
        ]
    return "\n".join(lines)


def _write_section(title: str, body: str) -> None:
    """Replace (or add) one "## title" section of RESULTS.md."""
    path = HERE / "RESULTS.md"
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    text = path.read_text(encoding="utf-8") if path.exists() else f"# Benchmark results\n\nMachine: {machine}.\n"
    sections = text.split("\n## ")
    head, rest = sections[0], [s for s in sections[1:] if not s.startswith(title)]
    path.write_text("\n## ".join([head.rstrip() + "\n", *rest, f"{title}\n\n{body}\n"]), encoding="utf-8")


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("what", choices=["dedupe", "export", "search"])
    parser.add_argument("--sizes", default="10000,100000", help="engine sizes, comma-separated")
    parser.add_argument("--catalog-sizes", default="10000", help="catalog (SQLite) sizes, comma-separated")
    parser.add_argument("--write", action="store_true", help="write bench/RESULTS.md")
    args = parser.parse_args()
    results = []
    if args.what in ("export", "search"):
        for size in (int(s) for s in args.sizes.split(",") if s):
            results.append(_measure(args.what, size))
            print(json.dumps(results[-1]), flush=True)
        if args.write:
            title, render = ("Exports", _export_table) if args.what == "export" else ("Search", _search_table)
            _write_section(
                title,
                f"Command: `python -m bench {args.what} --sizes {args.sizes} --write`\n\n" + render(results),
            )
        return
    for mode, sizes in (("engine", args.sizes), ("catalog", args.catalog_sizes)):
        for size in (int(s) for s in sizes.split(",") if s):
            result = _measure(mode, size)
            print(json.dumps(result), flush=True)
            results.append(result)
    if args.write:
        machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
        text = (
            f"# Benchmark results\n\nMachine: {machine}.\n\n"
            f"Command: `python -m bench dedupe --sizes {args.sizes} --catalog-sizes {args.catalog_sizes} "
            f"--write`\n\n## Deduplication\n\n{_table(results)}\n"
        )
        (HERE / "RESULTS.md").write_text(text, encoding="utf-8")


if __name__ == "__main__":
    main()
