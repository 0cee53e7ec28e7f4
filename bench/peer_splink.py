"""The peer for deduplication: splink (DuckDB backend) on the same generated records.

A typical splink model for a book catalog: folded title, first author's family
and given name, year, publisher, place, volume; u estimated by random
sampling, m by expectation maximisation on two blocking rules; predictions
blocked on (family skeleton-free) first title words and on author + year;
clusters at a match probability of 0.95.  Its clusters are editions (splink
has no notion of a work), so it is scored against the edition truth.

Optional: `pip install -e ".[bench]"` (splink, duckdb).
"""

from __future__ import annotations

import logging
import time
from typing import Any

from bench.corpus import GeneratedRecord
from biblio.resolve.keys import fold_text, title_key

__all__ = ["splink_clusters"]

_SAME_VOLUME = "coalesce(l.volume, '') = coalesce(r.volume, '')"


def _rows(records: list[GeneratedRecord]) -> dict[str, list[Any]]:
    """Columns for splink: one row per record, the fields a person would give it."""
    cols: dict[str, list[Any]] = {
        k: [] for k in ("unique_id", "title", "family", "given", "year", "publisher", "place", "volume")
    }
    for i, r in enumerate(records):
        csl = r.csl
        first = (csl.get("author") or [{}])[0]
        cols["unique_id"].append(i)
        cols["title"].append(title_key(csl.get("title")) or None)
        cols["family"].append(fold_text(first.get("family")) or None)
        cols["given"].append(fold_text(first.get("given")) or None)
        cols["year"].append(((csl.get("issued") or {}).get("date-parts") or [[None]])[0][0])
        cols["publisher"].append(fold_text(csl.get("publisher")) or None)
        cols["place"].append(fold_text(csl.get("publisher-place")) or None)
        cols["volume"].append(str(csl["volume"]) if csl.get("volume") else None)
    return cols


def splink_clusters(records: list[GeneratedRecord]) -> tuple[list[int], dict[str, float]]:
    """Cluster ids per record (in order) and the seconds each stage took."""
    import duckdb
    import pyarrow as pa
    import splink.comparison_library as cl
    from splink import DuckDBAPI, Linker, SettingsCreator, block_on

    timings: dict[str, float] = {}
    start = time.perf_counter()
    table = pa.table(_rows(records))
    con = duckdb.connect()
    db_api = DuckDBAPI(connection=con)
    df = db_api.register(table)
    settings = SettingsCreator(
        link_type="dedupe_only",
        comparisons=[
            cl.JaroWinklerAtThresholds("title", [0.97, 0.9]),
            cl.NameComparison("family"),
            cl.JaroWinklerAtThresholds("given", [0.9]),
            cl.ExactMatch("year"),
            cl.JaroWinklerAtThresholds("publisher", [0.9]),
            cl.ExactMatch("place"),
            cl.ExactMatch("volume"),
        ],
        # a volume is a hard constraint (as biblio's veto): a splink user writes it into the blocking rules,
        # otherwise EM, trained on pairs blocked by title, learns that volumes differ among matches
        blocking_rules_to_generate_predictions=[
            f"substr(l.title, 1, 8) = substr(r.title, 1, 8) and l.year = r.year and {_SAME_VOLUME}",
            f"l.family = r.family and l.year = r.year and {_SAME_VOLUME}",
        ],
        retain_intermediate_calculation_columns=False,
        retain_matching_columns=False,
    )
    linker = Linker(df, settings, log_level=logging.WARNING)
    linker.training.estimate_probability_two_random_records_match([block_on("title", "family", "year")], recall=0.8)
    linker.training.estimate_u_using_random_sampling(max_pairs=1e6, seed=1)
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("title"))
    linker.training.estimate_parameters_using_expectation_maximisation(block_on("family", "year"))
    timings["train_s"] = time.perf_counter() - start
    predictions = linker.inference.predict(threshold_match_probability=0.5)
    clusters = linker.clustering.cluster_pairwise_predictions_at_threshold(predictions, 0.95)
    rows = clusters.as_pyarrow_table().select(["unique_id", "cluster_id"]).to_pydict()
    timings["seconds"] = time.perf_counter() - start
    label: dict[Any, int] = {}
    out = [0] * len(records)
    for uid, cid in zip(rows["unique_id"], rows["cluster_id"], strict=True):
        out[int(uid)] = label.setdefault(cid, len(label))
    con.close()
    return out, timings
