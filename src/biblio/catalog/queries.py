"""What the catalog holds, as plain data: one work in full, and listings of works, persons and documents.

Every listing counts through merges: a merged record counts once, as its
root, and the name forms of a person are those of every person merged into it.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import func
from sqlmodel import Session, col, select

from biblio.catalog.keys import assign_keys
from biblio.catalog.merges import members_of, root_map, roots_of
from biblio.catalog.provenance import field_sources
from biblio.catalog.rawsql import json_loader, select_in
from biblio.catalog.tables import (
    CitationRow,
    Contributor,
    DocumentRow,
    EditionRow,
    MergeLog,
    NameForm,
    PersonRow,
    ReviewPair,
    TagRow,
    WorkRow,
)
from biblio.catalog.tags import resolve_work, work_tags
from biblio.errors import UsageError
from biblio.resolve.keys import fold_text

__all__ = [
    "AuthorRow",
    "DocumentSummary",
    "WorkDetail",
    "WorkSummary",
    "catalog_stats",
    "list_authors",
    "list_documents",
    "list_works",
    "show_work",
]


@dataclass
class WorkDetail:
    """A work in full: its editions, contributors, tags and every citation of it.

    `sources` lists the values enrichment filled in: which edition, field and value, from which
    source and reference (an Open Library URL), and when.
    """

    id: int
    title: str
    merged: list[int]
    editions: list[dict[str, Any]]
    contributors: list[dict[str, Any]]
    tags: list[str]
    citations: list[dict[str, Any]]
    sources: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class WorkSummary:
    """One line of `biblio works`."""

    id: int
    title: str
    authors: list[str]
    year: int | None
    editions: int
    citations: int
    documents: int


@dataclass
class AuthorRow:
    """One line of `biblio authors`: a person, the ways their name is written, what they made."""

    id: int
    name: str
    forms: list[str]
    works: int
    editions: int
    citations: int


@dataclass
class DocumentSummary:
    """One line of `biblio documents`."""

    id: int
    name: str
    origin: str
    format: str
    citations: int
    editions: int
    works: int
    ingested_at: str


def _display(family: str | None, given: str | None, literal: str | None) -> str:
    """A person as "Given Family" (or the literal name)."""
    return literal or " ".join(filter(None, (given, family))) or "?"


def show_work(session: Session, ref: str) -> WorkDetail:
    """A work named by its id or by an edition's citation key, with all it stands for."""
    if not ref.strip():
        raise UsageError("give a work id or a citation key")
    work_id = resolve_work(session, ref)
    assign_keys(session)
    work = session.get(WorkRow, work_id)
    assert work is not None
    works = members_of(session, WorkRow, [work_id])
    all_editions = list(session.exec(select(EditionRow).where(col(EditionRow.work_id).in_(list(works)))))
    e_roots = members_of(session, EditionRow, [e.id for e in all_editions if e.merged_into is None and e.id])
    members_by_root: dict[int, list[int]] = defaultdict(list)
    for member, root in e_roots.items():
        members_by_root[root].append(member)
    editions = [
        {
            "id": e.id,
            "citation_key": e.citation_key,
            "title": e.title,
            "type": e.type,
            "year": e.year,
            "publisher": e.publisher,
            "place": e.place,
            "merged": sorted(m for m in members_by_root[e.id or 0] if m != e.id),
            "csl": e.csl,
        }
        for e in sorted(all_editions, key=lambda e: (e.year is None, e.year or 0, e.id or 0))
        if e.merged_into is None
    ]
    member_ids = list(e_roots)
    p_roots = root_map(session, PersonRow)
    roles: dict[int, list[str]] = defaultdict(list)
    for person_id, role in session.exec(
        select(Contributor.person_id, Contributor.role)
        .where(col(Contributor.edition_id).in_(member_ids))
        .order_by(col(Contributor.role), col(Contributor.position))
    ):
        root = p_roots.get(person_id, person_id)
        if role not in roles[root]:
            roles[root].append(role)
    contributors = []
    for pid, person_roles in roles.items():
        person = session.get(PersonRow, pid)
        assert person is not None
        members = [p for p, r in p_roots.items() if r == pid] + [pid]
        forms = sorted({f for f in session.exec(select(NameForm.form).where(col(NameForm.person_id).in_(members)))})
        contributors.append(
            {
                "id": pid,
                "name": _display(person.family, person.given, person.literal),
                "roles": person_roles,
                "forms": forms,
            }
        )
    citations = [
        {
            "id": cit.id,
            "document": doc,
            "line": cit.line,
            "raw": cit.raw,
            "kind": cit.kind,
            "edition_id": e_roots.get(cit.edition_id, cit.edition_id),
        }
        for cit, doc in session.exec(
            select(CitationRow, DocumentRow.name)
            .join(DocumentRow, col(DocumentRow.id) == col(CitationRow.document_id))
            .where(col(CitationRow.edition_id).in_(member_ids))
            .order_by(col(DocumentRow.name), col(CitationRow.line), col(CitationRow.id))
        )
    ]
    sources = [
        {
            "edition_id": e["id"],
            "field": o.field,
            "value": o.value,
            "source": o.source,
            "ref": o.ref,
            "at": o.at.isoformat(),
        }
        for e in editions
        for o in field_sources(session, int(str(e["id"])))
    ]
    return WorkDetail(
        id=work_id,
        title=work.title,
        merged=sorted(w for w in works if w != work_id),
        editions=editions,
        contributors=contributors,
        tags=work_tags(session, work_id),
        citations=citations,
        sources=sources,
    )


def _work_of(session: Session) -> dict[int, int]:
    """Root work of every edition."""
    w_roots = root_map(session, WorkRow)
    return {eid: w_roots.get(w, w) for eid, w in session.exec(select(EditionRow.id, EditionRow.work_id)) if eid}


def _work_roots(session: Session) -> tuple[dict[int, int], dict[int, int]]:
    """Root work of every edition, and root edition of every edition."""
    return _work_of(session), root_map(session, EditionRow)


def list_works(session: Session, min_documents: int = 0, limit: int | None = None) -> list[WorkSummary]:
    """Root works with their counts; `min_documents` keeps those cited by at least that many documents.

    Plain rows, not ORM objects, and the authors (a JSON read) only of the works listed.  A listing by
    title with a limit (`biblio works --limit N`) chooses its works by title first and counts only theirs:
    the first page of a catalog of a million editions does not count every citation.
    """
    work_of = _work_of(session)
    roots = session.exec(select(WorkRow.id, WorkRow.title).where(col(WorkRow.merged_into).is_(None)))
    if limit and not min_documents:
        chosen = heapq.nsmallest(limit, ((fold_text(title), wid, title) for wid, title in roots if wid is not None))
        wanted = {wid for _, wid, _ in chosen}
        members = [eid for eid, wid in work_of.items() if wid in wanted]
        cited = select_in(session, "SELECT edition_id, document_id FROM citation WHERE edition_id IN ({in})", members)
        dated = select_in(session, "SELECT id, year FROM edition WHERE merged_into IS NULL AND id IN ({in})", members)
        out = _summaries([(wid, title) for _, wid, title in chosen], work_of, cited, dated, 0)
        _add_authors(session, out, work_of, dated)
        return out
    cited = list(session.exec(select(CitationRow.edition_id, CitationRow.document_id)))
    dated = list(session.exec(select(EditionRow.id, EditionRow.year).where(col(EditionRow.merged_into).is_(None))))
    out = _summaries([(w, t) for w, t in roots if w is not None], work_of, cited, dated, min_documents)
    out.sort(key=lambda w: (-w.documents, fold_text(w.title), w.id) if min_documents else (fold_text(w.title), w.id))
    out = out[:limit] if limit else out
    _add_authors(session, out, work_of, dated)
    return out


def _summaries(
    works: list[tuple[int, str]],
    work_of: dict[int, int],
    cited: Iterable[tuple[Any, ...]],
    dated: Iterable[tuple[Any, ...]],
    min_documents: int,
) -> list[WorkSummary]:
    """The summaries (without authors) of these works, in this order, from the rows of their citations
    (edition, document) and of their root editions (edition, year); fewer than `min_documents` left out."""
    citations: dict[int, int] = defaultdict(int)
    documents: dict[int, set[int]] = defaultdict(set)
    for eid, doc in cited:
        citations[work_of[eid]] += 1
        documents[work_of[eid]].add(doc)
    editions: dict[int, list[tuple[bool, int, int]]] = defaultdict(list)
    for edition_id, year in dated:
        editions[work_of[edition_id or 0]].append((year is None, year or 0, edition_id or 0))
    out = []
    for wid, title in works:
        if len(documents[wid]) < min_documents:
            continue
        own = sorted(editions[wid])
        years = [year for undated, year, _ in own if not undated]
        out.append(
            WorkSummary(
                id=wid,
                title=title,
                authors=[],
                year=min(years) if years else None,
                editions=len(own),
                citations=citations[wid],
                documents=len(documents[wid]),
            )
        )
    return out


def _add_authors(
    session: Session, works: list[WorkSummary], work_of: dict[int, int], dated: Iterable[tuple[Any, ...]]
) -> None:
    """Each work's authors (or editors), from its earliest root edition: the one that speaks for it."""
    wanted = {w.id for w in works}
    first: dict[int, tuple[bool, int, int]] = {}
    for edition_id, year in dated:
        wid = work_of[edition_id or 0]
        if wid in wanted:
            key = (year is None, year or 0, edition_id or 0)
            first[wid] = min(first.get(wid, key), key)
    ids = sorted(key[2] for key in first.values())
    items = dict(select_in(session, "SELECT id, csl FROM edition WHERE id IN ({in})", ids))
    load = json_loader(session)
    for work in works:
        csl = load(items[first[work.id][2]]) if work.id in first else {}
        work.authors = [
            _display(n.get("family"), n.get("given"), n.get("literal"))
            for n in csl.get("author") or csl.get("editor") or []
        ]


def list_authors(session: Session, name: str | None = None, limit: int | None = None) -> list[AuthorRow]:
    """Root persons with every form of their name and what they contributed to; `name` filters by a form.

    Persons are chosen and sorted from plain rows first; what they contributed is counted only for
    those listed, so the first page of a catalog of a million editions comes quickly.
    """
    p_roots = root_map(session, PersonRow)
    wanted = fold_text(name) if name else ""
    forms: dict[int, set[str]] = defaultdict(set)
    if wanted:  # the filter reads every person's forms; a plain listing only those of the persons listed
        for pid, form in session.exec(select(NameForm.person_id, NameForm.form)):
            forms[p_roots.get(pid, pid)].add(form)
    contributing = {p_roots.get(p, p) for p in session.exec(select(Contributor.person_id).distinct())}
    candidates: list[tuple[tuple[str, str, int], str | None, str | None, str | None]] = []
    for person_id, family, given, literal in session.exec(
        select(PersonRow.id, PersonRow.family, PersonRow.given, PersonRow.literal).where(
            col(PersonRow.merged_into).is_(None)
        )
    ):
        if person_id is None or person_id not in contributing:
            continue  # named only in citations that resolved to someone else
        if wanted and not any(wanted in fold_text(f) for f in forms[person_id]):
            continue
        candidates.append(((fold_text(family or literal), fold_text(given), person_id), family, given, literal))
    first = heapq.nsmallest(limit, candidates) if limit else sorted(candidates)
    chosen = [(key, key[2], _display(family, given, literal)) for key, family, given, literal in first]
    members = members_of(session, PersonRow, [pid for _, pid, _ in chosen])
    if not wanted:
        for pid, form in select_in(
            session, "SELECT person_id, form FROM name_form WHERE person_id IN ({in})", list(members)
        ):
            forms[members[pid]].add(form)
    pairs: list[tuple[int, int]] = []
    ids = sorted(members)
    for start in range(0, len(ids), 500):
        pairs.extend(
            session.exec(
                select(Contributor.edition_id, Contributor.person_id).where(
                    col(Contributor.person_id).in_(ids[start : start + 500])
                )
            )
        )
    e_roots = roots_of(session, EditionRow, {e for e, _ in pairs})
    works = _works_of(session, set(e_roots.values()))
    w_roots = roots_of(session, WorkRow, set(works.values()))
    editions: dict[int, set[int]] = defaultdict(set)
    persons_on: dict[int, set[int]] = defaultdict(set)
    for eid, pid in pairs:
        editions[members[pid]].add(e_roots[eid])
        persons_on[eid].add(members[pid])
    cited: dict[int, int] = defaultdict(int)
    member_editions = sorted(persons_on)
    for start in range(0, len(member_editions), 500):
        for cited_edition in session.exec(
            select(CitationRow.edition_id).where(col(CitationRow.edition_id).in_(member_editions[start : start + 500]))
        ):
            for pid in persons_on[cited_edition]:
                cited[pid] += 1
    return [
        AuthorRow(
            id=pid,
            name=display,
            forms=sorted(forms[pid]),
            works=len({w_roots[works[e]] for e in editions[pid]}),
            editions=len(editions[pid]),
            citations=cited[pid],
        )
        for _, pid, display in chosen
    ]


def _works_of(session: Session, editions: set[int]) -> dict[int, int]:
    """The work of each edition."""
    out: dict[int, int] = {}
    ids = sorted(editions)
    for start in range(0, len(ids), 500):
        out.update(
            (e, w)
            for e, w in session.exec(
                select(EditionRow.id, EditionRow.work_id).where(col(EditionRow.id).in_(ids[start : start + 500]))
            )
            if e is not None
        )
    return out


def list_documents(session: Session) -> list[DocumentSummary]:
    """Every ingested document with how many citations, editions and works it gives."""
    work_of, e_roots = _work_roots(session)
    stats: dict[int, list[int]] = defaultdict(list)
    for doc_id, eid in session.exec(select(CitationRow.document_id, CitationRow.edition_id)):
        stats[doc_id].append(eid)
    out = []
    for doc in session.exec(select(DocumentRow).order_by(col(DocumentRow.name), col(DocumentRow.id))):
        eids = stats[doc.id or 0]
        out.append(
            DocumentSummary(
                id=doc.id or 0,
                name=doc.name,
                origin=doc.origin,
                format=doc.format,
                citations=len(eids),
                editions=len({e_roots.get(e, e) for e in eids}),
                works=len({work_of[e] for e in eids}),
                ingested_at=doc.ingested_at.isoformat(timespec="seconds"),
            )
        )
    return out


def catalog_stats(session: Session) -> dict[str, Any]:
    """Counts of everything, merges and reviews, and how the editions spread over types and decades."""

    def count(query: Any) -> int:
        return int(session.exec(query).one())

    out: dict[str, Any] = {
        "documents": count(select(func.count()).select_from(DocumentRow)),
        "citations": count(select(func.count()).select_from(CitationRow)),
    }
    for name, table in (("works", WorkRow), ("editions", EditionRow), ("persons", PersonRow)):
        out[name] = count(select(func.count()).select_from(table).where(col(table.merged_into).is_(None)))
    out["name_forms"] = count(select(func.count()).select_from(NameForm))
    out["tags"] = count(select(func.count()).select_from(TagRow))
    out["merges"] = count(select(func.count()).select_from(MergeLog).where(col(MergeLog.undone_at).is_(None)))
    out["pending_reviews"] = count(
        select(func.count()).select_from(ReviewPair).where(col(ReviewPair.status) == "pending")
    )
    types: dict[str, int] = defaultdict(int)
    decades: dict[str, int] = defaultdict(int)
    for type_, year in session.exec(
        select(EditionRow.type, EditionRow.year).where(col(EditionRow.merged_into).is_(None))
    ):
        types[type_] += 1
        decades[f"{year // 10 * 10}s" if year is not None else "undated"] += 1
    out["types"] = dict(sorted(types.items(), key=lambda kv: (-kv[1], kv[0])))
    out["decades"] = dict(sorted(decades.items()))
    return out
