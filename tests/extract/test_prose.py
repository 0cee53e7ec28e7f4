"""Works named in running text: find_prose_citations(text) -> [(csl, confidence, offset)]."""

from __future__ import annotations

import pytest

from biblio.extract.prose import find_prose_citations


def only(text: str) -> tuple[dict, float, int]:
    """The single citation found in `text`."""
    found = find_prose_citations(text)
    assert len(found) == 1, found
    return found[0]


# --------------------------------------------------------------------------- work noun + title


@pytest.mark.parametrize(
    ("text", "title", "csl_type"),
    [
        (
            "Jules Vallès described the barricades in his famous book The Insurrection of Paris.",
            "The Insurrection of Paris",
            "book",
        ),
        (
            "As Rosa Luxemburg wrote in her pamphlet, The Mass Strike and the Unions, the masses move first.",
            "The Mass Strike and the Unions",
            "pamphlet",
        ),
        (
            "Louise Michel recounted the deportation in her memoir The Red Flag in New Caledonia, which appeared "
            "later.",
            "The Red Flag in New Caledonia",
            "book",
        ),
        (
            "Historian Walter Rodney wrote the book How Europe Underdeveloped Africa in 1972.",
            "How Europe Underdeveloped Africa",
            "book",
        ),
        (
            "Marie Curie published her paper On a New Radioactive Substance in 1898.",
            "On a New Radioactive Substance",
            "article",
        ),
        (
            "Darwin set out his theory in his famous book On the Origin of Species, published in 1859.",
            "On the Origin of Species",
            "book",
        ),
        ("Ngo Thi Lan wrote her memoir The Years of the Rice Harvest (1988).", "The Years of the Rice Harvest", "book"),
        (
            "The Fabian Society issued its report The Poor Law and the Unemployed in 1909.",
            "The Poor Law and the Unemployed",
            "report",
        ),
    ],
)
def test_noun_then_title(text, title, csl_type):
    csl, confidence, offset = only(text)
    assert csl["title"] == title
    assert csl["type"] == csl_type
    assert text[offset:].startswith(title)
    assert confidence < 0.7


@pytest.mark.parametrize(
    ("text", "title", "author"),
    [
        (
            "“The barricades were our schools,” wrote Emma Thornton in her book The Weavers of Lyon.",
            "The Weavers of Lyon",
            {"family": "Thornton", "given": "Emma"},
        ),
        (
            "The revolt was crushed, says Hannah Lowe in her study The Cotton Famine.",
            "The Cotton Famine",
            {"family": "Lowe", "given": "Hannah"},
        ),
    ],
)
def test_author_named_before_the_work(text, title, author):
    csl, _, _ = only(text)
    assert csl["title"] == title
    assert csl["author"] == [author]


# --------------------------------------------------------------------------- quoted titles


def test_quoted_title_is_a_short_study_written_by():
    csl, confidence, offset = only("“The Weavers of Lyon” is a short study written by Emma Thornton about the revolt.")
    assert csl == {
        "type": "manuscript",
        "title": "The Weavers of Lyon",
        "genre": "study",
        "author": [{"family": "Thornton", "given": "Emma"}],
    }
    assert confidence == pytest.approx(0.7)
    assert offset == 0


@pytest.mark.parametrize(
    ("text", "title", "csl_type"),
    [
        (
            "The editors assembled their anthology, “Voices from the Ebro,” from letters of volunteers.",
            "Voices from the Ebro",
            "book",
        ),
        (
            "In the report “Conditions in the Cotton Mills” the inspectors described child labour.",
            "Conditions in the Cotton Mills",
            "report",
        ),
        ("Everyone knew the song “Bandiera Rossa” by heart.", "Bandiera Rossa", "song"),
        ('She finished her pamphlet, "Bread for the Strikers," in a week.', "Bread for the Strikers", "pamphlet"),
    ],
)
def test_noun_then_quoted_title(text, title, csl_type):
    csl, confidence, _ = only(text)
    assert (csl["title"], csl["type"]) == (title, csl_type)
    assert confidence == pytest.approx(0.5)


def test_parenthetical_in_title_takes_the_recurring_subject_as_author():
    text = "Seymour repeated himself. Seymour, as always, was right (in The Long Strike, which he wrote in prison)."
    csl, _, _ = only(text)
    assert csl["title"] == "The Long Strike"
    assert csl["author"] == [{"family": "Seymour"}]


def test_repeated_mention_is_reported_once():
    found = find_prose_citations("She read her book The Weavers of Lyon. Later she read her book The Weavers of Lyon.")
    assert [c["title"] for c, _, _ in found] == ["The Weavers of Lyon"]


def test_quoted_title_author_at_end_of_sentence():
    csl, _, _ = only("“Bread and Roses in Lawrence” is a brief pamphlet by Agnes Porter.")
    assert csl["author"] == [{"family": "Porter", "given": "Agnes"}]


def test_sentence_initial_possessive():
    csl, _, _ = only("Her article “A Note on Wages” appeared in 1921.")
    assert csl["title"] == "A Note on Wages"


# --------------------------------------------------------------------------- negatives


@pytest.mark.parametrize(
    "text",
    [
        "The “new order” arrived in Paris.",
        "He read the book quickly.",
        "They sang “The Internationale” as the troops advanced.",  # a song, but no work noun
        "The crowd chanted “No Pasaran” at the gates of Madrid.",  # a slogan
        "“Workers of the world” was the slogan painted on every wall.",
        "Her book was finished in London.",
        "His book Madrid sold well.",  # a one-word place is no title
        "In his book New York the author describes the docks.",
        "The strikers read his pamphlet aloud every night.",
        "The Commune fell in May 1871, and Thiers ordered reprisals.",
        "The book “the history of nothing” was dull.",  # lower-case "title"
        "“The Weavers of Lyon” is a short study written by the local society.",
        "",
    ],
)
def test_no_citation(text):
    assert find_prose_citations(text) == []
