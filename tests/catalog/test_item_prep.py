"""What storing computes once per CSL item is what the rows need; canonical columns written only where they change."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from sqlalchemy import text

from biblio.catalog import Catalog
from biblio.catalog.tables import EditionRow
from biblio.catalog.writer import _names, json_text_kind, prepare_item
from biblio.model import Citation, Document
from biblio.resolve.keys import bounded
from biblio.resolve.match import block_keys, record_of

ITEMS: list[dict[str, Any]] = [
    {
        "type": "book",
        "title": "A Made-up Atlas of Tides, Vol. II",
        "author": [{"family": "Quell", "given": "Ida"}, {"family": "Marrow", "given": "T. K."}],
        "editor": [{"literal": "Harbour Survey Board"}],
        "publisher": "Saltmarsh Press",
        "publisher-place": "Portwen",
        "issued": {"date-parts": [[1931]]},
        "volume": "II",
        "id": "quell1931",
    },
    {"type": "article-journal", "title": 'Tides \u00e9t\u00e9 "quoted"', "author": [{"family": "Quel", "given": "I."}]},
    {"title": ""},  # no title, no type: "[untitled]", a book
]


def test_prepared_item_is_what_storing_computes() -> None:
    for item in ITEMS:
        prep = prepare_item(item)
        record = record_of(42, item, ())
        assert prep.record(42) == record
        assert prep.named(item) == _names(item)
        assert list(prep.blocks) == [bounded(k) for k in sorted(block_keys(record))]
        assert prep.title == str(item.get("title") or "[untitled]")


def test_json_text_is_used_only_where_it_is_what_the_column_stores(catalog: Catalog) -> None:
    dialect = catalog.engine.dialect
    with catalog.session() as session:
        kind = json_text_kind(session)
    if dialect.name != "sqlite":  # psycopg encodes the object itself: the text made beforehand is not used
        assert kind is None
        return
    assert kind is not None
    column = EditionRow.__table__.c["csl"]  # type: ignore[attr-defined]
    processor: Callable[[Any], Any] = column.type.dialect_impl(dialect).bind_processor(dialect)
    for item in ITEMS:
        assert processor(item) == json.dumps(item)  # what recompute_editions compares with the stored text


def _dump(catalog: Catalog) -> dict[str, list[tuple[object, ...]]]:
    """Every row that storing writes, without the timestamps."""
    queries = {
        "work": "SELECT id, title, match_key, merged_into FROM work ORDER BY id",
        "edition": "SELECT id, work_id, title, type, year, publisher, place, match_key, csl, citation_key, "
        "merged_into FROM edition ORDER BY id",
        "edition_block": "SELECT edition_id, key FROM edition_block ORDER BY edition_id, key",
        "person": "SELECT id, family, given, literal, match_key, block_key, merged_into FROM person ORDER BY id",
        "name_form": "SELECT person_id, form, family, given, literal FROM name_form ORDER BY id",
        "contributor": "SELECT edition_id, person_id, role, position FROM contributor "
        "ORDER BY edition_id, role, position",
        "citation": "SELECT id, document_id, edition_id, line, raw, csl FROM citation ORDER BY id",
        "merge_log": "SELECT kind, winner_id, loser_id, score, reasons FROM merge_log ORDER BY id",
    }
    with catalog.engine.connect() as conn:
        return {name: [tuple(row) for row in conn.execute(text(sql))] for name, sql in queries.items()}


def test_partial_canonical_updates_leave_what_a_full_recompute_writes(catalog: Catalog) -> None:
    from sqlmodel import col, select

    from biblio.catalog.merges import recompute_edition

    variants = [
        {**ITEMS[0], "publisher": "Saltmarsh Press Ltd"},  # a publisher vote that changes the column
        {**ITEMS[0], "title": "A Made-up Atlas of the Tides, Vol. II"},
        {**ITEMS[0], "note": "second printing"},  # the CSL item changes, the columns do not
    ]
    merged = 0
    for n, item in enumerate([ITEMS[0], *variants, ITEMS[0]]):
        doc = Document(name=f"doc-{n}.txt", text="", blocks=[], sha256=str(n))
        citation = Citation(source=doc.name, line=1, raw="x", kind="list", confidence=0.9, csl=dict(item))
        catalog.store_document(doc, [citation], None, doc.name)
        before = _dump(catalog)
        with catalog.write() as session:
            roots = session.exec(select(EditionRow.id).where(col(EditionRow.merged_into).is_(None))).all()
            for root in roots:
                recompute_edition(session, root)  # the ORM path: every canonical column, one edition at a time
        assert _dump(catalog) == before, f"after document {n}"
        merged = len(before["merge_log"])
    assert merged >= 4  # every variant joined the first edition
