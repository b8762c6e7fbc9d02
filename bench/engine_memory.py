"""Memory and start of ``flgraph serve`` on the memory store: the data once per machine?

    python bench/engine_memory.py [--data FILE ...] [--workers 2] [--query-workers 2]
                                  [--before SRC]

For each data file, in one run: the baselines — one process that loads the file into an
in-memory store as the engine does (its PSS: "one store"), and pyoxigraph alone loading
the file into its memory store (``Store().bulk_load(path=…)``, no flgraph: "ox-mem
load", the time the engine's library itself needs) — then ``flgraph serve`` with its
defaults (2 web processes; 2 site and 2 public query workers per web process, 8 in all,
forked from one generation of the engine), timed from launch to its first correct
answer (a ``/sparql`` look-up that is true only on the real data: never an empty or
partial store) and to its first 200 of ``/``, then measured after a few queries and
pages have run in every worker: at once (the engine as the queries leave it, its workers
each up to their share) and at rest (the workers that went idle holding more than a
fresh fork replaced). PSS (proportional set size: a page shared by n processes
counts 1/n in each) is summed by role — the engine (supervisor, generation, workers) and
the web processes — so shared copy-on-write pages count once. Targets: the engine's
total with the default workers ≤ 1.5× one store; at 2M the first answer ≤ ox-mem load
+ 1 s.

``--before SRC`` also measures another version's ``src`` directory (e.g. a worktree of
an earlier commit) on each file, in the same run, right after this one: the baseline.
"""

from __future__ import annotations

import argparse
import contextlib
import subprocess
import sys
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make ``bench`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psutil
import requests

from bench.common import (
    ROOT,
    first_correct_answer,
    free_port,
    record,
    server_environment,
    stop_process,
)

_ONE_STORE = """
import shutil, sys, tempfile, psutil
from pathlib import Path
from flgraph.query.engine.snapshot import load_snapshot
directory = Path(tempfile.mkdtemp())
snapshot, store = load_snapshot(Path(sys.argv[1]), directory)
print(psutil.Process().memory_full_info().pss, snapshot.quads)
shutil.rmtree(directory)
"""
_OX_LOAD = """
import sys, time, pyoxigraph as ox
started = time.perf_counter()
ox.Store().bulk_load(path=sys.argv[1], format=ox.RdfFormat.from_extension(sys.argv[2]))
print(time.perf_counter() - started)
"""


def one_store(data: Path) -> tuple[int, int]:
    """(PSS in bytes, quads) of a process holding the data in one store."""
    out = subprocess.run([sys.executable, "-c", _ONE_STORE, str(data)], cwd=ROOT, check=True,
                         capture_output=True, text=True).stdout.split()
    return int(out[0]), int(out[1])


def ox_load_seconds(data: Path) -> float:
    """Seconds pyoxigraph alone takes to load the file into its memory store."""
    out = subprocess.run([sys.executable, "-c", _OX_LOAD, str(data), data.suffix.lstrip(".")],
                         cwd=ROOT, check=True, capture_output=True, text=True).stdout
    return float(out)


def launch(args: list[str], source: Path | None = None
           ) -> tuple[subprocess.Popen, str, float]:
    """``flgraph serve`` started (from ``source``, another version's ``src`` directory, if
    given); (process, its URL, the launch's perf_counter)."""
    port = free_port()
    env = server_environment(source)
    started = time.perf_counter()
    process = subprocess.Popen([sys.executable, "-m", "flgraph", "serve", "--port", str(port),
                                *args], cwd=ROOT, env=env, stdout=subprocess.DEVNULL,
                               stderr=subprocess.DEVNULL)
    return process, f"http://127.0.0.1:{port}", started


def first_page(url: str, started: float, wait: float) -> float:
    while time.perf_counter() - started < wait:
        with contextlib.suppress(requests.RequestException):
            if requests.get(url + "/", timeout=30).status_code == 200:
                return time.perf_counter() - started
        time.sleep(0.005)
    raise RuntimeError("flgraph serve did not answer / in time")


def by_role(process: subprocess.Popen) -> dict[str, tuple[int, int]]:
    """Role → (processes, PSS bytes) of the server's process tree."""
    roles: dict[str, list[int]] = {}
    main = psutil.Process(process.pid)
    for process in [main, *main.children(recursive=True)]:
        try:
            line = " ".join(process.cmdline())
            pss = process.memory_full_info().pss
        except psutil.NoSuchProcess:
            continue
        role = "engine" if "flgraph.query.engine.server" in line else "web"
        roles.setdefault(role, []).append(pss)
    return {role: (len(values), sum(values)) for role, values in roles.items()}


def exercise(url: str, rounds: int) -> None:
    """Queries in every worker (more at once than there are workers), and the pages."""
    queries = ["ASK { ?s ?p ?o }", "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }",
               "SELECT ?s WHERE { ?s a ?c } LIMIT 100"]

    def ask(n: int) -> None:
        requests.get(url + "/sparql", timeout=120, params={
            "query": f"{queries[n % len(queries)]} # {n}"})

    with ThreadPoolExecutor(8) as clients:
        list(clients.map(ask, range(rounds)))
    for path in ("/", "/queries/", "/queries/table-1"):
        requests.get(url + path, timeout=120)


#: after the server is quiet: the engine replaces a worker that stayed idle 10 s holding
#: more than a fresh fork (engine/server.py, IDLE_SECONDS), one a lane at each of its
#: looks, every second (6 public workers: 16 s)
AT_REST_AFTER = 18.0


def quiet(process: subprocess.Popen, seconds: float = 120.0) -> None:
    """Wait until the server's processes have used less than 50 ms of CPU in a second
    (the web processes' warm-up of every page runs queries for a while at 200k and 2M),
    then ``AT_REST_AFTER`` seconds more: memory is measured at rest, not in the middle of
    a query."""
    def cpu() -> float:
        total = 0.0
        main = psutil.Process(process.pid)
        for each in [main, *main.children(recursive=True)]:
            with contextlib.suppress(psutil.NoSuchProcess):
                times = each.cpu_times()
                total += times.user + times.system
        return total

    deadline = time.monotonic() + seconds
    before = cpu()
    while time.monotonic() < deadline:
        time.sleep(1)
        now = cpu()
        if now - before < 0.05:
            break
        before = now
    time.sleep(AT_REST_AFTER)


def measure(data: Path, serve_args: list[str], source: Path | None = None,
            label: str = "") -> str:
    store_pss, quads = one_store(data)
    ox_load = ox_load_seconds(data)
    process, url, started = launch(["--data", str(data), "--per-client", "0", "--timeout",
                                    "120", *serve_args], source)
    try:
        answer = first_correct_answer(url, started, process, 900)
        page = first_page(url, started, 900)
        exercise(url, 64)
        busy = by_role(process)["engine"][1]  # as the queries leave it
        quiet(process)
        roles = by_role(process)
    finally:
        stop_process(process)
    engine_n, engine_pss = roles["engine"]
    web_n, web_pss = roles["web"]
    mib = 1024**2
    return (f"| {data.name}{label} | {quads:,} | {store_pss / mib:,.0f} | {engine_n} | "
            f"{engine_pss / mib:,.0f} | **{engine_pss / store_pss:.2f}×** | "
            f"{busy / mib:,.0f} ({busy / store_pss:.2f}×) | {web_n} | "
            f"{web_pss / mib:,.0f} | {ox_load:.2f} s | **{answer:.2f} s** "
            f"({answer - ox_load:+.2f} s) | {page:.2f} s |")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, nargs="+",
                        default=[ROOT / "data" / "flgraph.trig",
                                 ROOT / "bench" / "work" / "synth-200k.trig"])
    parser.add_argument("--workers", default="2")
    parser.add_argument("--query-workers", default="2")
    parser.add_argument("--before", type=Path, metavar="SRC",
                        help="Another version's src directory: measured too, same run.")
    parser.add_argument("--no-record", action="store_true")
    args = parser.parse_args()
    serve_args = ["--workers", args.workers, "--query-workers", args.query_workers]
    rows = []
    for data in [d for d in args.data if d.is_file()]:
        rows.append(measure(data, serve_args))
        if args.before:
            rows.append(measure(data, serve_args, args.before, f" (before: {args.before})"))
    table = "\n".join([
        "| data | quads | one store, PSS MiB | engine processes | engine PSS MiB | "
        "engine / one store | engine PSS MiB just after the queries (/ one store) | "
        "web processes | web PSS MiB | ox-mem load | first correct answer (− ox-mem load) | "
        "first 200 of / |",
        "|---|---|---|---|---|---|---|---|---|---|---|---|", *rows])
    print(table)
    if args.no_record:
        return
    record("Engine memory: the data once per machine (bench/engine_memory.py)",
           f"`flgraph serve --workers {args.workers} --query-workers {args.query_workers}` "
           "(and 2 public workers per web process): PSS summed by role after queries in "
           "every worker, once the server is at rest (under 50 ms of CPU in a second, then "
           f"{AT_REST_AFTER:g} s), and the engine's also just after the queries; "
           "\"one store\" is one process holding the data (baseline, same "
           "run). Target: engine ≤ 1.5× one store. Before (one copy per worker): 1,523 MB "
           "PSS for 200k triples with 8 workers. Times from launch: ox-mem load is "
           "pyoxigraph alone loading the file (baseline, same run; target at 2M: first "
           f"answer ≤ it + 1 s).\n\n{table}")


if __name__ == "__main__":
    main()
