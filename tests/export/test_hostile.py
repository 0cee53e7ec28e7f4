"""Hostile text in a BibTeX export: no field can run a LaTeX command or unbalance the braces.

Titles, names, publishers and keys carrying `\\input`, `\\write18`, `\\immediate`,
stray braces and every TeX special are ingested (as CSL-JSON, the importer that
takes any string) and exported; biber must accept the file, and the parsed fields
may contain no control sequence but biblio's own escapes.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import bibtexparser
import pytest
from tests.conftest import Databases

from biblio.catalog import Catalog
from biblio.export import read_records, write_atomic
from biblio.export.bibtex import unescape
from biblio.ingest import IngestReport, ingest_records

HOSTILE = [
    r"\input{/etc/passwd}",
    r"\write18{rm -rf ~}",
    r"\immediate\write18{touch /tmp/biblio-pwned}",
    r"Title}} @book{evil, title={\input{/etc/passwd}",
    "{{{ unbalanced",
    "unbalanced }}}",
    r"%&#_$~^ all the specials \\ and a double backslash \\",
    r"^^5cinput{/etc/passwd}",  # TeX's ^^ notation for a backslash
    r"\csname input\endcsname{/etc/shadow}",
    r"\def\x{\input}\x{/etc/passwd}",
    "a line\n@comment{ break } and\n\\end{document}",
    r"$\input{math}$ and \( \write18{x} \)",
    "\\",
    "}",
]
# biblio's own escapes: the ten specials (bibtex.py); nothing else may appear
ALLOWED = {r"\textbackslash", r"\textasciitilde", r"\textasciicircum", r"\textbraceleft", r"\textbraceright"} | {
    "\\" + c for c in "%#&_$"
}
CONTROL = re.compile(r"\\(?:[A-Za-z@]+|.)", re.DOTALL)


def _records() -> list[dict[str, object]]:
    """One record per hostile string, in every text field and name part."""
    return [
        {
            "id": f"k{i}" if i % 2 else text,  # an imported id becomes the citation key: hostile too
            "type": "book",
            "title": f"Hostile {i} {text}",
            "author": [{"family": f"Doe{text}", "given": text}, {"literal": text}],
            "editor": [{"family": text}],
            "publisher": text,
            "publisher-place": text,
            "note": text,
            "volume": text,
            "container-title": text,
            "issued": {"date-parts": [[1950 + i]]},
        }
        for i, text in enumerate(HOSTILE)
    ]


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory, databases: Databases) -> Path:
    """The hostile records ingested into a real catalog and exported as hostile.bib."""
    folder = tmp_path_factory.mktemp("hostile")
    source = folder / "hostile.json"
    source.write_text(json.dumps(_records()), encoding="utf-8")
    url = databases.create(folder)
    catalog = Catalog(url)
    report = IngestReport()
    ingest_records(catalog, source, "csl-json", report)
    assert report.ok and report.citations == len(HOSTILE)
    write_atomic(folder / "hostile.bib", catalog.export("bibtex"))
    catalog.close()
    databases.drop(url)
    return folder / "hostile.bib"


def test_biber_accepts_the_hostile_export(exported: Path) -> None:
    biber = shutil.which("biber")
    if biber is None:
        pytest.fail("biber is not installed: scripts/test.sh installs Debian's biber")
    run = subprocess.run(
        [biber, "--tool", "--validate-datamodel", "--output-file", "checked.bib", exported.name],
        capture_output=True,
        text=True,
        check=False,
        cwd=exported.parent,
    )
    output = run.stdout + run.stderr
    assert run.returncode == 0 and "ERROR" not in output, output
    checked = bibtexparser.parse_string((exported.parent / "checked.bib").read_text(encoding="utf-8"))
    assert len(checked.entries) == len(HOSTILE), output  # biber read every entry whole
    assert not Path("/tmp/biblio-pwned").exists()


def test_no_field_holds_a_control_sequence_but_biblios_escapes(exported: Path) -> None:
    library = bibtexparser.parse_string(exported.read_text(encoding="utf-8"))
    assert not library.failed_blocks
    assert len(library.entries) == len(HOSTILE)
    for entry in library.entries:
        assert re.fullmatch(r"[\w:.+/-]+", entry.key, re.ASCII), entry.key
        for field in entry.fields:
            value = str(field.value)
            macros = set(CONTROL.findall(value))
            assert macros <= ALLOWED, (entry.key, field.key, macros - ALLOWED)
            assert not re.search(r"\\(?:input|write|immediate|csname|def)\b", value)
            depth = 0
            for brace in re.findall(r"[{}]", value):  # BibTeX counts every brace, escaped or not
                depth += 1 if brace == "{" else -1
                assert depth >= 0, (entry.key, field.key, value)
            assert depth == 0, (entry.key, field.key, value)


def test_the_hostile_text_comes_back_unchanged_on_import(exported: Path) -> None:
    items, failures = read_records(exported.read_text(encoding="utf-8"), "bibtex", exported.name)
    assert not failures
    titles = {item["title"] for item in items}
    assert titles == {f"Hostile {i} {text}" for i, text in enumerate(HOSTILE)}
    assert unescape(r"\textbackslash{}input") == r"\input"
