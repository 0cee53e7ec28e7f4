"""Normalised keys: folded, transliterated forms used to block and compare records."""

from __future__ import annotations

import hashlib
import re
import string
import unicodedata
from functools import lru_cache
from typing import Any

from anyascii import anyascii

__all__ = ["fold_text", "name_form", "person_key", "strip_article", "title_key"]

_APOSTROPHES = re.compile(r"['’`]")
_NON_ALNUM = re.compile(r"[^a-z0-9]+")
_ARTICLES = re.compile(r"^(?:the|a|an|la|le|les|l|el|los|las|il|der|die|das)\s+")


def fold_text(text: str | None) -> str:
    """ASCII, lower case, punctuation as spaces, one space between words."""
    if not text:
        return ""
    return _fold(text)


#: ASCII folding as one byte table: A-Z to a-z, a-z and 0-9 kept, every other byte a space
_KEPT = (string.ascii_lowercase + string.digits).encode()
_ASCII_FOLD = bytes(c + 32 if 65 <= c <= 90 else c if c in _KEPT else 32 for c in range(256))


@lru_cache(maxsize=1 << 16)
def _fold(text: str) -> str:
    """`fold_text` of a non-empty text, cached: names, publishers and places recur throughout a catalog."""
    if not text.isascii():  # NFKC and transliteration leave ASCII as it is: skip them for most text
        text = anyascii(unicodedata.normalize("NFKC", text))
        if not text.isascii():  # anyascii answers in ASCII; should it not, the patterns still fold
            return " ".join(_NON_ALNUM.sub(" ", _APOSTROPHES.sub("", text.lower())).split())
    # the patterns' work as one C pass (apostrophes dropped, the rest mapped): three times faster
    return " ".join(text.encode("ascii").translate(_ASCII_FOLD, b"'`").decode("ascii").split())


#: The longest key kept whole.  Keys are indexed, and an index entry must fit a database page
#: (PostgreSQL refuses entries over about 2,700 bytes); a longer key keeps its start and a digest.
KEY_LIMIT = 400


def bounded(key: str) -> str:
    """A key short enough for any index, still distinct from every other key."""
    if len(key) <= KEY_LIMIT:
        return key
    return key[: KEY_LIMIT - 17] + "#" + hashlib.sha1(key.encode("utf-8")).hexdigest()[:16]


def title_key(title: str | None) -> str:
    """A title folded and without a leading article ("The X" and "X" agree)."""
    return bounded(strip_article(fold_text(title)))


def strip_article(folded: str) -> str:
    """A folded title without its leading article."""
    return _ARTICLES.sub("", folded)


def person_key(name: dict[str, Any]) -> str:
    """The exact identity of a name form: folded family, given and literal."""
    if name.get("literal"):
        return bounded("org:" + fold_text(name["literal"]))
    return bounded(f"{fold_text(name.get('family'))}|{fold_text(name.get('given'))}")


def name_form(name: dict[str, Any]) -> str:
    """A name as one display string, "Family, Given" or the literal."""
    if name.get("literal"):
        return bounded(str(name["literal"]))
    family, given = name.get("family") or "", name.get("given") or ""
    return bounded(f"{family}, {given}" if given else family)
