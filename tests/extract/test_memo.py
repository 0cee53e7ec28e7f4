"""The extractor's caches stay within their bounds, and emptying them changes no citation."""

from __future__ import annotations

import gc

from bench.documents import documents

from biblio.documents import read_bytes
from biblio.extract import extract_citations, memo
from biblio.extract.lexicon import is_given_name, looks_like_publisher
from biblio.extract.segments import _name_strength, person_strength


def _bench_documents(size: int) -> list[str]:
    return [doc.markdown for doc in documents(size, 250)]


def _citations(markdown: str, name: str) -> list[tuple[object, ...]]:
    found = extract_citations(read_bytes(markdown.encode("utf-8"), name))
    return [(c.line, c.recognizer, c.confidence, c.csl, c.span, c.name_variants) for c in found]


def _clear_all() -> None:
    for cached, _ in memo._CACHES:
        cached.cache_clear()


def test_trim_empties_only_the_caches_past_their_bound() -> None:
    calls: list[str] = []

    @memo.bounded_cache(2)
    def upper(text: str) -> str:
        calls.append(text)
        return text.upper()

    @memo.bounded_cache(100)
    def lower(text: str) -> str:
        return text.lower()

    try:
        for word in ("a", "b", "c"):
            assert upper(word) == word.upper()
            assert lower(word) == word
        assert upper.cache_info().currsize == 3
        memo.trim_caches()
        assert upper.cache_info().currsize == 0
        assert lower.cache_info().currsize == 3
        assert upper("a") == "A" and calls == ["a", "b", "c", "a"]  # computed again, same answer
    finally:
        memo._CACHES[:] = [(c, n) for c, n in memo._CACHES if c not in (upper, lower)]


def test_extraction_leaves_every_cache_within_its_bound() -> None:
    _clear_all()
    bounds = {id(cached): bound for cached, bound in memo._CACHES}
    small = [(cached, 3) for cached, _ in memo._CACHES]
    memo._CACHES[:] = small
    try:
        for i, markdown in enumerate(_bench_documents(500)):
            _citations(markdown, f"doc{i}.md")
            assert all(cached.cache_info().currsize <= bound for cached, bound in memo._CACHES)
    finally:
        memo._CACHES[:] = [(cached, bounds[id(cached)]) for cached, _ in small]


def test_cleared_caches_give_the_same_citations() -> None:
    """Warm caches, caches emptied before every document, and caches emptied at every block agree."""
    texts = _bench_documents(1000)
    _clear_all()
    warm = [_citations(t, f"doc{i}.md") for i, t in enumerate(texts)]
    cold = []
    for i, t in enumerate(texts):
        _clear_all()
        cold.append(_citations(t, f"doc{i}.md"))
    assert cold == warm
    assert sum(len(c) for c in warm) >= 900


def test_trimming_inside_a_long_document_changes_nothing() -> None:
    import biblio.extract as extract

    text = "\n\n".join(_bench_documents(600))
    _clear_all()
    once = _citations(text, "long.md")
    _clear_all()
    saved = extract._TRIM_EVERY
    bounds = list(memo._CACHES)
    extract._TRIM_EVERY = 7
    memo._CACHES[:] = [(cached, 5) for cached, _ in bounds]
    try:
        trimmed = _citations(text, "long.md")
    finally:
        extract._TRIM_EVERY = saved
        memo._CACHES[:] = bounds
    assert trimmed == once and len(once) >= 500


def test_name_level_caches_answer_as_the_functions_do() -> None:
    for word in ("Ingrid", "Press", "the", "Ann Ward", "Dr. Bo Lind", "Some Books Ltd", "Zx"):
        assert is_given_name(word) == is_given_name.__wrapped__(word)
        assert looks_like_publisher(word) == looks_like_publisher.__wrapped__(word)
        assert _name_strength(word) == _name_strength.__wrapped__(word)
        assert person_strength(word) == person_strength.__wrapped__(word)


def test_cached_values_hold_no_per_entry_link_objects() -> None:
    """A cache keeps its entries in one dict: no container per entry for the collector to walk."""
    _clear_all()
    gc.collect()
    before = len(gc.get_objects())
    for i in range(2000):
        looks_like_publisher(f"Word{i} House")
    gc.collect()
    assert looks_like_publisher.cache_info().currsize == 2000
    assert len(gc.get_objects()) - before < 100


def test_citations_are_built_field_by_field() -> None:
    """`_citation` passes Citation's fields by position: the order it assumes is the dataclass's."""
    from dataclasses import fields

    from biblio.model import Citation

    assert [f.name for f in fields(Citation)] == [
        "source",
        "line",
        "raw",
        "kind",
        "confidence",
        "csl",
        "recognizer",
        "section",
        "span",
        "name_variants",
    ]
    doc = read_bytes(b"# Books\n\n- Ward, Ann. The Grey Hills. London: Some Press, 1950.\n", "one.md")
    (found,) = extract_citations(doc)
    assert (found.source, found.line, found.kind, found.recognizer, found.section) == (
        "one.md",
        3,
        "list",
        "scholarly",
        "Books",
    )
    assert found.raw in doc.text and found.span is not None
    assert doc.text[found.span[0] : found.span[1]] == found.raw
    assert found.csl["title"] == "The Grey Hills" and isinstance(found.name_variants, dict)
