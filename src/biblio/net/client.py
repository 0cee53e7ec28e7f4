"""The polite client: who we are, how fast we ask, how we retry, and what we remember.

Every request names biblio and a contact address in its User-Agent, waits
for the rate limit (one request a second by default), retries 429 and 5xx
with exponential backoff or the server's Retry-After, and stores answers
in a `ResponseCache` so that asking twice costs one request.  Offline, only
the cache answers.  The `requests.Session`, the clock and the sleep are
injectable so tests run against a real local server without waiting.
"""

from __future__ import annotations

import json
import os
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from importlib.metadata import PackageNotFoundError, version
from typing import Any
from urllib.parse import urlencode

import requests

from biblio.errors import DocumentError, NetworkError
from biblio.net.cache import CachedResponse, ResponseCache
from biblio.net.fetch import DEFAULT_TIMEOUT, fetch_url

__all__ = ["ENV_CONTACT", "ClientSettings", "PoliteClient", "user_agent"]

ENV_CONTACT = "BIBLIO_CONTACT"
_RETRIED = frozenset({429, 500, 502, 503, 504})
_JSON_MAX_BYTES = 5 * 1024 * 1024


def user_agent(contact: str | None = None) -> str:
    """ "biblio/0.1.0 (+contact)": services ask to know who is calling and how to reach them."""
    try:
        own = version("biblio")
    except PackageNotFoundError:  # running from a source tree
        own = "0"
    contact = contact or os.environ.get(ENV_CONTACT) or "https://github.com/biblio"
    return f"biblio/{own} (+{contact})"


@dataclass
class ClientSettings:
    """How a client behaves; the defaults are the polite ones."""

    contact: str | None = None
    #: seconds between two requests to the service
    min_interval: float = 1.0
    retries: int = 3
    #: first backoff in seconds, doubled each retry (when no Retry-After is given)
    backoff: float = 1.0
    #: a Retry-After longer than this is not waited for: the request fails
    max_wait: float = 120.0
    timeout: tuple[float, float] = DEFAULT_TIMEOUT
    offline: bool = False


@dataclass
class PoliteClient:
    """GETs JSON from one service, politely and through the cache."""

    settings: ClientSettings = field(default_factory=ClientSettings)
    cache: ResponseCache | None = None
    session: requests.Session | None = None
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    #: requests actually sent (not served from the cache)
    sent: int = 0
    _last: float | None = None

    def __post_init__(self) -> None:
        if self.session is None:
            self.session = requests.Session()
        self.session.headers["User-Agent"] = user_agent(self.settings.contact)
        self.session.headers["Accept"] = "application/json"

    def get_json(self, url: str, params: Mapping[str, str | int] | None = None) -> Any | None:
        """The decoded JSON at a URL, or None for a 404; other failures raise NetworkError."""
        full = f"{url}?{urlencode(sorted(params.items()))}" if params else url
        answer = self.cache.get(full) if self.cache else None
        if answer is None:
            if self.settings.offline:
                raise NetworkError(f"{full}: not in the response cache (offline)")
            answer = self._fetch(full)
        if answer.status == 404:
            return None
        try:
            return json.loads(answer.body)
        except (UnicodeDecodeError, json.JSONDecodeError) as err:
            raise NetworkError(f"{full}: malformed JSON ({err})") from err

    def _fetch(self, url: str) -> CachedResponse:
        """Send the request (waiting and retrying as needed); cache a 200 or a 404."""
        assert self.session is not None
        attempt = 0
        while True:
            self._wait_turn()
            try:
                response = fetch_url(self.session, url, max_bytes=_JSON_MAX_BYTES, timeout=self.settings.timeout)
            except DocumentError as err:  # a redirect loop, an oversized answer: this request failed
                raise NetworkError(str(err)) from err
            self.sent += 1
            if response.status in (200, 404):
                try:
                    json.loads(response.body) if response.status == 200 else None
                except (UnicodeDecodeError, json.JSONDecodeError):
                    # a broken answer is not remembered: the next run asks again
                    return CachedResponse(url, response.status, response.content_type, response.body, "")
                if self.cache is None:
                    return CachedResponse(url, response.status, response.content_type, response.body, "")
                return self.cache.put(url, response.status, response.content_type, response.body)
            if response.status not in _RETRIED or attempt >= self.settings.retries:
                raise NetworkError(f"{url}: HTTP {response.status}")
            delay = self._retry_delay(response.retry_after, attempt)
            if delay > self.settings.max_wait:
                raise NetworkError(f"{url}: HTTP {response.status}, asked to wait {delay:.0f} s")
            self.sleep(delay)
            attempt += 1

    def _retry_delay(self, retry_after: str | None, attempt: int) -> float:
        """Seconds before the next attempt: the server's Retry-After, else exponential backoff."""
        if retry_after:
            value = retry_after.strip()
            if value.isdigit():
                return float(value)
            try:
                when = parsedate_to_datetime(value)
            except (TypeError, ValueError):
                when = None
            if when is not None:
                return max(0.0, (when - datetime.now(UTC)).total_seconds())
        return float(self.settings.backoff * (2**attempt))

    def _wait_turn(self) -> None:
        """Sleep until `min_interval` has passed since the previous request."""
        now = self.clock()
        if self._last is not None:
            gap = self._last + self.settings.min_interval - now
            if gap > 0:
                self.sleep(gap)
                now += gap
        self._last = now
