"""Cold start and memory of ``flgraph serve``.

Targets (issue: performance): from ``flgraph serve`` to the first 200 of ``/`` ≤ 1.5 s on
the report data and ≤ 3 s on a 2M-triple on-disk store (no reload); peak memory per
process ≤ 150 MB on the report data and ≤ 500 MB on the 2M-triple on-disk store.

    python bench/cold_start.py [--store oxigraph:PATH] [--runs 5]
"""

from __future__ import annotations

import argparse
import statistics
import time

import psutil
import requests
from common import Server, record

PAGES = [
    "/",
    "/queries/",
    "/queries/table-1",
    "/id/country/ZMB",
    "/sparql?query=ASK%7B%7D",
    "/validation",
    "/download/",
]


def tree_rss(pid: int) -> dict[str, int]:
    """Resident memory of each process of the server (gunicorn arbiter, web and query
    workers), in bytes."""
    root = psutil.Process(pid)
    out = {}
    for proc in [root, *root.children(recursive=True)]:
        try:
            out[f"{proc.pid} {' '.join(proc.cmdline()[1:3])}"] = proc.memory_info().rss
        except psutil.Error:
            pass
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", default=None, help="oxigraph:PATH for an on-disk store")
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    extra = ["--store", args.store] if args.store else []
    starts, peaks = [], []
    for _ in range(args.runs):
        with Server(*extra) as server:
            starts.append(server.ready_after)
            peak: dict[str, int] = {}
            for _ in range(3):  # visit every kind of page, then read the memory
                for page in PAGES:
                    requests.get(server.url + page, timeout=120)
                time.sleep(0.2)
                for key, rss in tree_rss(server.process.pid).items():
                    peak[key] = max(peak.get(key, 0), rss)
            peaks.append(max(peak.values()))
    label = args.store or "report data, memory store"
    limit_start, limit_mem = (3.0, 500) if args.store else (1.5, 150)
    start, mem = statistics.median(starts), max(peaks) / 2**20
    table = "\n".join(
        [
            f"Store: {label}; {args.runs} cold starts (`flgraph serve` to the first 200 of `/`), then "
            f"every kind of page visited and the resident memory of each process read.",
            "",
            "| measure | value | target | |",
            "|---|---:|---:|---|",
            f"| cold start, median (min–max) | {start:.2f} s ({min(starts):.2f}–{max(starts):.2f}) | "
            f"≤ {limit_start} s | {'met' if start <= limit_start else 'NOT met'} |",
            f"| peak RSS of the largest process | {mem:.0f} MB | ≤ {limit_mem} MB | "
            f"{'met' if mem <= limit_mem else 'NOT met'} |",
        ]
    )
    print(table)
    record(f"Cold start and memory ({label})", table)


if __name__ == "__main__":
    main()
