"""`clean_item`: imported values of the wrong type are reshaped or kept in the note, never crash the catalog."""

from __future__ import annotations

from typing import Any

import pytest

from biblio.export.items import clean_item


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        ({"author": "Jane Doe"}, {"author": [{"literal": "Jane Doe"}]}),
        ({"author": {"family": "Doe", "given": 7}}, {"author": [{"family": "Doe", "given": "7"}]}),
        ({"author": 1.0}, {"note": "author: 1.0"}),
        ({"author": [None]}, {"note": "author: [null]"}),
        ({"issued": 1950}, {"issued": {"date-parts": [[1950]]}}),
        ({"issued": "spring 1950"}, {"issued": {"raw": "spring 1950"}}),
        ({"issued": {"date-parts": [["1950", 3]]}}, {"issued": {"date-parts": [[1950, 3]]}}),
        ({"issued": {"date-parts": [[]]}}, {"note": 'issued: {"date-parts": [[]]}'}),
        ({"issued": {"date-parts": [[10**30]]}}, {"note": 'issued: {"date-parts": [[' + str(10**30) + "]]}"}),
        ({"title": 42, "volume": 3}, {"title": "42", "volume": "3"}),
        ({"publisher": ["A", "B"], "note": "kept"}, {"note": 'kept; publisher: ["A", "B"]'}),
        ({"title": None, "page": ""}, {}),
    ],
)
def test_values_take_their_variables_shape(given: dict[str, Any], expected: dict[str, Any]) -> None:
    assert clean_item(given) == expected


def test_a_well_formed_item_is_unchanged() -> None:
    item = {
        "type": "book",
        "title": "The Long Road Home",
        "author": [{"family": "Doe", "given": "Jane"}],
        "issued": {"date-parts": [[1950, 4]], "circa": True},
        "publisher": "Harbour Press",
        "_line": 3,
    }
    assert clean_item(item) == item
