"""Citation styles: repository ids, the renamed Chicago id, .csl paths, dependent styles, unknown ids."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from biblio.errors import UsageError
from biblio.reading.styles import resolve_style, styles_dir


def test_ids_and_aliases_name_the_repository_files() -> None:
    assert resolve_style("apa") == styles_dir() / "apa.csl"
    assert resolve_style("chicago-note-bibliography") == styles_dir() / "chicago-notes-bibliography.csl"
    assert resolve_style("mla") == styles_dir() / "modern-language-association.csl"


def test_a_csl_path_is_used_as_it_is(tmp_path: Path) -> None:
    mine = tmp_path / "house.csl"
    shutil.copy(styles_dir() / "apa.csl", mine)
    assert resolve_style(str(mine)) == mine
    with pytest.raises(UsageError, match="no CSL style file"):
        resolve_style(str(tmp_path / "missing.csl"))


def test_a_dependent_style_resolves_to_its_parent() -> None:
    dependent = next((styles_dir() / "dependent").glob("*.csl"))
    parent = resolve_style(dependent.stem)
    assert parent.parent == styles_dir() and "independent-parent" not in parent.read_text(encoding="utf-8")[:4000]


def test_an_unknown_id_suggests_close_ones() -> None:
    with pytest.raises(UsageError, match=r"did you mean .*apa"):
        resolve_style("apaa")
