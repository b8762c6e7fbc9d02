"""What every benchmark shares: the machine it ran on, a server to measure, and how
results are recorded (bench/RESULTS.md, appended, with date and machine)."""

from __future__ import annotations

import contextlib
import datetime as dt
import os
import platform
import socket
import subprocess
import sys
import time
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[1]
RESULTS = ROOT / "bench" / "RESULTS.md"


def machine() -> str:
    cpu = "unknown CPU"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kb = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kb / 1024 / 1024:.0f} GiB RAM"
    except (OSError, ValueError, IndexError):
        pass
    libs = []
    for name in ("flask", "granian", "gunicorn", "pyoxigraph", "rdflib", "pyshacl"):
        with contextlib.suppress(PackageNotFoundError):
            libs.append(f"{name} {version(name)}")
    return f"{os.cpu_count()} cores ({cpu}){mem}; Python {platform.python_version()}; " + ", ".join(
        libs
    )


def record(title: str, body: str) -> None:
    """Append a section to bench/RESULTS.md."""
    if not RESULTS.exists():
        RESULTS.write_text(
            "# Benchmark results\n\nAppended by the scripts in bench/; each "
            "section says when and on what it ran.\n",
            encoding="utf-8",
        )
    stamp = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    with RESULTS.open("a", encoding="utf-8") as out:
        out.write(f"\n## {title} — {stamp}\n\nMachine: {machine()}\n\n{body.rstrip()}\n")


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Server:
    """``flgraph serve`` in a subprocess, on a free loopback port."""

    def __init__(self, *args: str, wait: float = 60.0, env: dict | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            [sys.executable, "-m", "flgraph", "serve", "--port", str(self.port), *args],
            cwd=ROOT,
            env={**os.environ, **(env or {})},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        self.ready_after = self._wait(wait)

    def _wait(self, wait: float) -> float:
        deadline = time.perf_counter() + wait
        while time.perf_counter() < deadline:
            try:
                if requests.get(self.url + "/", timeout=5).status_code == 200:
                    return time.perf_counter() - self.started
            except requests.RequestException:
                time.sleep(0.01)
        self.stop()
        raise RuntimeError("flgraph serve did not answer in time")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            self.process.kill()

    def __enter__(self) -> Server:
        return self

    def __exit__(self, *exc) -> None:
        self.stop()


#: true on the report and on every synthetic size (outcome 15 lists Zambia, as the report's)
FIRST_QUERY = ("ASK { GRAPH ?g { ?s <https://w3id.org/flgraph/ontology#country> "
               "<https://w3id.org/flgraph/id/country/ZMB> } }")


def server_environment(source: Path | None) -> dict[str, str]:
    """The started server's environment: this one's, with ``source`` first on the path
    (another version's ``src``), and Python left to keep the bytecode it compiles
    (``__pycache__``), as an installed package or a running machine has it: with
    ``PYTHONDONTWRITEBYTECODE`` set (this machine's shell sets it) every start compiled
    every module of flgraph again, 0.1–0.15 s of each start. The first start, which
    writes it, is shown apart."""
    env = {name: value for name, value in os.environ.items()
           if name != "PYTHONDONTWRITEBYTECODE"}
    if source:
        env["PYTHONPATH"] = str(source)
    return env


def first_correct_answer(url: str, started: float, process: subprocess.Popen,
                         wait: float = 120.0) -> float:
    """Seconds from ``started`` (a perf_counter) to the first ``true`` answer of
    FIRST_QUERY from the server at ``url``; a wrong answer is an error, not a start."""
    while time.perf_counter() - started < wait:
        if process.poll() is not None:
            raise RuntimeError(f"flgraph serve exited with {process.returncode}")
        with contextlib.suppress(requests.RequestException, ValueError):
            answer = requests.get(url + "/sparql", params={"query": FIRST_QUERY}, timeout=30,
                                  headers={"Accept": "application/sparql-results+json"})
            if answer.status_code == 200:
                if answer.json()["boolean"] is not True:
                    raise RuntimeError(f"a wrong first answer: {answer.text}")
                return time.perf_counter() - started
        time.sleep(0.005)
    raise RuntimeError(f"flgraph serve gave no answer in {wait:g} s")


def stop_process(process: subprocess.Popen) -> None:
    """Terminate, then kill if it has not ended within 10 s."""
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
