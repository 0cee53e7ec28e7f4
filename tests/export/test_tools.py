"""The seeds' exports through the real tools: biber validates the .bib, pandoc renders the CSL-JSON.

Both tools are installed by the project (scripts/test.sh: Debian's biber;
the test extra pypandoc-binary ships pandoc). A missing tool fails the test:
it is never skipped in silence.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from tests.conftest import Databases

from biblio.catalog import Catalog
from biblio.ingest import ingest_paths

MANDATORY = re.compile(r"Entry '([^']+)' .*Missing mandatory field (?:'(\w+)'|- one of '([\w, ]+)' must be defined)")


@pytest.fixture(scope="module")
def exported(tmp_path_factory: pytest.TempPathFactory, databases: Databases, seeds_dir: Path) -> Path:
    """The seeds' catalog exported to a folder (catalog.bib and catalog.json)."""
    folder = tmp_path_factory.mktemp("tools")
    url = databases.create(folder)
    catalog = Catalog(url)
    ingest_paths(catalog, [str(seeds_dir)])
    (folder / "catalog.bib").write_text(catalog.export("bibtex"), encoding="utf-8")
    (folder / "catalog.json").write_text(catalog.export("csl-json"), encoding="utf-8")
    catalog.close()
    databases.drop(url)
    return folder


def test_biber_validates_the_bibtex(exported: Path) -> None:
    """No error and no warning, but a mandatory field the source itself lacks (never invented)."""
    biber = shutil.which("biber")
    if biber is None:
        pytest.fail("biber is not installed: scripts/test.sh installs Debian's biber")
    run = subprocess.run(
        [biber, "--tool", "--validate-datamodel", "catalog.bib"],
        capture_output=True,
        text=True,
        check=False,
        cwd=exported,
    )
    output = run.stdout + run.stderr
    assert run.returncode == 0 and "ERROR" not in output, output
    items = {item["id"]: item for item in json.loads((exported / "catalog.json").read_text(encoding="utf-8"))}
    aliases = {
        "author": ("author",),
        "editor": ("editor",),
        "date": ("issued",),
        "year": ("issued",),
        "journaltitle": ("container-title",),
    }
    warned = 0
    for line in output.splitlines():
        if not re.match(r"^\s*WARN - ", line):
            continue
        m = MANDATORY.search(line)
        assert m, f"biber warned about more than a missing mandatory field: {line}"
        key, field, one_of = m.groups()
        fields = [field] if field else [f.strip() for f in one_of.split(",")]
        present = [v for f in fields for v in aliases[f] if items[key].get(v)]
        assert not present, f"{key}: biber misses {fields} although the record has {present}"
        warned += 1
    # the seeds hold anonymous and undated works: biber must have said so, and said nothing else
    assert warned > 0


def test_pandoc_renders_the_csl_json_in_chicago_without_a_warning(exported: Path) -> None:
    try:
        import pypandoc

        pandoc = pypandoc.get_pandoc_path()
    except (ImportError, OSError):
        pytest.fail("pandoc is not installed: the test extra pypandoc-binary ships it")
    page = exported / "refs.md"
    page.write_text('---\nnocite: "@*"\n---\n\n# References\n', encoding="utf-8")
    run = subprocess.run(
        [pandoc, str(page), "--citeproc", "--bibliography", str(exported / "catalog.json"), "-t", "plain"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    assert run.stderr.strip() == "", run.stderr
    items = json.loads((exported / "catalog.json").read_text(encoding="utf-8"))
    entries = [e for e in run.stdout.split("\n\n") if e.strip() and e.strip() != "References"]
    assert len(entries) == len(items)  # every edition rendered, one entry each
    rendered = " ".join(run.stdout.split())
    assert "Coates, W. P., and Zelda K. Coates. 1935." in rendered  # Chicago author-date, names in full
