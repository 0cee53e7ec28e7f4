"""Short "Further Reading" entries: parse_further_reading(text) -> [(csl, confidence)]."""

from __future__ import annotations

import pytest

from biblio.extract.further import parse_further_reading


def only(text: str) -> tuple[dict, float]:
    """The single reading of `text`."""
    found = parse_further_reading(text)
    assert len(found) == 1, found
    return found[0]


# --------------------------------------------------------------------------- author-first


@pytest.mark.parametrize(
    ("text", "title", "author"),
    [
        ("Emma Thornton, The Weavers of Lyon", "The Weavers of Lyon", {"family": "Thornton", "given": "Emma"}),
        (
            "George Rudé, The Crowd in the French Revolution",
            "The Crowd in the French Revolution",
            {"family": "Rudé", "given": "George"},
        ),
        (
            "Frantz Fanon, The Wretched of the Earth",
            "The Wretched of the Earth",
            {"family": "Fanon", "given": "Frantz"},
        ),
        ("Frantz Fanon, Les Damnés de la Terre", "Les Damnés de la Terre", {"family": "Fanon", "given": "Frantz"}),
        (
            "Walter Rodney, How Europe Underdeveloped Africa",
            "How Europe Underdeveloped Africa",
            {"family": "Rodney", "given": "Walter"},
        ),
        ("Marie Curie, Radioactive Substances", "Radioactive Substances", {"family": "Curie", "given": "Marie"}),
        ("Kwame Nkrumah, Africa Must Unite", "Africa Must Unite", {"family": "Nkrumah", "given": "Kwame"}),
        (
            "RH Tawney, Religion and the Rise of Capitalism",
            "Religion and the Rise of Capitalism",
            {"family": "Tawney", "given": "R. H."},
        ),
        ("Louise Michel, The Red Virgin: Memoirs", "The Red Virgin: Memoirs", {"family": "Michel", "given": "Louise"}),
        ("Professor Hannah Lowe, The Cotton Famine", "The Cotton Famine", {"family": "Lowe", "given": "Hannah"}),
        ("Élisée Reclus, L'Homme et la Terre", "L'Homme et la Terre", {"family": "Reclus", "given": "Élisée"}),
        ("Juan Pérez Gómez, La Guerra en Aragón", "La Guerra en Aragón", {"family": "Pérez Gómez", "given": "Juan"}),
        (
            "Alexander von Humboldt, Views of Nature",
            "Views of Nature",
            {"family": "von Humboldt", "given": "Alexander"},
        ),
        (
            "Nguyen Van Linh, Memoirs of the Southern Resistance",
            "Memoirs of the Southern Resistance",
            {"family": "Nguyen", "given": "Van Linh"},
        ),
        (
            "Nguyen Thi Binh, Family, Friends and Country",
            "Family, Friends and Country",
            {"family": "Nguyen", "given": "Thi Binh"},
        ),
        (
            "Multatuli, Max Havelaar, or the Coffee Auctions of the Dutch Trading Company",
            "Max Havelaar, or the Coffee Auctions of the Dutch Trading Company",
            {"family": "Multatuli"},
        ),
        ("Emma Thornton, The Weavers of Lyon.", "The Weavers of Lyon", {"family": "Thornton", "given": "Emma"}),
    ],
)
def test_author_first(text, title, author):
    csl, confidence = only(text)
    assert csl["type"] == "book"
    assert csl["title"] == title
    assert csl["author"] == [author]
    assert 0.5 <= confidence < 0.9


def test_known_given_name_is_more_confident_than_shape_only():
    _, strong = only("Emma Thornton, The Weavers of Lyon")
    _, weak = only("Volkov, Memoirs of the Southern Resistance")
    assert strong > weak


def test_two_titles_joined_by_and():
    found = parse_further_reading(
        "Eric Hobsbawm, Primitive Rebels in Southern Europe and Bandits of the Mediterranean World"
    )
    assert [csl["title"] for csl, _ in found] == [
        "Primitive Rebels in Southern Europe",
        "Bandits of the Mediterranean World",
    ]
    assert all(csl["author"] == [{"family": "Hobsbawm", "given": "Eric"}] for csl, _ in found)


def test_short_and_in_title_is_one_title():
    csl, _ = only("Eric Hobsbawm, Primitive Rebels and Bandits")
    assert csl["title"] == "Primitive Rebels and Bandits"


def test_single_name_author_short_title():
    csl, _ = only("Multatuli, Max Havelaar")
    assert csl["author"] == [{"family": "Multatuli"}]
    assert csl["title"] == "Max Havelaar"


def test_two_authors_sharing_family_name():
    csl, _ = only("Sidney and Beatrice Webb, The History of Trade Unionism")
    assert csl["title"] == "The History of Trade Unionism"
    assert csl["author"] == [{"family": "Webb", "given": "Sidney"}, {"family": "Webb", "given": "Beatrice"}]


# --------------------------------------------------------------------------- title-first short forms


@pytest.mark.parametrize(
    ("text", "role", "names"),
    [
        ("The Spanish Labyrinth, ed. Carmen Ortega", "editor", [{"family": "Ortega", "given": "Carmen"}]),
        (
            "The Spanish Labyrinth, eds. Carmen Ortega & Luis Romero",
            "editor",
            [{"family": "Ortega", "given": "Carmen"}, {"family": "Romero", "given": "Luis"}],
        ),
        (
            "The Spanish Labyrinth, edited by Carmen Ortega and Luis Romero",
            "editor",
            [{"family": "Ortega", "given": "Carmen"}, {"family": "Romero", "given": "Luis"}],
        ),
        ("The Spanish Labyrinth, by Carmen Ortega", "author", [{"family": "Ortega", "given": "Carmen"}]),
        ("The Spanish Labyrinth, written by Carmen Ortega", "author", [{"family": "Ortega", "given": "Carmen"}]),
        ("The Spanish Labyrinth, by Dr. Carmen Ortega", "author", [{"family": "Ortega", "given": "Carmen"}]),
        (
            "Rubber and the Congo, by AB and Mary Smith",
            "author",
            [{"family": "Smith", "given": "A. B."}, {"family": "Smith", "given": "Mary"}],
        ),
        ("Anarchist Songbook, ed. Workers Solidarity Movement", "editor", [{"literal": "Workers Solidarity Movement"}]),
    ],
)
def test_title_then_role(text, role, names):
    csl, confidence = only(text)
    assert csl["title"] == text.split(",")[0]
    assert csl[role] == names
    assert confidence == pytest.approx(0.7)


# --------------------------------------------------------------------------- negatives


@pytest.mark.parametrize(
    "text",
    [
        "Read this first, then the rest",
        "Meanwhile, the strikers returned to work.",
        "He left early. Then, the Commune fell",
        "London, Paris and Berlin",
        "Barcelona, The City of Marvels",  # a place is not an author
        "Jo, a story",
        "Emma Thornton, the weavers",  # lower-case "title"
        "Sewing Circle of Leeds, Minutes of the Strike",  # an organisation, not a person
        "The Weavers of Lyon",  # no comma
        "",
        "Emma Thornton, " + "Very Long Title " * 30,  # too long for a short entry
    ],
)
def test_not_further_reading(text):
    assert parse_further_reading(text) == []


def test_caption_like_line_is_not_an_entry():
    assert parse_further_reading("The Paris Commune, 1871") == []
