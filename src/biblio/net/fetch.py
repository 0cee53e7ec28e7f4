"""Fetching one URL safely: http(s) only, timeouts, a streamed size cap, checked types, bounded redirects.

Redirects are followed by hand so that every hop is checked (scheme, loop,
count) before it is requested.  A body is read in chunks and abandoned as
soon as it passes the cap, whatever the server claims in Content-Length.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

import requests

from biblio.errors import DocumentError, NetworkError, NetworkUnavailable

__all__ = [
    "DEFAULT_TIMEOUT",
    "MAX_REDIRECTS",
    "Fetched",
    "fetch_url",
    "is_url",
    "media_type",
]

#: (connect, read) seconds: a slow server fails instead of hanging the run
DEFAULT_TIMEOUT: tuple[float, float] = (10.0, 30.0)
MAX_REDIRECTS = 5
_SCHEMES = ("http", "https")
_CHUNK = 64 * 1024


@dataclass(frozen=True)
class Fetched:
    """A response body read whole, with where it finally came from."""

    url: str
    final_url: str
    status: int
    content_type: str
    charset: str | None
    body: bytes
    #: the Retry-After header of a 429 or 503, as given
    retry_after: str | None = None


def is_url(value: str) -> bool:
    """True for an http(s) URL given where a path could be."""
    return urlsplit(value).scheme.lower() in _SCHEMES and "://" in value


def media_type(header: str | None) -> tuple[str, str | None]:
    """The media type of a Content-Type header, lower-cased, and its charset parameter."""
    if not header:
        return "", None
    kind, *params = header.split(";")
    charset = None
    for param in params:
        name, _, value = param.partition("=")
        if name.strip().lower() == "charset":
            charset = value.strip().strip('"') or None
    return kind.strip().lower(), charset


def _check_scheme(url: str) -> None:
    """Refuse anything but http and https (file:, ftp:, data: ...)."""
    scheme = urlsplit(url).scheme.lower()
    if scheme not in _SCHEMES:
        raise DocumentError(url, f"unsupported URL scheme {scheme or '(none)'!r}: only http and https")


def _read_capped(response: requests.Response, url: str, max_bytes: int) -> bytes:
    """The body, refused as soon as it passes `max_bytes` (declared or actual)."""
    declared = response.headers.get("Content-Length", "")
    if declared.isdigit() and int(declared) > max_bytes:
        raise DocumentError(url, f"document too large: {declared} bytes, limit is {max_bytes} bytes")
    chunks: list[bytes] = []
    size = 0
    for chunk in response.iter_content(_CHUNK):
        size += len(chunk)
        if size > max_bytes:
            raise DocumentError(url, f"document too large: more than {max_bytes} bytes, limit is {max_bytes} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


def _request(session: requests.Session, url: str, timeout: tuple[float, float]) -> requests.Response:
    """One GET without following redirects; transport failures become biblio errors."""
    try:
        return session.get(url, timeout=timeout, allow_redirects=False, stream=True)
    except requests.exceptions.Timeout as err:
        raise NetworkError(f"{url}: timed out ({type(err).__name__})") from err
    except requests.exceptions.ConnectionError as err:
        raise NetworkUnavailable(f"{url}: cannot connect ({_reason(err)})") from err
    except requests.exceptions.RequestException as err:
        raise NetworkError(f"{url}: {_reason(err)}") from err


def _reason(err: Exception) -> str:
    """The innermost reason of a requests/urllib3 error, without the object reprs."""
    inner: BaseException = err
    while inner.args and isinstance(inner.args[0], BaseException):
        inner = inner.args[0]
    text = str(getattr(inner, "reason", None) or inner)
    return text.split(": ", 1)[-1] if "object at 0x" in text else text


def fetch_url(
    session: requests.Session,
    url: str,
    *,
    max_bytes: int,
    accept: Collection[str] | None = None,
    timeout: tuple[float, float] = DEFAULT_TIMEOUT,
    max_redirects: int = MAX_REDIRECTS,
) -> Fetched:
    """GET a URL, following at most `max_redirects` checked redirects; statuses >= 400 are returned."""
    current = url
    seen: set[str] = set()
    for _hop in range(max_redirects + 1):
        _check_scheme(current)
        seen.add(current)
        response = _request(session, current, timeout)
        with response:
            if response.is_redirect:
                target = urljoin(current, response.headers.get("Location", ""))
                if target in seen:
                    raise DocumentError(url, f"redirect loop at {target}")
                current = target
                continue
            kind, charset = media_type(response.headers.get("Content-Type"))
            if response.status_code < 400 and accept is not None and kind not in accept:
                raise DocumentError(url, f"unsupported content type {kind or '(none)'!r}")
            try:
                body = _read_capped(response, url, max_bytes)
            except requests.exceptions.RequestException as err:
                raise NetworkError(f"{url}: {_reason(err)}") from err
            retry_after = response.headers.get("Retry-After")
            return Fetched(url, current, response.status_code, kind, charset, body, retry_after)
    raise DocumentError(url, f"more than {max_redirects} redirects")
