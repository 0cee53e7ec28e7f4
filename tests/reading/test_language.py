"""Title language guesses: only clear cases, so English titles keep their title case."""

from __future__ import annotations

import pytest

from biblio.reading.language import guess_language


@pytest.mark.parametrize(
    ("title", "language"),
    [
        ("La vuelta al mundo en la cocina", "es"),
        ("Los años de la guerra", "es"),
        ("Souvenirs et documents de la Commune", "fr"),
        ("Die Geschichte der Arbeiterbewegung", "de"),
        ("Storia della resistenza e del lavoro", "it"),
        ("A History of the World in Ten Chapters", None),
        ("Moscow 1937", None),
        ("Le Monde", None),  # too little to tell
        ("", None),
        (None, None),
    ],
)
def test_guess_language(title: str | None, language: str | None) -> None:
    assert guess_language(title) == language
