"""Every kind of page of the site on a large store: the first visit and the next one.

A reader's tour of a served store, each page asked twice in a row (the second comes
from the answers and dumps kept for the dataset version): time, size and status, with
``/health`` timed in the same run as the floor, and the web process's resident memory
after each page. Pages whose first visit takes long on large data (a dump, the
validation report) are written or computed once per version, in a child process.

    python bench/site_pages.py [--store oxigraph:bench/work/stores/oxigraph-2m]

One web process (``--workers 1``) so that the second visit meets what the first left;
the query deadline is raised (``--timeout``, 60 s by default) so that slow first visits
are timed rather than refused.
"""

from __future__ import annotations

import argparse
import time

import psutil
import requests

from common import Server, record
from flgraph.query.saved import load_queries

PAGES = [
    "/health", "/", "/queries/", "/ontology", "/sparql", "/validation", "/download/",
    "/download/flgraph.nq", "/download/flgraph.ttl", "/.well-known/void",
    "/id/country/ZMB", "/id/result/15.1/ZMB", "/id/outcome/15", "/id/indicator/15.1",
]


def visit(url: str) -> tuple[float, int, int]:
    started = time.perf_counter()
    response = requests.get(url, timeout=900, headers={"Accept": "text/html, */*;q=0.1"})
    return (time.perf_counter() - started) * 1000, len(response.content), response.status_code


def _web_process(arbiter: psutil.Process) -> psutil.Process:
    """gunicorn's web process: the arbiter's child that runs flgraph (query workers and
    other children are spawned by it, with multiprocessing's command line)."""
    for child in arbiter.children():
        if "multiprocessing" not in " ".join(child.cmdline()):
            return child
    raise RuntimeError("no web process under the server")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", default="oxigraph:bench/work/stores/oxigraph-2m")
    parser.add_argument("--timeout", type=float, default=60.0)
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args()
    pages = PAGES + [f"/queries/{name}" for name in load_queries()]
    lines = [
        f"`flgraph serve --store {args.store} --workers 1 --timeout {args.timeout:g}`; "
        "each page asked twice in a row, `Accept: text/html` first.",
        "",
        "| page | first visit, ms | size | status | second visit, ms | web process RSS after, MB |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    with Server("--store", args.store, "--workers", "1", "--timeout", str(args.timeout),
                wait=300) as server:
        web = _web_process(psutil.Process(server.process.pid))
        for page in pages:
            first, size, status = visit(server.url + page)
            second, _, _ = visit(server.url + page)
            lines.append(f"| `{page}` | {first:,.1f} | {size / 1e6:,.2f} MB | {status} "
                         f"| {second:,.1f} | {web.memory_info().rss / 2**20:,.0f} |")
            print(lines[-1], flush=True)
    body = "\n".join(lines)
    if not args.no_record:
        record("Every kind of page on a large store (bench/site_pages.py)", body)


if __name__ == "__main__":
    main()
