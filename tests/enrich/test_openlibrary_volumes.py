"""The volume an Open Library edition names, read from its title, subtitle or edition statement."""

from __future__ import annotations

import pytest

from biblio.enrich.openlibrary import _edition, volume_named


@pytest.mark.parametrize(
    ("text", "volume"),
    [
        ("A History of Salt Roads, Vol. 2", "2"),
        ("A History of Salt Roads. Volume II", "2"),
        ("Collected Letters v. 3", "3"),
        ("Part IV: the Later Years", "4"),
        ("Gesammelte Schriften Bd. 5", "5"),
        ("vol. xii", "12"),
        ("Selected Works of V. I. Marlowe", None),  # an initial, not a volume
        ("Partisan Reviews", None),
        ("The Band 2", None),
        ("A History of Salt Roads", None),
    ],
)
def test_volume_named(text: str, volume: str | None) -> None:
    assert volume_named(text) == volume


def test_an_edition_reads_its_volume_from_title_subtitle_or_edition_statement() -> None:
    base = {"key": "/books/OL7M", "title": "A History of Salt Roads", "works": [{"key": "/works/OL7W"}]}
    assert _edition(base, "u").volume is None
    assert _edition({**base, "subtitle": "volume 2, the inland routes"}, "u").volume == "2"
    assert _edition({**base, "edition_name": "2nd ed., v. 3"}, "u").volume == "3"
