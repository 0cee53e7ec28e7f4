"""Confident matching: every stated field must agree; close rivals make a refusal."""

from __future__ import annotations

from biblio.enrich.match import Wanted, choose_editions, choose_work, judge
from biblio.enrich.openlibrary import OLEdition, SearchResult


def result(
    work: str = "OL1W",
    title: str = "The Glass Orchard",
    authors: tuple[str, ...] = ("Mirela Vantosh",),
    first_year: int | None = 1961,
    years: tuple[int, ...] = (1961, 1978),
    publishers: tuple[str, ...] = ("Harrow & Finch", "Penfold Books"),
) -> SearchResult:
    return SearchResult(work, title, list(authors), first_year, list(years), list(publishers), [], [], [], [])


def wanted(**fields: object) -> Wanted:
    base: dict[str, object] = {"edition_id": 1, "work_id": 1, "title": "The Glass Orchard", "authors": ("Vantosh",)}
    base.update(fields)
    return Wanted(**base)  # type: ignore[arg-type]


def edition(key: str, year: int, publisher: str) -> OLEdition:
    return OLEdition(key, "The Glass Orchard", year, [publisher], [], None, [], [], ["OL1W"])


def test_title_and_author_agreeing_is_confident() -> None:
    verdict = judge(wanted(), result())
    assert verdict.confident
    assert verdict.score == 1.0
    assert "authors 1.00" in verdict.reasons


def test_a_stated_year_and_publisher_must_agree() -> None:
    assert judge(wanted(year=1978, publisher="Penfold"), result()).confident
    contradicted = judge(wanted(year=1999), result())
    assert not contradicted.confident
    assert "year 1999 not among its editions" in contradicted.reasons
    assert not judge(wanted(publisher="Quayside Press"), result()).confident


def test_another_author_is_not_confident() -> None:
    verdict = judge(wanted(authors=("Okonjo",)), result())
    assert not verdict.confident
    assert verdict.score < 0.85


def test_a_record_without_author_is_never_matched() -> None:
    verdict = judge(wanted(authors=()), result())
    assert not verdict.confident
    assert "no author stated" in verdict.reasons


def test_a_different_title_is_not_confident() -> None:
    assert not judge(wanted(title="The Glass Harbour"), result()).confident


def test_a_subtitle_one_side_omits_still_matches() -> None:
    assert judge(wanted(title="The Glass Orchard: A Novel"), result()).confident


def test_two_close_confident_works_are_ambiguous() -> None:
    choice = choose_work(wanted(), [result("OL1W"), result("OL2W")])
    assert choice.status == "ambiguous"
    assert choice.result is None


def test_one_confident_work_among_others_is_chosen() -> None:
    choice = choose_work(wanted(), [result("OL2W", authors=("Jonas Peck",)), result("OL1W")])
    assert choice.status == "match"
    assert choice.result is not None and choice.result.work == "OL1W"


def test_nothing_confident_is_no_match_with_the_best_reasons() -> None:
    choice = choose_work(wanted(year=2001), [result()])
    assert choice.status == "no-match"
    assert choice.verdict is not None and "year 2001 not among its editions" in choice.verdict.reasons
    assert choose_work(wanted(), []).status == "no-match"


def test_the_edition_is_chosen_by_stated_year_and_publisher_only() -> None:
    editions = [edition("OL1M", 1961, "Harrow & Finch"), edition("OL2M", 1978, "Penfold Books")]
    assert [e.key for e in choose_editions(wanted(year=1978), editions)[0]] == ["OL2M"]
    assert [e.key for e in choose_editions(wanted(publisher="Harrow and Finch"), editions)[0]] == ["OL1M"]
    chosen, why = choose_editions(wanted(), editions)
    assert chosen == [] and "no edition chosen" in why
    assert choose_editions(wanted(year=1990), editions)[0] == []


def test_only_an_edition_naming_the_stated_volume_is_chosen() -> None:
    one, two, whole = (
        OLEdition("OL1M", "The Glass Orchard, Vol. 1", 1961, ["Penfold Books"], [], 300, [], [], ["OL1W"], "1"),
        OLEdition("OL2M", "The Glass Orchard, Vol. 2", 1961, ["Penfold Books"], [], 280, [], [], ["OL1W"], "2"),
        OLEdition("OL3M", "The Glass Orchard", 1961, ["Penfold Books"], [], 580, [], [], ["OL1W"]),
    )
    assert [e.key for e in choose_editions(wanted(year=1961, volume="2"), [one, two, whole])[0]] == ["OL2M"]
    chosen, why = choose_editions(wanted(year=1961, volume="3"), [one, two, whole])
    assert chosen == [] and "names volume 3" in why  # the set's record is not volume 3's either
    # a record naming no volume is matched as before
    assert [e.key for e in choose_editions(wanted(year=1961), [one, two, whole])[0]] == ["OL1M", "OL2M", "OL3M"]
