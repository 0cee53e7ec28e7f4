"""The benchmark's generated documents: every shape is read back, and the BibTeX says the same."""

from __future__ import annotations

from collections import Counter

import bibtexparser
from bench.documents import SHAPES, documents

from biblio.documents import read_bytes
from biblio.extract import extract_citations
from biblio.resolve.keys import fold_text, title_key


def test_every_shape_is_extracted_with_its_title_and_first_author() -> None:
    seen: Counter[str] = Counter()
    for doc in documents(1500, per_document=500):
        citations = {c.line: c for c in extract_citations(read_bytes(doc.markdown.encode(), doc.name))}
        for line, record, shape in zip(doc.lines, doc.records, doc.shapes, strict=True):
            got = citations[line]
            assert title_key(got.csl.get("title")).startswith(title_key(record.csl["title"])), (shape, got.raw)
            family = fold_text(record.csl["author"][0]["family"])
            assert fold_text((got.csl.get("author") or [{}])[0].get("family")) == family, (shape, got.raw)
            seen[shape] += 1
    assert set(seen) == set(SHAPES)


def test_the_bibtex_holds_the_same_entries() -> None:
    doc = next(documents(300, per_document=300))
    library = bibtexparser.parse_string(doc.bibtex)
    assert not library.failed_blocks
    assert [e.fields_dict["title"].value for e in library.entries] == [r.csl["title"] for r in doc.records]
    assert sum(r.csl.get("volume") is not None for r in doc.records) == sum(
        "volume" in e.fields_dict for e in library.entries
    )
