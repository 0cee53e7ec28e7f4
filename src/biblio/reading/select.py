"""What a theme selects from the catalog, and why.

The catalog is read once, in a few bulk queries, into a `Shelf`: every root
work with its root editions, names, tags and citations.  Sections are then
plain filters over it.  Within a section, the criteria combine with AND and
the values of one criterion with OR ("tags = [a, b]" is a OR b); explicitly
listed works are always in.  A work that an earlier section took by its
criteria is not repeated by a later section's criteria (only by name).
"""

from __future__ import annotations

import contextlib
import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlmodel import Session

from biblio.catalog.keys import assign_keys
from biblio.catalog.merges import root_map
from biblio.catalog.tables import EditionRow, PersonRow, WorkRow
from biblio.reading.theme import Section, Theme, WorkRef
from biblio.resolve.keys import fold_text, title_key

__all__ = ["Citing", "Entry", "SelectedSection", "Selection", "Shelf", "WorkOnShelf", "load_shelf", "select"]

_NAME_ROLES = ("author", "editor", "translator", "compiler", "collection-editor", "container-author")


@dataclass(frozen=True)
class Citing:
    """One place a work is cited: a document, a line, the section it sat under, the verbatim text."""

    document: str
    title: str
    line: int
    section: str | None
    raw: str
    order: tuple[int, int]


@dataclass
class WorkOnShelf:
    """A root work with what selection and rendering need."""

    id: int
    title: str
    editions: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    names: list[str] = field(default_factory=list)
    tags: set[str] = field(default_factory=set)
    citing: list[Citing] = field(default_factory=list)

    @property
    def keys(self) -> list[str]:
        """The citation keys of its editions."""
        return [k for k, _ in self.editions]

    @property
    def first_year(self) -> int | None:
        """The earliest year any edition gives (original date included)."""
        years = []
        for _, csl in self.editions:
            for name in ("original-date", "issued"):
                with contextlib.suppress(KeyError, IndexError, TypeError, ValueError):
                    years.append(int(csl[name]["date-parts"][0][0]))
        return min(years) if years else None

    @property
    def haystack(self) -> str:
        """Folded title, publishers, notes and every name form, for text queries."""
        parts = [self.title, *self.names]
        for _, csl in self.editions:
            parts += [str(csl.get(k) or "") for k in ("title", "publisher", "publisher-place", "note")]
        return fold_text(" ".join(parts))

    def sort_author(self) -> str:
        """The first contributor's family name, folded (empty when anonymous)."""
        for _, csl in self.editions[:1]:
            for role in _NAME_ROLES:
                for name in csl.get(role) or []:
                    return fold_text(name.get("family") or name.get("literal") or "")
        return ""


@dataclass
class Shelf:
    """The catalog as a reading list sees it."""

    works: dict[int, WorkOnShelf]
    by_key: dict[str, int]

    def citing_order(self, work: WorkOnShelf) -> tuple[int, int]:
        """Where the work is first cited (document, line): the order of 'as-listed'."""
        return min((c.order for c in work.citing), default=(1 << 30, 0))


def _primary_first(editions: list[tuple[str, dict[str, Any]]]) -> list[tuple[str, dict[str, Any]]]:
    """The edition to show first: the earliest dated, then the fullest record."""

    def rank(item: tuple[str, dict[str, Any]]) -> tuple[int, int, str]:
        year = 1 << 30
        with contextlib.suppress(KeyError, IndexError, TypeError, ValueError):
            year = int(item[1]["issued"]["date-parts"][0][0])
        return year, -len(item[1]), item[0]

    return sorted(editions, key=rank)


def load_shelf(session: Session) -> Shelf:
    """Read every root work, edition, name form, tag and citation in a few bulk queries."""
    assign_keys(session)
    conn = session.connection()
    work_roots = root_map(session, WorkRow)
    edition_roots = root_map(session, EditionRow)
    person_roots = root_map(session, PersonRow)
    works: dict[int, WorkOnShelf] = {
        wid: WorkOnShelf(id=wid, title=title)
        for wid, title in conn.exec_driver_sql("SELECT id, title FROM work WHERE merged_into IS NULL")
    }
    edition_work: dict[int, int] = {}
    by_key: dict[str, int] = {}
    for eid, wid, key, raw in conn.exec_driver_sql(
        "SELECT id, work_id, citation_key, csl FROM edition WHERE merged_into IS NULL ORDER BY id"
    ):
        root = work_roots.get(wid, wid)
        work = works.get(root)
        if work is None:
            continue
        csl = json.loads(raw) if isinstance(raw, str) else dict(raw)
        work.editions.append((str(key), csl))
        edition_work[eid] = root
        by_key[str(key)] = root
        for role in _NAME_ROLES:
            for name in csl.get(role) or []:
                work.names.append(" ".join(str(v) for v in name.values() if isinstance(v, str)))
    for work in works.values():
        work.editions = _primary_first(work.editions)
    forms: dict[int, list[str]] = {}
    for pid, form in conn.exec_driver_sql("SELECT person_id, form FROM name_form"):
        forms.setdefault(person_roots.get(pid, pid), []).append(form)
    for eid, pid in conn.exec_driver_sql("SELECT edition_id, person_id FROM contributor"):
        wid = edition_work.get(edition_roots.get(eid, eid))
        if wid is not None:
            works[wid].names.extend(forms.get(person_roots.get(pid, pid), []))
    for wid, tag in conn.exec_driver_sql(
        "SELECT work_tag.work_id, tag.name FROM work_tag JOIN tag ON tag.id = work_tag.tag_id"
    ):
        root = work_roots.get(wid, wid)
        if root in works:
            works[root].tags.add(tag)
    documents: dict[int, tuple[str, str]] = {}
    for did, name, raw in conn.exec_driver_sql("SELECT id, name, csl FROM document"):
        csl = json.loads(raw) if isinstance(raw, str) else dict(raw or {})
        documents[did] = (name, str(csl.get("title") or name))
    for cid, did, eid, line, section, raw in conn.exec_driver_sql(
        "SELECT id, document_id, edition_id, line, section, raw FROM citation ORDER BY document_id, line, id"
    ):
        wid = edition_work.get(edition_roots.get(eid, eid))
        if wid is None or did not in documents:
            continue
        name, title = documents[did]
        works[wid].citing.append(Citing(name, title, line, section, raw, (did, cid)))
    return Shelf(works=works, by_key=by_key)


@dataclass
class Entry:
    """A selected work, the reasons it was selected and its note."""

    work: WorkOnShelf
    reasons: list[str]
    note: str | None = None
    explicit_position: int | None = None


@dataclass
class SelectedSection:
    """A section of the theme with its entries in order."""

    section: Section
    entries: list[Entry]


@dataclass
class Selection:
    """The whole list: the theme and its sections' entries."""

    theme: Theme
    sections: list[SelectedSection]

    @property
    def entries(self) -> Iterable[Entry]:
        """Every entry, section after section."""
        for section in self.sections:
            yield from section.entries


def _resolve_ref(theme: Theme, section: Section, ref: WorkRef, shelf: Shelf) -> int:
    """The work a theme names explicitly; a ThemeError if none or several match."""
    value = ref.key or ref.title

    def error(problem: str) -> Exception:
        return theme.error(problem, section.index, "works", value)

    if ref.key:
        if ref.key in shelf.by_key:
            return shelf.by_key[ref.key]
        raise error(f"no work with citation key {ref.key!r} in the catalog")
    wanted = title_key(ref.title)
    exact = [w for w in shelf.works.values() if any(title_key(c.get("title")) == wanted for _, c in w.editions)]
    found = exact or [w for w in shelf.works.values() if wanted and wanted in title_key(w.title)]
    if ref.author:
        folded = fold_text(ref.author)
        found = [w for w in found if folded in fold_text(" ".join(w.names))]
    if len(found) == 1:
        return found[0].id
    if not found:
        raise error(f"no work in the catalog matches {ref.describe()}")
    keys = ", ".join(sorted(w.keys[0] for w in found if w.keys)[:5])
    raise error(f"{ref.describe()} matches {len(found)} works ({keys}): give a citation key")


def _match_any(needles: tuple[str, ...], values: Iterable[str]) -> str | None:
    """The first needle contained (folded) in one of the values."""
    folded = [fold_text(v) for v in values]
    for needle in needles:
        key = fold_text(needle)
        if any(key and key in value for value in folded):
            return needle
    return None


def _criteria_reasons(section: Section, work: WorkOnShelf) -> list[str] | None:
    """Why a work meets every criterion of the section, or None if it misses one."""
    reasons = []
    if section.tags:
        hit = next((t for t in section.tags if t in work.tags), None)
        if hit is None:
            return None
        reasons.append(f"tagged {hit!r}")
    if section.text:
        if fold_text(section.text) not in work.haystack:
            return None
        reasons.append(f"mentions {section.text!r}")
    if section.authors:
        hit = _match_any(section.authors, work.names)
        if hit is None:
            return None
        reasons.append(f"by {hit}")
    if section.year_from is not None or section.year_to is not None:
        year = work.first_year
        low, high = section.year_from, section.year_to
        if year is None or (low is not None and year < low) or (high is not None and year > high):
            return None
        reasons.append(f"first published {year}")
    if section.types:
        types = {str(c.get("type")) for _, c in work.editions}
        hit = next((t for t in section.types if t in types), None)
        if hit is None:
            return None
        reasons.append(f"a {hit}")
    if section.cited_in:
        hit = _match_any(section.cited_in, [v for c in work.citing for v in (c.document, c.title)])
        if hit is None:
            return None
        reasons.append(f"cited in {hit!r}")
    if section.listed_under:
        hit = _match_any(section.listed_under, [c.section or "" for c in work.citing])
        if hit is None:
            return None
        reasons.append(f"listed under {hit!r}")
    return reasons


def _check_documents(theme: Theme, section: Section, shelf: Shelf) -> None:
    """A cited_in or listed_under value that matches no document or section is a mistake."""
    docs = {v for w in shelf.works.values() for c in w.citing for v in (c.document, c.title)}
    for value in section.cited_in:
        if _match_any((value,), docs) is None:
            raise theme.error(f"no ingested document matches cited_in {value!r}", section.index, "cited_in", value)
    headings = {c.section or "" for w in shelf.works.values() for c in w.citing}
    for value in section.listed_under:
        if _match_any((value,), headings) is None:
            raise theme.error(
                f"no citation was listed under a section matching {value!r}", section.index, "listed_under", value
            )
    for key in (*section.exclude, *section.notes):
        if key not in shelf.by_key:
            field_name = "exclude" if key in section.exclude else "notes"
            raise theme.error(f"no work with citation key {key!r} in the catalog", section.index, field_name, key)


def _sort(entries: list[Entry], order: str, shelf: Shelf) -> list[Entry]:
    """Entries in the section's order (ties broken by title, then id)."""

    def tail(e: Entry) -> tuple[str, int]:
        return title_key(e.work.title), e.work.id

    if order == "author":
        return sorted(entries, key=lambda e: (e.work.sort_author() or "~", e.work.first_year or 1 << 30, *tail(e)))
    if order == "title":
        return sorted(entries, key=tail)
    if order == "as-listed":
        return sorted(
            entries,
            key=lambda e: (
                e.explicit_position if e.explicit_position is not None else 1 << 30,
                shelf.citing_order(e.work),
                *tail(e),
            ),
        )
    return sorted(entries, key=lambda e: (e.work.first_year or 1 << 30, *tail(e)))


def select(theme: Theme, shelf: Shelf) -> Selection:
    """Each section's entries, in order, with reasons; ThemeError for what cannot be resolved."""
    taken: set[int] = set()
    sections = []
    for section in theme.sections:
        _check_documents(theme, section, shelf)
        excluded = {shelf.by_key[k] for k in section.exclude}
        chosen: dict[int, Entry] = {}
        for position, ref in enumerate(section.works):
            wid = _resolve_ref(theme, section, ref, shelf)
            reason = f"listed by key {ref.key}" if ref.key else f"listed by title {ref.title!r}"
            chosen[wid] = Entry(shelf.works[wid], [reason], ref.note, position)
        if section.has_criteria:
            for work in shelf.works.values():
                if work.id in chosen or work.id in taken or work.id in excluded:
                    continue
                reasons = _criteria_reasons(section, work)
                if reasons is not None:
                    chosen[work.id] = Entry(work, reasons)
        for key, note in section.notes.items():
            wid = shelf.by_key[key]
            if wid in chosen and not chosen[wid].note:
                chosen[wid].note = note
        if not chosen:
            raise theme.error(f"section {section.index + 1} ({section.heading!r}) selects no work", section.index)
        taken.update(chosen)
        sections.append(SelectedSection(section, _sort(list(chosen.values()), section.order, shelf)))
    return Selection(theme, sections)
