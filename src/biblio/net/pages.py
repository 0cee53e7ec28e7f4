"""Reading a document from a URL: the page's bytes and what format its content type says.

Only the types biblio can read are accepted: HTML, plain text, Markdown, and
the bibliographic formats (BibTeX, CSL-JSON, RIS).  A page is fetched once,
with the same size cap as a file; its origin is the URL the user gave.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePosixPath
from urllib.parse import unquote, urlsplit

import requests

from biblio.errors import DocumentError
from biblio.net.client import user_agent
from biblio.net.fetch import DEFAULT_TIMEOUT, fetch_url

__all__ = ["CONTENT_TYPES", "Page", "fetch_page"]

#: media type -> document format ("html", "markdown", "text") or record format ("bibtex", "csl-json", "ris")
CONTENT_TYPES: dict[str, str] = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "text/plain": "text",
    "text/markdown": "markdown",
    "text/x-markdown": "markdown",
    "application/x-bibtex": "bibtex",
    "text/x-bibtex": "bibtex",
    "application/vnd.citationstyles.csl+json": "csl-json",
    "application/json": "csl-json",
    "application/x-research-info-systems": "ris",
    "text/x-research-info-systems": "ris",
}
#: a plain-text answer whose URL ends so is read as that format (raw files on code hosts)
_TEXT_SUFFIXES = {".md": "markdown", ".markdown": "markdown", ".bib": "bibtex", ".ris": "ris", ".json": "csl-json"}


@dataclass(frozen=True)
class Page:
    """A fetched document: its name, bytes, format and the URL it finally came from."""

    url: str
    final_url: str
    name: str
    format: str
    body: bytes


def _name(url: str) -> str:
    """A document name for a URL: its last path segment, else its host."""
    parts = urlsplit(url)
    last = PurePosixPath(unquote(parts.path)).name
    return last or parts.hostname or url


def fetch_page(
    url: str,
    *,
    max_bytes: int,
    session: requests.Session | None = None,
    contact: str | None = None,
    timeout: tuple[float, float] = DEFAULT_TIMEOUT,
) -> Page:
    """GET a document; refuse other schemes, unreadable types, oversized bodies and error statuses."""
    own = session or requests.Session()
    own.headers["User-Agent"] = user_agent(contact)
    try:
        fetched = fetch_url(own, url, max_bytes=max_bytes, accept=CONTENT_TYPES, timeout=timeout)
    finally:
        if session is None:
            own.close()
    if fetched.status >= 400:
        raise DocumentError(url, f"HTTP {fetched.status}")
    fmt = CONTENT_TYPES[fetched.content_type]
    suffix = PurePosixPath(urlsplit(fetched.final_url).path).suffix.lower()
    if fmt == "text" and suffix in _TEXT_SUFFIXES:
        fmt = _TEXT_SUFFIXES[suffix]
    return Page(url, fetched.final_url, _name(fetched.final_url), fmt, fetched.body)
