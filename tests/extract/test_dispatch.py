"""The list-entry dispatch skips recognizers that cannot win: it must pick what running all of them picks."""

from __future__ import annotations

import re
from functools import cache
from typing import Any

import pytest
from bench.documents import documents
from hypothesis import given
from hypothesis import strategies as st
from tests.conftest import DATA, ROOT
from tests.fuzz.strategies import citation_text, mutated_lines, seed_lines

from biblio import extract
from biblio.documents import read_bytes
from biblio.extract import LIST_MIN, LISTING_MAX_WORDS, SCHOLARLY_MAX_WORDS, Candidate, _list_reading
from biblio.extract.footnote import FOOTNOTE_CONFIDENCE, parse_footnote
from biblio.extract.listing import _PAGES, _ROLE_MARK, has_page_count, listing_ceiling, parse_listing
from biblio.extract.scholarly import SCHOLARLY_CEILING, parse_scholarly
from biblio.model import Block


def _every_reading(text: str, previous: list[dict[str, Any]] | None) -> Candidate | None:
    """The dispatch as it was: run all three recognizers, the first most confident reading wins."""
    words = text.count(" ") + 1
    options: list[Candidate] = []
    if words <= LISTING_MAX_WORDS and (found := parse_listing(text)) is not None:
        options.append(("listing", [found]))
    if words <= SCHOLARLY_MAX_WORDS and (found := parse_scholarly(text, previous)) is not None:
        options.append(("scholarly", [found]))
    if words <= SCHOLARLY_MAX_WORDS and (found := parse_footnote(text)) is not None:
        options.append(("footnote", [found]))
    if not options:
        return None
    best = max(options, key=lambda o: o[1][0][1])
    return best if best[1][0][1] >= LIST_MIN else None


@cache
def _real_entries() -> list[str]:
    """Entries of every shape: seed lines, lines of the test documents, generated bench entries."""
    texts = list(seed_lines())
    for path in sorted((DATA / "documents").rglob("*")):
        if path.is_file() and path.suffix in (".md", ".txt", ".html"):
            texts += [line for line in path.read_text(encoding="utf-8", errors="replace").splitlines() if line]
    for doc in documents(1400, 350):
        texts += [b.text for b in read_bytes(doc.markdown.encode(), doc.name).blocks if b.kind != "heading"]
    return texts


def _same_reading(text: str, previous: list[dict[str, Any]] | None = None) -> None:
    block = Block(text=text, line=1, kind="paragraph")
    assert _list_reading(block, previous) == _every_reading(text, previous), text


def test_dispatch_picks_what_running_every_recognizer_picks_on_real_entries() -> None:
    previous = [{"family": "Ward", "given": "Ann"}]
    for text in _real_entries():
        _same_reading(text)
        if text.lstrip("-* ").startswith(("———", "---", "—")):
            _same_reading(text, previous)


@given(st.one_of(mutated_lines(), citation_text))
def test_dispatch_picks_what_running_every_recognizer_picks_on_mangled_entries(text: str) -> None:
    _same_reading(text)


def test_the_dispatch_skips_recognizers_on_the_bench_shapes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Not a timing: the skipping must happen, or the dispatch is only the old loop."""
    calls = {"listing": 0, "scholarly": 0, "footnote": 0}

    def counting(name: str) -> Any:
        original = getattr(extract, f"parse_{name}")

        def run(*args: Any) -> Any:
            calls[name] += 1
            return original(*args)

        return run

    for name in calls:
        monkeypatch.setattr(extract, f"parse_{name}", counting(name))
    texts = _real_entries()[-2000:]
    for text in texts:
        _list_reading(Block(text=text, line=1, kind="paragraph"), None)
    # running every recognizer on every entry would make 3 * len(texts) calls
    assert sum(calls.values()) < 2 * len(texts), calls
    assert calls["listing"] < len(texts) and calls["footnote"] < len(texts), calls


def _ceilings_hold(text: str) -> None:
    if (found := parse_listing(text)) is not None:
        assert found[1] <= listing_ceiling(text) + 1e-9, text
    if (found := parse_scholarly(text)) is not None:
        assert found[1] <= SCHOLARLY_CEILING, text
    if (found := parse_footnote(text)) is not None:
        assert found[1] == FOOTNOTE_CONFIDENCE, text


def test_no_recognizer_exceeds_its_ceiling_on_real_entries() -> None:
    for text in _real_entries():
        _ceilings_hold(text)


@given(st.one_of(mutated_lines(), citation_text))
def test_no_recognizer_exceeds_its_ceiling_on_mangled_entries(text: str) -> None:
    _ceilings_hold(text)


def test_role_words_and_pages_raise_the_listing_ceiling() -> None:
    plain = "A Book, Ann Ward, Some Press, London, 1950"
    assert listing_ceiling(plain) < 0.8
    assert listing_ceiling(plain + ", 312 pages") == 0.95
    assert listing_ceiling("A Book, edited by Ann Ward, Some Press, London, 1950") > listing_ceiling(plain)
    assert listing_ceiling("No comma at all") == 0.0


def test_lower_casing_keeps_every_letter_the_role_patterns_accept() -> None:
    """`listing_ceiling` counts role marks in lowered text: only the long s needs mapping by hand."""
    for letter in "byedsunrth":
        pattern = re.compile(letter, re.IGNORECASE)
        odd = [chr(c) for c in range(0x110000) if pattern.fullmatch(chr(c)) and chr(c).lower() != letter]
        assert odd == (["ſ"] if letter == "s" else []), letter
    lowered = "Title, EDITED BY Ann, Edſ. Bo, UNDER  THE Direction of Cy".lower().replace("ſ", "s")
    assert len(_ROLE_MARK.findall(lowered)) == 3


_PAGE_BITS = [*" \t\n\u00a0\u2003\x1c,.;()0123456789", "pages", "pp.", "p.", "leaves", "a"]


@given(st.lists(st.sampled_from(_PAGE_BITS), max_size=40).map("".join))
def test_page_counts_read_alike_on_raw_and_normalised_text(text: str) -> None:
    assert has_page_count(text) == (_PAGES.search(" ".join(text.split())) is not None)


def test_the_seeds_and_bench_fixtures_exist() -> None:
    """The real-entry tests above are only as good as their inputs."""
    assert (ROOT / "seeds").is_dir()
    assert len(_real_entries()) > 1500
