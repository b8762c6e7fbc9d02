"""The HTTP server in front, chosen by measure: slow clients and per-request cost at once.

Each candidate serves the same ``flgraph serve`` (2 web processes × 4 application
threads, the report's data) in turn, in one run:

- requests per second (wrk, loopback) of ``/health`` (the server's own ceiling), a cached
  saved-query CSV, and an uncached /sparql look-up (every request a new query text:
  wrk's Lua script appends a counter as a comment, so no cache answers it; no per-client
  limit, as wrk's connections share one address);
- with 1,000 slow or idle sockets open (250 each: one byte then nothing, headers then a
  body byte by byte, idle, a large answer never read; each from its own loopback
  address): the latency of ``/health`` and of a cached page, 50 sequential probes each.

Target (issue: the open web): with the sockets open, p99 ≤ 100 ms; the throughput of
cached answers at least 0.8× that of the server it replaces.

    python bench/http_servers.py [--seconds 5] [--sockets 1000] [--servers granian,gunicorn]
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

from common import ROOT, Server, record
from http_throughput import warm, wrk

sys.path.insert(0, str(ROOT))
from testbed.slow_clients import probe, slow_sockets

CACHED = "/queries/countries-by-result-typology.csv"
PAGE = "/queries/countries-by-result-typology"
LOOKUP = ("PREFIX skos: <http://www.w3.org/2004/02/skos/core#> SELECT ?name WHERE { "
          "<https://w3id.org/flgraph/id/country/ZMB> skos:prefLabel ?name }")
UNIQUE = """counter = 0
request = function()
  counter = counter + 1
  return wrk.format(nil, wrk.path .. "%%23%%20" .. tostring(counter) .. "-" .. tostring(%d))
end
"""


def uncached(url: str, seconds: int, connections: int) -> tuple[float, float, int]:
    """wrk with a new query text per request (a counter in a comment)."""
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(UNIQUE % time.time_ns())
    return wrk(url, seconds, connections, script=Path(script.name))


def measure(name: str, seconds: int, sockets: int) -> dict[str, str]:
    # --per-client 0: wrk's connections all come from 127.0.0.1, and this measures the
    # server's cost per request, not one client's share
    with Server("--http-server", name, "--per-client", "0") as server:
        warm(server.url + CACHED, 8)
        probe(server.url + PAGE, 10)
        health = wrk(server.url + "/health", seconds, 8)
        cached = wrk(server.url + CACHED, seconds, 8)
        fresh = uncached(server.url + "/sparql?query=" + quote(LOOKUP), seconds, 8)
        with slow_sockets(server.url, sockets, read_path=PAGE) as held:
            time.sleep(1)
            under = {path: probe(server.url + path, 50) for path in ("/health", PAGE)}
            opened = len(held)
    row = {"server": name, "/health rps": f"{health[0]:,.0f}",
           "cached CSV rps": f"{cached[0]:,.0f}",
           "uncached /sparql rps (non-2xx)": f"{fresh[0]:,.0f} ({fresh[2]})",
           "sockets held": str(opened)}
    for path, probes in under.items():
        row[f"{path} under them: p50 / p99 ms (failed)"] = (
            f"{probes.p50 * 1000:.1f} / {probes.p99 * 1000:.1f} ({probes.failed})"
            if probes.failed < len(probes.seconds) else f"all {probes.failed} failed")
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--sockets", type=int, default=1000)
    parser.add_argument("--servers", default="granian,gunicorn")
    args = parser.parse_args()
    rows = [measure(name, args.seconds, args.sockets) for name in args.servers.split(",")]
    columns = list(rows[0])
    lines = [f"wrk -t2 -c8 -d{args.seconds}s on loopback; {args.sockets} slow sockets "
             "(one-byte, slow body, idle, slow read, in turn); 2 web processes × 4 threads.",
             "", "| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(row[c] for c in columns) + " |" for row in rows]
    table = "\n".join(lines)
    print(table)
    record("HTTP server in front: slow clients and per-request cost", table)


if __name__ == "__main__":
    main()
