"""`ingest` of http(s) URLs against a real local server: read, recorded by URL, refused with reasons."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from tests.conftest import DATA
from tests.openlibrary_stub import Reply, StubServer

from biblio.catalog import Catalog
from biblio.ingest import ingest_paths

PAGE = (DATA / "documents" / "sample.html").read_bytes()


@pytest.fixture
def site() -> Iterator[StubServer]:
    server = StubServer().start()
    server.pages["/lists/sources.html"] = Reply(body=PAGE, content_type="text/html; charset=utf-8")
    yield server
    server.stop()


def test_a_page_is_ingested_with_its_url_as_origin(catalog: Catalog, site: StubServer) -> None:
    url = f"{site.url}/lists/sources.html"
    report = ingest_paths(catalog, [url])
    assert report.ok, report.failures
    assert report.documents == 1 and report.citations >= 2
    citations = catalog.citation_records()
    assert {c["source"] for c in citations} == {"sources.html"}
    assert any(c["csl"].get("title") == "Paper Harbours" for c in citations)
    assert any(c["section"] == "Books" for c in citations)  # headings kept as sections
    with catalog.session() as session:
        origins = [o for (o,) in session.connection().exec_driver_sql("SELECT origin FROM document")]
    assert origins == [url]


def test_an_unchanged_page_changes_nothing_and_a_changed_one_replaces(catalog: Catalog, site: StubServer) -> None:
    url = f"{site.url}/lists/sources.html"
    ingest_paths(catalog, [url])
    before = catalog.dump()
    again = ingest_paths(catalog, [url])
    assert (again.unchanged, again.documents) == (1, 0)
    assert catalog.dump() == before
    site.pages["/lists/sources.html"] = Reply(
        body=PAGE.replace(b"Maps of Nowhere", b"Maps of Elsewhere"), content_type="text/html"
    )
    changed = ingest_paths(catalog, [url])
    assert changed.replaced == 1
    assert any(c["csl"].get("title") == "Maps of Elsewhere" for c in catalog.citation_records())


def test_bibtex_by_content_type(catalog: Catalog, site: StubServer) -> None:
    site.pages["/export"] = Reply(
        body=b"@book{amberly1987, author={Amberly, T.}, title={Paper Harbours}, year={1987},"
        b" publisher={Lantern House}}",
        content_type="application/x-bibtex",
    )
    report = ingest_paths(catalog, [f"{site.url}/export"])
    assert report.ok and report.citations == 1
    assert catalog.citation_records()[0]["csl"]["publisher"] == "Lantern House"


def test_markdown_served_as_plain_text_is_read_as_markdown(catalog: Catalog, site: StubServer) -> None:
    site.pages["/raw/list.md"] = Reply(
        body=b"# Reading\n\n- Amberly, T. (1987). *Paper Harbours*. Lantern House.\n", content_type="text/plain"
    )
    report = ingest_paths(catalog, [f"{site.url}/raw/list.md"])
    assert report.ok and report.citations == 1
    assert catalog.citation_records()[0]["section"] == "Reading"


@pytest.mark.parametrize(
    ("reply", "reason"),
    [
        (Reply(body=b"%PDF-1.4" * 10, content_type="application/pdf"), "unsupported content type 'application/pdf'"),
        (Reply(body=b"<p>" + b"x" * 3_000_000, content_type="text/html"), "too large"),
        (Reply(404, b"gone", "text/html"), "HTTP 404"),
    ],
)
def test_a_refused_url_is_a_failure_and_the_rest_goes_on(
    catalog: Catalog, site: StubServer, reply: Reply, reason: str
) -> None:
    site.pages["/bad"] = reply
    report = ingest_paths(catalog, [f"{site.url}/bad", f"{site.url}/lists/sources.html"], max_bytes=2_000_000)
    assert [f.source for f in report.failures] == [f"{site.url}/bad"]
    assert reason in report.failures[0].reason
    assert report.documents == 1


def test_a_redirect_loop_is_a_failure(catalog: Catalog, site: StubServer) -> None:
    site.pages["/a"] = Reply(302, headers={"Location": "/b"})
    site.pages["/b"] = Reply(302, headers={"Location": "/a"})
    report = ingest_paths(catalog, [f"{site.url}/a"])
    assert "redirect loop" in report.failures[0].reason
    assert catalog.counts()["documents"] == 0
