"""`biblio reading-list new | show | build` and `biblio export --reading-list` through the CLI."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from tests.conftest import ROOT, Databases
from typer.testing import CliRunner

from biblio.cli import app

runner = CliRunner()


@pytest.fixture(scope="module")
def seeds_db(tmp_path_factory: pytest.TempPathFactory, databases: Databases, seeds_dir: Path) -> Iterator[str]:
    db = databases.create(tmp_path_factory.mktemp("cli-rl"))
    result = runner.invoke(app, ["--db", db, "ingest", "-q", str(seeds_dir)])
    assert result.exit_code == 0, result.output
    yield db
    databases.drop(db)


def test_new_writes_a_template_that_show_and_build_accept(seeds_db: str, tmp_path: Path) -> None:
    themes = str(tmp_path / "lists")
    result = runner.invoke(app, ["reading-list", "new", "mine", "--themes", themes])
    assert result.exit_code == 0, result.output
    assert runner.invoke(app, ["reading-list", "new", "mine", "--themes", themes]).exit_code == 1  # no overwrite
    shown = runner.invoke(
        app, ["--db", seeds_db, "reading-list", "show", "mine", "--themes", themes, "--format", "json"]
    )
    assert shown.exit_code == 0, shown.output
    works = json.loads(shown.output)["sections"][0]["works"]
    assert works and all(w["year"] >= 1900 for w in works)
    out = tmp_path / "out"
    built = runner.invoke(
        app, ["--db", seeds_db, "reading-list", "build", "mine", "--themes", themes, "-o", str(out), "--format", "md"]
    )
    assert built.exit_code == 0, built.output
    assert sorted(p.name for p in out.iterdir()) == ["mine.json", "mine.md"]


def test_show_explains_why_each_work_is_in(seeds_db: str) -> None:
    result = runner.invoke(
        app,
        [
            "--db",
            seeds_db,
            "reading-list",
            "show",
            str(ROOT / "reading_lists" / "left-critiques.toml"),
            "--format",
            "json",
        ],
    )
    assert result.exit_code == 0, result.output
    last = json.loads(result.output)["sections"][-1]
    assert last["works"] and all(any(r.startswith("by ") for r in w["reasons"]) for w in last["works"])
    table = runner.invoke(
        app, ["--db", seeds_db, "reading-list", "show", str(ROOT / "reading_lists" / "left-critiques.toml")]
    )
    assert table.exit_code == 0 and "why" in table.output


def test_a_broken_theme_is_one_clear_message(seeds_db: str, tmp_path: Path) -> None:
    (tmp_path / "bad.toml").write_text('title = "x"\n[[sections]]\nheading = "a"\nworks = ["nobody1900"]\n', "utf-8")
    result = runner.invoke(app, ["--db", seeds_db, "reading-list", "build", "bad", "--themes", str(tmp_path)])
    assert result.exit_code == 1
    assert f"{tmp_path / 'bad.toml'}:4: no work with citation key 'nobody1900'" in result.output
    assert "Traceback" not in result.output
    unknown = runner.invoke(app, ["--db", seeds_db, "reading-list", "build", "--all", "--format", "docx"])
    assert unknown.exit_code == 2 and "unknown format" in unknown.output
    nothing = runner.invoke(app, ["--db", seeds_db, "reading-list", "build"])
    assert nothing.exit_code == 2 and "--all" in nothing.output


def test_export_takes_a_reading_lists_editions(seeds_db: str, tmp_path: Path) -> None:
    theme = str(ROOT / "reading_lists" / "eyewitnesses.toml")
    shown = json.loads(runner.invoke(app, ["--db", seeds_db, "reading-list", "show", theme, "--format", "json"]).output)
    keys = {k for s in shown["sections"] for w in s["works"] for k in w["editions"]}
    result = runner.invoke(app, ["--db", seeds_db, "export", "csl-json", "--reading-list", theme])
    assert result.exit_code == 0, result.output
    assert {item["id"] for item in json.loads(result.output)} == keys


def test_search_takes_a_reading_lists_editions(seeds_db: str) -> None:
    theme = str(ROOT / "reading_lists" / "eyewitnesses.toml")
    shown = json.loads(runner.invoke(app, ["--db", seeds_db, "reading-list", "show", theme, "--format", "json"]).output)
    keys = {k for s in shown["sections"] for w in s["works"] for k in w["editions"]}
    result = runner.invoke(app, ["--db", seeds_db, "search", "--theme", theme, "--limit", "0", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert {h["citation_key"] for h in json.loads(result.output)} == keys
    early = runner.invoke(app, ["--db", seeds_db, "search", "--theme", theme, "--year", "..1935", "--format", "json"])
    years = [h["year"] for h in json.loads(early.output)]
    assert years and all(y <= 1935 for y in years)
    none = runner.invoke(app, ["--db", seeds_db, "search", "--theme", theme, "--year", "2030"])
    assert none.exit_code == 1
