"""Run the benchmarks: `python -m bench dedupe [--sizes 10000,100000] [--catalog-sizes 10000]`.

Each measurement runs in a fresh process (its own peak memory); the results go
to standard output as JSON lines and, with `--write`, to bench/RESULTS.md.
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
    out = subprocess.run(
        [sys.executable, "-m", "bench.dedupe", mode, str(size)],
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


def main() -> None:
    """Command-line entry point."""
    parser = argparse.ArgumentParser(prog="python -m bench")
    parser.add_argument("what", choices=["dedupe"])
    parser.add_argument("--sizes", default="10000,100000", help="engine sizes, comma-separated")
    parser.add_argument("--catalog-sizes", default="10000", help="catalog (SQLite) sizes, comma-separated")
    parser.add_argument("--write", action="store_true", help="write bench/RESULTS.md")
    args = parser.parse_args()
    results = []
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
