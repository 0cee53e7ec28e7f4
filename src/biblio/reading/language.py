"""A guess at a title's language, so that a CSL processor does not title-case it as English.

CSL styles title-case titles only when an item's language is English or
unknown, so "La vuelta al mundo" comes out "La Vuelta Al Mundo" unless the
item says `language: es`.  Citations rarely say; function words do.
"""

from __future__ import annotations

import re

__all__ = ["guess_language"]

_WORDS = {
    "en": {"the", "of", "and", "in", "a", "an", "to", "on", "for", "with", "from", "after", "about", "how", "what"},
    "es": {"el", "la", "los", "las", "del", "y", "en", "de", "con", "por", "un", "una", "para", "sobre", "al"},
    "fr": {"le", "la", "les", "des", "du", "et", "en", "de", "un", "une", "sur", "dans", "l", "d", "au", "aux"},
    "de": {"der", "die", "das", "und", "von", "zu", "im", "mit", "den", "dem", "ein", "eine", "zur", "zum", "des"},
    "it": {"il", "lo", "gli", "della", "delle", "e", "di", "un", "una", "nel", "nella", "per", "dei", "del"},
    "pt": {"o", "os", "as", "da", "do", "dos", "das", "e", "em", "um", "uma", "para", "no", "na"},
}
_MARKS = {"es": "ñáíóú¿¡", "fr": "àâçèéêëîïôûœ", "de": "äöüß", "pt": "ãõç"}
_TOKEN = re.compile(r"[^\W\d_]+", re.UNICODE)


def guess_language(title: str | None) -> str | None:
    """An ISO 639-1 code when a title is clearly not English, else None."""
    if not title:
        return None
    words = [w.lower() for w in _TOKEN.findall(title)]
    if len(words) < 2:
        return None
    scores = {lang: sum(w in vocabulary for w in words) for lang, vocabulary in _WORDS.items()}
    lowered = title.lower()
    for lang, marks in _MARKS.items():
        if any(m in lowered for m in marks):
            scores[lang] += 1
    best = max(scores, key=lambda lang: (scores[lang], lang == "en"))
    if best == "en" or scores[best] < 2 or scores[best] <= scores["en"]:
        return None
    return best
