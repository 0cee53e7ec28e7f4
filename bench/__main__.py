"""Run the benchmarks: `python -m bench dedupe|export|ingest|decide|search|all [--sizes ...] [--write]`.

Each measurement runs in a fresh process (its own peak memory), biblio and
its peer one after the other on the same generated data, so the ratios are
taken under the same load.  Results go to standard output as JSON lines and,
with `--write`, to their section of bench/RESULTS.md (other sections are kept).

A command is a function `(args) -> (section title, Markdown body)` in
COMMANDS; `all` runs each of ALL in turn (a new benchmark, such as search,
adds itself to both).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
Section = tuple[str, str]


def _machine() -> str:
    """The machine, for the head of RESULTS.md."""
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{platform.machine()}, {os.cpu_count()} cores, {memory:.0f} GiB, Python {platform.python_version()} "
        "(shared with other jobs: see the CPU seconds beside the wall-clock seconds)"
    )


def _run(module: str, *args: object) -> dict[str, Any]:
    """One measurement in a subprocess; its last line of output is JSON."""
    out = subprocess.run(
        [sys.executable, "-m", module, *map(str, args)],
        capture_output=True,
        text=True,
        cwd=HERE.parent,
        check=False,
    )
    if out.returncode != 0:
        sys.exit(f"{module} {' '.join(map(str, args))} failed:\n{out.stderr[-3000:]}")
    result: dict[str, Any] = json.loads(out.stdout.strip().splitlines()[-1])
    print(json.dumps(result), flush=True)
    return result


def _sizes(text: str) -> list[int]:
    """ "1000,10000" -> [1000, 10000]."""
    return [int(s) for s in text.split(",") if s]


def _label(sizes: str) -> str:
    """ "1000,10000" -> "1,000 / 10,000": sections of other sizes are kept beside this one."""
    return " / ".join(f"{n:,}" for n in _sizes(sizes))


def _peak(row: dict[str, Any]) -> str:
    """Peak memory of a stage; for an engine run whose persons were clustered in a child, this process's
    and both processes' together (see bench.dedupe._MachineMemory)."""
    if row.get("persons_forked"):
        return f"{row['peak_mib']} ({row['both_peak_mib']})"
    return str(row["peak_mib"])


def _f1(result: dict[str, Any], kind: str) -> str:
    """ "P / R / **F1**" of one clustering."""
    if kind not in result:
        return "–"
    r = result[kind]
    return f"{r['precision']} / {r['recall']} / **{r['f1']}**"


def _ratio(a: float, b: float) -> str:
    """a / b, two decimals."""
    return f"{a / b:.2f}" if b else "–"


def dedupe(args: argparse.Namespace) -> Section:
    """biblio's engine beside splink on the same records; the catalog end to end at smaller sizes."""
    rows, ratios = [], []
    for size in _sizes(args.sizes):
        ours = _run("bench.dedupe", "engine", size)
        peer = _run("bench.dedupe", "splink", size) if args.peers else None
        rows += [ours] + ([peer] if peer else [])
        if peer:
            ratios.append(
                f"| {size:,} | {_ratio(ours['seconds'], peer['seconds'])} | "
                f"{_ratio(ours['cpu_seconds'], peer['cpu_seconds'])} | "
                f"{ours['edition']['f1']} | {peer['edition']['f1']} |"
            )
    for size in _sizes(args.catalog_sizes):
        rows.append(_run("bench.dedupe", "catalog", size))
    table = [
        "| mode | records | seconds | CPU s (all processes) | peak MiB (with the child: bar < 4096 at 1M) "
        "| edition P / R / F1 | work P / R / F1 |",
        "|---|---:|---:|---:|---:|---|---|",
    ]
    table += [
        f"| {r['mode']} | {r['size']:,} | {r['seconds']} | {r.get('cpu_seconds', '–')} | {_peak(r)} | "
        f"{_f1(r, 'edition')} | {_f1(r, 'work')} |"
        for r in rows
    ]
    if ratios:
        table += [
            "",
            "| records | time biblio / splink (bar: <= 1 at 100k, <= 2 at 1M) | CPU biblio / splink | "
            "biblio edition F1 (bar >= 0.97) | splink edition F1 |",
            "|---:|---:|---:|---:|---:|",
            *ratios,
        ]
    command = f"python -m bench dedupe --sizes {args.sizes}"
    command += f" --catalog-sizes {args.catalog_sizes}" if args.catalog_sizes else ""
    return f"Deduplication ({_label(args.sizes)} records)", f"Command: `{command} --write`\n\n" + "\n".join(table)


def ingest(args: argparse.Namespace) -> Section:
    """Extraction and full ingest beside bibtexparser parsing the same entries as BibTeX."""
    extraction = [
        "| entries | bibtexparser s (CPU) | read + extract, 1 process s (CPU) | of which reading s "
        "| 1 process / bibtexparser wall, CPU (bar <= 1.0) | with workers s (worker processes) "
        "| workers / bibtexparser (bar <= 1.0) | peak MiB (bibtexparser / extract) | title recall |",
        "|---:|---:|---:|---:|---:|---:|---:|---|---:|",
    ]
    ingesting = [
        "| entries | full ingest, workers s (main CPU; worker processes) | workers / bibtexparser (bar <= 2) "
        "| full ingest, 1 process s (CPU) | 1 process / bibtexparser wall, CPU | peak MiB (workers / 1 process) "
        "| edition P / R / F1 | work P / R / F1 |",
        "|---:|---:|---:|---:|---:|---|---|---|",
    ]
    for size in _sizes(args.sizes):
        peer = _run("bench.ingest", "bibtexparser", size)
        ours = _run("bench.ingest", "extract", size)
        pool = _run("bench.ingest", "extract-workers", size)
        extraction.append(
            f"| {size:,} | {peer['seconds']} ({peer['cpu_seconds']}) | {ours['seconds']} ({ours['cpu_seconds']}) | "
            f"{ours['read_seconds']} | {_ratio(ours['seconds'], peer['seconds'])}, "
            f"{_ratio(ours['cpu_seconds'], peer['cpu_seconds'])} | "
            f"{pool['seconds']} ({pool['workers'] or 'none: too small'}) | "
            f"**{_ratio(pool['seconds'], peer['seconds'])}** | {peer['peak_mib']} / {ours['peak_mib']} | "
            f"{ours['title_recall']} |"
        )
        if size > args.ingest_max:
            continue
        full = _run("bench.ingest", "ingest", size)
        serial = _run("bench.ingest", "ingest-serial", size)
        ingesting.append(
            f"| {size:,} | {full['seconds']} ({full['cpu_seconds']}; {full['workers'] or 'none: too small'}) | "
            f"**{_ratio(full['seconds'], peer['seconds'])}** | "
            f"{serial['seconds']} ({serial['cpu_seconds']}) | {_ratio(serial['seconds'], peer['seconds'])}, "
            f"{_ratio(serial['cpu_seconds'], peer['cpu_seconds'])} | {full['peak_mib']} / {serial['peak_mib']} | "
            f"{_f1(full, 'edition')} | {_f1(full, 'work')} |"
        )
        assert full["edition"] == serial["edition"] and full["work"] == serial["work"], "workers changed the catalog"
    command = f"python -m bench ingest --sizes {args.sizes} --ingest-max {args.ingest_max}"
    body = (
        f"Command: `{command} --write`\n\nExtraction (reading the Markdown and extracting every entry):\n\n"
        + "\n".join(extraction)
        + "\n\nFull ingest into a new SQLite catalog (extraction, resolution, storage):\n\n"
        + "\n".join(ingesting)
    )
    return f"Ingest ({_label(args.sizes)} entries)", body


def decide(args: argparse.Namespace) -> Section:
    """Per-citation duplicate decisions in a catalog of `--decide-size` editions."""
    r = _run("bench.decide", args.decide_size, args.citations)
    d, c, w = r["decide"], r["decide_cpu"], r["write_and_decide"]
    table = [
        "| catalog editions | citations | decide p50 / p95 / p99 / max ms (bar p95 << 50) "
        "| decide CPU p50 / p95 / p99 ms | write + decide p50 / p95 / p99 ms | duplicates found | new ones merged "
        "| peak MiB |",
        "|---:|---:|---|---|---|---:|---:|---:|",
        f"| {r['size']:,} | {r['citations']:,} | {d['p50_ms']} / **{d['p95_ms']}** / {d['p99_ms']} / {d['max_ms']} | "
        f"{c['p50_ms']} / {c['p95_ms']} / {c['p99_ms']} | {w['p50_ms']} / {w['p95_ms']} / {w['p99_ms']} | "
        f"{r['duplicates_found']} | {r['new_merged']} | {r['peak_mib']} |",
    ]
    built = f" (catalog built in {r['build_seconds']} s)" if r["build_seconds"] else " (catalog file reused)"
    command = f"python -m bench decide --decide-size {args.decide_size} --citations {args.citations}"
    documents = (
        f"\n\nA document of 500 citations (half other spellings of catalog editions, half new works) "
        f"written and resolved in the same catalog as `biblio ingest` does, rolled back: "
        f"{r['document_cpu_us_per_entry']} µs of CPU an entry (median of "
        f"{', '.join(str(d) for d in r['document_cpu_us_per_entry_all'])})."
    )
    return "Per-citation decision", f"Command: `{command} --write`{built}\n\n" + "\n".join(table) + documents


def export(args: argparse.Namespace) -> Section:
    """BibTeX and CSL-JSON export beside bibtexparser writing and SQL + json.dumps."""
    results = [_run("bench.export", size) for size in _sizes(args.sizes)]
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
    command = f"python -m bench export --sizes {args.sizes}"
    return f"Exports ({_label(args.sizes)} editions)", f"Command: `{command} --write`\n\n" + "\n".join(lines)


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


def search(args: argparse.Namespace) -> Section:
    """Search beside a bare FTS5 query on the same catalog, and `biblio --help` beside `import typer`."""
    results = [_run("bench.search", size) for size in _sizes(args.sizes)]
    command = f"python -m bench search --sizes {args.sizes}"
    return f"Search ({_label(args.sizes)} editions)", f"Command: `{command} --write`\n\n" + _search_table(results)


COMMANDS: dict[str, Callable[[argparse.Namespace], Section]] = {
    "dedupe": dedupe,
    "export": export,
    "ingest": ingest,
    "decide": decide,
    "search": search,
}
ALL = ["ingest", "dedupe", "export", "decide", "search"]


def _write_section(title: str, body: str) -> None:
    """Replace (or add) one "## title" section of RESULTS.md; refresh the machine line."""
    path = HERE / "RESULTS.md"
    text = path.read_text(encoding="utf-8") if path.exists() else "# Benchmark results\n\nMachine: .\n"
    sections = text.split("\n## ")
    head = "\n".join(
        f"Machine: {_machine()}." if line.startswith("Machine:") else line for line in sections[0].splitlines()
    )
    rest = [s for s in sections[1:] if s.split("\n", 1)[0].strip() != title]
    path.write_text(
        "\n## ".join([head.rstrip() + "\n", *[s.rstrip() + "\n" for s in rest], f"{title}\n\n{body}\n"]),
        encoding="utf-8",
    )


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("what", choices=[*COMMANDS, "all"])
    parser.add_argument("--sizes", default="10000,100000", help="sizes, comma-separated")
    parser.add_argument("--catalog-sizes", default="", help="dedupe: catalog (SQLite) sizes, comma-separated")
    parser.add_argument("--ingest-max", type=int, default=100_000, help="ingest: largest size for full ingest")
    parser.add_argument("--decide-size", type=int, default=1_000_000, help="decide: editions in the catalog")
    parser.add_argument("--citations", type=int, default=1000, help="decide: citations to decide")
    parser.add_argument("--no-peers", dest="peers", action="store_false", help="dedupe: skip splink")
    parser.add_argument("--write", action="store_true", help="write bench/RESULTS.md")
    args = parser.parse_args()
    for name in ALL if args.what == "all" else [args.what]:
        title, body = COMMANDS[name](args)
        if args.write:
            _write_section(title, body)


if __name__ == "__main__":
    main()
