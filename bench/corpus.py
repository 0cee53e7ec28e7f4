"""Generated catalogs with known duplicates, for measuring deduplication.

Each generated record is an edition as a citation would give it (a CSL item)
with the key of the true edition and the true work it belongs to.  The noise
is the noise of real lists: typos in titles, initials for given names,
transliteration variants of family names, publisher name variants, dropped
articles; and the traps: distinct volumes of one title, and new editions (another
year and publisher) of one work, which must never be merged as one edition.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

__all__ = ["GeneratedRecord", "generate"]

_ONSETS = ["b", "ch", "d", "f", "g", "k", "kh", "l", "m", "n", "p", "r", "s", "sh", "t", "v", "z", "br", "gr", "st"]
_VOWELS = ["a", "e", "i", "o", "u", "ia", "ei", "ou"]
_CODAS = ["", "n", "r", "s", "v", "k", "l", "m", "sky", "off", "tz", "ine"]
_GIVEN = [
    "Anna",
    "Boris",
    "Clara",
    "David",
    "Elena",
    "Felix",
    "Greta",
    "Hugo",
    "Irina",
    "Jonas",
    "Karl",
    "Lidia",
    "Mikhail",
    "Nora",
    "Oskar",
    "Pavel",
    "Rosa",
    "Sergei",
    "Tamara",
    "Viktor",
    "Yuri",
    "Zelda",
]
_WORDS = (
    "history revolution workers peace war economy state society labour movement struggle science "
    "theory practice republic union empire nation people party council city village land bread "
    "freedom order power capital memory voices archive letters diaries essays notes reports "
    "harbour railway factory mill mine river mountain frontier border coast island steppe forest "
    "winter summer spring autumn dawn night fire iron steel cotton grain salt gold silver"
).split()
_ADJECTIVES = (
    "great short new secret forgotten long red black white green early late first last hidden "
    "northern southern eastern western modern ancient free common"
).split()
_PUBLISHERS = ["Press", "Books", "Publishers", "Publishing House", "Editions"]
_PLACES = ["London", "New York", "Moscow", "Paris", "Berlin", "Chicago", "Boston", "Madrid", "Rome", "Vienna"]
_TRANSLIT = [("ff", "v"), ("v", "ff"), ("tch", "ch"), ("ch", "tch"), ("tz", "ts"), ("y", "i"), ("ine", "in")]


@dataclass(frozen=True)
class GeneratedRecord:
    """One citation's record, with the truth about it."""

    csl: dict[str, Any]
    edition: str
    work: str


def _family(rng: random.Random) -> str:
    """A made-up family name of two or three syllables."""
    parts = [rng.choice(_ONSETS) + rng.choice(_VOWELS) for _ in range(rng.randint(2, 3))]
    return ("".join(parts) + rng.choice(_CODAS)).capitalize()


def _title(rng: random.Random) -> str:
    """A made-up title from a vocabulary of history words."""
    words = [rng.choice(_ADJECTIVES).capitalize(), rng.choice(_WORDS).capitalize()]
    shape = rng.random()
    if shape < 0.4:
        words += ["of", "the", rng.choice(_WORDS).capitalize()]
    elif shape < 0.7:
        words += ["and", rng.choice(_WORDS).capitalize(), "in", _family(rng)]
    else:
        words = ["The", *words, "of", _family(rng)]
    return " ".join(words)


def _typo(rng: random.Random, text: str) -> str:
    """Swap two neighbouring letters of a long word (a reader's slip)."""
    words = text.split()
    long = [i for i, w in enumerate(words) if len(w) > 5]
    if not long:
        return text
    i = rng.choice(long)
    w = words[i]
    j = rng.randrange(1, len(w) - 2)
    words[i] = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
    return " ".join(words)


def _vary_name(rng: random.Random, name: dict[str, str]) -> dict[str, str]:
    """The same person written another way: initials, or a transliteration variant."""
    out = dict(name)
    roll = rng.random()
    if roll < 0.5:
        out["given"] = name["given"][0] + "."
    elif roll < 0.8:
        family = name["family"].lower()
        for a, b in rng.sample(_TRANSLIT, len(_TRANSLIT)):
            if a in family[1:]:
                family = family[0] + family[1:].replace(a, b, 1)
                break
        out["family"] = family.capitalize()
    return out


def _vary(rng: random.Random, csl: dict[str, Any]) -> dict[str, Any]:
    """Another citation of the same edition, spelt differently."""
    out = dict(csl)
    roll = rng.random()
    if roll < 0.35:
        out["title"] = _typo(rng, csl["title"])
    elif roll < 0.5 and csl["title"].startswith("The "):
        out["title"] = csl["title"][4:]
    if rng.random() < 0.6:
        out["author"] = [_vary_name(rng, n) for n in csl["author"]]
    if rng.random() < 0.3:
        out["publisher"] = "The " + csl["publisher"]
    if rng.random() < 0.2:
        out.pop("number-of-pages", None)
    return out


def _edition(
    rng: random.Random, title: str, authors: list[dict[str, str]], year: int, volume: str | None = None
) -> dict[str, Any]:
    """A CSL item for one edition."""
    csl: dict[str, Any] = {
        "type": "book",
        "title": title,
        "author": authors,
        "publisher": f"{_family(rng)} {rng.choice(_PUBLISHERS)}",
        "publisher-place": rng.choice(_PLACES),
        "issued": {"date-parts": [[year]]},
        "number-of-pages": str(rng.randint(49, 900)),
    }
    if volume:
        csl["volume"] = volume
    return csl


def generate(size: int, seed: int = 1917) -> Iterator[GeneratedRecord]:
    """About `size` records: works with one or more editions, each cited one to three times."""
    rng = random.Random(seed)
    made = 0
    work_no = 0
    while made < size:
        work_no += 1
        authors = [{"family": _family(rng), "given": rng.choice(_GIVEN)} for _ in range(rng.choice((1, 1, 1, 2)))]
        title = _title(rng)
        roll = rng.random()
        if roll < 0.1:  # a multi-volume set: each volume its own work and edition
            year = rng.randint(1900, 2020)
            editions = [(f"w{work_no}v{v}", _edition(rng, title, authors, year, str(v))) for v in (1, 2, 3)]
        elif roll < 0.25:  # a work with a second edition (another year and publisher)
            editions = [
                (f"w{work_no}", _edition(rng, title, authors, rng.randint(1900, 1960))),
                (f"w{work_no}", _edition(rng, title, authors, rng.randint(1961, 2020))),
            ]
        else:
            editions = [(f"w{work_no}", _edition(rng, title, authors, rng.randint(1900, 2020)))]
        for e, (work, csl) in enumerate(editions):
            copies = rng.choice((1, 1, 2, 2, 3))
            for c in range(copies):
                if made >= size:
                    return
                record = csl if c == 0 else _vary(rng, csl)
                yield GeneratedRecord(record, f"{work}e{e}", work)
                made += 1
