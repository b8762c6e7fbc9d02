"""How a web process reaches the engine: a lane's socket, one connection per job.

``EngineLane`` has the interface of ``pool.WorkerPool`` (``run``), so ``QueryService``
does not care which it has: the deadline, the queue wait and the errors are the same.
Its ``call`` asks a worker about the store itself (its count, its graphs): a web
process sees the served store through ``query.lanes.LaneStore`` and holds no copy.
``current()`` reads which version the engine serves, from ``current.json``.
"""

from __future__ import annotations

import contextlib
import json
import os
import signal
import socket
import time
from dataclasses import dataclass, replace
from multiprocessing.connection import Connection
from pathlib import Path

from ...config import Limits
from ...store import Result, StoreUnavailable
from ..errors import Overloaded, QueryTimeout, QueryTooCostly, from_wire
from ..service import QueryRequest
from .worker import Job


@dataclass(frozen=True)
class Current:
    """The version the engine serves and the immutable copy of its data."""

    version: str
    data: Path
    quads: int


class CurrentVersion:
    """``current.json`` of an engine directory, read again only when it was replaced
    (one ``stat`` per call: the response cache asks on every request)."""

    def __init__(self, directory: Path) -> None:
        self.path = directory / "current.json"
        self._seen: tuple[int, int] | None = None
        self._current: Current | None = None

    def get(self) -> Current:
        stat = os.stat(self.path)
        key = (stat.st_ino, stat.st_mtime_ns)
        if key != self._seen or self._current is None:
            value = json.loads(self.path.read_text())
            self._current = Current(value["version"], Path(value["data"]), value["quads"])
            self._seen = key
        return self._current


class EngineLane:
    """The workers of one lane (``site`` or ``public``), shared by every web process."""

    def __init__(self, directory: Path, lane: str, limits: Limits, size: int,
                 queue_wait: float | None = None) -> None:
        self.address = str(directory / f"{lane}.sock")
        self.limits = limits
        self.size = size
        self.queue_wait = limits.queue_wait if queue_wait is None else queue_wait

    def run(self, request: QueryRequest, limit: int, graphs: frozenset[str],
            started: float | None = None) -> Result:
        """The query's result, checked and run by a worker within ``Limits.timeout`` of
        ``started`` (waiting for a worker counts)."""
        started = time.monotonic() if started is None else started
        deadline = started + self.limits.timeout
        return self._call(Job("query", request, limit, max(deadline - time.monotonic(), 0.1),
                              frozenset(graphs), self.limits), deadline)

    def call(self, op: str) -> object:
        """A question about the store itself (``count``, ``graphs``)."""
        return self._call(Job(op, limits=self.limits), time.monotonic() + self.limits.timeout)

    def _call(self, job: Job, deadline: float):
        wait = max(0.0, min(self.queue_wait, deadline - time.monotonic()))
        job = replace(job, accept_by=time.monotonic() + wait)
        conn = self._connect(wait)
        try:
            conn.send(job)
            if not conn.poll(wait):
                raise self._busy()
            _, pid = conn.recv()
            if not conn.poll(max(deadline - time.monotonic(), 0.0)):
                _kill(pid)
                raise QueryTimeout(f"the query ran longer than {self.limits.timeout:g} s and "
                                   "was stopped")
            status, payload = conn.recv()
        except (EOFError, OSError):
            # the worker died: its memory cap or its CPU time for this query ran out
            raise QueryTooCostly("the query was stopped: it needed more memory or CPU time "
                                 "than one query may use") from None
        finally:
            conn.close()
        if status == "ok":
            return payload
        raise from_wire(*payload)

    def _connect(self, wait: float) -> Connection:
        """A connection to the lane (accepted once a worker is idle)."""
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        sock.settimeout(max(wait, 0.001))
        try:
            sock.connect(self.address)
        except TimeoutError:
            sock.close()
            raise self._busy() from None
        except OSError as err:
            sock.close()
            raise StoreUnavailable(f"the query engine is not running ({err.strerror})") from None
        sock.setblocking(True)  # a timeout left the descriptor non-blocking: reads would fail
        return Connection(sock.detach())

    def _busy(self) -> Overloaded:
        return Overloaded(f"all {self.size} query workers are busy; try again shortly")

    def close(self) -> None:
        """Nothing to release: the engine owns the workers."""


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
