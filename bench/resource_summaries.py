"""What a resource page's summary costs: each kind of /id/ page rendered with its summary
and without it (the baseline, in the same run), in one web process with its answers not
kept (``FLGRAPH_CACHE`` off), so that every visit runs the page's queries anew.

    python bench/resource_summaries.py [--data data/flgraph.trig] [--rounds 7]

Prints the median time of each page with and without its summary and their ratio, and
appends the table to bench/RESULTS.md.
"""

from __future__ import annotations

import argparse
import statistics
import time
from pathlib import Path

from common import record
from flgraph.web import create_app, resources

PAGES = ["/id/country/BRA", "/id/indicator/15.1", "/id/outcome/15", "/id/organisation/ilo",
         "/id/publication/caught-at-sea-forced-labour-and-trafficking-in-fisheries",
         "/id/chain/15/BRA", "/id/result/15.1/NPL/programmes",
         "/id/programme/BRA/integration-action-programme", "/id/lesson/15/1"]
BROWSER = {"Accept": "text/html"}


def visit_ms(client, path: str) -> float:
    started = time.perf_counter()
    response = client.get(path, headers=BROWSER)
    assert response.status_code == 200, path
    return (time.perf_counter() - started) * 1000


def paired_medians(client, path: str, rounds: int) -> tuple[float, float]:
    """Median times with and without the summary, visited in turn round by round, so that
    a change in the machine's load falls on both alike."""
    real = resources.summary
    with_summary, without = [], []
    for _ in range(rounds):
        with_summary.append(visit_ms(client, path))
        resources.summary = lambda *args, **kwargs: None
        try:
            without.append(visit_ms(client, path))
        finally:
            resources.summary = real
    return statistics.median(with_summary), statistics.median(without)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--data", type=Path, default=None)
    parser.add_argument("--rounds", type=int, default=7)
    args = parser.parse_args()
    app = create_app({"FLGRAPH_DATA": args.data, "FLGRAPH_CACHE": False})
    client = app.test_client()
    for path in PAGES:  # templates compiled, term names read: not what is measured
        client.get(path, headers=BROWSER)
    medians = {path: paired_medians(client, path, args.rounds) for path in PAGES}
    with_summary = {path: found for path, (found, _) in medians.items()}
    without = {path: found for path, (_, found) in medians.items()}
    rows = ["| page | with summary ms | without ms | ratio |", "|---|---:|---:|---:|"]
    rows += [f"| `{p}` | {with_summary[p]:.1f} | {without[p]:.1f} | "
             f"{with_summary[p] / without[p]:.2f} |" for p in PAGES]
    table = "\n".join(rows)
    print(table)
    record("Resource pages with and without their summary",
           f"Median of {args.rounds} visits each, with and without in turn, one web "
           f"process, answers not kept; data: {args.data or 'data/flgraph.trig'}."
           f"\n\n{table}\n")


if __name__ == "__main__":
    main()
