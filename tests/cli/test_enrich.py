"""`biblio enrich` and `biblio ingest URL`: wiring, output, exit codes, against a real local server."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import pytest
from tests.conftest import DATA
from tests.openlibrary_stub import Reply, StubServer
from typer.testing import CliRunner

from biblio.cli import app

runner = CliRunner()


@pytest.fixture
def env(openlibrary_stub: StubServer, cache_dir: Path, monkeypatch: pytest.MonkeyPatch) -> StubServer:
    """The CLI pointed at the local server, without rate-limit waits, on a fresh cache."""
    monkeypatch.setenv("BIBLIO_OPENLIBRARY_URL", openlibrary_stub.url)
    monkeypatch.setenv("BIBLIO_HTTP_INTERVAL", "0")
    monkeypatch.setenv("BIBLIO_HTTP_BACKOFF", "0")
    return openlibrary_stub


def run(db: str, *args: str) -> tuple[int, str, str]:
    result = runner.invoke(app, ["--db", db, *args])
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def db(db_url: str) -> str:
    code, _, err = run(db_url, "ingest", str(DATA / "enrich-records.json"))
    assert code == 0, err
    return db_url


def test_dry_run_shows_what_would_be_filled_and_why(db: str, env: StubServer) -> None:
    code, out, _ = run(db, "enrich", "--dry-run")
    assert code == 0
    assert "[enriched 1.00] #1 The Glass Orchard" in out
    assert 'would fill: openlibrary-work="OL101W"' in out
    assert 'ISBN="9780000000011"' in out
    assert "[refused" in out and "ambiguous: OL102W 1.00, OL103W 1.00" in out
    assert "year 1990 not among its editions" in out
    assert "dry run: 2 enriched" in out
    code, out, _ = run(db, "export", "csl-json")
    assert "9780000000011" not in out


def test_json_output_and_a_real_run(db: str, env: StubServer) -> None:
    code, out, _ = run(db, "enrich", "--format", "json", "--contact", "desk@example.org")
    assert code == 0
    data = json.loads(out)
    assert data["counts"]["enriched"] == 2 and data["counts"]["refused"] == 1
    orchard = next(r for r in data["records"] if r["title"] == "The Glass Orchard")
    assert orchard["filled"]["publisher"] == "Harrow & Finch"
    assert orchard["suggested_tags"] == ["Fiction", "Glassmaking", "Orchards"]
    assert all("(+desk@example.org)" in ua for ua in env.user_agents)
    _, exported, _ = run(db, "export", "csl-json")
    assert "9780000000011" in exported
    code, out, _ = run(db, "enrich", "--format", "json")
    assert json.loads(out)["requests"] == 0


def test_filters_and_limit(db: str, env: StubServer) -> None:
    _, out, _ = run(db, "enrich", "--dry-run", "--format", "json", "--author", "Okonjo")
    assert [r["title"] for r in json.loads(out)["records"]] == ["Notes on Tidal Mills"]
    _, out, _ = run(db, "enrich", "--dry-run", "--format", "json", "--limit", "2")
    assert len(json.loads(out)["records"]) == 2


def test_offline_with_an_empty_cache_fails_and_changes_nothing(db: str, env: StubServer) -> None:
    _, before, _ = run(db, "export", "csl-json")
    code, out, _ = run(db, "enrich", "--offline")
    assert code == 1
    assert "not in the response cache (offline)" in out
    assert env.requests == []
    assert run(db, "export", "csl-json")[1] == before


def test_no_network_is_one_message_and_a_non_zero_exit(
    db: Path, cache_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("BIBLIO_OPENLIBRARY_URL", f"http://127.0.0.1:{port}")
    _, before, _ = run(db, "export", "csl-json")
    code, out, err = run(db, "enrich")
    assert code == 1
    assert out == ""
    assert err.count("\n") == 1 and "network unreachable, nothing changed" in err
    assert run(db, "export", "csl-json")[1] == before


def test_a_429_then_success_through_the_cli(db: str, env: StubServer) -> None:
    env.fail_next("/search.json", Reply(429, b"", "text/plain", {"Retry-After": "0"}))
    code, out, _ = run(db, "enrich", "--author", "Vantosh", "--format", "json")
    assert code == 0
    assert json.loads(out)["counts"]["enriched"] == 1
    assert len(env.api_requests("/search.json")) == 2


def test_ingest_a_url(db_url: str) -> None:
    stub = StubServer().start()
    try:
        stub.pages["/list.html"] = Reply(
            body=(DATA / "documents" / "sample.html").read_bytes(), content_type="text/html"
        )
        stub.pages["/slides.pdf"] = Reply(body=b"%PDF", content_type="application/pdf")
        code, out, _ = run(db_url, "ingest", f"{stub.url}/list.html")
        assert code == 0 and "1 documents ingested" in out
        code, out, _ = run(db_url, "ingest", f"{stub.url}/list.html")
        assert "0 documents ingested (1 unchanged" in out
        code, _, err = run(db_url, "ingest", f"{stub.url}/slides.pdf")
        assert code == 1 and "unsupported content type 'application/pdf'" in err
    finally:
        stub.stop()


def test_show_says_where_each_filled_value_came_from(db: str, env: StubServer) -> None:
    code, out, _ = run(db, "enrich", "--format", "json")
    assert code == 0
    orchard = next(r for r in json.loads(out)["records"] if r["title"] == "The Glass Orchard")
    code, out, _ = run(db, "search", "Glass Orchard", "--format", "json")
    assert code == 0
    work = json.loads(out)[0]["work_id"]
    code, out, _ = run(db, "show", str(work), "--format", "json")
    assert code == 0
    sources = json.loads(out)["sources"]
    assert {s["field"]: s["value"] for s in sources if s["field"] == "publisher"} == {"publisher": "Harrow & Finch"}
    assert {s["field"] for s in sources} >= set(orchard["filled"]) - {"suggested_tags"}
    assert all(s["source"] == "openlibrary" and s["ref"].startswith(env.url) for s in sources)
    code, out, _ = run(db, "show", str(work))
    assert code == 0 and "filled from elsewhere" in out and "Harrow & Finch" in out
