"""Where a new query's time goes: CPU per request in each layer of ``flgraph serve``.

    python bench/request_costs.py [--data FILE] [--seconds 5] [--rounds 3] [--before SRC]
        [--in-process] [--profile]

Throughput on this machine is bounded by CPU (2 cores, wrk on the same machine), so the
cost of a request is the CPU it takes, summed over the processes that serve it. For
``/health`` (the HTTP layer alone), ``ASK {}`` and a look-up (the statements about
Zambia's IRI), each request a query never seen before (the response cache never
answers), wrk runs for ``--seconds``; the CPU time (user + system) of the web
processes (granian's event loop, the front door, Flask, the hand-off to the engine) and
of the engine (its query workers) is read from /proc before and after, and divided by
the requests answered. ``--before``: the same from another checkout's ``src/``, in the
same rounds (targets alternate), so that load from elsewhere falls on both.
``--in-process``: also a server that runs queries in its web processes
(``--query-workers 0 --public-workers 0``: no hand-off to a worker process, and no
deadline either, since a thread cannot be stopped), in the same rounds: what the process
boundary costs, measured beside the rest.
``--profile``: py-spy samples every process of each layer during one more look-up run
(the web processes' threads while they hold the GIL, the workers while they work), and
the functions that hold most samples are listed per layer.

CPU per request is steadier than requests per second on a shared machine, and it names
the layer that holds the time: ``/health``'s cost is the ceiling every page and query
pays, the rest is the query's own.
"""

from __future__ import annotations

import argparse
import collections
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from urllib.parse import quote

if __package__ in (None, ""):  # run as a script: make ``bench`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import psutil

from bench.common import ROOT, Server, record
from bench.engine_throughput import QUERIES, wrk

ENGINE_MARK = "flgraph.query.engine.server"
LABELS = ("/health", "ASK {}", "look-up")
IN_PROCESS = "in the web process"


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
    return sample(layers(server), server.url, label, seconds)


def sample(groups: dict[str, list[psutil.Process]], url: str, label: str,
           seconds: int) -> dict[str, float]:
    """rps, p50 and CPU ms per request of each group of processes, for one target of
    the server at ``url`` (also used by bench/handoff_floor.py)."""
    before = {name: cpu_seconds(procs) for name, procs in groups.items()}
    rps, p50, failed = wrk(url, query_path(label), seconds, unique=label != "/health")
    after = {name: cpu_seconds(procs) for name, procs in groups.items()}
    answered = max(1.0, rps * seconds)
    result = {"rps": rps, "p50": p50, "failed": failed}
    for name in groups:
        spent = sum(after[name].get(pid, used) - used for pid, used in before[name].items())
        result[name] = 1000 * spent / answered
    return result


#: leaf frames of a process waiting for work, not doing it
_IDLE = re.compile(r"^(\S*accept|\S*poll|\S*select|\S*wait|_worker|_wait_any|Supervisor.run) \(")


def profile(server: Server, seconds: int, top: int = 10) -> str:
    """Where a look-up run's samples fall, per layer (idle waits left out): the project's
    functions by inclusive share, and the functions that were running (self)."""
    spy = shutil.which("py-spy") or str(Path(sys.executable).with_name("py-spy"))
    groups = layers(server)
    with tempfile.TemporaryDirectory() as directory:
        spies = []
        for name, processes in groups.items():
            for process in processes:
                out = Path(directory) / f"{name}-{process.pid}.txt"
                gil = ["--gil"] if name == "web" else []  # its threads mostly wait
                spies.append(subprocess.Popen(
                    [spy, "record", "-p", str(process.pid), "-d", str(seconds), "-r", "200",
                     "-f", "raw", "-o", str(out), *gil],
                    stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL))
        wrk(server.url, query_path("look-up"), seconds + 2, unique=True)
        for spying in spies:
            spying.wait()
        return "\n".join(_summary(name, sorted(Path(directory).glob(f"{name}-*.txt")), top)
                         for name in groups)


def _summary(layer: str, files: list[Path], top: int) -> str:
    inclusive: collections.Counter[str] = collections.Counter()
    running: collections.Counter[str] = collections.Counter()
    working = 0
    for file in files:
        for line in file.read_text().splitlines():
            stack, _, count = line.rpartition(" ")
            frames = [re.sub(r" \((.*?):\d+\)$", r" (\1)", f) for f in stack.split(";")]
            if not frames or _IDLE.match(frames[-1]):
                continue
            working += int(count)
            running[frames[-1]] += int(count)
            for frame in dict.fromkeys(frames):
                inclusive[frame] += int(count)
    share = lambda n: f"{100 * n / max(working, 1):.0f} %"  # noqa: E731
    own = [(frame, n) for frame, n in inclusive.most_common()
           if "flgraph/" in frame and not frame.startswith(("main ", "serve ", "_generation"))]
    return (f"- {layer} ({working:,} working samples). Project code (inclusive): "
            + "; ".join(f"{share(n)} `{frame}`" for frame, n in own[:top])
            + ". Running (self): "
            + "; ".join(f"{share(n)} `{frame}`" for frame, n in running.most_common(top)))


def run(data: Path, seconds: int, rounds: int, before: Path | None,
        profiled: bool = False, in_process: bool = False) -> str:
    servers = {"flgraph": Server("--data", str(data), "--per-client", "0", wait=600)}
    try:
        if in_process:
            servers[IN_PROCESS] = Server("--data", str(data), "--per-client", "0",
                                         "--query-workers", "0", "--public-workers", "0",
                                         wait=600)
        if before is not None:
            servers["before"] = Server("--data", str(data), "--per-client", "0", wait=600,
                                       env={"PYTHONPATH": str(before)})
        samples: dict[tuple[str, str], list[dict]] = {}
        for _ in range(rounds):
            for label in LABELS:
                for name, server in servers.items():
                    samples.setdefault((name, label), []).append(
                        measure(server, label, seconds))
        body = table(data, samples, seconds, rounds, before)
        if profiled:
            for name, server in servers.items():
                body += f"\n\nProfile of the look-up, {name}:\n\n" + profile(server, seconds)
        return body
    finally:
        for server in servers.values():
            server.stop()


def table(data: Path, samples, seconds: int, rounds: int, before: Path | None) -> str:
    def med(name: str, label: str, key: str) -> float:
        return statistics.median(s[key] for s in samples[(name, label)])

    names = [name for name in ("flgraph", IN_PROCESS, "before") if (name, "/health") in samples]
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
    parser.add_argument("--in-process", action="store_true",
                        help="also a server running queries in its web processes")
    parser.add_argument("--profile", action="store_true",
                        help="also sample each layer with py-spy during a look-up run")
    args = parser.parse_args()
    body = run(args.data, args.seconds, args.rounds, args.before, args.profile,
               args.in_process)
    print(body)
    record("Request costs by layer (bench/request_costs.py)", body)


if __name__ == "__main__":
    main()
