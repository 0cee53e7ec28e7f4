"""Citation keys in Better BibTeX's default manner: `doe1950long`.

The first author's (or editor's) family name, lower-cased and in ASCII, the
year, and the first significant word of the title; "a", "b", "c" on
collisions.  Keys are stored in the catalog and never change between exports.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterable
from typing import Any

from biblio.model import ROLES
from biblio.resolve.keys import fold_text

__all__ = ["SAFE_KEY", "base_key", "unique_key"]

#: a key that is safe to write in any of the three formats: letters (any script), digits and _:.+/-;
#: no space, brace, comma, quote, percent sign or backslash
SAFE_KEY = re.compile(r"[^\W_][\w:.+/-]{0,99}")
_SKIP = frozenset(
    "a an the of on in at to and or for from with by as la le les el los las de del der die das un une".split()
)


def base_key(csl: dict[str, Any]) -> str:
    """The key before collision suffixes ("doe1950long", "anon1950harbour")."""
    name = next((n for role in ROLES for n in csl.get(role) or []), None)
    who = fold_text((name or {}).get("family") or (name or {}).get("literal") or "").split()
    head = (who[0] if who and (name or {}).get("family") else "".join(who[:2])) if who else "anon"
    year = ""
    with contextlib.suppress(KeyError, IndexError, TypeError):
        year = str(csl["issued"]["date-parts"][0][0])
    words = [w for w in fold_text(csl.get("title")).split() if w not in _SKIP and not w.isdigit()]
    return re.sub(r"[^a-z0-9]", "", f"{head}{year}{words[0] if words else ''}") or "item"


def unique_key(csl: dict[str, Any], taken: Iterable[str] | set[str]) -> str:
    """A key not in `taken`: the base key, else with a, b, ... z, aa, ab ..."""
    used = taken if isinstance(taken, set) else set(taken)
    base = base_key(csl)
    if base not in used:
        return base
    n = 0
    while True:
        suffix, k = "", n
        while True:
            suffix = chr(ord("a") + k % 26) + suffix
            k = k // 26 - 1
            if k < 0:
                break
        if base + suffix not in used:
            return base + suffix
        n += 1
