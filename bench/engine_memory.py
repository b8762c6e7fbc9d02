"""Memory of ``flgraph serve`` on the memory store: the data once per machine?

    python bench/engine_memory.py [--data FILE ...] [--workers 2] [--query-workers 2]

For each data file, in one run: the baseline, one process that loads the file into an
in-memory store as the engine does (its PSS: "one store"), then ``flgraph serve`` with
its defaults (2 web processes; 2 site and 2 public query workers per web process, 8 in
all, forked from one generation of the engine), after a few queries and pages have run
in every worker. PSS (proportional set size: a page shared by n processes counts 1/n in
each) is summed by role — the engine (supervisor, generation, workers) and the web
processes — so shared copy-on-write pages count once. Target: the engine's total with
the default workers ≤ 1.5× one store.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make ``bench`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psutil
import requests

from bench.common import ROOT, Server, record

_ONE_STORE = """
import sys, tempfile, psutil
from pathlib import Path
from flgraph.query.engine.snapshot import load_snapshot
snapshot, store = load_snapshot(Path(sys.argv[1]), Path(tempfile.mkdtemp()))
print(psutil.Process().memory_full_info().pss, snapshot.quads)
"""


def one_store(data: Path) -> tuple[int, int]:
    """(PSS in bytes, quads) of a process holding the data in one store."""
    out = subprocess.run([sys.executable, "-c", _ONE_STORE, str(data)], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout.split()
    return int(out[0]), int(out[1])


def by_role(server: Server) -> dict[str, tuple[int, int]]:
    """Role → (processes, PSS bytes) of the server's process tree."""
    roles: dict[str, list[int]] = {}
    main = psutil.Process(server.process.pid)
    for process in [main, *main.children(recursive=True)]:
        try:
            line = " ".join(process.cmdline())
            pss = process.memory_full_info().pss
        except psutil.NoSuchProcess:
            continue
        role = "engine" if "flgraph.query.engine.server" in line else "web"
        roles.setdefault(role, []).append(pss)
    return {role: (len(values), sum(values)) for role, values in roles.items()}


def exercise(server: Server, rounds: int) -> None:
    """Queries in every worker (more at once than there are workers), and the pages."""
    queries = ["ASK { ?s ?p ?o }", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
               "SELECT ?s WHERE { ?s a ?c } LIMIT 100"]

    def ask(n: int) -> None:
        requests.get(server.url + "/sparql", timeout=120, params={
            "query": f"{queries[n % len(queries)]} # {n}"})

    with ThreadPoolExecutor(8) as clients:
        list(clients.map(ask, range(rounds)))
    for path in ("/", "/queries/", "/queries/table-1"):
        requests.get(server.url + path, timeout=120)


def measure(data: Path, serve_args: list[str]) -> str:
    store_pss, quads = one_store(data)
    started = time.perf_counter()
    with Server("--data", str(data), "--per-client", "0", "--timeout", "120", *serve_args,
                wait=600) as server:
        ready = time.perf_counter() - started
        exercise(server, 64)
        time.sleep(1)
        roles = by_role(server)
    engine_n, engine_pss = roles["engine"]
    web_n, web_pss = roles["web"]
    mib = 1024**2
    return (f"| {data.name} | {quads:,} | {store_pss / mib:,.0f} | {engine_n} | "
            f"{engine_pss / mib:,.0f} | **{engine_pss / store_pss:.2f}×** | {web_n} | "
            f"{web_pss / mib:,.0f} | {ready:.1f} s |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, nargs="+",
                        default=[ROOT / "data" / "flgraph.trig",
                                 ROOT / "bench" / "work" / "synth-200k.trig"])
    parser.add_argument("--workers", default="2")
    parser.add_argument("--query-workers", default="2")
    args = parser.parse_args()
    serve_args = ["--workers", args.workers, "--query-workers", args.query_workers]
    rows = [measure(data, serve_args) for data in args.data if data.is_file()]
    table = "\n".join([
        "| data | quads | one store, PSS MiB | engine processes | engine PSS MiB | "
        "engine / one store | web processes | web PSS MiB | ready after |",
        "|---|---|---|---|---|---|---|---|---|", *rows])
    print(table)
    record("Engine memory: the data once per machine (bench/engine_memory.py)",
           f"`flgraph serve --workers {args.workers} --query-workers {args.query_workers}` "
           "(and 2 public workers per web process): PSS summed by role after queries in "
           "every worker; \"one store\" is one process holding the data (baseline, same "
           "run). Target: engine ≤ 1.5× one store. Before (one copy per worker): 1,523 MB "
           f"PSS for 200k triples with 8 workers.\n\n{table}")


if __name__ == "__main__":
    main()
