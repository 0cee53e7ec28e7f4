"""Storing alone: `Catalog.store_document` on the bench documents, extraction done beforehand.

usage: python -m bench.store SIZE [--profile cumulative|tottime] [--profile-from N]

Each document is read and extracted first (untimed); then each
`store_document` into a fresh SQLite catalog is timed, so the figure is the
storing and per-document resolution alone (docs/ingest-speed.md).  Prints one
JSON line: CPU and wall µs an entry, overall and for the first and last fifth of
the documents (a cost that grows with the catalog shows there).
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import tempfile
import time

from bench.documents import documents

PER_DOCUMENT = 500


def main() -> None:
    """Prepare the documents, then time storing them one by one."""
    from biblio.catalog import Catalog
    from biblio.documents import read_bytes
    from biblio.extract import describe_document, extract_citations

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("size", type=int)
    parser.add_argument("--profile", choices=("cumulative", "tottime"), help="print a cProfile of the stores")
    parser.add_argument("--profile-from", type=int, default=0, help="profile from this document on")
    args = parser.parse_args()
    prepared = []
    for doc in documents(args.size, PER_DOCUMENT):
        read = read_bytes(doc.markdown.encode("utf-8"), doc.name)
        prepared.append((read, extract_citations(read), describe_document(read), doc.name))
    profile = cProfile.Profile()
    per_document: list[tuple[int, float, float]] = []
    with tempfile.TemporaryDirectory() as tmp:
        catalog = Catalog(f"sqlite:///{tmp}/store.db")
        for number, (doc, citations, own, name) in enumerate(prepared):
            if args.profile and number >= args.profile_from:
                profile.enable()
            wall, cpu = time.perf_counter(), time.process_time()
            catalog.store_document(doc, citations, own, f"bench/{name}")
            per_document.append((len(citations), time.perf_counter() - wall, time.process_time() - cpu))
            profile.disable()
        catalog.close()

    def rate(part: list[tuple[int, float, float]], index: int) -> float:
        return round(sum(p[index] for p in part) / max(1, sum(p[0] for p in part)) * 1e6, 1)

    fifth = max(1, len(per_document) // 5)
    print(
        json.dumps(
            {
                "stage": "store",
                "size": args.size,
                "entries": sum(p[0] for p in per_document),
                "wall_us_per_entry": rate(per_document, 1),
                "cpu_us_per_entry": rate(per_document, 2),
                "first_fifth_cpu_us": rate(per_document[:fifth], 2),
                "last_fifth_cpu_us": rate(per_document[-fifth:], 2),
            }
        )
    )
    if args.profile:
        pstats.Stats(profile).sort_stats(args.profile).print_stats(50)


if __name__ == "__main__":
    main()
