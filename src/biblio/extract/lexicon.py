"""General knowledge of publishing: places, publisher words, given names, role words.

These are open-ended lists of the kind a cataloguer carries in their head:
publishing cities and countries, words that mark a publishing house, and a
lexicon of given names (from the gender-guesser package's name dictionary).
Nothing here comes from a particular document.
"""

from __future__ import annotations

import contextlib
import importlib.util
import os
import re
import unicodedata
import zlib
from bisect import bisect_left
from collections.abc import Iterable, Iterator
from functools import lru_cache
from importlib.resources import files
from importlib.resources.abc import Traversable
from itertools import islice
from pathlib import Path

from rapidfuzz import fuzz, process

from biblio.extract.memo import bounded_cache

__all__ = [
    "PUBLISHER_WORDS",
    "fold",
    "is_given_name",
    "is_known_place",
    "is_place",
    "is_region",
    "looks_like_publisher",
]

_CITIES = """
aberdeen accra adelaide albany algiers amsterdam ann arbor ankara antwerp athens atlanta
auckland austin baltimore bangalore bangkok barcelona basel beijing beirut belfast belgrade
berkeley berlin bern berne bilbao birmingham bogota bologna bombay bonn bordeaux boston
boulder bratislava bremen brighton brisbane bristol brooklyn brussels bucharest budapest
buenos aires cairo calcutta cambridge canberra cape town caracas cardiff chapel hill
chennai chicago cleveland cologne copenhagen cork colombo dakar dallas damascus delhi denver
detroit dhaka dublin durham dusseldorf edinburgh evanston florence frankfurt geneva genoa
glasgow gothenburg guangzhou halle hamburg hanoi hanover harare havana helsinki hong kong
honolulu houston hyderabad istanbul ithaca jakarta jerusalem johannesburg kabul karachi
kathmandu kiev kyiv kingston kolkata krakow kuala lumpur la paz lagos lahore lausanne leeds
leicester leiden leipzig leningrad lima lisbon liverpool ljubljana london los angeles lyon
madison madras madrid managua manchester manila marseille melbourne mexico city milan
minneapolis minsk montevideo montreal moscow mumbai munich nagoya nairobi nanjing naples
nashville new delhi new haven new orleans new york newcastle nicosia norwich nottingham
oakland odessa osaka oslo ottawa oxford palo alto paris peking petrograd philadelphia
pittsburgh prague pretoria princeton pyongyang quebec quito rangoon reykjavik riga
rio de janeiro riyadh rome rotterdam saigon san francisco santiago sao paulo sarajevo
seattle seoul shanghai sheffield singapore sofia st louis st paul st petersburg
stanford stockholm strasbourg stuttgart sydney taipei tallinn tashkent tbilisi tehran
tel aviv the hague tirana tokyo toronto toulouse trieste tunis turin ulan bator urbana
uppsala utrecht valencia vancouver venice vienna vilnius warsaw washington wellington
york zagreb zurich bloomington cleveland ohio columbus cincinnati
"""
_COUNTRIES = """
afghanistan albania algeria angola argentina armenia australia austria azerbaijan bangladesh
belarus belgium bolivia brazil bulgaria burma cambodia canada chile china colombia cuba
czechoslovakia czech republic denmark ecuador egypt england estonia ethiopia finland france
georgia germany ghana greece guatemala hungary iceland india indonesia iran iraq ireland
israel italy jamaica japan jordan kenya korea laos latvia lebanon lithuania luxembourg
malaysia mexico mongolia morocco mozambique nepal netherlands new zealand nicaragua nigeria
north korea norway pakistan palestine peru philippines poland portugal romania russia
scotland serbia singapore slovakia slovenia south africa spain sri lanka sudan sweden
switzerland syria taiwan tanzania thailand tunisia turkey uganda ukraine usa uk ussr
uruguay venezuela vietnam wales yugoslavia zambia zimbabwe
alabama alaska arizona arkansas california colorado connecticut delaware florida hawaii
idaho illinois indiana iowa kansas kentucky louisiana maine maryland massachusetts
michigan minnesota mississippi missouri montana nebraska nevada new jersey new mexico
north carolina north dakota oklahoma oregon pennsylvania rhode island south carolina
south dakota tennessee texas utah vermont virginia wisconsin wyoming
"""
_MULTI = re.compile(
    r"\b(ann arbor|buenos aires|cape town|chapel hill|hong kong|kuala lumpur|la paz|"
    r"los angeles|mexico city|new delhi|new haven|new orleans|new york|palo alto|"
    r"rio de janeiro|san francisco|sao paulo|st louis|st paul|st petersburg|tel aviv|"
    r"the hague|ulan bator|czech republic|new zealand|north korea|south africa|sri lanka|"
    r"new jersey|new mexico|north carolina|north dakota|rhode island|south carolina|"
    r"south dakota)\b"
)


def _phrases(block: str) -> frozenset[str]:
    """The place names of a whitespace block, keeping the known multi-word names whole."""
    multi = set(_MULTI.findall(block))
    rest = _MULTI.sub(" ", block)
    return frozenset(multi | set(rest.split()))


PLACES: frozenset[str] = _phrases(_CITIES) | _phrases(_COUNTRIES)
#: postal and traditional abbreviations of US states and Canadian provinces, folded
_STATE_ABBREVIATIONS = frozenset(
    """al ala ak ariz az ark ar calif ca colo co conn ct del de fla fl ga hi ida id ill il ind in
    ia kans ks ky la me md mass ma mich mi minn mn miss ms mo mont mt nebr ne nev nv nh nj nm ny
    nc nd okla ok ore or pa ri sc sd tenn tn tex tx ut vt va wash wa wva wv wis wi wyo wy dc
    ont bc qc ns nb""".split()
)
REGIONS: frozenset[str] = _phrases(_COUNTRIES) | _STATE_ABBREVIATIONS
#: Words that mark a publishing house (in any of the languages lists are written in).
PUBLISHER_WORDS = frozenset(
    """press books publishers publisher publishing publications house verlag editions
    éditions edizioni ediciones editorial editora editorial editrice libros livres
    classics library bookshop imprint media co company ltd inc llc limited sons
    printers printing distributors""".split()
)
_PLACE_LIST = sorted(PLACES)


_PUNCTUATION = re.compile(r"[^\w\s]")


@bounded_cache(1 << 16)
def fold(text: str) -> str:
    """Lower-case, accent-free, punctuation-free form for look-ups."""
    if text.isascii():
        text = text.lower()
        if text.replace(" ", "").isalnum():  # letters, digits and spaces: no punctuation to drop
            return text if "  " not in text and text[:1] != " " and text[-1:] != " " else " ".join(text.split())
    else:
        text = unicodedata.normalize("NFKD", text)
        text = "".join(c for c in text if not unicodedata.combining(c)).lower()
    return " ".join(_PUNCTUATION.sub(" ", text).split())


@bounded_cache(1 << 15)
def is_place(text: str, fuzzy: bool = True) -> bool:
    """True when `text` names a publishing place ("London", "New York, NY", "Philadelpia").

    Misspelt or shortened names ("Philadelpia", "Ann Arbour") count when they are
    close to a known place; the fuzzy test is kept to single capitalised words.
    """
    key = fold(text)
    if not key or len(key) > 40:
        return False
    if key in PLACES or (key.replace(" ", "") in _STATE_ABBREVIATIONS and text[:1].isupper() and len(text) <= 6):
        return True
    # "Boston, MA", "Cambridge, Mass."
    head = key.split(" ")
    if len(head) >= 2 and " ".join(head[:-1]) in PLACES and len(head[-1]) <= 5:
        return True
    if not fuzzy or not text[:1].isupper() or len(head) > 2 or len(key) < 5:
        return False
    found = process.extractOne(key, _PLACE_LIST, scorer=fuzz.ratio, score_cutoff=82)
    if found is None:
        return _is_clipped_place(key)
    return True


@bounded_cache(1 << 15)
def is_known_place(text: str) -> bool:
    """`is_place(text, fuzzy=False)` under a one-argument key (a keyword argument makes
    the cache build and hash a tuple on every call)."""
    return is_place.__wrapped__(text, fuzzy=False)


def _is_clipped_place(key: str) -> bool:
    """A clipped name: "Evanst" for "Evanston" (at least 70% of a place it begins)."""
    # the places beginning with `key` stand together in the sorted list, from its insertion point
    for place in islice(_PLACE_LIST, bisect_left(_PLACE_LIST, key), None):
        if not place.startswith(key):
            return False
        if len(key) >= 0.7 * len(place):
            return True
    return False


def is_region(text: str) -> bool:
    """True for a country or state ("Germany", "Ohio", "Mass.", "NY"), which may follow a city."""
    return fold(text) in REGIONS or fold(text).replace(" ", "") in _STATE_ABBREVIATIONS


@bounded_cache(1 << 16)
def looks_like_publisher(text: str) -> bool:
    """True when a segment reads as a publishing house ("Smith and Elder" is not caught)."""
    return not PUBLISHER_WORDS.isdisjoint(fold(text).split())


#: words the name dictionary lists as names that are far more often something else
_NOT_GIVEN = frozenset("the of and la le les el los las de der die das du van von".split())


#: Latin-1 letters to their base letters: the name dictionary is Latin-1 text
_LATIN1_BASE = {i: unicodedata.normalize("NFKD", chr(i))[0] for i in range(0xC0, 0x100) if chr(i).isalpha()}


class NameIndex:
    """Membership in a word list, one small set per two-letter prefix, each built when first asked.

    Extraction asks about a few dozen to a few thousand given names; building the
    whole dictionary's set (37,000 names) cost 5 ms, an eighth of extracting a
    thousand entries.  A prefix's set is its names' line of the cache file.
    """

    def __init__(self, names: Iterable[str]) -> None:
        lines: dict[str, list[str]] = {}
        for name in sorted(set(names)):
            if len(name) > 1:
                lines.setdefault(name[:2], []).append(name)
        self._lines: dict[str, str | bytes] = {prefix: " ".join(words) for prefix, words in lines.items()}
        self._sets: dict[str, frozenset[str]] = {}

    @classmethod
    def from_bytes(cls, data: bytes) -> NameIndex:
        """An index from `to_bytes`, each prefix's line left undecoded until a name is asked.

        Decoding the whole file and splitting it into lines cost more than reading it
        (0.4 ms of the first document); a tab-separated first line names the prefixes.
        Raises ValueError when the lines do not match the prefixes, or for no data at all
        (a damaged file: the cache is never written empty).
        """
        if not data:
            raise ValueError("an empty name index")
        head, _, body = data.partition(b"\n")
        prefixes = head.decode("utf-8").split("\t")
        lines = body.split(b"\n")
        if len(prefixes) != len(lines) or len(set(prefixes)) != len(prefixes):
            raise ValueError("a damaged name index")
        index = cls(())
        index._lines = dict(zip(prefixes, lines, strict=True))
        return index

    def to_bytes(self) -> bytes:
        """The index as `from_bytes` reads it (names hold no white space, as the dictionary's)."""
        head = "\t".join(self._lines).encode("utf-8")
        return b"\n".join([head, *(_decoded(line).encode("utf-8") for line in self._lines.values())])

    def __contains__(self, key: object) -> bool:
        if not isinstance(key, str):
            return False
        prefix = key[:2]
        names = self._sets.get(prefix)
        if names is None:
            line = self._lines.get(prefix)
            names = self._sets[prefix] = frozenset(_decoded(line).split(" ")) if line else frozenset()
        return key in names

    def __iter__(self) -> Iterator[str]:
        for line in self._lines.values():
            yield from _decoded(line).split(" ")


def _decoded(line: str | bytes) -> str:
    """A line of names as text (`NameIndex.from_bytes` keeps them as UTF-8 until asked)."""
    return line.decode("utf-8") if isinstance(line, bytes) else line


@lru_cache(maxsize=1)
def _given_names() -> NameIndex:
    """The given names of gender-guesser's dictionary, folded (loaded once, lazily).

    The folded list is kept in the user's cache folder: reading it back costs a
    fraction of a millisecond, parsing the 4 MB dictionary a hundred.
    """
    source, cache = _given_names_files()
    try:
        return NameIndex.from_bytes(cache.read_bytes())
    except (OSError, ValueError):  # none yet, or damaged (UnicodeDecodeError is a ValueError)
        pass
    index = NameIndex(_parse_dictionary(source.read_bytes()))
    tmp = cache.with_suffix(f".{os.getpid()}.tmp")
    try:
        cache.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_bytes(index.to_bytes())
        tmp.replace(cache)
    except OSError:  # a read-only or full home: parse again next time, leaving no partial file
        with contextlib.suppress(OSError):
            tmp.unlink(missing_ok=True)
    return index


def _given_names_files() -> tuple[Path | Traversable, Path]:
    """gender-guesser's dictionary, and the cache file of its folded names."""
    source = _dictionary()
    # the cache's name needs only the size and the first 64 KiB: reading all 4 MB took
    # longer than reading the cache back
    with source.open("rb") as fh:
        head = fh.read(65536)
        size = fh.seek(0, os.SEEK_END)
    return source, _cache_dir() / f"given-names-indexed-{size}-{zlib.crc32(head)}.txt"


def _given_names_rebuilt() -> NameIndex:
    """The given names read again from the dictionary, the cache file written anew.

    A line of the cache is decoded only when a name with its prefix is asked: a file
    damaged inside a line shows only then, in the middle of an extraction.
    """
    with contextlib.suppress(OSError):
        _given_names_files()[1].unlink(missing_ok=True)
    _given_names.cache_clear()
    return _given_names()


def _parse_dictionary(data: bytes) -> frozenset[str]:
    """The folded given names of gender-guesser's dictionary file (Latin-1 text)."""
    names = re.findall(rb"^[MF?1][MF ]?\s+([^\s+]{2,})", data, re.MULTILINE)
    return frozenset(n.decode("iso-8859-1").lower().translate(_LATIN1_BASE) for n in names)


def _dictionary() -> Path | Traversable:
    """gender-guesser's name dictionary: a plain file where the package is a folder.

    `importlib.resources.files` would first import its zip reader (about 2 ms, a twentieth
    of extracting a thousand entries); the package's folder needs no reader.
    """
    spec = importlib.util.find_spec("gender_guesser")
    folder = spec.submodule_search_locations if spec is not None else None
    if folder:
        path = Path(next(iter(folder))) / "data" / "nam_dict.txt"
        if path.is_file():
            return path
    return files("gender_guesser").joinpath("data/nam_dict.txt")


def _cache_dir() -> Path:
    """Where biblio keeps derived data ($XDG_CACHE_HOME/biblio, else ~/.cache/biblio)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "biblio"


@bounded_cache(1 << 16)
def is_given_name(token: str) -> bool:
    """True when `token` is a known given name in some language ("Ingrid", "Sunita")."""
    key = fold(token)
    if len(key) < 2 or key in _NOT_GIVEN:
        return False
    try:
        return key in _given_names()
    except UnicodeDecodeError:  # the cache file is damaged: read the dictionary again
        return key in _given_names_rebuilt()
