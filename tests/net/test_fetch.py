"""Fetching one URL against a real local server: schemes, sizes, types, redirects, timeouts."""

from __future__ import annotations

import socket

import pytest
import requests
from tests.openlibrary_stub import Reply, StubServer

from biblio.errors import DocumentError, NetworkError, NetworkUnavailable
from biblio.net.fetch import fetch_url, is_url, media_type

HTML = ("text/html",)


@pytest.fixture
def stub() -> StubServer:
    server = StubServer().start()
    yield server  # type: ignore[misc]
    server.stop()


def test_is_url_only_for_http_and_https() -> None:
    assert is_url("https://example.org/list.html")
    assert is_url("HTTP://example.org/")
    assert not is_url("essays/list.html")
    assert not is_url("file:///etc/passwd")
    assert not is_url("ftp://example.org/list.txt")


def test_media_type_and_charset() -> None:
    assert media_type('text/HTML; charset="ISO-8859-1"') == ("text/html", "ISO-8859-1")
    assert media_type(None) == ("", None)


def test_a_page_is_read_whole(stub: StubServer) -> None:
    stub.pages["/list.html"] = Reply(body=b"<p>hello</p>", content_type="text/html; charset=utf-8")
    got = fetch_url(requests.Session(), f"{stub.url}/list.html", max_bytes=1000, accept=HTML)
    assert (got.status, got.content_type, got.charset, got.body) == (200, "text/html", "utf-8", b"<p>hello</p>")


@pytest.mark.parametrize("url", ["file:///etc/hostname", "ftp://127.0.0.1/x.txt", "gopher://127.0.0.1/"])
def test_other_schemes_are_refused_unrequested(url: str) -> None:
    with pytest.raises(DocumentError, match="only http and https"):
        fetch_url(requests.Session(), url, max_bytes=1000)


def test_a_redirect_to_another_scheme_is_refused(stub: StubServer) -> None:
    stub.pages["/away"] = Reply(302, headers={"Location": "file:///etc/hostname"})
    with pytest.raises(DocumentError, match="unsupported URL scheme 'file'"):
        fetch_url(requests.Session(), f"{stub.url}/away", max_bytes=1000)


def test_redirects_are_followed_and_the_final_url_kept(stub: StubServer) -> None:
    stub.pages["/old"] = Reply(301, headers={"Location": "/new"})
    stub.pages["/new"] = Reply(body=b"moved", content_type="text/html")
    got = fetch_url(requests.Session(), f"{stub.url}/old", max_bytes=1000, accept=HTML)
    assert got.final_url == f"{stub.url}/new"
    assert got.body == b"moved"


def test_a_redirect_loop_is_detected(stub: StubServer) -> None:
    stub.pages["/a"] = Reply(302, headers={"Location": "/b"})
    stub.pages["/b"] = Reply(302, headers={"Location": "/a"})
    with pytest.raises(DocumentError, match="redirect loop"):
        fetch_url(requests.Session(), f"{stub.url}/a", max_bytes=1000)
    assert stub.requests == ["/a", "/b"]


def test_redirects_are_bounded(stub: StubServer) -> None:
    for i in range(10):
        stub.pages[f"/r{i}"] = Reply(302, headers={"Location": f"/r{i + 1}"})
    with pytest.raises(DocumentError, match="more than 3 redirects"):
        fetch_url(requests.Session(), f"{stub.url}/r0", max_bytes=1000, max_redirects=3)
    assert len(stub.requests) == 4


def test_a_declared_oversized_body_is_refused(stub: StubServer) -> None:
    stub.pages["/big"] = Reply(body=b"x" * 5000, content_type="text/html")
    with pytest.raises(DocumentError, match="too large: 5000 bytes, limit is 1000"):
        fetch_url(requests.Session(), f"{stub.url}/big", max_bytes=1000, accept=HTML)


def test_an_undeclared_oversized_body_is_cut_while_streaming(stub: StubServer) -> None:
    stub.pages["/big"] = Reply(body=b"x" * 300_000, content_type="text/html", declare_length=False)
    with pytest.raises(DocumentError, match="more than 100000 bytes"):
        fetch_url(requests.Session(), f"{stub.url}/big", max_bytes=100_000, accept=HTML)


def test_an_unreadable_content_type_is_refused(stub: StubServer) -> None:
    stub.pages["/paper.pdf"] = Reply(body=b"%PDF-1.4", content_type="application/pdf")
    with pytest.raises(DocumentError, match="unsupported content type 'application/pdf'"):
        fetch_url(requests.Session(), f"{stub.url}/paper.pdf", max_bytes=1000, accept=HTML)


def test_an_error_status_is_returned_not_raised(stub: StubServer) -> None:
    got = fetch_url(requests.Session(), f"{stub.url}/missing", max_bytes=1000, accept=HTML)
    assert got.status == 404


def test_a_slow_server_times_out(stub: StubServer) -> None:
    stub.pages["/slow"] = Reply(body=b"late", content_type="text/html", delay=1.0)
    with pytest.raises(NetworkError, match="timed out"):
        fetch_url(requests.Session(), f"{stub.url}/slow", max_bytes=1000, timeout=(1.0, 0.2))


def test_nothing_listening_is_network_unavailable() -> None:
    with socket.socket() as sock:  # a port that was free a moment ago
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    with pytest.raises(NetworkUnavailable, match="cannot connect"):
        fetch_url(requests.Session(), f"http://127.0.0.1:{port}/", max_bytes=1000)
