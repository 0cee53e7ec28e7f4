"""Enriching a catalog from Open Library, one edition at a time, each committed as it goes.

For each root edition: look it up (by ISBN when it has one, else by title and
first author), accept a confident match only, choose the edition the record
states, and fill the fields it leaves empty.  A record that fails (timeout,
malformed answer) is reported and left for the next run; losing the network
altogether stops the run at once, keeping what was already stored.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from biblio.catalog import Catalog
from biblio.catalog.enrichment import EnrichmentPlan, Target
from biblio.catalog.keys import ExportFilter
from biblio.catalog.provenance import CSL_FIELDS
from biblio.enrich.match import TITLE_MIN, Choice, Wanted, choose_editions, choose_work, title_similarity
from biblio.enrich.openlibrary import OLEdition, OpenLibrary, SearchResult
from biblio.errors import NetworkError, NetworkUnavailable
from biblio.resolve.match import number_value

__all__ = ["SOURCE", "EnrichReport", "Outcome", "enrich_catalog", "plan_enrichment", "wanted_of"]

SOURCE = "openlibrary"
#: CSL types Open Library describes; others (articles, chapters) are skipped
BOOK_TYPES = frozenset({"book", "pamphlet", "report", "thesis"})
MAX_SUGGESTIONS = 8
_ISBN = re.compile(r"^(?:97[89])?\d{9}[\dX]$")
Progress = Callable[[str], None]


@dataclass
class Outcome:
    """What happened to one edition: its plan (stored or, in a dry run, only shown) or its error."""

    edition_id: int
    title: str
    plan: EnrichmentPlan | None = None
    error: str | None = None
    filled: list[str] = field(default_factory=list)

    @property
    def status(self) -> str:
        """ "enriched", "refused", "no-match", "nothing to fill", "skipped" or "error"."""
        return "error" if self.plan is None else self.plan.status


@dataclass
class EnrichReport:
    """What an enrichment run did, edition by edition."""

    outcomes: list[Outcome] = field(default_factory=list)
    dry_run: bool = False
    requests: int = 0
    #: set when the run stopped early because the network was unreachable
    stopped: str | None = None

    def count(self, status: str) -> int:
        """How many editions ended with this status."""
        return sum(o.status == status for o in self.outcomes)


def _first_year(csl: dict[str, Any]) -> int | None:
    """The year of a CSL date variable."""
    with contextlib.suppress(KeyError, IndexError, TypeError, ValueError):
        return int(csl["issued"]["date-parts"][0][0])
    return None


def wanted_of(target: Target) -> Wanted:
    """What a catalog record says, in the form matching needs."""
    csl = target.csl
    names = [n for n in csl.get("author") or [] if isinstance(n, dict)]
    families = tuple(
        str(n.get("family") or n.get("literal") or "") for n in names if n.get("family") or n.get("literal")
    )
    # the family name alone: initials and given-name forms vary more than the service's matching forgives
    query = families[0] if families else None
    isbn = re.sub(r"[\s-]", "", str(csl.get("ISBN") or "")).upper()
    return Wanted(
        edition_id=target.edition_id,
        work_id=target.work_id,
        title=str(csl.get("title") or ""),
        authors=families,
        author_query=query,
        year=_first_year(csl),
        publisher=str(csl["publisher"]) if csl.get("publisher") else None,
        isbn=isbn if _ISBN.match(isbn) else None,
        volume=(number_value(str(csl["volume"])) or None) if csl.get("volume") else None,
        type=str(csl.get("type") or "book"),
        csl=csl,
    )


def _edition_fills(editions: list[OLEdition], library: OpenLibrary) -> dict[str, tuple[Any, str]]:
    """Fields of the chosen edition(s): all of them for one, only the shared ones for several."""
    if not editions:
        return {}
    fills: dict[str, tuple[Any, str]] = {}
    ref = library.url(f"/books/{editions[0].key}.json")
    if len(editions) == 1:
        edition = editions[0]
        isbns = edition.isbn_13 or edition.isbn_10
        if isbns:
            fills["ISBN"] = (isbns[0], ref)
        if edition.pages:
            fills["number-of-pages"] = (str(edition.pages), ref)
        fills["openlibrary-edition"] = (edition.key, ref)
    for name, values in (
        ("publisher", [e.publishers[:1] for e in editions]),
        ("publisher-place", [e.places[:1] for e in editions]),
    ):
        if values[0] and all(v == values[0] for v in values):
            fills[name] = (values[0][0], ref)
    return fills


def _plan(wanted: Wanted, choice: Choice, library: OpenLibrary, search_url: str) -> EnrichmentPlan:
    """The fills and suggestions of a matched record (or the refusal of an unmatched one)."""
    verdict = choice.verdict
    base = EnrichmentPlan(
        wanted.edition_id,
        wanted.work_id,
        SOURCE,
        status={"match": "enriched", "ambiguous": "refused", "no-match": "no-match"}[choice.status],
        score=verdict.score if verdict else None,
        reasons=list(verdict.reasons) if verdict else ["no candidate found"],
    )
    if choice.status == "ambiguous":
        close = [f"{v.work} {v.score:.2f}" for v in choice.candidates if v.confident]
        base.reasons.append("ambiguous: " + ", ".join(close))
    if choice.status != "match" or choice.result is None:
        return base
    result: SearchResult = choice.result
    work_ref = library.url(f"/works/{result.work}.json")
    base.work_ref = result.work
    base.fills["openlibrary-work"] = (result.work, work_ref)
    if result.first_year and result.first_year != wanted.year:
        base.fills["original-date"] = ({"date-parts": [[result.first_year]]}, search_url)
    # the editions list is asked for only when the record can pick one from it
    editions, why = choose_editions(wanted, library.editions(result.work) if wanted.year or wanted.publisher else [])
    base.reasons.append(why)
    base.fills.update(_edition_fills(editions, library))
    if len(editions) == 1:
        base.edition_ref = editions[0].key
    work = library.work(result.work)
    subjects = (work.subjects if work and work.subjects else result.subjects)[:MAX_SUGGESTIONS]
    base.suggestions = {s: work_ref for s in subjects}
    return base


def _plan_by_isbn(wanted: Wanted, library: OpenLibrary) -> EnrichmentPlan | None:
    """The edition a record's ISBN names, if Open Library knows it and its title agrees."""
    assert wanted.isbn is not None
    edition = library.edition_by_isbn(wanted.isbn)
    if edition is None or not edition.works:
        return None
    similarity = title_similarity(wanted.title, edition.title)
    if similarity < TITLE_MIN:  # a mistyped ISBN names another book: fall back to searching
        return None
    reasons = [f"ISBN {wanted.isbn} names edition {edition.key}", f"title {similarity:.2f}"]
    plan = EnrichmentPlan(wanted.edition_id, wanted.work_id, SOURCE, "enriched", round(similarity, 3), reasons)
    plan.work_ref, plan.edition_ref = edition.works[0], edition.key
    work_ref = library.url(f"/works/{edition.works[0]}.json")
    plan.fills["openlibrary-work"] = (edition.works[0], work_ref)
    plan.fills.update(_edition_fills([edition], library))
    work = library.work(edition.works[0])
    if work is not None:
        if work.first_year and work.first_year != (wanted.year or edition.year):
            plan.fills["original-date"] = ({"date-parts": [[work.first_year]]}, work_ref)
        plan.suggestions = {s: work_ref for s in work.subjects[:MAX_SUGGESTIONS]}
    return plan


def plan_enrichment(target: Target, library: OpenLibrary) -> EnrichmentPlan:
    """Look one record up and decide what to fill; raises NetworkError when the service fails."""
    wanted = wanted_of(target)
    if wanted.type not in BOOK_TYPES or not wanted.title:
        reason = f"type {wanted.type} is not a book" if wanted.title else "no title"
        return EnrichmentPlan(target.edition_id, target.work_id, SOURCE, "skipped", reasons=[reason])
    plan = _plan_by_isbn(wanted, library) if wanted.isbn else None
    if plan is None:
        plan = _plan_by_search(wanted, library)
    if plan.status == "enriched" and not any(k in CSL_FIELDS and not wanted.csl.get(k) for k in plan.fills):
        plan.status = "nothing to fill"
    return plan


def _plan_by_search(wanted: Wanted, library: OpenLibrary) -> EnrichmentPlan:
    """Search by title and the first author's name, and decide among the candidates."""
    results = library.search(wanted.title, wanted.author_query)
    if not results and wanted.author_query:
        # a misspelt name finds nothing: search by title, and let the matcher weigh the names
        results = library.search(wanted.title, None)
    return _plan(wanted, choose_work(wanted, results), library, library.url("/search.json"))


def enrich_catalog(
    catalog: Catalog,
    library: OpenLibrary,
    flt: ExportFilter | None = None,
    *,
    dry_run: bool = False,
    limit: int | None = None,
    redo: tuple[str, ...] | None = (),
    progress: Progress | None = None,
    on_targets: Callable[[int], None] | None = None,
) -> EnrichReport:
    """Enrich the records passing `flt`, committing each one; a dry run stores nothing."""
    targets = catalog.enrichment_targets(SOURCE, flt, redo)
    if limit is not None:
        targets = targets[:limit]
    if on_targets:
        on_targets(len(targets))
    report = EnrichReport(dry_run=dry_run)
    sent_before = library.client.sent
    for target in targets:
        title = str(target.csl.get("title") or "")
        if progress:
            progress(title)
        try:
            plan = plan_enrichment(target, library)
        except NetworkUnavailable as err:
            report.stopped = str(err)
            break
        except NetworkError as err:
            report.outcomes.append(Outcome(target.edition_id, title, error=str(err)))
            continue
        outcome = Outcome(target.edition_id, title, plan)
        if dry_run:
            outcome.filled = [k for k in plan.fills if target.csl.get(k) in (None, "", [])]
        elif plan.status != "skipped":
            outcome.filled = catalog.save_enrichment(plan)
        report.outcomes.append(outcome)
    report.requests = library.client.sent - sent_before
    return report
