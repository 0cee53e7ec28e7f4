"""The canonical record of a cluster of CSL items."""

from __future__ import annotations

import copy
from typing import Any

import pytest

from biblio.resolve.canonical import canonical_item, canonical_name

ITEM: dict[str, Any] = {
    "type": "book",
    "title": "The Long Road Home",
    "author": [{"family": "Doe", "given": "W. P."}, {"family": "Doe", "given": "Jane"}],
    "publisher": "Harbour Press",
    "publisher-place": "London",
    "issued": {"date-parts": [[1950]]},
    "number-of-pages": "210",
    "note": "",
}


def test_single_item_is_returned_unchanged() -> None:
    before = copy.deepcopy(ITEM)
    out = canonical_item([ITEM])
    assert out == before
    assert list(out) == list(before)  # same keys in the same order, even the empty note
    assert before == ITEM  # the input is not modified


def test_identical_items_give_the_item_back() -> None:
    out = canonical_item([copy.deepcopy(ITEM), copy.deepcopy(ITEM), copy.deepcopy(ITEM)])
    assert out == {k: v for k, v in ITEM.items() if v != ""}


def test_inputs_are_not_modified() -> None:
    items = [copy.deepcopy(ITEM), {**copy.deepcopy(ITEM), "publisher": "The Harbour Press"}]
    before = copy.deepcopy(items)
    canonical_item(items)
    assert items == before


def test_majority_value_wins() -> None:
    items = [
        {"title": "T", "publisher": "Harbour Press"},
        {"title": "T", "publisher": "The Harbour Press Ltd"},
        {"title": "T", "publisher": "Harbour Press"},
    ]
    assert canonical_item(items)["publisher"] == "Harbour Press"


def test_majority_wins_for_structured_values() -> None:
    items = [
        {"issued": {"date-parts": [[1950]]}},
        {"issued": {"date-parts": [[1951, 2, 3]]}},
        {"issued": {"date-parts": [[1950]]}},
    ]
    assert canonical_item(items)["issued"] == {"date-parts": [[1950]]}


@pytest.mark.parametrize("order", [0, 1])
def test_tie_goes_to_the_more_complete_value(order: int) -> None:
    values = ["Harbour Press", "The Harbour Press"]
    if order:
        values.reverse()
    items = [{"title": "T", "publisher": v} for v in values]
    assert canonical_item(items)["publisher"] == "The Harbour Press"


def test_exact_tie_goes_to_the_first_member() -> None:
    items = [{"issued": {"date-parts": [[1951]]}}, {"issued": {"date-parts": [[1950]]}}]
    assert canonical_item(items)["issued"] == {"date-parts": [[1951]]}
    assert canonical_item(list(reversed(items)))["issued"] == {"date-parts": [[1950]]}


def test_missing_and_empty_values_do_not_count() -> None:
    items = [
        {"title": "T", "publisher": ""},
        {"title": "T", "publisher": None},
        {"title": "T", "publisher": "Harbour Press"},
        {"title": "T"},
    ]
    out = canonical_item(items)
    assert out["publisher"] == "Harbour Press"
    assert canonical_item([{"title": "T", "note": ""}, {"title": "T"}]) == {"title": "T"}


def test_fields_of_any_member_are_kept() -> None:
    items = [{"title": "T", "publisher": "Harbour Press"}, {"title": "T", "number-of-pages": "210"}]
    assert canonical_item(items) == {"title": "T", "publisher": "Harbour Press", "number-of-pages": "210"}


def test_names_choose_full_given_names_position_by_position() -> None:
    items = [
        {"title": "T", "author": [{"family": "Doe", "given": "W. P."}, {"family": "Doe", "given": "Jane"}]},
        {"title": "T", "author": [{"family": "Doe", "given": "William P."}, {"family": "Doe", "given": "J."}]},
        {"title": "T", "author": [{"family": "Doe", "given": "WP"}, {"family": "Doe", "given": "J. K."}]},
    ]
    out = canonical_item(items)
    assert out["author"] == [{"family": "Doe", "given": "William P."}, {"family": "Doe", "given": "Jane"}]


def test_full_name_beats_a_majority_of_initials() -> None:
    items = [{"author": [{"family": "Doe", "given": "W."}]}] * 3 + [{"author": [{"family": "Doe", "given": "William"}]}]
    assert canonical_item(items)["author"] == [{"family": "Doe", "given": "William"}]


def test_names_of_different_lengths_keep_every_position() -> None:
    items = [
        {"author": [{"family": "Doe", "given": "W. P."}]},
        {"author": [{"family": "Doe", "given": "William P."}, {"family": "Doe", "given": "Jane"}]},
    ]
    assert canonical_item(items)["author"] == [
        {"family": "Doe", "given": "William P."},
        {"family": "Doe", "given": "Jane"},
    ]


def test_editors_are_names_too() -> None:
    items = [{"editor": [{"family": "Quenby", "given": "R."}]}, {"editor": [{"family": "Quenby", "given": "Ruth"}]}]
    assert canonical_item(items)["editor"] == [{"family": "Quenby", "given": "Ruth"}]


def test_literal_names_survive() -> None:
    items = [{"author": [{"literal": "Harbour Guild"}]}, {"author": [{"literal": "Harbour Guild"}]}]
    assert canonical_item(items)["author"] == [{"literal": "Harbour Guild"}]


def test_canonical_name_fullest_form() -> None:
    names = [
        {"family": "Doe", "given": "W. P."},
        {"family": "Doe", "given": "William P."},
        {"family": "Doe", "given": "WP"},
    ]
    assert canonical_name(names) == {"family": "Doe", "given": "William P."}


def test_canonical_name_equally_full_names_go_to_the_majority() -> None:
    names = [{"family": "Rosenthal", "given": "Abraham"}] * 3 + [{"family": "Rosenthall", "given": "Abraham"}]
    assert canonical_name(names) == {"family": "Rosenthal", "given": "Abraham"}


def test_type_and_title_are_chosen_like_any_field() -> None:
    items = [
        {"type": "book", "title": "The Long Road Home"},
        {"type": "pamphlet", "title": "Long Road Home"},
        {"type": "book", "title": "Long Road Home"},
    ]
    out = canonical_item(items)
    assert out["type"] == "book"
    assert out["title"] == "Long Road Home"


def test_authors_in_another_order_are_not_duplicated() -> None:
    items = [
        {"author": [{"family": "Doe", "given": "W. P."}, {"family": "Doe", "given": "Jane"}]},
        {"author": [{"family": "Doe", "given": "Jane"}, {"family": "Doe", "given": "W. P."}]},
    ]
    out = canonical_item(items)["author"]
    assert len(out) == 2
    assert {"family": "Doe", "given": "W. P."} in out
    assert {"family": "Doe", "given": "Jane"} in out
