"""The CLI's wiring: help texts, exit codes, output formats, on a real catalog (SQLite or PostgreSQL)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from typer.testing import CliRunner

from biblio.cli import app

runner = CliRunner()


def run(db: str, *args: str, input: str | None = None) -> tuple[int, str, str]:
    """Run `biblio --db DB ARGS...`; return (exit code, stdout, stderr)."""
    result = runner.invoke(app, ["--db", db, *args], input=input)
    return result.exit_code, result.stdout, result.stderr


def command_names() -> list[list[str]]:
    """Every command and subcommand path of the app."""
    import typer.main

    group = typer.main.get_command(app)
    paths: list[list[str]] = []

    def walk(cmd: object, prefix: list[str]) -> None:
        commands = getattr(cmd, "commands", None)
        if commands is None:
            paths.append(prefix)
            return
        if prefix:
            paths.append(prefix)
        for name, sub in commands.items():
            walk(sub, [*prefix, name])

    walk(group, [])
    return paths


@pytest.mark.parametrize("path", command_names(), ids=lambda p: " ".join(p))
def test_every_command_has_help_with_an_example(path: list[str]) -> None:
    result = runner.invoke(app, [*path, "--help"])
    assert result.exit_code == 0
    assert "Example" in result.stdout, f"biblio {' '.join(path)} --help has no example"


def test_build_ingests_seeds_and_deduplicates(db_url: str, seeds_dir: Path) -> None:
    code, out, _ = run(db_url, "build", "--seeds", str(seeds_dir))
    assert code == 0
    assert "5 documents ingested" in out
    assert "catalog:" in out


def test_citations_json_contract(db_url: str, seeds_dir: Path) -> None:
    db = db_url
    assert run(db, "ingest", str(seeds_dir))[0] == 0
    code, out, _ = run(db, "citations", "--format", "json")
    assert code == 0
    records = json.loads(out)
    assert len(records) > 80
    for record in records:
        assert {"source", "line", "raw", "kind", "confidence", "csl", "edition_id", "work_id", "persons"} <= set(record)
        assert record["kind"] in ("list", "prose", "metadata")
        assert set(record["persons"]) == {"author", "editor", "compiler"}
        for role, ids in record["persons"].items():
            assert len(ids) == len(record["csl"].get(role, []))


def test_citations_source_filter_and_csv(db_url: str, seeds_dir: Path) -> None:
    db = db_url
    run(db, "ingest", str(seeds_dir))
    code, out, _ = run(db, "citations", "--source", "002_962dfb8a24743a19.txt", "--format", "csv")
    assert code == 0
    rows = list(csv.DictReader(io.StringIO(out)))
    assert rows and all(row["source"] == "002_962dfb8a24743a19.txt" for row in rows)
    assert any(row["title"] == "Works" for row in rows)
    code, out, _ = run(db, "citations", "--source", "no-such-file.txt", "--format", "json")
    assert code == 1 and json.loads(out) == []


def test_citations_unknown_format_is_a_usage_error(db_url: str) -> None:
    code, _, err = run(db_url, "citations", "--format", "xml")
    assert code == 2
    assert "unknown format" in err


def test_ingest_stdin(db_url: str) -> None:
    db = db_url
    text = "A Field Guide to Mosses, Henry Fallow, Greenleaf Press, Edinburgh, 1962, 212 pages.\n"
    code, out, _ = run(db, "ingest", "-", "--format", "json", input=text)
    assert code == 0, out
    assert json.loads(out)["citations"] == 1
    code, out, _ = run(db, "citations", "--format", "json")
    assert json.loads(out)[0]["source"] == "<stdin>"


def test_bad_inputs_are_reported_and_the_rest_ingested(db_url: str, tmp_path: Path) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "empty.txt").write_bytes(b"")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02PK\x03\x04" * 100)
    (folder / "latin1.txt").write_bytes(
        "Les Mis\xe9rables du Nord, Jean Valmont, \xc9ditions du Port, Paris, 1931, 300 pages.\n".encode("latin-1")
    )
    (folder / "good.txt").write_text(
        "A Field Guide to Mosses, Henry Fallow, Greenleaf Press, Edinburgh, 1962, 212 pages.\n", encoding="utf-8"
    )
    big = folder / "big.txt"
    with big.open("wb") as handle:
        handle.write(b"x" * (50 * 1024 * 1024))
    (folder / "dangling.txt").symlink_to(folder / "gone.txt")  # unreadable: its target is missing
    code, out, _err = run(db_url, "ingest", str(folder), "--format", "json")
    assert code == 1
    summary = json.loads(out)
    failed = {Path(f["source"]).name: f["reason"] for f in summary["failures"]}
    assert set(failed) == {"empty.txt", "binary.txt", "big.txt", "dangling.txt"}
    assert "empty" in failed["empty.txt"] and "binary" in failed["binary.txt"]
    assert "MB" in failed["big.txt"] or "bytes" in failed["big.txt"]
    assert summary["documents"] == 2  # good.txt and latin1.txt
    assert any("latin1.txt" in w["source"] for w in summary["warnings"])
    code, out, _ = run(db_url, "citations", "--format", "json")
    titles = {c["csl"]["title"] for c in json.loads(out)}
    assert titles == {"A Field Guide to Mosses", "Les Misérables du Nord"}


def test_missing_path_is_an_error(db_url: str, tmp_path: Path) -> None:
    code, _, err = run(db_url, "ingest", str(tmp_path / "nowhere"))
    assert code == 1
    assert "nowhere" in err


def test_dedupe_dry_run_then_apply_then_unmerge(db_url: str, tmp_path: Path) -> None:
    db = db_url
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text(
        "Tides of the North, Ann Lowe, Harbour Press, Leith, 1950, 120 pages.\n", encoding="utf-8"
    )
    (docs / "b.txt").write_text(
        "Tides of the North, A. Lowe, The Harbour Press, Leith, 1950, 120 pages.\n", encoding="utf-8"
    )
    assert run(db, "ingest", str(docs))[0] == 0
    records = json.loads(run(db, "citations", "--format", "json")[1])
    assert records[0]["edition_id"] == records[1]["edition_id"]  # resolved while ingesting
    code, out, _ = run(db, "unmerge", "--all", "--format", "json")
    assert code == 0 and len(json.loads(out)) >= 1
    records = json.loads(run(db, "citations", "--format", "json")[1])
    assert records[0]["edition_id"] != records[1]["edition_id"]
    code, out, _ = run(db, "dedupe", "--dry-run", "--format", "json")
    assert code == 0 and any(m["kind"] == "edition" for m in json.loads(out))
    records = json.loads(run(db, "citations", "--format", "json")[1])
    assert records[0]["edition_id"] != records[1]["edition_id"]  # a dry run changes nothing
    code, out, _ = run(db, "dedupe")
    assert code == 0 and "merged" in out
    records = json.loads(run(db, "citations", "--format", "json")[1])
    assert records[0]["edition_id"] == records[1]["edition_id"]


def test_dedupe_jobs_gives_the_same_merges_and_rejects_a_negative_count(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = tmp_path / "docs"
    folder.mkdir()
    (folder / "a.txt").write_text(
        "Tides of the North, Ann Lowe, Harbour Press, Leith, 1950, 120 pages.\n\n"
        "Tides of the North, A. Lowe, The Harbour Press, Leith, 1950, 120 pages.\n\n"
        "Songs of the South, Bea Marsh, Quay Books, Cork, 1961, 90 pages.\n\n"
        "Songs of the South, B. Marsh, Quay Books, Cork, 1961.\n",
        encoding="utf-8",
    )
    assert run(db_url, "ingest", str(folder))[0] == 0
    assert run(db_url, "unmerge", "--all")[0] == 0
    monkeypatch.setattr("biblio.catalog.dedupe.BACKGROUND_MIN_FORMS", 0)  # even this catalog forks
    answers = []
    for jobs in ("1", "2"):
        code, out, _ = run(db_url, "dedupe", "--dry-run", "--jobs", jobs, "--format", "json")
        assert code == 0
        answers.append(json.loads(out))
    assert answers[0] == answers[1]
    assert {m["kind"] for m in answers[0]} >= {"person", "edition"}
    code, _, err = run(db_url, "dedupe", "--jobs", "-1")
    assert code == 2 and "--jobs" in err


def test_merge_by_hand_and_bad_kind(db_url: str, tmp_path: Path) -> None:
    db = db_url
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text(
        "Tides of the North, Ann Lowe, Harbour Press, Leith, 1950, 120 pages.\n\n"
        "Songs of the South, Bea Marsh, Quay Books, Cork, 1961, 90 pages.\n",
        encoding="utf-8",
    )
    run(db, "ingest", str(docs))
    records = json.loads(run(db, "citations", "--format", "json")[1])
    a, b = records[0]["edition_id"], records[1]["edition_id"]
    code, out, _ = run(db, "merge", "edition", str(a), str(b))
    assert code == 0 and "merge #" in out
    assert len({r["edition_id"] for r in json.loads(run(db, "citations", "--format", "json")[1])}) == 1
    assert run(db, "merge", "shelf", "1", "2")[0] == 2
    code, _, err = run(db, "merge", "edition", str(a), "99999")
    assert code == 2 and "99999" in err


def test_tag_untag_and_export_by_tag(db_url: str, tmp_path: Path) -> None:
    db = db_url
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text(
        "Tides of the North, Ann Lowe, Harbour Press, Leith, 1950, 120 pages.\n\n"
        "Songs of the South, Bea Marsh, Quay Books, Cork, 1961, 90 pages.\n",
        encoding="utf-8",
    )
    run(db, "ingest", str(docs))
    code, out, _ = run(db, "tag", "lowe1950tides", "sea", "to read")
    assert code == 0 and out.strip() == "lowe1950tides: sea, to read"
    code, out, _ = run(db, "export", "csl-json", "--tag", "sea")
    assert [item["id"] for item in json.loads(out)] == ["lowe1950tides"]
    code, out, _ = run(db, "untag", "lowe1950tides", "sea")
    assert code == 0 and out.strip() == "lowe1950tides: to read"
    assert json.loads(run(db, "export", "csl-json", "--tag", "sea")[1]) == []
    code, _, err = run(db, "untag", "lowe1950tides", "sea")
    assert code == 2 and "no tag" in err
    code, _, err = run(db, "tag", "nosuchkey", "x")
    assert code == 2 and "nosuchkey" in err


def test_review_and_rekey_commands(db_url: str, tmp_path: Path) -> None:
    """A pair scored between the thresholds is listed, accepted by id, and leaves the queue; keys stay put."""
    docs = tmp_path / "docs"
    docs.mkdir()
    (docs / "a.txt").write_text(
        "Harbour Notes\n\nBooks\n\n"
        "The Long Road Home, an account of the war years, WP and Jane Doe, Harbour Press, London, 1950, 210 pages.\n",
        encoding="utf-8",
    )
    (docs / "c.txt").write_text(
        "Further Notes\n\nBooks\n\nThe Long Road Home Again, Harbour Press, London, 1951, 90 pages.\n",
        encoding="utf-8",
    )
    assert run(db_url, "ingest", str(docs))[0] == 0
    code, out, _ = run(db_url, "dedupe", "review", "--format", "json")
    pending = json.loads(out)
    assert code == 0 and len(pending) == 1
    code, out, _ = run(db_url, "dedupe", "review", "--accept", str(pending[0]["id"]))
    assert code == 0 and out.startswith(f"pair {pending[0]['id']}: same")
    assert json.loads(run(db_url, "dedupe", "review", "--format", "json")[1]) == []
    keys = [item["id"] for item in json.loads(run(db_url, "export", "csl-json")[1])]
    code, out, _ = run(db_url, "rekey")
    assert code == 0 and out.strip() == "0 keys changed"
    assert [item["id"] for item in json.loads(run(db_url, "export", "csl-json")[1])] == keys


def test_ingest_jobs_gives_the_same_catalog_and_rejects_a_negative_count(
    new_db_url: Callable[[str], str], tmp_path: Path
) -> None:
    from bench.documents import documents

    from biblio.catalog import Catalog
    from biblio.parallel import PARALLEL_MIN_BYTES

    folder = tmp_path / "docs"
    folder.mkdir()
    for doc in documents(4000, 500):
        (folder / doc.name).write_text(doc.markdown, encoding="utf-8")
    assert sum(p.stat().st_size for p in folder.iterdir()) > PARALLEL_MIN_BYTES  # ingest starts its workers
    exports = []
    for jobs in ("1", "2"):
        db = new_db_url(f"jobs{jobs}")
        code, out, _ = run(db, "ingest", "--jobs", jobs, "--format", "json", str(folder))
        assert code == 0 and json.loads(out)["citations"] == 4000
        catalog = Catalog(db)
        exports.append((catalog.export("csl-json"), sorted(map(str, catalog.citation_records()))))
        catalog.close()
    assert exports[0] == exports[1]
    code, _, err = run(new_db_url("bad"), "ingest", "--jobs", "-1", str(folder))
    assert code == 2 and "--jobs" in err
