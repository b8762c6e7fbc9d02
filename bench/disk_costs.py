"""Where the on-disk store's time goes in the saved queries it answers slowest.

Each query is timed three ways on the same store, in the same run: as saved; without its
ORDER BY (the rows, decoded, unsorted); and as a COUNT of its solutions (the joins, no
term decoded). Differences give the sort's and the decoding's share. The in-memory store
runs the same three forms on the same data as the baseline; the last column is the
on-disk time over the in-memory one.

    python bench/disk_costs.py [--size 2m] [--runs 3] [--no-record]

Needs bench/work/synth-SIZE.trig and the store bench/stores.py leaves in
bench/work/stores/oxigraph-SIZE.
"""

from __future__ import annotations

import argparse
import re
import statistics
import time

import pyoxigraph as ox

from common import ROOT, record
from flgraph.durable import active_directory
from flgraph.rdfio import read_quads

QUERIES = ("organisations", "quantities", "timeline", "countries-by-result-typology",
           "results-chain")


def forms(text: str) -> dict[str, str]:
    """The query as saved, without its ORDER BY, and as a COUNT of its solutions."""
    unsorted = text[: text.rindex("ORDER BY")]
    count = re.sub(r"SELECT\b.*?\bWHERE", "SELECT (COUNT(*) AS ?n) WHERE", unsorted,
                   count=1, flags=re.S)
    return {"saved": text, "unsorted": unsorted, "count": count}


def median_ms(store: ox.Store, text: str, runs: int) -> float:
    times = []
    for _ in range(runs + 1):  # the first run warms the caches and is not counted
        started = time.perf_counter()
        for _row in store.query(text, use_default_graph_as_union=True):
            pass
        times.append((time.perf_counter() - started) * 1000)
    return statistics.median(times[1:])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--size", default="2m")
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args()
    work = ROOT / "bench" / "work"
    disk = ox.Store.read_only(str(active_directory(work / "stores" / f"oxigraph-{args.size}")))
    memory = ox.Store()
    memory.extend(read_quads(work / f"synth-{args.size}.trig"))
    lines = [
        f"{len(disk):,} triples; median of {args.runs} runs after one warm-up, ms. "
        "`unsorted`: without ORDER BY; `count`: COUNT of the solutions (joins only).",
        "",
        "| saved query | form | disk | memory | disk / memory |",
        "|---|---|---:|---:|---:|",
    ]
    for name in QUERIES:
        text = (ROOT / "queries" / f"{name}.rq").read_text(encoding="utf-8")
        for form, query in forms(text).items():
            on_disk = median_ms(disk, query, args.runs)
            in_memory = median_ms(memory, query, args.runs)
            lines.append(f"| {name} | {form} | {on_disk:,.0f} | {in_memory:,.0f} "
                         f"| {on_disk / in_memory:.1f}× |")
    body = "\n".join(lines)
    print(body)
    if not args.no_record:
        record("Where the on-disk store's time goes (bench/disk_costs.py)", body)


if __name__ == "__main__":
    main()
