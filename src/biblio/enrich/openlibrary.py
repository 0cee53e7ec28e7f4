"""Open Library's search, works, editions and ISBN endpoints, read into plain records.

Shapes, as documented by Open Library:

- ``/search.json?title=&author=`` -> ``{"numFound", "docs": [{"key": "/works/OL1W",
  "title", "author_name": [...], "first_publish_year", "publisher": [...],
  "publish_year": [...], "edition_key": [...], "isbn": [...], "subject": [...]}]}``
- ``/works/OL1W/editions.json`` -> ``{"size", "entries": [edition, ...]}``
- ``/books/OL1M.json`` and ``/isbn/<isbn>.json`` -> an edition: ``{"key": "/books/OL1M",
  "title", "publishers": [...], "publish_places": [...], "publish_date",
  "number_of_pages", "isbn_10": [...], "isbn_13": [...], "works": [{"key": "/works/OL1W"}]}``
- ``/works/OL1W.json`` -> ``{"key", "title", "subjects": [...], "first_publish_date"}``

Every answer is checked for shape; a wrong one is a `NetworkError` naming the URL.
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from typing import Any

from biblio.errors import NetworkError
from biblio.net.client import PoliteClient
from biblio.resolve.match import number_value

__all__ = ["DEFAULT_URL", "ENV_URL", "OLEdition", "OLWork", "OpenLibrary", "SearchResult", "volume_named"]

ENV_URL = "BIBLIO_OPENLIBRARY_URL"
DEFAULT_URL = "https://openlibrary.org"
_YEAR = re.compile(r"\b(1[5-9]\d\d|20\d\d)\b")
# a volume or part and its number in digits or roman numerals; the bare abbreviations ("v. 2", "Bd. 2") only
# with digits, lest an initial ("V. I. Surname") read as a volume
_VOLUME = re.compile(r"\b(?:(?:vol(?:ume)?|tome|part|pt)\.?\s*(\d+|[ivxlc]+)|(?:v|bd)\.\s*(\d+))\b", re.IGNORECASE)
#: search fields asked for: the default set lacks publishers and subjects
_FIELDS = (
    "key,title,subtitle,author_name,first_publish_year,publish_year,publisher,publish_place,edition_key,isbn,subject"
)


def _strings(value: Any) -> list[str]:
    """A list of non-empty strings from a JSON value that should be one (else empty)."""
    if not isinstance(value, list):
        return []
    return [v.strip() for v in value if isinstance(v, str) and v.strip()]


def _year(value: Any) -> int | None:
    """The year of "1950", "May 1950", "1950-05-01" or 1950."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    match = _YEAR.search(value) if isinstance(value, str) else None
    return int(match.group(1)) if match else None


def _ol_id(key: Any) -> str:
    """ "OL1W" of "/works/OL1W"."""
    return key.rsplit("/", 1)[-1] if isinstance(key, str) else ""


@dataclass(frozen=True)
class SearchResult:
    """One work found by a search, with what its editions say in aggregate."""

    work: str  # "OL1W"
    title: str
    authors: list[str]
    first_year: int | None
    years: list[int]
    publishers: list[str]
    places: list[str]
    editions: list[str]
    isbns: list[str]
    subjects: list[str]


@dataclass(frozen=True)
class OLEdition:
    """One edition (a "book" in Open Library's words)."""

    key: str  # "OL1M"
    title: str
    year: int | None
    publishers: list[str]
    places: list[str]
    pages: int | None
    isbn_13: list[str]
    isbn_10: list[str]
    works: list[str]
    #: the volume its title, subtitle or edition statement names ("v. 2", "Volume II"), as a number
    volume: str | None = None


@dataclass(frozen=True)
class OLWork:
    """A work record: its subjects and first publication."""

    key: str
    title: str
    first_year: int | None
    subjects: list[str] = field(default_factory=list)


def _edition(data: Any, url: str) -> OLEdition:
    """An edition record read from its JSON."""
    if not isinstance(data, dict) or not isinstance(data.get("key"), str):
        raise NetworkError(f"{url}: not an Open Library edition")
    pages = data.get("number_of_pages")
    return OLEdition(
        key=_ol_id(data["key"]),
        title=str(data.get("title") or ""),
        year=_year(data.get("publish_date")),
        publishers=_strings(data.get("publishers")),
        places=_strings(data.get("publish_places")),
        pages=pages if isinstance(pages, int) and pages > 0 else None,
        isbn_13=_strings(data.get("isbn_13")),
        isbn_10=_strings(data.get("isbn_10")),
        works=[_ol_id(w.get("key")) for w in data.get("works") or [] if isinstance(w, dict)],
        volume=volume_named(" ".join(str(data.get(f) or "") for f in ("title", "subtitle", "edition_name"))),
    )


def volume_named(text: str) -> str | None:
    """The volume a title or edition statement names ("Vol. 2", "v. II", "Part 3"), as a comparable number."""
    found = _VOLUME.search(text)
    return number_value(found.group(1) or found.group(2)) if found else None


class OpenLibrary:
    """The endpoints biblio reads, through a polite client."""

    def __init__(self, client: PoliteClient, base_url: str | None = None) -> None:
        self.client = client
        self.base_url = (base_url or os.environ.get(ENV_URL) or DEFAULT_URL).rstrip("/")

    def url(self, path: str) -> str:
        """The full URL of a path on the service (what provenance records)."""
        return f"{self.base_url}{path}"

    def search(self, title: str, author: str | None, limit: int = 10) -> list[SearchResult]:
        """Works matching a title (and an author's name), best first as the service ranks them."""
        params: dict[str, str | int] = {"title": title, "limit": limit, "fields": _FIELDS}
        if author:
            params["author"] = author
        url = self.url("/search.json")
        data = self.client.get_json(url, params)
        if data is None:
            raise NetworkError(f"{url}: not found")
        if not isinstance(data, dict) or not isinstance(data.get("docs"), list):
            raise NetworkError(f"{url}: not an Open Library search answer (no 'docs' list)")
        out = []
        for doc in data["docs"]:
            if not isinstance(doc, dict) or not isinstance(doc.get("key"), str):
                continue
            years = [y for y in doc.get("publish_year") or [] if isinstance(y, int)]
            title_text = str(doc.get("title") or "")
            out.append(
                SearchResult(
                    work=_ol_id(doc["key"]),
                    title=title_text,
                    authors=_strings(doc.get("author_name")),
                    first_year=_year(doc.get("first_publish_year")),
                    years=sorted(set(years)),
                    publishers=_strings(doc.get("publisher")),
                    places=_strings(doc.get("publish_place")),
                    editions=_strings(doc.get("edition_key")),
                    isbns=_strings(doc.get("isbn")),
                    subjects=_strings(doc.get("subject")),
                )
            )
        return out

    def editions(self, work: str, limit: int = 50) -> list[OLEdition]:
        """The editions of a work ("OL1W")."""
        url = self.url(f"/works/{work}/editions.json")
        data = self.client.get_json(url, {"limit": limit})
        if data is None:
            return []
        if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
            raise NetworkError(f"{url}: not an Open Library editions list (no 'entries')")
        return [_edition(entry, url) for entry in data["entries"] if isinstance(entry, dict) and "key" in entry]

    def edition_by_isbn(self, isbn: str) -> OLEdition | None:
        """The edition with this ISBN, or None when Open Library does not know it."""
        url = self.url(f"/isbn/{isbn}.json")
        data = self.client.get_json(url)
        return None if data is None else _edition(data, url)

    def work(self, work: str) -> OLWork | None:
        """A work record ("OL1W"), or None when it does not exist."""
        url = self.url(f"/works/{work}.json")
        data = self.client.get_json(url)
        if data is None:
            return None
        if not isinstance(data, dict):
            raise NetworkError(f"{url}: not an Open Library work")
        return OLWork(
            key=_ol_id(data.get("key")) or work,
            title=str(data.get("title") or ""),
            first_year=_year(data.get("first_publish_date")),
            subjects=_strings(data.get("subjects")),
        )
