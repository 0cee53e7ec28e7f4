"""Built lists: entries equal pandoc's citeproc output, HTML prints in Chromium, the Typst PDF holds every entry,
and nothing from a document is read as markup."""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess
import unicodedata
from collections.abc import Iterator
from pathlib import Path

import pypdf
import pytest
from tests.conftest import ROOT, Databases

from biblio.catalog import Catalog
from biblio.ingest import ingest_paths
from biblio.reading import build_list
from biblio.reading.pandoc import pandoc_binary
from biblio.reading.styles import resolve_style
from biblio.reading.theme import load_theme, parse_theme

THEMES = sorted(p.stem for p in (ROOT / "reading_lists").glob("*.toml"))
_TAG = re.compile(r"<[^>]+>")
_ENTRY = re.compile(r'<div class="entry" data-key="([^"]+)">\s*<p>(.*?)</p>', re.S)
_ALSO = re.compile(r'<span class="editions">Also held: (.*?)</span>', re.S)


def _also_held(page: str) -> list[tuple[str, str]]:
    """(key, 'Also held' text) of each entry that has other editions."""
    out = []
    for chunk in page.split('<div class="entry" data-key="')[1:]:
        key, _, body = chunk.partition('"')
        found = _ALSO.search(body.split('<div class="entry"')[0])
        if found:
            out.append((key, found.group(1)))
    return out


def _text(fragment: str) -> str:
    """Markup stripped, entities decoded, whitespace collapsed."""
    return " ".join(html.unescape(_TAG.sub("", fragment)).split())


def _squash(text: str) -> str:
    """For comparing with text pulled out of a PDF: compatibility-normalised, without any whitespace."""
    return "".join(unicodedata.normalize("NFKC", text).split())


def _reference(items: Path, style: Path) -> dict[str, str]:
    """pandoc --citeproc itself on the same CSL-JSON and style, run here without biblio's code."""
    out = subprocess.run(
        [pandoc_binary(), "-f", "markdown", "-t", "html", "--citeproc", f"--bibliography={items}", f"--csl={style}"],
        input='---\nnocite: "@*"\n---\n',
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    found = re.findall(r'<div id="ref-([^"]+)" class="csl-entry"[^>]*>(.*?)</div>', out, re.S)
    return {key: _text(body) for key, body in found}


@pytest.fixture(scope="module")
def seeds_catalog(tmp_path_factory: pytest.TempPathFactory, databases: Databases, seeds_dir: Path) -> Iterator[Catalog]:
    url = databases.create(tmp_path_factory.mktemp("rl"))
    catalog = Catalog(url)
    ingest_paths(catalog, [str(seeds_dir)])
    catalog.dedupe()
    yield catalog
    catalog.close()
    databases.drop(url)


def test_there_are_five_themes_each_with_three_sections_or_more() -> None:
    assert len(THEMES) >= 5
    for name in THEMES:
        theme = load_theme(name, ROOT / "reading_lists")
        assert len(theme.sections) >= 3, name
        assert len(theme.introduction.split()) >= 40, f"{name}: the introduction is a real paragraph"


@pytest.mark.parametrize("style", ["chicago-author-date", "apa", "chicago-notes-bibliography", None])
def test_every_entry_equals_pandoc_citeproc_output(seeds_catalog: Catalog, tmp_path: Path, style: str | None) -> None:
    """The bar: for each theme (in the given style, or its own), each entry shown is pandoc's entry for it."""
    checked = 0
    for name in THEMES:
        theme = load_theme(name, ROOT / "reading_lists")
        selection = seeds_catalog.reading_list(theme)
        build_list(selection, tmp_path, style, ("html",))
        expected = _reference(tmp_path / f"{name}.json", resolve_style(style or theme.style))
        page = (tmp_path / f"{name}.html").read_text(encoding="utf-8")
        shown = {key: _text(body) for key, body in _ENTRY.findall(page)}
        assert set(shown) == {e.work.keys[0] for e in selection.entries}
        for key, text in shown.items():
            assert text == expected[key], f"{name} {key}"
            checked += 1
        for key, also in _also_held(page):
            others = [k for e in selection.entries if e.work.keys[0] == key for k in e.work.keys[1:]]
            assert _text(also) == " · ".join(expected[k] for k in others)
    assert checked >= 80


def test_mla_entries_never_stand_in_for_another_author(seeds_catalog: Catalog, tmp_path: Path) -> None:
    """MLA replaces a repeated author by "———"; in a list's own order that would name the wrong person."""
    theme = load_theme("left-critiques", ROOT / "reading_lists")
    build_list(seeds_catalog.reading_list(theme), tmp_path, "modern-language-association", ("html",))
    expected = _reference(tmp_path / "left-critiques.json", resolve_style("modern-language-association"))
    page = (tmp_path / "left-critiques.html").read_text(encoding="utf-8")
    shown = dict(_ENTRY.findall(page))
    assert "———" not in page
    assert any(text.startswith("———") for text in expected.values())  # pandoc alone would substitute
    same = [k for k, text in expected.items() if k in shown and not text.startswith("———")]
    assert same and all(_text(shown[k]) == expected[k] for k in same)


def _pdf_text(path: Path) -> tuple[str, int]:
    reader = pypdf.PdfReader(str(path))
    return _squash(" ".join(page.extract_text() or "" for page in reader.pages)), len(reader.pages)


def test_the_typst_pdf_holds_every_entry(seeds_catalog: Catalog, tmp_path: Path) -> None:
    for name in THEMES:
        selection = seeds_catalog.reading_list(load_theme(name, ROOT / "reading_lists"))
        build_list(selection, tmp_path, None, ("html", "pdf"))
        text, pages = _pdf_text(tmp_path / f"{name}.pdf")
        page = (tmp_path / f"{name}.html").read_text(encoding="utf-8")
        entries = [_text(body) for _, body in _ENTRY.findall(page)]
        assert entries
        for entry in entries:
            assert _squash(entry) in text, f"{name}: {entry}"
        assert 1 <= pages <= len(entries)


def _chromium() -> str:
    found = shutil.which("chromium") or shutil.which("chromium-browser")
    assert found, "Chromium is needed: scripts/test.sh installs Debian's chromium"
    return found


@pytest.mark.parametrize("name", ["eyewitnesses", "soviet-foreign-policy"])
def test_the_html_prints_in_headless_chromium(seeds_catalog: Catalog, tmp_path: Path, name: str) -> None:
    selection = seeds_catalog.reading_list(load_theme(name, ROOT / "reading_lists"))
    build_list(selection, tmp_path, None, ("html",))
    page = tmp_path / f"{name}.html"
    pdf = tmp_path / f"{name}-chromium.pdf"
    subprocess.run(
        [
            _chromium(),
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            f"--user-data-dir={tmp_path / 'profile'}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={pdf}",
            page.as_uri(),
        ],
        capture_output=True,
        timeout=120,
        check=True,
    )
    text, pages = _pdf_text(pdf)
    entries = [_text(body) for _, body in _ENTRY.findall(page.read_text(encoding="utf-8"))]
    for entry in entries:
        assert _squash(entry) in text, entry
    assert _squash(selection.theme.title) in text
    assert 1 <= pages <= len(entries)


def test_text_from_documents_is_never_markup(shelf_catalog: Catalog, tmp_path: Path) -> None:
    theme = parse_theme('title = "T"\n[[sections]]\nheading = "<b>H</b>"\nauthors = ["Hostile"]\n', "t.toml")
    selection = shelf_catalog.reading_list(theme)
    built = build_list(selection, tmp_path, None, ("md", "html", "pdf"), verbatim=True)
    assert [p.suffix for p in built.files] == [".json", ".md", ".html", ".pdf"]
    page = (tmp_path / "t.html").read_text(encoding="utf-8")
    assert "<script" not in page and "<b>" not in page and "<i>odd" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;i&gt;odd&lt;i&gt; &amp; name" in page  # the document's name, in "Cited in"
    text, _ = _pdf_text(tmp_path / "t.pdf")
    assert _squash("<script>alert(1)</script>") in text
    items = json.loads((tmp_path / "t.json").read_text(encoding="utf-8"))
    assert items[0]["title"].startswith("<script>")


def test_a_build_writes_nothing_when_it_fails(shelf_catalog: Catalog, tmp_path: Path) -> None:
    theme = parse_theme(
        'title = "T"\nstyle = "no-such-style"\n[[sections]]\nheading = "a"\nyears = "1900.."\n', "t.toml"
    )
    with pytest.raises(Exception, match="unknown citation style 'no-such-style'"):
        build_list(shelf_catalog.reading_list(theme), tmp_path / "out")
    assert not (tmp_path / "out").exists()
