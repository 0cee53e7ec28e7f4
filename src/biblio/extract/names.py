"""Personal and corporate names: "WP and Jane Doe" -> two CSL name objects.

Name parsing is shared by every recognizer.  It knows general conventions only:
initials written without dots ("WP" is "W. P."), particles ("van", "de la"),
Spanish double surnames, East Asian family-name-first order for common family
names, and the words that mark an organisation rather than a person.
"""

from __future__ import annotations

import re
import unicodedata
from typing import Any

from biblio.extract.lexicon import is_given_name
from biblio.extract.memo import bounded_cache

__all__ = [
    "is_organisation",
    "looks_like_person",
    "name_parts",
    "name_variants",
    "parse_inverted_name",
    "parse_name",
    "parse_names",
    "split_names",
]

Name = dict[str, Any]

PARTICLES = frozenset(
    "van von der den de del della di da dos das du la le ten ter vom zu af av bin ibn al el st".split()
)
#: Words that make a name an organisation (general knowledge of corporate names).
ORG_WORDS = frozenset(
    """academy agency association board bureau centre center club collective college
    commission committee community company congress co-operative cooperative
    corporation council department editorial editors federation foundation friends
    group institute institution league library ministry movement museum office
    organisation organization party press publishers publishing review school
    society staff trust union university workers ltd inc co government
    comrades anonymous nations bank watch international alliance coalition network
    fund forum project initiative service services commission church""".split()
)
#: Common family names written first (Vietnamese, Chinese, Korean): general knowledge.
FAMILY_FIRST = frozenset(
    """nguyen ngo tran le pham hoang huynh phan vu vo dang bui do ho duong ly
    mao zhou deng liu wang li zhang chen yang zhao huang wu xu sun zhu hu guo
    lin he gao ma luo kim lee park choi jung kang cho yoon jang lim""".split()
)
#: family names written first that are also common Western given names: family-first only
#: when the rest is clearly a romanised given name ("Kim Il-sung"), not "Lee Child"
_WESTERN_TOO = frozenset("lee kim park ma do li lim cho kang jung jang".split())
_SUFFIXES = frozenset("jr jr. sr sr. ii iii iv".split())
_INITIALS = re.compile(r"^(?:[A-Z]\.?){1,3}$")
_DOTTED = re.compile(r"^(?:[A-Z]\.)+[A-Z]?\.?$|^(?:[A-Z]\.-?)+$")
# starts only at the start of a space run and stops at the next "(": a line of "((((" or of
# spaces would otherwise be rescanned from every position (quadratic)
_PAREN = re.compile(r"(?<!\s)\s*\(([^()]*)\)")
_LEADING_ARTICLE = re.compile(r"^(?:the|la|le|les|el|die|der)\s+")
_ARTICLE_INITIALS = frozenset("tled")
_AND = re.compile(r"\s+(?:and|&)\s+|\s*&\s*")
_SPANISH = re.compile(r"(?:[aeiou]z|[áéíóúñ])", re.IGNORECASE)
_SYLLABLES = re.compile(r"[A-Z][a-z]+-[a-z]+")
_GIVEN_SPLIT = re.compile(r"(?<=\.)(?=[A-Z])|\s+")
_SPACED_AND = re.compile(r"\s(?:and|&)\s")


@bounded_cache(1 << 16)
def _fold(text: str) -> str:
    """Lower-case ASCII form of a word, for list look-ups."""
    if text.isascii():
        return text.lower()
    text = unicodedata.normalize("NFKD", text)
    return "".join(c for c in text if not unicodedata.combining(c)).lower()


def has_digit(text: str) -> bool:
    """Whether any character is a digit (`str.isdigit`); ASCII text answered by a pattern."""
    if text.isascii():
        return _ASCII_DIGIT.search(text) is not None
    return any(ch.isdigit() for ch in text)


_ASCII_DIGIT = re.compile(r"[0-9]")


@bounded_cache(1 << 14)
def is_initials(token: str) -> bool:
    """True for "WP", "W.P.", "J.", "D": initials, with or without dots."""
    return bool(_INITIALS.match(token) or _DOTTED.match(token))


@bounded_cache(4096)
def format_initials(token: str) -> str:
    """ "WP" -> "W. P.", "J" -> "J.", "W.P." -> "W. P."."""
    letters = [c for c in token if c.isalpha()]
    return " ".join(f"{c}." for c in letters)


def _normalise_given(tokens: list[str]) -> str:
    """Given-name tokens with initials written "A. B."."""
    out = []
    for tok in tokens:
        if "-" in tok and all(is_initials(p) for p in tok.split("-") if p):
            out.append(tok)  # "J.-P."
        elif is_initials(tok) and (len(tok.rstrip(".")) <= 3):
            out.append(format_initials(tok))
        else:
            out.append(tok)
    return " ".join(out)


@bounded_cache(1 << 16)
def is_organisation(text: str) -> bool:
    """True when a name reads as a corporate body rather than a person.

    Each name of a list ("A and B") is judged alone: a run of lower-case words
    ("of the") or an organisation word ("Society", "Press") marks a body.
    """
    text = text.strip()
    if text[:1] in _ARTICLE_INITIALS:  # `_LEADING_ARTICLE` starts with one of these
        text = _LEADING_ARTICLE.sub("", text)
    if not text[:1].isupper():
        return False
    # ASCII: `_fold` is `str.lower`, which keeps the split points and the stripped marks
    ascii_text = text.isascii()
    # `_AND` needs "&" or white space around "and": in printable text only the space
    splits = "&" in text or ("and" in text and (" and " in text or not text.isprintable()))
    for part in _AND.split(text) if splits else (text,):
        if ascii_text:
            words = part.lower().split()
            if "," in part or "." in part or "(" in part or ")" in part:  # else stripping is a no-op
                words = [w.strip(",.()") for w in words]
        else:
            words = [_fold(w.strip(",.()")) for w in part.split()]
        if not ORG_WORDS.isdisjoint(words) or len(words) > 5:
            return True
        # a run of lower-case words ("of the") in a name of three words or more
        if len(words) > 2 and any(w[:1].islower() and _fold(w) not in PARTICLES for w in part.split()):
            return True
    return False


@bounded_cache(1 << 16)
def looks_like_person(text: str) -> bool:
    """True for a short run of capitalised words and initials: "Albert E Stone", "Ruíz"."""
    text = (_PAREN.sub("", text) if "(" in text else text).strip()
    tokens = text.split()
    if not 1 <= len(tokens) <= 5 or is_organisation(text):
        return False
    # ASCII: a digit anywhere is a digit in a token that is no particle (particles are
    # letters), which fails the name; one test of the text answers for every token
    ascii_text = text.isascii()
    if ascii_text and _ASCII_DIGIT.search(text) is not None:
        return False
    # a capitalised token passes unless it has a digit, any particle passes (particles are
    # letters: no digit), anything else fails; the capital test first, it settles most tokens
    for tok in tokens:
        if tok[:1].isupper() and (tok[1:2].isalpha() or tok[1:2] in _AFTER_CAPITAL):
            if not ascii_text and has_digit(tok) and _fold(tok) not in PARTICLES:
                return False
        elif _fold(tok) not in PARTICLES:
            return False
    return True


_AFTER_CAPITAL = (".", "-", "'", "’", "")


def parse_name(text: str) -> Name:
    """One name in natural order ("R. H. Bruce Hamilton") as a CSL name object."""
    return dict(_read_name(text))


@bounded_cache(1 << 14)
def _read_name(text: str) -> Name:
    """`parse_name`, cached (lists name the same people again and again); callers get copies."""
    text = " ".join((_PAREN.sub("", text) if "(" in text else text).split()).strip(" ,;")
    if not text:
        return {}
    if "," in text:
        return parse_inverted_name(text)
    if is_organisation(text):
        return {"literal": text}
    tokens = text.split()
    suffix = None
    if len(tokens) > 2 and tokens[-1].lower().rstrip(",") in _SUFFIXES:
        suffix = tokens.pop().rstrip(",")
        tokens[-1] = tokens[-1].rstrip(",")
    if len(tokens) == 1:
        return {"family": tokens[0]}
    # "Tran Van", "Mao Tse-tung"; but "Kim Stanley Robinson", "Lee Child" are given-name first
    first = _fold(tokens[0])
    if (
        first in FAMILY_FIRST
        and len(tokens) <= 3
        and not is_initials(tokens[1])
        and (_SYLLABLES.fullmatch(tokens[1]) is not None or first not in _WESTERN_TOO)
    ):
        return {"family": tokens[0], "given": " ".join(tokens[1:])}
    family_start = len(tokens) - 1
    # particles before the family name belong to it ("Lucas Van Dyke", "Ludwig von Mises")
    while family_start > 1 and _fold(tokens[family_start - 1]) in PARTICLES:
        family_start -= 1
    # Spanish double surnames: "Ana Pérez Gómez"
    if (
        family_start == len(tokens) - 1
        and len(tokens) >= 3
        and _SPANISH.search(tokens[-1]) is not None
        and (
            (_SPANISH.search(tokens[-2]) is not None and not is_given_name(tokens[-2]))
            or (
                len(tokens) == 3
                and is_given_name(tokens[0])
                and not is_given_name(tokens[-2])
                and _fold(tokens[-2]).endswith(("ez", "ia", "es", "os", "as"))
            )
        )
        and not is_initials(tokens[-2])
    ):
        family_start -= 1
    given = _normalise_given(tokens[:family_start])
    family = " ".join(tokens[family_start:])
    name: Name = {"family": family, "given": given} if given else {"family": family}
    if suffix:
        name["suffix"] = suffix
    return name


def parse_inverted_name(text: str) -> Name:
    """A name written "Family, Given" ("Doe, John", "Doe, W. P.")."""
    family, _, given = text.partition(",")
    family, given = family.strip(), " ".join(given.split()).strip(" ,")
    name: Name = {"family": family}
    if given:
        name["given"] = _given_form(given)
    return name


@bounded_cache(4096)
def _given_form(given: str) -> str:
    """Given names as written after the comma, initials spaced; cached (given names repeat).

    "J.-P." keeps its hyphen; "J.P." and "JP" become "J. P.".
    """
    return _normalise_given([t for t in _GIVEN_SPLIT.split(given) if t])


_MAY_SPLIT = re.compile(r"[,&;]|and")
_SPLIT = re.compile(r"\s*(?:,\s*and\s+|,\s*&\s*|\s+and\s+|\s*&\s*|;\s*|,\s*)")


def split_names(text: str) -> list[str]:
    """Split "WP and Jane Doe" / "A, B, and C" into one string per person.

    A leading part of one token followed by a fuller name shares its family name
    ("WP and JK Doe" -> "WP Doe", "JK Doe").
    """
    return list(name_parts(text))


@bounded_cache(1 << 14)
def name_parts(text: str) -> tuple[str, ...]:
    """`split_names` as a tuple, cached: a list's names are first weighed
    (`person_strength`), then parsed (`parse_names`), each splitting the same text."""
    text = " ".join(text.split()).strip(" ,.;")
    if not text:
        return ()
    if is_organisation(text) and not _SPACED_AND.search(text):
        return (text,)
    if not _MAY_SPLIT.search(text):
        return (text,)  # one name: `_SPLIT` needs a comma, "&", ";" or "and"
    if "," in text or "&" in text or ";" in text:
        parts = [p for p in _SPLIT.split(text) if p]
    else:  # only `_SPLIT`'s "\s+and\s+" can match, and the text has single spaces
        parts = [p for p in text.split(" and ") if p]
    if (
        len(parts) == 2
        and "," in text
        and " and " not in text
        and "&" not in text
        and all(is_initials(t) for t in parts[1].split())
    ):
        return (text,)  # "Doe, J" and "Hobsbawm, E. J." are one inverted name, not two
    out = []
    for i, part in enumerate(parts):
        nxt = parts[i + 1] if i + 1 < len(parts) else ""
        if " " not in part and " " in nxt and (is_initials(part) or part[:1].isupper()):
            last = nxt.split()[-1]
            if not is_organisation(nxt) and _fold(part) not in PARTICLES:
                part = f"{part} {last}"
        out.append(part)
    return tuple(out)


def name_variants(text: str) -> list[Name]:
    """Other forms a name gives in brackets.

    "K (AB) Marlowe" gives Marlowe, A. B.; "T Vasquez (Vazquez)" gives Vazquez, T.
    """
    main = parse_name(text)
    out: list[Name] = []
    for m in _PAREN.finditer(text):
        inner = m.group(1).strip()
        if not inner or not main.get("family"):
            continue
        if all(is_initials(t) for t in inner.split()):
            out.append({"family": main["family"], "given": _normalise_given(inner.split())})
        elif len(inner.split()) == 1 and inner[:1].isupper():
            variant: Name = {"family": inner}
            if main.get("given"):
                variant["given"] = main["given"]
            out.append(variant)
    return out


def parse_names(text: str) -> list[Name]:
    """Every name in a list of names in natural order, as CSL name objects."""
    return [dict(n) for n in _read_names(text)]


@bounded_cache(1 << 14)
def _read_names(text: str) -> tuple[Name, ...]:
    """`parse_names`, cached; callers get copies."""
    return tuple(n for n in (_read_name(p) for p in name_parts(text)) if n)
