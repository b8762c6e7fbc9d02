"""A saved query's later pages and downloads against its first page, on a large store.

The site computes a saved query's answer once per parameters and dataset version and
serves its pages and formats from it (src/flgraph/web/queries.py). This times, on a
served store, the first page of each large saved query (which runs the query) and then
its pages 2 to 6 and its CSV (which should not), as a reader paging through it would;
the ratio is the first page's time over the median later request's, in the same run.
Each round starts a new server, so that every first page runs its query.

    python bench/answer_reuse.py [--store oxigraph:bench/work/stores/oxigraph-2m] [--rounds 3]

Web processes keep their own answers: with several (``--workers``, 2 by default) a
later page served by another process runs the query once more there; the script runs
with the server's defaults and reports how many later requests took longer than half
the first page's time.
"""

from __future__ import annotations

import argparse
import statistics
import time

import requests

from common import Server, record

QUERIES = ("organisations", "quantities", "timeline")
LATER = [f"?page={page}" for page in range(2, 7)] + [".csv"]


def timed(url: str) -> float:
    started = time.perf_counter()
    response = requests.get(url, timeout=120)
    response.raise_for_status()
    return (time.perf_counter() - started) * 1000


def one_round(store: str, timeout: float) -> dict[str, tuple[float, list[float]]]:
    with Server("--store", store, "--timeout", str(timeout), wait=120) as server:
        out = {}
        for name in QUERIES:
            base = f"{server.url}/queries/{name}"
            first = timed(base)
            out[name] = (first, [timed(base + later) for later in LATER])
        return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", default="oxigraph:bench/work/stores/oxigraph-2m")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--timeout", type=float, default=60.0,
                        help="the server's query deadline (the first pages may pass 5 s)")
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args()
    rounds = [one_round(args.store, args.timeout) for _ in range(args.rounds)]
    lines = [
        f"`flgraph serve --store {args.store} --timeout {args.timeout:g}` with its defaults "
        f"(2 web workers); {args.rounds} rounds, a new server each. Per round: the first "
        "page of each query (runs it), then pages 2–6 and the CSV (6 later requests).",
        "",
        "| saved query | first page, ms (median) | later request, ms (median) | first / later "
        "| later requests over half the first |",
        "|---|---:|---:|---:|---:|",
    ]
    for name in QUERIES:
        firsts = [r[name][0] for r in rounds]
        laters = [t for r in rounds for t in r[name][1]]
        slow = sum(t > r[name][0] / 2 for r in rounds for t in r[name][1])
        first, later = statistics.median(firsts), statistics.median(laters)
        lines.append(f"| {name} | {first:,.0f} | {later:,.1f} | {first / later:,.0f}× "
                     f"| {slow} of {len(laters)} |")
    body = "\n".join(lines)
    print(body)
    if not args.no_record:
        record("Later pages of a saved query reuse its answer (bench/answer_reuse.py)", body)


if __name__ == "__main__":
    main()
