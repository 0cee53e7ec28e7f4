"""Person authority: which name forms stand for the same person.

"WP Doe" and "W. P. Doe"; "I Rabinovitz" and "II Rabinovits"; "Rosenthall" and
"Rosenthal"; "Ruíz" and "Ruiz"; "Tchernov" and "Chernov".  Family
names are transliterated (anyascii), spelling variants of transliteration are
folded into a consonant skeleton that serves as the blocking key, and within
a block two forms are one person when their family names are close
(rapidfuzz) and their given names are compatible (initials agree with full
names; "W. P." is never "Jane").
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from functools import lru_cache, partial
from operator import methodcaller

from rapidfuzz import fuzz

from biblio.resolve.keys import fold_text
from biblio.resolve.pause import collector_paused

__all__ = ["NameForm", "cluster_names", "family_skeleton", "given_compatible", "given_parts"]

# spelling variants of transliteration, applied to folded family names
_TRANSLIT = [
    (r"tsch|tch", "ch"),
    (r"sch", "sh"),
    (r"([oe])ff$", r"\1v"),
    (r"w", "v"),
    (r"tz", "ts"),
    (r"ks", "x"),
    (r"kh", "h"),
    (r"y", "i"),
    (r"j", "i"),
    (r"ph", "f"),
    (r"ck", "k"),
    (r"ine$", "in"),
    (r"(.)\1", r"\1"),
    (r"ie", "i"),
]
# each rule with a piece of text it cannot match without (None: always tried), to skip the regex cheaply
_TRIGGERS = ["ch", "sch", "ff", "w", "tz", "ks", "kh", "y", "j", "ph", "ck", "ine", None, "ie"]


def _rule(pattern: str, repl: str) -> Callable[[str], str]:
    """A rule as a function of the text: `str.replace` for a literal pattern (the same result, ten times
    faster: every distinct family name of a catalog goes through all the rules), else the pattern."""
    if re.escape(pattern) == pattern:
        return methodcaller("replace", pattern, repl)
    return partial(re.compile(pattern).sub, repl)


_TRANSLIT_RULES = [(_rule(p, repl), trigger) for (p, repl), trigger in zip(_TRANSLIT, _TRIGGERS, strict=True)]
FAMILY_MIN = 80
_VOWELS = re.compile(r"[aeiou]+")
_GIVEN_SPLIT = re.compile(r"[\s.\-]+")  # rapidfuzz ratio of normalised family names


@dataclass(frozen=True)
class NameForm:
    """One distinct way a name was written."""

    family: str = ""
    given: str = ""
    literal: str = ""


@lru_cache(maxsize=1 << 20)  # a million-record catalog has hundreds of thousands of family names
def normalise_family(family: str) -> str:
    """Folded family name with transliteration variants unified ("Tchernov" -> "chernov")."""
    text = fold_text(family).replace(" ", "")
    for rule, trigger in _TRANSLIT_RULES:
        if trigger is None or trigger in text:
            text = rule(text)
    return text


@lru_cache(maxsize=1 << 20)
def family_skeleton(family: str) -> str:
    """Blocking key: the first letter and the consonants of the normalised family name."""
    norm = normalise_family(family)
    if not norm:
        return ""
    return norm[0] + _VOWELS.sub("", norm[1:])


def given_parts(given: str) -> list[str]:
    """Given names as folded parts: "W. P." -> ["w", "p"], "Jane K." -> ["jane", "k"]."""
    return list(_given_parts(given))


@lru_cache(maxsize=65536)
def _given_parts(given: str) -> tuple[str, ...]:
    """`given_parts`, cached: the same given names recur across a catalog."""
    parts: list[str] = []
    for token in _GIVEN_SPLIT.split(given.strip()):
        if not token:
            continue
        # "WP" written without dots is two initials
        if token.isupper() and 1 < len(token) <= 3:
            parts.extend(fold_text(c) for c in token)
        else:
            parts.append(fold_text(token))
    return tuple(p for p in parts if p)


def _part_compatible(a: str, b: str) -> bool:
    """An initial matches a name that starts with it; two full names must be close."""
    if len(a) == 1 or len(b) == 1:
        return a[0] == b[0]
    return a == b or fuzz.ratio(a, b) >= 85


def given_compatible(a: str, b: str) -> bool:
    """True when two given-name strings can belong to one person ("W. P." ~ "WP" ~ "William P.")."""
    pa, pb = given_parts(a), given_parts(b)
    if not pa or not pb:
        return True
    return all(_part_compatible(x, y) for x, y in zip(pa, pb, strict=False))


def same_family(a: str, b: str) -> bool:
    """True when two family names are spellings of one name."""
    na, nb = normalise_family(a), normalise_family(b)
    return na == nb or (min(len(na), len(nb)) >= 4 and fuzz.ratio(na, nb) >= FAMILY_MIN)


def _fits(form: NameForm, cluster: list[NameForm]) -> bool:
    """A form joins a cluster when it is compatible with every member."""
    return all(same_family(form.family, m.family) and given_compatible(form.given, m.given) for m in cluster)


def cluster_names(forms: Sequence[NameForm], owners: Sequence[int] | None = None) -> list[list[int]]:
    """Group name forms (by index) into persons.

    Blocked by family skeleton; within a block, fuller given names are placed
    first so that initials join the full name they abbreviate, and a form with
    no given name joins only when its block holds exactly one person.
    `owners` says which forms are already known to be one person (the forms
    of one authority record, "K. Marlowe" and "A. B. Marlowe"): they stay together.
    """
    clusters: list[list[int]] = []
    blocks: dict[str, list[int]] = {}
    with collector_paused():
        for i, form in enumerate(forms):
            key = "org:" + fold_text(form.literal) if form.literal else "p:" + family_skeleton(form.family)
            blocks.setdefault(key, []).append(i)
        for key, members in blocks.items():
            clusters.extend(_cluster_block(forms, key, members, owners))
    return clusters


def _join_owned(local: list[list[int]], owners: Sequence[int]) -> list[list[int]]:
    """Join the clusters that hold forms of one known person."""
    home: dict[int, list[int]] = {}
    out: list[list[int]] = []
    for cluster in local:
        target = next((home[owners[i]] for i in cluster if owners[i] in home), None)
        if target is None:
            target = cluster
            out.append(cluster)
        else:
            target.extend(cluster)
        for i in cluster:
            home.setdefault(owners[i], target)
    return out


def _cluster_block(
    forms: Sequence[NameForm], key: str, members: list[int], owners: Sequence[int] | None = None
) -> list[list[int]]:
    """The persons of one block (one family skeleton).

    Forms are compared only with forms whose given names start with the same
    letter (they cannot be compatible otherwise), so a common family name does
    not make the work grow with the square of its forms.
    """
    if len(members) == 1 or key.startswith("org:"):  # a form alone is its own person (half the blocks)
        return [members]
    by_initial: dict[str, list[int]] = {}
    for i in members:
        parts = given_parts(forms[i].given)
        by_initial.setdefault(parts[0][0] if parts else "", []).append(i)
    local: list[list[int]] = []
    for initial, group in sorted(by_initial.items()):
        if initial:
            local.extend(_cluster_given(forms, group))
    if owners is not None:
        local = _join_owned(local, owners)
    for i in by_initial.get("", []):
        fitting = [c for c in local if same_family(forms[i].family, forms[c[0]].family)]
        if len(fitting) == 1:
            fitting[0].append(i)
        else:
            local.append([i])
    # bare forms that found no home but share a family with each other: one person
    merged: list[list[int]] = []
    for c in local:
        if all(not forms[i].given for i in c):
            home = next(
                (
                    m
                    for m in merged
                    if all(not forms[j].given for j in m) and same_family(forms[c[0]].family, forms[m[0]].family)
                ),
                None,
            )
            if home is not None:
                home.extend(c)
                continue
        merged.append(c)
    return [sorted(c) for c in merged]


def _cluster_given(forms: Sequence[NameForm], members: list[int]) -> list[list[int]]:
    """Forms with given names sharing an initial: fuller names first, initials join them."""
    order = sorted(members, key=lambda i: (-len(given_parts(forms[i].given)), -len(forms[i].given), i))
    local: list[list[int]] = []
    for i in order:
        homes = [c for c in local if _fits(forms[i], [forms[j] for j in c])]
        if len(homes) == 1:
            homes[0].append(i)
        else:  # a new name, or initials that fit two people ("J." for John and Jane)
            local.append([i])
    return local
