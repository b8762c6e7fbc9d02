"""One measurement, one process: its wall time and its peak memory.

Each measurement runs in a fresh process so that its peak RSS is its own (Python never
returns freed memory to the system, so a second measurement in the same process would
inherit the first one's high-water mark). The peak is sampled with psutil over the
process and its children every 10 ms, and checked against the kernel's own figure for
the child (``wait4``'s ``ru_maxrss``), which also catches spikes between samples.
A server (Virtuoso) is sampled the same way, by its process id. Sampling every 50 ms,
not faster: on a 2-core machine the sampler's own CPU time would slow the process it
measures. A ``watch`` callback, asked every half second, may stop the process: a query
in Rust code does not return to Python, so only its parent can end it in time. So may
``max_rss_mb``: a query whose intermediate results grow without bound (a cross product)
would otherwise take the machine's memory from everything else on it.
"""

from __future__ import annotations

import contextlib
import json
import os
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
INTERVAL = 0.05
WATCH_EVERY = 0.5


class Sampler:
    """Peak RSS of a process tree, sampled in a thread while the ``with`` block runs."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def _run(self) -> None:
        while not self._stop.is_set():
            self.peak = max(self.peak, tree_rss(self.pid))
            self._stop.wait(INTERVAL)

    @property
    def peak_mb(self) -> float:
        return round(self.peak / 2**20, 1)


def tree_rss(pid: int) -> int:
    """Resident bytes of a process and its descendants; 0 once it has gone."""
    try:
        process = psutil.Process(pid)
        total = process.memory_info().rss
        for child in process.children(recursive=True):
            with contextlib.suppress(psutil.Error):
                total += child.memory_info().rss
        return total
    except psutil.Error:
        return 0


@dataclass
class Run:
    """A finished process: how long, how much memory, what it printed."""

    argv: list[str]
    seconds: float
    peak_rss_mb: float
    returncode: int
    started_at: float  # time.time() at launch, to compare with times the process reports
    killed: str = ""  # why it was stopped: "watch" or "memory"; empty if it ended itself
    stdout: str = ""
    result: dict = field(default_factory=dict)  # the last stdout line, if it is JSON

    def check(self) -> Run:
        if self.returncode != 0:
            raise RuntimeError(
                f"{' '.join(self.argv[:4])} … exited {self.returncode}: {self.stdout[-1000:]}"
            )
        return self


def run(
    argv: list[str],
    *,
    env: dict | None = None,
    watch: Callable[[], bool] | None = None,
    max_rss_mb: float | None = None,
) -> Run:
    """Run ``argv`` to the end, or until ``watch()`` is true or its memory passes
    ``max_rss_mb``; stderr passes through (progress bars), stdout is kept."""
    with tempfile.TemporaryFile() as out:
        started_at = time.time()
        started = time.perf_counter()
        process = subprocess.Popen(
            argv, cwd=ROOT, stdout=out, stdin=subprocess.DEVNULL, env={**os.environ, **(env or {})}
        )
        peak, status, maxrss, killed = _wait(process, watch, max_rss_mb)
        seconds = time.perf_counter() - started
        out.seek(0)
        text = out.read().decode("utf-8", "replace")
    result = {}
    lines = text.strip().splitlines()
    if lines:
        with contextlib.suppress(json.JSONDecodeError):
            result = json.loads(lines[-1])
    return Run(
        argv,
        round(seconds, 3),
        round(max(peak, maxrss) / 2**20, 1),
        os.waitstatus_to_exitcode(status),
        started_at,
        killed,
        text,
        result,
    )


def _wait(process: subprocess.Popen, watch, max_rss_mb) -> tuple[int, int, int, str]:
    """Sample until the child exits; reap it ourselves to read its rusage."""
    peak, killed, asked = 0, "", time.monotonic()
    while True:
        rss = tree_rss(process.pid)
        peak = max(peak, rss)
        pid, status, usage = os.wait4(process.pid, os.WNOHANG)
        if pid:
            process.returncode = os.waitstatus_to_exitcode(status)
            return peak, status, usage.ru_maxrss * 1024, killed
        if not killed and max_rss_mb and rss > max_rss_mb * 2**20:
            process.kill()
            killed = "memory"
        if watch is not None and not killed and time.monotonic() - asked > WATCH_EVERY:
            asked = time.monotonic()
            if watch():
                process.kill()
                killed = "watch"
        time.sleep(INTERVAL)


def python(module: str, *args: str, **kwargs) -> Run:
    """``python -m module args…`` under this interpreter, measured."""
    return run([sys.executable, "-m", module, *args], **kwargs)


def summary(samples: list[float]) -> dict:
    """Median and 90th percentile of latencies, in milliseconds."""
    if not samples:
        return {}
    ordered = sorted(samples)
    p90 = ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]
    return {
        "median_ms": round(statistics.median(ordered) * 1000, 2),
        "p90_ms": round(p90 * 1000, 2),
        "runs": len(ordered),
    }
