"""Where a new query's time goes: CPU per request in each layer of ``flgraph serve``.

    python bench/request_costs.py [--data FILE] [--seconds 5] [--rounds 3] [--before SRC]

Throughput on this machine is bounded by CPU (2 cores, wrk on the same machine), so the
cost of a request is the CPU it takes, summed over the processes that serve it. For
``/health`` (the HTTP layer alone), ``ASK {}`` and a look-up (the statements about
Zambia's IRI), each request a query never seen before (the response cache never
answers), wrk runs for ``--seconds``; the CPU time (user + system) of the web
processes (granian's event loop, the front door, Flask, the hand-off to the engine) and
of the engine (its query workers) is read from /proc before and after, and divided by
the requests answered. ``--before``: the same from another checkout's ``src/``, in the
same rounds (targets alternate), so that load from elsewhere falls on both.

CPU per request is steadier than requests per second on a shared machine, and it names
the layer that holds the time: ``/health``'s cost is the ceiling every page and query
pays, the rest is the query's own.
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
from pathlib import Path
from urllib.parse import quote

if __package__ in (None, ""):  # run as a script: make ``bench`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psutil

from bench.common import ROOT, Server, record
from bench.engine_throughput import QUERIES, wrk

ENGINE_MARK = "flgraph.query.engine.server"
LABELS = ("/health", "ASK {}", "look-up")


def query_path(label: str) -> str:
    if label == "/health":
        return "/health"
    return "/sparql?query=" + quote(QUERIES[label])


def layers(server: Server) -> dict[str, list[psutil.Process]]:
    """The server's processes by layer: ``web`` (the HTTP server's processes) and
    ``engine`` (the engine's supervisor, generation and query workers)."""
    found: dict[str, list[psutil.Process]] = {"web": [], "engine": []}
    for child in psutil.Process(server.process.pid).children(recursive=True):
        try:
            engine = any(ENGINE_MARK in part for part in child.cmdline())
        except psutil.Error:
            continue
        found["engine" if engine else "web"].append(child)
    return found


def cpu_seconds(processes: list[psutil.Process]) -> dict[int, float]:
    times = {}
    for process in processes:
        try:
            used = process.cpu_times()
            times[process.pid] = used.user + used.system
        except psutil.Error:
            continue
    return times


def measure(server: Server, label: str, seconds: int) -> dict[str, float]:
    """rps and CPU ms per request, by layer, for one target. A worker replaced during
    the run is missed (none is, for these queries): the engine's figure is a floor."""
    groups = layers(server)
    before = {name: cpu_seconds(procs) for name, procs in groups.items()}
    rps, p50, failed = wrk(server.url, query_path(label), seconds, unique=label != "/health")
    after = {name: cpu_seconds(procs) for name, procs in groups.items()}
    answered = max(1.0, rps * seconds)
    result = {"rps": rps, "p50": p50, "failed": failed}
    for name in groups:
        spent = sum(after[name].get(pid, used) - used for pid, used in before[name].items())
        result[name] = 1000 * spent / answered
    return result


def run(data: Path, seconds: int, rounds: int, before: Path | None) -> str:
    servers = {"flgraph": Server("--data", str(data), "--per-client", "0", wait=600)}
    try:
        if before is not None:
            servers["before"] = Server("--data", str(data), "--per-client", "0", wait=600,
                                       env={"PYTHONPATH": str(before)})
        samples: dict[tuple[str, str], list[dict]] = {}
        for _ in range(rounds):
            for label in LABELS:
                for name, server in servers.items():
                    samples.setdefault((name, label), []).append(
                        measure(server, label, seconds))
        return table(data, samples, seconds, rounds, before)
    finally:
        for server in servers.values():
            server.stop()


def table(data: Path, samples, seconds: int, rounds: int, before: Path | None) -> str:
    def med(name: str, label: str, key: str) -> float:
        return statistics.median(s[key] for s in samples[(name, label)])

    names = [name for name in ("flgraph", "before") if (name, "/health") in samples]
    lines = [f"wrk -t2 -c8, {seconds} s per sample, medians of {rounds} rounds; every query "
             "a new text (no cache). CPU ms per request: web processes (granian, the front "
             "door, Flask, the hand-off) and engine (query workers). Load average (1 min) "
             f"at the end: {os.getloadavg()[0]:.1f}.",
             f"Data: {data.name}." + (f" `before`: {before}." if before else ""), "",
             "| server | target | rps | p50 ms | failed | web CPU ms/req | engine CPU ms/req "
             "| total | ÷ /health total | rps ÷ /health rps |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for name in names:
        ceiling = med(name, "/health", "web") + med(name, "/health", "engine")
        ceiling_rps = med(name, "/health", "rps")
        for label in LABELS:
            web, engine = med(name, label, "web"), med(name, label, "engine")
            failed = sum(s["failed"] for s in samples[(name, label)])
            lines.append(
                f"| {name} | {label} | {med(name, label, 'rps'):,.0f} | "
                f"{med(name, label, 'p50'):.2f} | {failed} "
                f"| {web:.3f} | {engine:.3f} | {web + engine:.3f} | "
                f"{(web + engine) / ceiling:.2f}× | {med(name, label, 'rps') / ceiling_rps:.2f}× |")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT / "data" / "flgraph.trig")
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--before", type=Path, help="another checkout's src/ directory")
    args = parser.parse_args()
    body = run(args.data, args.seconds, args.rounds, args.before)
    print(body)
    record("Request costs by layer (bench/request_costs.py)", body)


if __name__ == "__main__":
    main()
