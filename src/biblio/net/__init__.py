"""Talking to the network: safe fetching of one URL, and a polite, caching JSON client."""

from __future__ import annotations

from biblio.net.cache import CachedResponse, ResponseCache, default_cache_path
from biblio.net.client import ClientSettings, PoliteClient, user_agent
from biblio.net.fetch import Fetched, fetch_url, is_url, media_type

__all__ = [
    "CachedResponse",
    "ClientSettings",
    "Fetched",
    "PoliteClient",
    "ResponseCache",
    "default_cache_path",
    "fetch_url",
    "is_url",
    "media_type",
    "user_agent",
]
