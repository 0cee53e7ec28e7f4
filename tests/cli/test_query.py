"""The query commands' wiring: output formats, exit codes, terminal width and NO_COLOR, on the seeds."""

from __future__ import annotations

import csv
import io
import json
import re
from pathlib import Path

import pytest
from typer.testing import CliRunner

from biblio.catalog import Catalog
from biblio.cli import app
from biblio.ingest import ingest_paths

runner = CliRunner()

SEARCH_KEYS = {"edition_id", "work_id", "citation_key", "title", "authors", "year", "type", "publisher", "place"}
COLOUR = re.compile(r"\x1b\[[0-9;]*3[0-7]m")


@pytest.fixture
def db(catalog: Catalog, seeds_dir: Path) -> str:
    """The --db value of a catalog holding the seeds, deduplicated."""
    assert ingest_paths(catalog, [str(seeds_dir)]).ok
    catalog.dedupe()
    return catalog.url


def run(db: str, *args: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    """Run `biblio --db DB ARGS...`; return (exit code, stdout, stderr)."""
    result = runner.invoke(app, ["--db", db, *args], env=env)
    return result.exit_code, result.stdout, result.stderr


def test_search_json_csv_and_exit_codes(db: str) -> None:
    code, out, _ = run(db, "search", "--author", "Coates", "--format", "json")
    assert code == 0
    hits = json.loads(out)
    assert len(hits) >= 3 and all(set(h) == SEARCH_KEYS for h in hits)
    assert all(any("Coates" in a for a in h["authors"]) for h in hits)
    code, out, _ = run(db, "search", "--author", "Coates", "--format", "csv")
    table = list(csv.DictReader(io.StringIO(out)))
    assert code == 0 and set(table[0]) == SEARCH_KEYS
    assert [int(r["edition_id"]) for r in table] == [h["edition_id"] for h in hits]
    code, out, _ = run(db, "search", "no-such-word-anywhere", "--format", "json")
    assert code == 1 and json.loads(out) == []


def test_search_usage_errors_exit_2_without_traceback(db: str) -> None:
    for args in (["war OR"], ['"unclosed'], ["--year", "nineteen"], ["--sort", "colour"], ["x", "--format", "xml"]):
        code, out, err = run(db, "search", *args)
        assert code == 2, args
        assert "biblio: error:" in err and "Traceback" not in out + err


def test_search_as_bibtex_and_csl_json(db: str) -> None:
    code, out, _ = run(db, "search", "--place", "Moscow", "--year", "1930..1939", "--format", "json")
    hits = json.loads(out)
    assert code == 0 and hits
    code, bib, _ = run(db, "search", "--place", "Moscow", "--year", "1930..1939", "--format", "bibtex")
    assert code == 0 and bib.count("\n@") + bib.startswith("@") == len(hits)
    code, out, _ = run(db, "search", "--place", "Moscow", "--year", "1930..1939", "--format", "csl-json")
    items = json.loads(out)
    assert code == 0 and [i["title"] for i in items] == [h["title"] for h in hits]
    assert all(i["id"] for i in items)


def test_search_limit_says_there_is_more(db: str) -> None:
    code, out, err = run(db, "search", "--limit", "2", "--format", "json")
    assert code == 0 and len(json.loads(out)) == 2
    assert "--limit 0" in err


def test_show_table_and_json(db: str) -> None:
    _, out, _ = run(db, "search", "--author", "Coates", "--title", "intervention", "--format", "json")
    work = json.loads(out)[0]["work_id"]
    code, out, _ = run(db, "show", str(work), "--format", "json")
    detail = json.loads(out)
    assert code == 0
    assert set(detail) == {"id", "title", "merged", "editions", "contributors", "tags", "citations", "sources"}
    assert detail["citations"] and all({"document", "line", "raw"} <= set(c) for c in detail["citations"])
    code, out, _ = run(db, "show", str(work))
    assert code == 0
    assert all(c["raw"].split()[0] in out for c in detail["citations"])
    assert "contributors" in out
    code, _, err = run(db, "show", "no-such-key")
    assert code == 2 and "no work" in err


def test_listings(db: str) -> None:
    code, out, _ = run(db, "works", "--min-documents", "2", "--format", "json")
    works = json.loads(out)
    assert code == 0 and works and all(w["documents"] >= 2 for w in works)
    code, out, _ = run(db, "works", "--min-documents", "99", "--format", "json")
    assert code == 1 and json.loads(out) == []
    code, out, _ = run(db, "authors", "--name", "coates", "--format", "json")
    assert code == 0 and all(any("Coates" in f for f in a["forms"]) for a in json.loads(out))
    code, out, _ = run(db, "documents", "--format", "csv")
    assert code == 0 and len(list(csv.DictReader(io.StringIO(out)))) == 5
    code, out, _ = run(db, "stats", "--format", "json")
    stats = json.loads(out)
    assert code == 0 and stats["documents"] == 5 and stats["editions"] > 80


@pytest.mark.parametrize(
    "args", [["search", "--author", "Coates"], ["works"], ["authors"], ["documents"], ["stats"], ["show", "2"]]
)
def test_tables_fit_the_terminal(db: str, args: list[str]) -> None:
    code, out, _ = run(db, *args, env={"COLUMNS": "64"})
    assert code == 0
    assert out.strip() and max(len(line) for line in out.splitlines()) <= 64


def test_no_color_is_respected(db: str) -> None:
    _, coloured, _ = run(db, "show", "2", env={"FORCE_COLOR": "1", "COLUMNS": "100"})
    assert COLOUR.search(coloured)
    _, plain, _ = run(db, "show", "2", env={"FORCE_COLOR": "1", "NO_COLOR": "1", "COLUMNS": "100"})
    assert not COLOUR.search(plain)
    assert "citations" in plain


def test_help_imports_no_database_parser_or_export_module() -> None:
    import subprocess
    import sys

    script = (
        "import sys\n"
        "sys.argv = ['biblio', '--help']\n"
        "from biblio.cli import main\n"
        "try:\n"
        "    main()\n"
        "except SystemExit:\n"
        "    pass\n"
        "heavy = ('sqlalchemy', 'sqlmodel', 'rich', 'bibtexparser', 'rispy', 'rapidfuzz', 'markdown_it',\n"
        "         'biblio.catalog', 'biblio.export', 'biblio.extract', 'biblio.documents')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy or m.startswith(heavy)))\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True).stdout
    assert "Usage" in out
    assert out.strip().splitlines()[-1] == "[]"
