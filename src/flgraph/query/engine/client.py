"""How a web process reaches the engine: a lane's socket, one connection per job.

``EngineLane`` has the interface of ``pool.WorkerPool`` (``run``), so ``QueryService``
does not care which it has: the deadline, the queue wait and the errors are the same.
Its ``call`` asks a worker about the store itself (its count, its graphs): a web
process sees the served store through ``query.lanes.LaneStore`` and holds no copy.
``current()`` reads which version the engine serves, from ``current.json``.

The public lane degrades first. A /sparql query that has used more than
``COSTLY_CPU_SECONDS`` of its worker's CPU, or held it a fifth of its deadline, is
*costly*: it goes on only if it finds one of the web process's few places for costly
queries (``CostlyPlaces``, half its share of the lane), its worker lowered to the least
CPU priority so that cheap queries and pages run before it; with every place taken it is
stopped at once (503). Costly queries from any number of addresses therefore hold at most
half of the public workers, and the CPU only when nothing else wants it
(bench/load_test.py: before, 6 attacking addresses took every public worker, and the
normal clients' own queries got 429 and 503).

A client whose query was costly within the last ``COSTLY_MEMORY`` seconds is not given
those first tenths of a second again: its next query takes a place before it is sent
(503 at once, no worker touched, when none is free) and its worker is lowered from the
start, so that it never competes with readers' queries at their priority
(bench/load_test.py: attackers' queries, each found costly only after its 0.25 s of CPU,
used most of the machine between them). A query of such a client that ends before it
would have been found costly clears the mark.
"""

from __future__ import annotations

import contextlib
import json
import os
import select
import signal
import socket
import threading
import time
from collections import OrderedDict
from dataclasses import dataclass, replace
from pathlib import Path

from ...config import Limits
from ...store import Result, StoreUnavailable
from ..errors import Overloaded, QueryTimeout, QueryTooCostly, from_wire
from ..service import QueryRequest
from .resources import cpu_seconds
from .wire import Job, Reader, WireError, encode_job

COSTLY_CPU_SECONDS = 0.25  # a public query that has used this much CPU is costly
COSTLY_WALL_SHARE = 0.2  # ... or held its worker this share of the deadline (1 s of 5)
COSTLY_CHECK_SECONDS = 0.05  # how often a running public query's CPU time is read
LEAST_PRIORITY = 19  # nice(1): a costly query's worker runs when nothing else wants the CPU
COSTLY_MEMORY = 60.0  # seconds a client is remembered for a costly query
COSTLY_CLIENTS = 10_000  # clients remembered at most (the oldest forgotten first)


@dataclass(frozen=True)
class Current:
    """The version the engine serves and the immutable copy of its data."""

    version: str
    data: Path
    quads: int
    graphs: tuple[str, ...] | None = None  # its named graphs (None: not told)


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
            graphs = value.get("graphs")
            self._current = Current(value["version"], Path(value["data"]), value["quads"],
                                    None if graphs is None else tuple(graphs))
            self._seen = key
        return self._current


class CostlyPlaces:
    """A web process's places for costly queries: ``count`` of them, one held by each
    costly query this process runs. Counted per web process (half of its share of the
    lane), so that costly queries never hold every public thread of one web process
    while another has places free."""

    def __init__(self, count: int) -> None:
        self.count = max(1, count)
        self._free = threading.BoundedSemaphore(self.count)

    def take(self) -> bool:
        """Whether a place was free (then it is held until ``give_back``)."""
        return self._free.acquire(blocking=False)

    def give_back(self) -> None:
        self._free.release()


class CostlyClients:
    """The clients whose queries were lately costly, and when (thread-safe: a web
    process's threads share it)."""

    def __init__(self, memory: float = COSTLY_MEMORY, size: int = COSTLY_CLIENTS) -> None:
        self.memory = memory
        self.size = size
        self._seen: OrderedDict[str, float] = OrderedDict()
        self._lock = threading.Lock()

    def __contains__(self, client: str | None) -> bool:
        if client is None:
            return False
        with self._lock:
            when = self._seen.get(client)
            return when is not None and time.monotonic() - when < self.memory

    def mark(self, client: str | None) -> None:
        if client is None:
            return
        with self._lock:
            self._seen[client] = time.monotonic()
            self._seen.move_to_end(client)
            while len(self._seen) > self.size:
                self._seen.popitem(last=False)

    def clear(self, client: str | None) -> None:
        with self._lock:
            self._seen.pop(client, None)


class EngineLane:
    """The workers of one lane (``site`` or ``public``), shared by every web process.
    ``costly_places``: how many costly queries this web process may run at once in the
    lane (the public lane), or 0 when queries are not told apart by cost."""

    def __init__(self, directory: Path, lane: str, limits: Limits, size: int,
                 queue_wait: float | None = None, costly_places: int = 0) -> None:
        self.address = str(directory / f"{lane}.sock")
        self.limits = limits
        self.size = size
        self.queue_wait = limits.queue_wait if queue_wait is None else queue_wait
        self.costly = CostlyPlaces(costly_places) if costly_places else None
        self.costly_clients = CostlyClients()

    def run(self, request: QueryRequest, limit: int, graphs: frozenset[str],
            started: float | None = None) -> Result:
        """The query's result, checked and run by a worker within ``Limits.timeout`` of
        ``started`` (waiting for a worker counts)."""
        started = time.monotonic() if started is None else started
        deadline = started + self.limits.timeout
        job = Job("query", request, limit, max(deadline - time.monotonic(), 0.1),
                  frozenset(graphs), self.limits)
        if self.costly is None or request.client not in self.costly_clients:
            return self._call(job, deadline, request.client)
        if not self.costly.take():  # a client of costly queries: a place first, or none
            raise self._no_place()
        try:
            return self._call(job, deadline, request.client, placed=True)
        finally:
            self.costly.give_back()

    def call(self, op: str) -> object:
        """A question about the store itself (``count``, ``graphs``)."""
        return self._call(Job(op, limits=self.limits), time.monotonic() + self.limits.timeout)

    def _call(self, job: Job, deadline: float, client: str | None = None,
              placed: bool = False):
        wait = max(0.0, min(self.queue_wait, deadline - time.monotonic()))
        taken_by = time.monotonic() + wait
        frame = encode_job(replace(job, accept_by=taken_by))
        sock, reader, pid, spent = self._taken_up(frame, taken_by)
        try:
            if placed:
                _lower(pid)
            if not self._answered(reader, pid, spent, deadline, client, placed):
                _kill(pid)
                raise QueryTimeout(f"the query ran longer than {self.limits.timeout:g} s and "
                                   "was stopped")
            status, payload = reader.answer()
        except (WireError, OSError):
            # the worker died running the query: its memory cap or its CPU time ran out
            raise QueryTooCostly("the query was stopped: it needed more memory or CPU time "
                                 "than one query may use") from None
        finally:
            sock.close()
        if status == "ok":
            return payload
        raise from_wire(*payload)

    def _taken_up(self, frame: bytes, taken_by: float) -> tuple[socket.socket, Reader, int,
                                                                  float]:
        """The connection of the worker that took the job up by ``taken_by``, its reader,
        the worker's pid and CPU time (its greeting); ``Overloaded`` if none did.

        A worker may leave in the instant after it accepted a connection, told to by the
        engine (an idle worker holding too much memory alone is replaced; at a reload
        the older generation's workers retire): the job was never run, so it is sent
        once more, to another worker, if its queue wait has not run out."""
        for attempt in range(2):
            sock = self._connect()
            reader = Reader(sock.fileno())
            try:
                _send(sock, frame, taken_by)
                pid, spent = reader.greeting(taken_by)
                return sock, reader, pid, spent
            except TimeoutError:  # no worker was free within the wait
                sock.close()
                break
            except (WireError, OSError):  # the worker left, or the job came past its wait
                sock.close()
                if attempt or time.monotonic() >= taken_by:
                    break
        raise self._busy()

    def _answered(self, reader: Reader, pid: int, spent: float, deadline: float,
                  client: str | None = None, placed: bool = False) -> bool:
        """Whether the worker ``pid`` answered by ``deadline``; a costly query that finds
        no place is stopped here (``QueryTooCostly``). ``spent``: the worker's CPU time
        when it took the job up (its greeting), so that a query answered within
        ``COSTLY_CHECK_SECONDS`` costs no read of /proc. ``placed``: the query holds a
        place already (its client's queries were lately costly)."""
        if self.costly is None:
            return reader.ready(deadline - time.monotonic())
        started = time.monotonic()
        held = self.limits.timeout * COSTLY_WALL_SHARE
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            if reader.ready(min(left, COSTLY_CHECK_SECONDS)):
                self.costly_clients.clear(client)  # it was not costly after all
                return True
            if _costly(cpu_seconds(pid) - spent, time.monotonic() - started, held):
                break
        self.costly_clients.mark(client)
        if placed:
            return reader.ready(deadline - time.monotonic())
        if not self.costly.take():
            _kill(pid)
            raise self._no_place()
        try:
            _lower(pid)
            return reader.ready(deadline - time.monotonic())
        finally:
            self.costly.give_back()

    def _no_place(self) -> QueryTooCostly:
        held = self.limits.timeout * COSTLY_WALL_SHARE
        return QueryTooCostly(
            f"the query was stopped: it ran past {COSTLY_CPU_SECONDS:g} s of CPU or "
            f"{held:g} s, or its client's queries lately did, while the endpoint already "
            "runs as many long queries as it may; try again later")

    def _connect(self) -> socket.socket:
        """A connection to the lane, never blocking: a worker accepts it once idle, and
        the kernel holds it until then (up to the lane's backlog: beyond, all busy)."""
        sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM | socket.SOCK_NONBLOCK)
        try:
            sock.connect(self.address)
        except BlockingIOError:
            sock.close()
            raise self._busy() from None
        except OSError as err:
            sock.close()
            raise StoreUnavailable(f"the query engine is not running ({err.strerror})") from None
        return sock

    def _busy(self) -> Overloaded:
        return Overloaded(f"all {self.size} query workers are busy; try again shortly")

    def close(self) -> None:
        """Nothing to release: the engine owns the workers."""


def _costly(cpu: float, seconds: float, held: float) -> bool:
    """Whether a running query is costly: by its CPU time on a quiet machine, by the time
    it has held its worker on a busy one (where its CPU comes too slowly to tell)."""
    return cpu >= COSTLY_CPU_SECONDS or seconds >= held


def _send(sock: socket.socket, frame: bytes, until: float) -> None:
    """The job's frame, written at once (a socket's buffer holds a job of the largest
    size a query may have), else as the worker reads it, until ``until``."""
    view = memoryview(frame)
    while view:
        try:
            view = view[sock.send(view):]
        except BlockingIOError:
            if not select.select([], [sock], [], max(0.0, until - time.monotonic()))[1]:
                raise TimeoutError from None


def _lower(pid: int) -> None:
    """The worker ``pid`` to the least CPU priority (it is replaced after its answer)."""
    with contextlib.suppress(OSError):  # the worker may have just ended
        os.setpriority(os.PRIO_PROCESS, pid, LEAST_PRIORITY)


def _kill(pid: int) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
