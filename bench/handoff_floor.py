"""The least a query can cost when it runs in another process than the HTTP server.

    python bench/handoff_floor.py [--data FILE] [--seconds 5] [--rounds 2]

``flgraph serve`` runs every query in a worker process forked from the engine, so that
a query past its deadline is killed and its memory given back (a thread cannot be
stopped, and pyoxigraph cannot cancel a query). The issue's throughput target asks
uncached queries to reach 0.8× of ``/health`` on the same server. This script measures
what that asks of the hand-off itself, with nothing of flgraph in the way: a granian
RSGI application of a few lines whose ``/health`` answers at once and whose ``/sparql``
sends the query text to one of four forked pyoxigraph workers over a Unix socket and
returns the JSON pyoxigraph writes (the same store, the same look-up as
bench/request_costs.py). Three ways to hand off:

- ``loop, a connection per job``: from granian's event loop (asyncio), one connection
  per query, as flgraph connects per job (a worker accepts only when idle);
- ``thread, a connection per job``: the same from a thread pool, as flgraph's front door
  runs its app (``/health`` too goes through the pool there);
- ``thread, kept connections``: each thread keeps its connection to one worker (no
  connect, accept or close per query; no queue either).

CPU per request (user + system) of the HTTP server's processes and of the workers,
read from /proc around each wrk run, as bench/request_costs.py does for flgraph itself;
flgraph is measured in the same rounds for the comparison. The ratio that matters is
the look-up's total over ``/health``'s: 0.8× of ``/health``'s throughput needs the
query to cost at most 1.25× ``/health``'s CPU.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from urllib.parse import parse_qs

if __package__ in (None, ""):  # run as a script: make ``bench`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

MODES = {"loop": "loop, a connection per job", "thread": "thread, a connection per job",
         "kept": "thread, kept connections"}
WORKERS = 4
HEADERS = [("content-type", "application/sparql-results+json")]


# --- the engine stub: forked pyoxigraph workers on a Unix socket ---------------------------


def engine_main(data: str, address: str, kept: bool) -> None:
    """Load ``data``, fork ``WORKERS`` workers on ``address``; each answers a job (4-byte
    length, query text) with pyoxigraph's JSON, on a connection of its own or, ``kept``,
    many jobs per connection (the answer then length-prefixed)."""
    from pyoxigraph import QueryResultsFormat, RdfFormat, Store

    store = Store()
    store.bulk_load(path=data, format=RdfFormat.TRIG)
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    listener.bind(address)
    listener.listen(64)

    def answer(conn: socket.socket) -> None:
        (length,) = struct.unpack("!I", _exactly(conn, 4))
        text = _exactly(conn, length).decode()
        body = store.query(text).serialize(format=QueryResultsFormat.JSON)
        conn.sendall(struct.pack("!I", len(body)) + body if kept else body)

    for _ in range(WORKERS):
        if os.fork() == 0:
            while True:
                conn, _ = listener.accept()
                try:
                    while True:
                        answer(conn)
                        if not kept:
                            break
                except EOFError:
                    pass
                conn.close()
    print("ready", flush=True)
    os.wait()


def _exactly(conn: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        piece = conn.recv(size - len(data))
        if not piece:
            raise EOFError
        data += piece
    return data


# --- the HTTP side: a granian RSGI application ------------------------------------------------

_ADDRESS = os.environ.get("FLOOR_ADDRESS", "")
_MODE = os.environ.get("FLOOR_MODE", "loop")
_POOL = ThreadPoolExecutor(4 if _MODE == "thread" else 2)
_KEPT = threading.local()


def _per_job(text: bytes) -> bytes:
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as conn:
        conn.connect(_ADDRESS)
        conn.sendall(struct.pack("!I", len(text)) + text)
        pieces = []
        while piece := conn.recv(65536):
            pieces.append(piece)
    return b"".join(pieces)


def _kept(text: bytes) -> bytes:
    conn = getattr(_KEPT, "conn", None)
    if conn is None:
        conn = _KEPT.conn = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        conn.connect(_ADDRESS)
    conn.sendall(struct.pack("!I", len(text)) + text)
    (length,) = struct.unpack("!I", _exactly(conn, 4))
    return _exactly(conn, length)


async def _on_loop(text: bytes) -> bytes:
    reader, writer = await asyncio.open_unix_connection(_ADDRESS)
    writer.write(struct.pack("!I", len(text)) + text)
    body = await reader.read()
    writer.close()
    return body


def _health() -> bytes:
    return b"ok\n"


async def app(scope, proto) -> None:
    """``/health``: ``ok``, through the thread pool in the thread modes (as flgraph's);
    any other path: the ``query`` parameter run by a worker."""
    loop = asyncio.get_running_loop()
    if scope.path == "/health":
        body = _health() if _MODE == "loop" else await loop.run_in_executor(_POOL, _health)
        proto.response_bytes(200, [("content-type", "text/plain")], body)
        return
    text = parse_qs(scope.query_string)["query"][0].encode()
    if _MODE == "loop":
        body = await _on_loop(text)
    else:
        body = await loop.run_in_executor(_POOL, _kept if _MODE == "kept" else _per_job, text)
    proto.response_bytes(200, HEADERS, body)


# --- the measurement ---------------------------------------------------------------------------


class Floor:
    """The stub engine and granian (2 processes) for one mode, on a free port."""

    def __init__(self, mode: str, data: Path, directory: Path) -> None:
        from bench.common import ROOT, free_port

        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        address = str(directory / f"{mode}.sock")
        self.engine = subprocess.Popen(
            [sys.executable, __file__, "--engine", str(data), address, mode],
            stdout=subprocess.PIPE, text=True)
        self.engine.stdout.readline()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "granian", "--interface", "rsgi", "--workers", "2",
             "--port", str(self.port), "--no-ws", "--log-level", "warning",
             "bench.handoff_floor:app"],
            cwd=ROOT, env={**os.environ, "FLOOR_ADDRESS": address, "FLOOR_MODE": mode},
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        _wait_for(self.url + "/health")

    def layers(self):
        import psutil

        return {"web": [psutil.Process(self.process.pid),
                        *psutil.Process(self.process.pid).children(recursive=True)],
                "engine": [psutil.Process(self.engine.pid),
                           *psutil.Process(self.engine.pid).children(recursive=True)]}

    def stop(self) -> None:
        import psutil

        from bench.common import stop_process

        workers = psutil.Process(self.engine.pid).children(recursive=True)
        stop_process(self.process)
        for worker in workers:
            worker.kill()
        stop_process(self.engine)


def _wait_for(url: str) -> None:
    import requests

    for _ in range(500):
        try:
            if requests.get(url, timeout=2).status_code == 200:
                return
        except requests.RequestException:
            time.sleep(0.02)
    raise RuntimeError(f"{url} did not answer")


def run(data: Path, seconds: int, rounds: int) -> str:
    from bench.common import Server
    from bench.request_costs import layers as flgraph_layers
    from bench.request_costs import sample

    samples: dict[tuple[str, str], list[dict]] = {}
    with tempfile.TemporaryDirectory() as directory:
        for _ in range(rounds):
            for mode in MODES:
                floor = Floor(mode, data, Path(directory))
                try:
                    for label in ("/health", "look-up"):
                        samples.setdefault((MODES[mode], label), []).append(
                            sample(floor.layers(), floor.url, label, seconds))
                finally:
                    floor.stop()
            with Server("--data", str(data)) as server:
                for label in ("/health", "look-up"):
                    samples.setdefault(("flgraph serve", label), []).append(
                        sample(flgraph_layers(server), server.url, label, seconds))
    return table(samples, data, seconds, rounds)


def table(samples: dict, data: Path, seconds: int, rounds: int) -> str:
    def med(name: str, label: str, key: str) -> float:
        return statistics.median(s[key] for s in samples[(name, label)])

    lines = [f"wrk -t2 -c8, {seconds} s per sample, medians of {rounds} rounds; the look-up "
             "a new query text each time. CPU ms per request of the HTTP server's processes "
             "(web) and of the query workers (engine). Data: "
             f"{data.name}; {WORKERS} workers in the stub engine. Load average (1 min) at the "
             f"end: {os.getloadavg()[0]:.1f}.", "",
             "| hand-off | /health rps | /health CPU ms | look-up rps | look-up web ms | "
             "look-up engine ms | look-up total ÷ /health | look-up rps ÷ /health rps |",
             "|---|---|---|---|---|---|---|---|"]
    for name in [*MODES.values(), "flgraph serve"]:
        health = med(name, "/health", "web") + med(name, "/health", "engine")
        web, engine = med(name, "look-up", "web"), med(name, "look-up", "engine")
        lines.append(
            f"| {name} | {med(name, '/health', 'rps'):,.0f} | {health:.3f} | "
            f"{med(name, 'look-up', 'rps'):,.0f} | {web:.3f} | {engine:.3f} | "
            f"{(web + engine) / health:.2f}× | "
            f"{med(name, 'look-up', 'rps') / med(name, '/health', 'rps'):.2f}× |")
    return "\n".join(lines)


def main() -> None:
    if sys.argv[1:2] == ["--engine"]:
        data, address, mode = sys.argv[2:5]
        engine_main(data, address, kept=mode == "kept")
        return
    from bench.common import ROOT, record

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=ROOT / "data" / "flgraph.trig")
    parser.add_argument("--seconds", type=int, default=5)
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--no-record", action="store_true",
                        help="print the table, leave bench/RESULTS.md alone")
    args = parser.parse_args()
    body = run(args.data, args.seconds, args.rounds)
    if args.no_record:
        print(body)
    else:
        record("The floor of a query hand-off to another process (bench/handoff_floor.py)", body)


if __name__ == "__main__":
    main()
