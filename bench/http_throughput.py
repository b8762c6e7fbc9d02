"""Requests per second of cached pages against the server's own ceiling (``/health``).

Target (issue: performance): a saved-query page, a resource page and a repeated /sparql
query each sustain ≥ 50 % of the requests per second of ``/health`` on the same server,
measured with wrk on loopback in the same run, with p99 ≤ 50 ms at that load.

    python bench/http_throughput.py [--seconds 10] [--connections 8] [--rounds 3]
        [--http-server granian --http-server gunicorn] [--before OLD/src]

``--before``: the same server also run from another copy of the code (the ``src``
directory of a checkout of the earlier commit), in the same interleaved rounds, and each
target's throughput after ÷ before.
"""

from __future__ import annotations

import argparse
import contextlib
import re
import shutil
import statistics
import subprocess
import time
from pathlib import Path
from urllib.parse import quote

from common import Server, record

SPARQL = (
    "PREFIX flg: <https://w3id.org/flgraph/ontology#> SELECT ?c WHERE { ?l a "
    "flg:TypologyListing ; flg:country ?c } LIMIT 20"
)
TARGETS = {
    "/health (ceiling)": "/health",
    "saved-query page (HTML)": "/queries/target-vs-result-by-region",
    "saved-query CSV": "/queries/countries-by-result-typology.csv",
    "resource page (HTML)": "/id/country/ZMB",
    "repeated /sparql query": "/sparql?query=" + quote(SPARQL),
    # under and past web/front.py's PIPED_ANSWER (1 MiB: written through a pipe, with the
    # write timeout)
    "cached answer of 445 kB": "/sparql?query=" + quote("CONSTRUCT WHERE { ?s ?p ?o }"),
    "cached answer of 1.9 MB": "/sparql?query=" + quote("SELECT * WHERE { ?s ?p ?o }"),
}


def wrk(url: str, seconds: int, connections: int,
        script: Path | None = None) -> tuple[float, float, int]:
    """Requests per second, p99 latency in ms, and non-2xx/3xx count (``script``: a Lua
    script of wrk's that makes each request)."""
    extra = ["-s", str(script)] if script else []
    out = subprocess.run(
        ["wrk", "-t2", f"-c{connections}", f"-d{seconds}s", "--latency", *extra, url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    p99 = _ms(re.search(r"99%\s+([\d.]+\w+)", out).group(1))
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    return rps, p99, int(bad.group(1)) if bad else 0


def warm(url: str, connections: int, rounds: int = 50) -> None:
    """Fill the answer cache of every web process: rounds of ``connections`` requests at
    once until a whole round is answered from cache. One request at a time may reach one
    process only; the other's first /sparql answer is then computed during the timed run,
    and the client's other requests meanwhile get 429 (one public query per client at a
    time, by design)."""
    from concurrent.futures import ThreadPoolExecutor

    import requests

    def one(_):
        # wrk's requests carry no Accept header; the cache key holds it
        response = requests.get(url, headers={"Accept": None}, timeout=30)
        return response.status_code == 200 and response.headers.get("X-Flgraph-Cache") == "hit"

    with ThreadPoolExecutor(connections) as pool:
        for _ in range(rounds):
            if all(pool.map(one, range(connections * 2))):
                return
            time.sleep(0.2)
    raise SystemExit(f"{url}: not answered from cache after {rounds} rounds of requests")


def _ms(text: str) -> float:
    value, unit = re.match(r"([\d.]+)(\w+)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=8)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--http-server", action="append", choices=("granian", "gunicorn"),
                        help="The server(s) in front (repeat for several, measured in "
                             "interleaved rounds of the same run); default granian.")
    parser.add_argument("--before", type=Path,
                        help="src directory of the code before a change: its server is "
                             "measured in the same rounds, as '<server> before'.")
    args = parser.parse_args()
    if not shutil.which("wrk"):
        raise SystemExit("wrk is not installed (Debian package wrk)")
    servers = args.http_server or ["granian"]
    envs = {front: None for front in servers}
    if args.before:
        envs = {**{f"{front} before": {"PYTHONPATH": str(args.before.resolve())}
                   for front in servers}, **envs}
        servers = list(envs)
    results = {(front, name): [] for front in servers for name in TARGETS}
    with contextlib.ExitStack() as stack:
        urls = {front: stack.enter_context(Server("--http-server", front.split()[0],
                                                  env=envs[front])).url
                for front in servers}
        for url in urls.values():
            for path in TARGETS.values():
                if path != "/health":  # never cached
                    warm(url + path, args.connections)
        for _ in range(args.rounds):  # interleaved rounds: noise hits every target alike
            for front, url in urls.items():
                for name, path in TARGETS.items():
                    results[front, name].append(wrk(url + path, args.seconds,
                                                    args.connections))
    tables = [table(front, {name: results[front, name] for name in TARGETS}, args)
              for front in servers]
    if len(servers) > 1:
        tables.append(comparison(servers, results))
    text = "\n\n".join(tables)
    print(text)
    record("HTTP throughput of cached answers", text)


def table(front: str, results: dict[str, list[tuple[float, float, int]]], args) -> str:
    ceiling = statistics.median(r[0] for r in results["/health (ceiling)"])
    lines = [
        f"wrk -t2 -c{args.connections} -d{args.seconds}s, {args.rounds} interleaved rounds, "
        f"medians; `flgraph serve --http-server {front.split()[0]}` (2 processes × 4 "
        f"threads) on loopback{', the code before' if front.endswith('before') else ''}.",
        "",
        "| target | requests/s | vs /health | p99 (ms) | errors | ≥ 50 % and p99 ≤ 50 ms |",
        "|---|---:|---:|---:|---:|---|",
    ]
    for name, runs in results.items():
        rps = statistics.median(r[0] for r in runs)
        p99 = statistics.median(r[1] for r in runs)
        errors = sum(r[2] for r in runs)
        ok = (
            "—"
            if name.startswith("/health")
            else ("met" if rps >= 0.5 * ceiling and p99 <= 50 and not errors else "NOT met")
        )
        lines.append(f"| {name} | {rps:,.0f} | {rps / ceiling:.0%} | {p99:.1f} | {errors} | {ok} |")
    return "\n".join(lines)


def comparison(servers: list[str], results: dict) -> str:
    """Each target's requests per second under each server against the first's."""
    first = servers[0]
    lines = [f"| target | {' | '.join(f'{s} / {first}' for s in servers[1:])} |",
             "|---|" + "---:|" * (len(servers) - 1)]
    for name in TARGETS:
        base = statistics.median(r[0] for r in results[first, name])
        ratios = [statistics.median(r[0] for r in results[s, name]) / base
                  for s in servers[1:]]
        lines.append(f"| {name} | {' | '.join(f'{r:.2f}×' for r in ratios)} |")
    return "\n".join(lines)


if __name__ == "__main__":
    main()
