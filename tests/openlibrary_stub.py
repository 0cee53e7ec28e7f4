"""A real HTTP server on localhost answering like Open Library, from a small data file.

The data names works and editions; the server builds the documented answers
from them (``/search.json``, ``/works/<id>.json``, ``/works/<id>/editions.json``,
``/books/<id>.json``, ``/isbn/<isbn>.json`` redirecting to the book), counts
every request, and can be told to answer a path differently a few times
(a 429, a slow answer, malformed JSON) or to serve plain pages for URL ingest.

Run it by hand for a demonstration::

    python -m tests.openlibrary_stub DATA.json --port 8765
"""

from __future__ import annotations

import argparse
import contextlib
import json
import threading
import time
from collections import defaultdict, deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from biblio.resolve.keys import fold_text

__all__ = ["Reply", "StubServer"]


@dataclass
class Reply:
    """A canned answer."""

    status: int = 200
    body: bytes = b""
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)
    #: seconds to wait before answering (a slow server)
    delay: float = 0.0
    #: False: no Content-Length, the body ends when the connection closes
    declare_length: bool = True


def _doc(work: dict[str, Any], editions: list[dict[str, Any]]) -> dict[str, Any]:
    """A search result for a work: the work's fields and its editions' aggregated."""

    def gather(name: str) -> list[Any]:
        out: list[Any] = []
        for e in editions:
            for v in e.get(name) or []:
                if v not in out:
                    out.append(v)
        return out

    years = sorted({int(e["publish_date"][-4:]) for e in editions if e.get("publish_date")})
    return {
        "key": work["key"],
        "type": "work",
        "title": work["title"],
        "author_name": work.get("author_name", []),
        "first_publish_year": work.get("first_publish_year"),
        "edition_count": len(editions),
        "edition_key": [e["key"].rsplit("/", 1)[-1] for e in editions],
        "publish_year": years,
        "publisher": gather("publishers"),
        "publish_place": gather("publish_places"),
        "isbn": gather("isbn_13") + gather("isbn_10"),
        "subject": work.get("subjects", []),
    }


class StubServer:
    """An Open-Library-shaped server in a thread; `requests` lists every path asked for."""

    def __init__(self, data: dict[str, Any] | None = None) -> None:
        data = data or {}
        self.works: dict[str, dict[str, Any]] = {w["key"].rsplit("/", 1)[-1]: w for w in data.get("works", [])}
        self.editions: dict[str, dict[str, Any]] = {e["key"].rsplit("/", 1)[-1]: e for e in data.get("editions", [])}
        self.pages: dict[str, Reply] = {}
        self.faults: dict[str, deque[Reply]] = defaultdict(deque)
        self.requests: list[str] = []
        self.user_agents: list[str] = []
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                stub.requests.append(self.path)
                stub.user_agents.append(self.headers.get("User-Agent", ""))
                reply = stub.answer(self.path)
                if reply.delay:
                    time.sleep(reply.delay)
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", reply.content_type)
                    if reply.declare_length:
                        self.send_header("Content-Length", str(len(reply.body)))
                    else:
                        self.close_connection = True
                    for name, value in reply.headers.items():
                        self.send_header(name, value)
                    self.end_headers()
                    self.wfile.write(reply.body)
                except (BrokenPipeError, ConnectionResetError):  # the client gave up (a timeout test)
                    pass

            def log_message(self, format: str, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.thread = threading.Thread(target=self.server.serve_forever, args=(0.05,), daemon=True)

    @property
    def url(self) -> str:
        """The base URL, http://127.0.0.1:PORT."""
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> StubServer:
        """Serve in a background thread."""
        self.thread.start()
        return self

    def stop(self) -> None:
        """Stop serving and close the socket."""
        self.server.shutdown()
        self.server.server_close()

    def fail_next(self, path: str, *replies: Reply) -> None:
        """Answer `path` (without query) with these replies first, then normally."""
        self.faults[path].extend(replies)

    def api_requests(self, prefix: str = "/") -> list[str]:
        """The paths asked for that start so."""
        return [p for p in self.requests if p.startswith(prefix)]

    # --- answers -------------------------------------------------------------------
    def answer(self, raw: str) -> Reply:
        """The reply to a request path (with its query)."""
        parts = urlsplit(raw)
        path, query = parts.path, parse_qs(parts.query)
        if self.faults.get(path):
            return self.faults[path].popleft()
        if path in self.pages:
            return self.pages[path]
        if path == "/search.json":
            return self._json(self._search(query))
        segments = path.strip("/").removesuffix(".json").split("/")
        if len(segments) == 2 and segments[0] == "works" and segments[1] in self.works:
            return self._json(self.works[segments[1]])
        if len(segments) == 3 and segments[0] == "works" and segments[2] == "editions":
            entries = [e for e in self.editions.values() if {"key": f"/works/{segments[1]}"} in e.get("works", [])]
            return self._json({"links": {"self": path}, "size": len(entries), "entries": entries})
        if len(segments) == 2 and segments[0] == "books" and segments[1] in self.editions:
            return self._json(self.editions[segments[1]])
        if len(segments) == 2 and segments[0] == "isbn":
            for key, e in self.editions.items():
                if segments[1] in e.get("isbn_13", []) + e.get("isbn_10", []):
                    return Reply(302, b"", "text/plain", {"Location": f"/books/{key}.json"})
        return Reply(404, json.dumps({"error": "notfound", "key": path}).encode())

    def _json(self, value: Any) -> Reply:
        return Reply(200, json.dumps(value).encode())

    def _search(self, query: dict[str, list[str]]) -> dict[str, Any]:
        """Works whose title holds every word of `title` and whose authors hold every word of `author`."""
        title_words = fold_text(query.get("title", [""])[0]).split()
        author_words = fold_text(query.get("author", [""])[0]).split()
        docs = []
        for key, work in self.works.items():
            title = fold_text(work["title"]).split()
            authors = fold_text(" ".join(work.get("author_name", []))).split()
            if all(w in title for w in title_words) and all(w in authors for w in author_words):
                editions = [e for e in self.editions.values() if {"key": f"/works/{key}"} in e.get("works", [])]
                docs.append(_doc(work, editions))
        return {"numFound": len(docs), "start": 0, "numFoundExact": True, "num_found": len(docs), "docs": docs}


def main() -> None:
    """Serve a data file until interrupted."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("data", type=Path)
    parser.add_argument("--port", type=int, default=8765)
    args = parser.parse_args()
    stub = StubServer(json.loads(args.data.read_text(encoding="utf-8")))
    stub.server.server_close()
    stub.server = ThreadingHTTPServer(("127.0.0.1", args.port), stub.server.RequestHandlerClass)
    print(f"serving {args.data} at {stub.url}", flush=True)
    with contextlib.suppress(KeyboardInterrupt):
        stub.server.serve_forever()


if __name__ == "__main__":
    main()
