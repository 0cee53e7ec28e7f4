"""Exports: golden files, schema validity, round trips, hostile values, keys, atomic writes."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import bibtexparser
import jsonschema
import pypdf
import pytest
from tests.conftest import DATA, ROOT, Databases
from typer.testing import CliRunner

from biblio.catalog import Catalog
from biblio.cli import app
from biblio.export import render, write_atomic
from biblio.export.bibtex import escape, unescape
from biblio.ingest import ingest_paths

FORMATS = {"bibtex": "bib", "csl-json": "json", "ris": "ris"}
HOSTILE = [
    {
        "type": "book",
        "title": "Braces {and} back\\slashes \\input{/etc/passwd} \\write18{rm -rf}",
        "author": [{"family": "Ünlü", "given": "Ayşe"}],
        "publisher": "Smith & Sons, 50% off #1",
        "publisher-place": "Москва",
        "issued": {"date-parts": [[1931]]},
        "note": "cost $5 ~ about ^2 _under_",
    },
    {
        "type": "pamphlet",
        "title": "?!…—;:",
        "author": [{"literal": "Союз & Co {Ltd}"}],
        "issued": {"date-parts": [[1941]], "circa": True},
        "number-of-pages": "12",
    },
    {"type": "book", "title": "Ordinary title", "editor": [{"family": "Doe", "given": "J.", "suffix": "Jr."}]},
]


@pytest.fixture(scope="module")
def seeds_catalog(tmp_path_factory: pytest.TempPathFactory, databases: Databases, seeds_dir: Path) -> Iterator[Catalog]:
    """The seeds, ingested and deduplicated."""
    url = databases.create(tmp_path_factory.mktemp("exp"))
    catalog = Catalog(url)
    ingest_paths(catalog, [str(seeds_dir)])
    yield catalog
    catalog.close()
    databases.drop(url)


def test_the_exports_in_the_repository_are_in_step_with_the_code(db_url: str, tmp_path: Path, seeds_dir: Path) -> None:
    """`biblio build` on a fresh catalog writes exactly exports/ (regenerate with ./scripts/build.sh)."""
    result = CliRunner().invoke(
        app,
        ["--db", db_url, "build", "--seeds", str(seeds_dir), "--exports", str(tmp_path / "exports")],
    )
    assert result.exit_code == 0, result.output
    lists = sorted(p.stem for p in (ROOT / "reading_lists").glob("*.toml"))
    texts = ["catalog.bib", "catalog.json", "catalog.ris"]
    texts += [f"reading-lists/{n}.{ext}" for n in lists for ext in ("md", "html", "json")]
    for name in texts:
        assert (tmp_path / "exports" / name).read_text(encoding="utf-8") == (ROOT / "exports" / name).read_text(
            encoding="utf-8"
        ), f"exports/{name} is stale: run ./scripts/build.sh"
    for name in lists:  # PDFs: the same text (bytes may differ between Typst releases)
        new, old = (
            pypdf.PdfReader(str(base / "reading-lists" / f"{name}.pdf"))
            for base in (tmp_path / "exports", ROOT / "exports")
        )
        assert [p.extract_text() for p in new.pages] == [p.extract_text() for p in old.pages], f"{name}.pdf is stale"
    assert sorted(p.name for p in (tmp_path / "exports" / "reading-lists").iterdir()) == sorted(
        p.name for p in (ROOT / "exports" / "reading-lists").iterdir()
    )


def test_csl_json_is_valid_against_the_official_schema(seeds_catalog: Catalog) -> None:
    schema = json.loads((DATA / "csl-data.json").read_text(encoding="utf-8"))
    items = json.loads(seeds_catalog.export("csl-json"))
    jsonschema.validate(items, schema)
    keys = [item["id"] for item in items]
    assert len(keys) == len(set(keys)) == seeds_catalog.counts()["editions"]


def test_bibtex_keys_are_readable_and_stable(seeds_catalog: Catalog) -> None:
    first = seeds_catalog.export("bibtex")
    library = bibtexparser.parse_string(first)
    keys = {e.key for e in library.entries}
    assert "coates1935armed" in keys  # one edition cited twice, one key
    assert {"bettleheim1976class", "bettleheim1978class"} <= keys
    assert seeds_catalog.export("bibtex") == first  # keys are stored, not recomputed


def test_multivolume_reprint_and_compiler_fields(seeds_catalog: Catalog) -> None:
    entries = {
        e.key: {f.key: f.value for f in e.fields}
        for e in bibtexparser.parse_string(seeds_catalog.export("bibtex")).entries
    }
    volume = next(
        f
        for f in entries.values()
        if f.get("maintitle") == "A History of the Civil War in the U.S.S.R." and f.get("volume") == "1"
    )
    assert volume["title"] == "The Prelude to the Great Proletarian Revolution"
    reprint = next(f for f in entries.values() if f.get("origpublisher") == "Penguin Books")
    assert (reprint["origdate"], reprint["origlocation"], reprint["date"]) == ("1950", "London", "2013")
    compiled = next(f for f in entries.values() if f.get("editoratype") == "compiler")
    assert compiled["editora"] == "Akhapkin, Yuri"
    assert any(f.get("date") == "1941~" for f in entries.values())  # "1941?" is circa


@pytest.mark.parametrize("fmt", FORMATS)
def test_round_trip_is_byte_identical(fmt: str, seeds_catalog: Catalog, tmp_path: Path, catalog: Catalog) -> None:
    exported = seeds_catalog.export(fmt)
    path = tmp_path / f"catalog.{FORMATS[fmt]}"
    path.write_text(exported, encoding="utf-8")
    empty = catalog
    report = ingest_paths(empty, [str(path)])
    assert report.ok and report.citations == exported.count("\n@") + 1 if fmt == "bibtex" else report.ok
    assert empty.export(fmt) == exported


@pytest.mark.parametrize("fmt", FORMATS)
def test_hostile_values_stay_valid_and_round_trip(fmt: str, tmp_path: Path, catalog: Catalog) -> None:
    records = [(f"k{i}", item) for i, item in enumerate(HOSTILE)]
    exported = render(records, fmt)
    if fmt == "bibtex":
        library = bibtexparser.parse_string(exported)
        assert not library.failed_blocks and len(library.entries) == len(HOSTILE)
        for entry in library.entries:
            for field in entry.fields:
                value = str(field.value)
                assert "\\input" not in value.replace("\\textbackslash{}input", "")
                assert value.count("{") == value.count("}")
    if fmt == "csl-json":
        jsonschema.validate(json.loads(exported), json.loads((DATA / "csl-data.json").read_text(encoding="utf-8")))
    path = tmp_path / f"hostile.{FORMATS[fmt]}"
    path.write_text(exported, encoding="utf-8")
    assert ingest_paths(catalog, [str(path)]).ok
    assert catalog.export(fmt) == exported


@pytest.mark.parametrize("value", ["a{b}c", "\\", "%#&_$~^", "x\\textbackslash{}y", "}{", "Москва ü"])
def test_escape_is_undone_exactly(value: str) -> None:
    assert unescape(escape(value)) == value


def test_colliding_keys_get_letters_and_rekey_regenerates(tmp_path: Path, catalog: Catalog) -> None:
    doc = tmp_path / "list.txt"
    doc.write_text(
        "Tides of the North, Ann Lowe, Harbour Press, Leith, 1950, 120 pages.\n\n"
        "Tides of the Night, Ann Lowe, Quay Books, Cork, 1950, 90 pages.\n",
        encoding="utf-8",
    )
    ingest_paths(catalog, [str(doc)])
    keys = [item["id"] for item in json.loads(catalog.export("csl-json"))]
    assert {"lowe1950tides", "lowe1950tidesa"} <= set(keys)
    assert catalog.rekey() == 0  # regenerated the same way: nothing changed


def test_bad_bibtex_blocks_are_reported_with_their_lines(tmp_path: Path, catalog: Catalog) -> None:
    path = tmp_path / "bad.bib"
    path.write_text(
        "@book{good, title={Fine}, date={1950}}\n\n@book{broken, title={Unclosed\n\n@book{after, title={Also fine}}\n",
        encoding="utf-8",
    )
    report = ingest_paths(catalog, [str(path)])
    assert [(f.source, f.line) for f in report.failures] == [("bad.bib", 3)]
    assert {c["csl"]["title"] for c in catalog.citation_records()} >= {"Fine"}


def test_write_atomic_leaves_no_half_file(tmp_path: Path) -> None:
    target = tmp_path / "out.bib"
    target.write_text("old\n", encoding="utf-8")

    with pytest.raises(TypeError):
        write_atomic(target, 12345)  # type: ignore[arg-type]
    assert target.read_text(encoding="utf-8") == "old\n"
    assert [p.name for p in tmp_path.iterdir()] == ["out.bib"]


def test_export_command_filters_and_writes(tmp_path: Path, seeds_dir: Path, db_url: str) -> None:
    db = db_url
    runner = CliRunner()
    runner.invoke(app, ["--db", db, "ingest", str(seeds_dir)])
    out = tmp_path / "coates.json"
    result = runner.invoke(
        app, ["--db", db, "export", "csl-json", "--author", "Coates", "--year", "1930..1939", "-o", str(out)]
    )
    assert result.exit_code == 0, result.output
    titles = sorted(item["title"] for item in json.loads(out.read_text(encoding="utf-8")))
    assert titles == ["Armed Intervention in Russia: 1918-1922", "World affairs and the USSR"]
    assert runner.invoke(app, ["--db", db, "export", "docx"]).exit_code == 2
    assert runner.invoke(app, ["--db", db, "export", "ris", "--year", "abc"]).exit_code == 2


def test_export_by_tag(seeds_catalog: Catalog) -> None:
    """Only the works carrying the tag (tags are set with SQL here: the tag command comes later)."""
    from sqlalchemy import text as sql

    items = {item["id"]: item for item in json.loads(seeds_catalog.export("csl-json"))}
    with seeds_catalog.session() as session, session.begin():
        work = session.execute(sql("SELECT work_id FROM edition WHERE citation_key = 'coates1935armed'")).scalar_one()
        session.execute(sql("INSERT INTO tag (name) VALUES ('intervention')"))
        session.execute(
            sql("INSERT INTO work_tag (work_id, tag_id) SELECT :w, id FROM tag WHERE name = 'intervention'"),
            {"w": work},
        )
    from biblio.catalog.keys import ExportFilter

    tagged = json.loads(seeds_catalog.export("csl-json", ExportFilter(tag="intervention")))
    assert [item["id"] for item in tagged] == ["coates1935armed"]
    assert "coates1935armed" in items
    assert json.loads(seeds_catalog.export("csl-json", ExportFilter(tag="no such tag"))) == []


def test_a_nul_escape_in_csl_json_is_stored_as_a_replacement_character(tmp_path: Path, catalog: Catalog) -> None:
    """PostgreSQL text cannot hold U+0000: an imported "\\u0000" becomes U+FFFD on every backend, as in documents."""
    path = tmp_path / "nul.json"
    path.write_text(
        '[{"id": "lowe1950tides", "type": "book", "title": "Tides\\u0000 of the North",'
        ' "author": [{"family": "Lowe", "given": "Ann\\u0000"}], "issued": {"date-parts": [[1950]]}}]',
        encoding="utf-8",
    )
    report = ingest_paths(catalog, [str(path)])
    assert report.ok, report.failures
    (item,) = json.loads(catalog.export("csl-json"))
    assert item["title"] == "Tides\ufffd of the North"
    assert item["author"] == [{"family": "Lowe", "given": "Ann\ufffd"}]


def test_exports_are_in_code_point_order_of_keys_on_every_backend(tmp_path: Path, catalog: Catalog) -> None:
    """Keys sort as Python sorts them, whatever the database's collation (a server's puts "alpha" before "Beta")."""
    keys = ["beta_2", "Zeta", "alpha", "beta-1", "Beta", "émile"]
    path = tmp_path / "keys.json"
    items = [
        {"id": key, "type": "book", "title": f"Book {i}", "issued": {"date-parts": [[1950 + i]]}}
        for i, key in enumerate(keys)
    ]
    path.write_text(json.dumps(items), encoding="utf-8")
    assert ingest_paths(catalog, [str(path)]).ok
    exported = [item["id"] for item in json.loads(catalog.export("csl-json"))]
    assert exported == sorted(keys) == ["Beta", "Zeta", "alpha", "beta-1", "beta_2", "émile"]
