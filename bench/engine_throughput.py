"""New queries, side by side: ``flgraph serve`` against ``oxigraph serve`` (the same engine
with no Python in front, in memory and on disk) and Virtuoso's own endpoint, on the same
data, in one run.

    python bench/engine_throughput.py [--data FILE] [--seconds 5] [--rounds 2]

Every request is a query the server has not seen (a counter in a trailing comment, by a
wrk script), so flgraph's response cache never answers: this is the path of a new query,
through the web process, the gateway and a query worker. Two queries: a look-up (the
statements about Zambia's IRI) and ``ASK {}``; and flgraph's ``/health`` (no query: the
ceiling of its HTTP layer, same server, same run). wrk: 2 threads, 8 connections, from
127.0.0.1; flgraph runs with ``--per-client 0`` (else one address runs one /sparql query
at a time, by design). Targets rotate within each round, so load from elsewhere on the
machine falls on all of them. Reported: requests per second and p50, and flgraph's ratio
to ``oxigraph serve`` in memory, to Virtuoso and to its own ``/health``. At 8 connections
a p50 is mostly the queue (about 8 ÷ rps), so the latency each request adds is measured
apart too, with one keep-alive client (wrk -t1 -c1): its p50, against ``oxigraph serve``'s.

Virtuoso is the benchmarks' throw-away server (bench/virtuoso_server.py: 1.3 GB of
buffers, loaded by ``flgraph load`` through its bulk loader); its default graph is the
union of the graphs, as flgraph's is. Every server the run starts is stopped however the
run ends: one that fails part-way (e.g. without the ``oxigraph`` binary) leaves none
running.
"""

from __future__ import annotations

import argparse
import contextlib
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

if __package__ in (None, ""):  # run as a script: make ``bench`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import requests

from bench import virtuoso_server
from bench.common import ROOT, Server, free_port, record, stop_process

QUERIES = {
    "look-up": "SELECT ?p ?o WHERE { <https://w3id.org/flgraph/id/country/ZMB> ?p ?o }",
    "ASK {}": "ASK {}",
}
ACCEPT = "application/sparql-results+json"
_SCRIPT = """
counter = 0
request = function()
  counter = counter + 1
  local path = "PATH" .. "%23%20" .. id .. "-" .. counter
  return wrk.format("GET", path, {["Accept"] = "ACCEPT"})
end
setup = function(thread)
  thread:set("id", tostring(math.random(1, 1000000000)))
end
"""


def oxigraph_binary() -> str:
    found = shutil.which("oxigraph") or str(Path(sys.executable).with_name("oxigraph"))
    if not Path(found).exists():
        raise SystemExit("oxigraph is not installed: pip install oxigraph (the PyPI package)")
    return found


class Oxigraph:
    """``oxigraph serve`` in memory (data POSTed to /store) or ``serve-read-only`` over a
    directory that ``oxigraph load`` filled; the default graph is the union of the named
    graphs, as flgraph's is."""

    def __init__(self, data: Path, disk: bool) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None
        self.directory = Path(tempfile.mkdtemp(prefix="bench-oxigraph-"))
        try:
            self._start(oxigraph_binary(), data, disk)
        except BaseException:  # a half-started server is not left behind
            self.stop()
            raise

    def _start(self, binary: str, data: Path, disk: bool) -> None:
        bind = ["--bind", f"127.0.0.1:{self.port}", "--union-default-graph"]
        if disk:
            subprocess.run([binary, "load", "--location", str(self.directory), "--file",
                            str(data)], check=True, capture_output=True)
            command = [binary, "serve-read-only", "--location", str(self.directory), *bind]
        else:
            command = [binary, "serve", *bind]
        self.process = subprocess.Popen(command, stdout=subprocess.DEVNULL,
                                        stderr=subprocess.DEVNULL)
        self._wait()
        if not disk:
            with data.open("rb") as body:
                requests.post(self.url + "/store", data=body, timeout=600,
                              headers={"Content-Type": "application/trig"}).raise_for_status()

    def _wait(self) -> None:
        for _ in range(600):
            try:
                requests.get(self.url + "/query", params={"query": "ASK {}"}, timeout=1)
                return
            except requests.RequestException:
                time.sleep(0.05)
        raise RuntimeError("oxigraph serve did not start")

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            stop_process(self.process)
        shutil.rmtree(self.directory, ignore_errors=True)

    def __enter__(self) -> Oxigraph:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


@contextlib.contextmanager
def virtuoso(data: Path):
    """Virtuoso loaded with ``data``: the URL of its /sparql endpoint; stopped and its
    files deleted afterwards."""
    directory = Path(tempfile.mkdtemp(prefix="bench-virtuoso-"))
    try:
        with virtuoso_server.server(directory) as instance:
            virtuoso_server.load(instance, data)
            yield instance.sparql
    finally:
        shutil.rmtree(directory, ignore_errors=True)


def wrk(url: str, path: str, seconds: int, unique: bool,
        connections: int = 8) -> tuple[float, float, int]:
    """(requests per second, p50 in ms, failed requests); every request new when
    ``unique``. A failure is a non-2xx answer (e.g. 429 when every worker stayed busy
    past the queue wait) or a request unanswered within wrk's 2 s."""
    threads = min(2, connections)
    args = ["wrk", f"-t{threads}", f"-c{connections}", f"-d{seconds}s", "--latency"]
    with tempfile.NamedTemporaryFile("w", suffix=".lua", delete=False) as script:
        script.write(_SCRIPT.replace("PATH", path).replace("ACCEPT", ACCEPT) if unique else "")
    out = subprocess.run([*args, "-s", script.name, url + path], capture_output=True,
                         text=True, check=True).stdout
    Path(script.name).unlink()
    bad = re.search(r"Non-2xx or 3xx responses:\s+(\d+)", out)
    timeouts = re.search(r"timeout (\d+)", out)
    failed = (int(bad.group(1)) if bad else 0) + (int(timeouts.group(1)) if timeouts else 0)
    rps = float(re.search(r"Requests/sec:\s+([\d.]+)", out).group(1))
    return rps, _ms(re.search(r"50%\s+([\d.]+\w+)", out).group(1)), failed


def _ms(text: str) -> float:
    value, unit = re.match(r"([\d.]+)(\w+)", text).groups()
    return float(value) * {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}[unit]


def check_same_answers(flgraph: str, others: dict[str, str]) -> None:
    """The look-up answers the same rows everywhere (else the comparison means nothing)."""
    def rows(url: str) -> list:
        body = requests.get(url, params={"query": QUERIES["look-up"]}, timeout=30,
                            headers={"Accept": ACCEPT}).json()
        return sorted((b["p"]["value"], b["o"]["value"]) for b in body["results"]["bindings"])

    expected = rows(flgraph)
    for name, url in others.items():
        if rows(url) != expected:
            raise SystemExit(f"{name} answers the look-up differently from flgraph")


def run(data: Path, seconds: int, rounds: int, before: Path | None) -> str:
    oxigraph_binary()  # before anything starts: a missing binary stops the run at once
    with contextlib.ExitStack() as servers:  # every server started is stopped, whatever
        flgraph = servers.enter_context(
            Server("--data", str(data), "--per-client", "0", wait=600))
        targets = {"flgraph": (flgraph.url, "/sparql?query=")}
        if before is not None:  # the same command from another checkout's src/
            old = servers.enter_context(Server("--data", str(data), "--per-client", "0",
                                               wait=600, env={"PYTHONPATH": str(before)}))
            targets["flgraph before"] = (old.url, "/sparql?query=")
        memory = servers.enter_context(Oxigraph(data, disk=False))
        disk = servers.enter_context(Oxigraph(data, disk=True))
        endpoint = servers.enter_context(virtuoso(data))
        targets |= {
            "oxigraph serve (memory)": (memory.url, "/query?query="),
            "oxigraph serve (disk)": (disk.url, "/query?query="),
            "Virtuoso": (endpoint.removesuffix("/sparql"), "/sparql?query=")}
        check_same_answers(flgraph.url + "/sparql", {
            name: url + prefix.split("?")[0] for name, (url, prefix) in targets.items()
            if name != "flgraph"})
        samples = measure(targets, flgraph.url, seconds, rounds)
    return table(data, samples)


def measure(targets: dict[str, tuple[str, str]], flgraph: str, seconds: int,
            rounds: int) -> dict:
    """wrk samples of every target for every query, rotating within each round, and of
    flgraph's ``/health``; with the load average at the start and the end."""
    samples: dict = {"load": [os.getloadavg()[0]]}
    for _ in range(rounds):
        for label, query in QUERIES.items():
            for name, (url, prefix) in targets.items():
                samples.setdefault((name, label), []).append(
                    wrk(url, prefix + quote(query), seconds, unique=True))
                samples.setdefault((name, label, 1), []).append(
                    wrk(url, prefix + quote(query), seconds, unique=True, connections=1))
        samples.setdefault(("flgraph", "/health"), []).append(
            wrk(flgraph, "/health", seconds, unique=False))
        samples.setdefault(("flgraph", "/health", 1), []).append(
            wrk(flgraph, "/health", seconds, unique=False, connections=1))
    samples["load"].append(os.getloadavg()[0])
    return samples


def table(data: Path, samples) -> str:
    def median(name: str, label: str, connections: int = 8) -> tuple[float, float]:
        values = samples[(name, label) if connections == 8 else (name, label, connections)]
        return (statistics.median(v[0] for v in values), statistics.median(v[1] for v in values))

    def failed(name: str, label: str) -> int:
        return sum(v[2] for v in samples[(name, label)])

    health_rps, health_p50 = median("flgraph", "/health")
    health_one = median("flgraph", "/health", 1)[1]
    lines = [f"Data: {data.name}. `/health` of the same flgraph server: {health_rps:,.0f} rps, "
             f"p50 {health_p50:.2f} ms; p50 with one client {health_one:.2f} ms. Load average "
             f"(1 min) at start and end: {samples['load'][0]:.1f}, {samples['load'][1]:.1f}.",
             "", "| query | server | rps | p50 ms | failed | flgraph / ox-mem rps | "
             "flgraph p50 − ox-mem | flgraph / Virtuoso rps | flgraph p50 − Virtuoso | "
             "flgraph / its /health rps | p50 ms, one client | flgraph's − ox-mem's, one "
             "client |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for label in QUERIES:
        ox_rps, ox_p50 = median("oxigraph serve (memory)", label)
        ox_one = median("oxigraph serve (memory)", label, 1)[1]
        vi_rps, vi_p50 = median("Virtuoso", label)
        names = ["flgraph", *(["flgraph before"] if ("flgraph before", label) in samples
                              else []), "oxigraph serve (memory)", "oxigraph serve (disk)",
                 "Virtuoso"]
        for name in names:
            rps, p50 = median(name, label)
            one = median(name, label, 1)[1]
            ours = name.startswith("flgraph")
            ratios = (f"**{rps / ox_rps:.2f}×** | {p50 - ox_p50:+.2f} ms | "
                      f"**{rps / vi_rps:.2f}×** | {p50 - vi_p50:+.2f} ms | "
                      f"**{rps / health_rps:.2f}×**") if ours else " | | | | "
            lines.append(f"| {label} | {name} | {rps:,.0f} | {p50:.2f} | {failed(name, label)} "
                         f"| {ratios} | {one:.2f} | "
                         f"{f'**{one - ox_one:+.2f} ms**' if ours else ''} |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, nargs="+", default=[ROOT / "data" / "flgraph.trig"])
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--before", type=Path, help="another checkout's src/ directory: "
                        "its flgraph serve is measured too, as the baseline")
    args = parser.parse_args()
    body = "\n\n".join(run(data, args.seconds, args.rounds, args.before)
                         for data in args.data)
    print(body)
    record("New queries against oxigraph serve and Virtuoso (bench/engine_throughput.py)",
           f"wrk -t2 -c8 (and -t1 -c1 for the one-client p50), {args.seconds} s per sample, "
           f"medians of {args.rounds} rounds; every request a new query text (no cache)."
           f"\n\n{body}")


if __name__ == "__main__":
    main()
