"""Metadata look-ups over HTTP (Open Library), matched with care, filling empty fields only."""

from __future__ import annotations

from biblio.enrich.run import SOURCE, EnrichReport, Outcome, enrich_catalog, plan_enrichment

__all__ = ["SOURCE", "EnrichReport", "Outcome", "enrich_catalog", "plan_enrichment"]
