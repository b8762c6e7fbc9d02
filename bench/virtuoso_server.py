"""A throw-away Virtuoso for one size: the tests' own server (testbed/virtuoso.py), sized
for benchmarks, loaded with ``flgraph load --virtuoso-isql`` (the bulk loader).

The tests' configuration is kept (loopback ports, random password, DirsAllowed) with
three changes a 2M-triple benchmark needs: a buffer pool of 1.3 GB instead of 80 MB
(Virtuoso's own guidance for 2 GB of RAM; the tests' 10,000 buffers would make every
query read from disk), a row cap above the largest answer (so that answers can be
compared in full, not cut at 100,000 rows), and the benchmark's deadline per query.
"""

from __future__ import annotations

import subprocess
from contextlib import contextmanager
from pathlib import Path

from testbed import virtuoso as tv

from bench import measure

#: What differs from the tests' virtuoso.ini (testbed/virtuoso.py), by setting name.
SIZED = {"NumberOfBuffers": "170000", "MaxDirtyBuffers": "130000"}
MAX_ROWS = 2_000_000
#: A little above the benchmark's deadline (30 s): the client gives up first, and the
#: server does not go on working for a query nobody waits for.
MAX_SECONDS = 40


def version() -> str:
    done = subprocess.run(["virtuoso-t", "--version"], capture_output=True, text=True, check=False)
    for line in (done.stdout + done.stderr).splitlines():
        if line.startswith("Version"):
            return line.split()[1]
    return "unknown"


@contextmanager
def server(directory: Path):
    """A started Virtuoso in ``directory``; stopped and deleted afterwards."""
    instance = tv.start_virtuoso(directory, max_rows=MAX_ROWS, max_seconds=MAX_SECONDS,
                                 settings=SIZED)
    try:
        yield instance
    finally:
        tv.stop_virtuoso(instance)


def load(instance, data: Path) -> measure.Run:
    """``flgraph load`` through the bulk loader, measured (the client's process tree)."""
    return measure.python(
        "flgraph",
        "load",
        "--endpoint",
        instance.sparql,
        "--data",
        str(data),
        "--virtuoso-isql",
        instance.isql,
        "--virtuoso-dir",
        str(instance.load_dir),
        "--timeout",
        "600",
        env=instance.env(),
    ).check()
