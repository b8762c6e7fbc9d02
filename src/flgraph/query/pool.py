"""Queries run where they can be stopped: a pool of worker processes holding the store.

Neither engine can be interrupted from Python (a thread cannot be killed, a signal waits
for Rust to return), so each query runs in a worker process with a deadline enforced from
outside: past it the worker is killed and replaced, and the caller gets ``QueryTimeout``
within the deadline plus a fraction of a second while other queries go on. Each worker
caps its own memory (``RLIMIT_AS``) and the CPU time of each query (``RLIMIT_CPU``, reset
before every query: the kernel stops a runaway query even if the deadline were missed).
When every worker is busy for longer than ``Limits.queue_wait``, the caller gets
``Overloaded`` (429) instead of waiting in an unbounded queue.
"""

from __future__ import annotations

import contextlib
import multiprocessing as mp
import os
import queue
import resource
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection

from ..config import Limits
from ..store import QuerySyntaxError, Result, StoreError
from ..store.spec import StoreSpec
from .errors import QUERY_FAILURES, Overloaded, QueryTimeout, QueryTooCostly, from_wire, to_wire
from .gateway import check_query, explain_refusal
from .service import QueryRequest, execute

#: rdflib's SPARQL parser recurses deeply; a worker can afford a deeper stack than a
#: web thread (the nesting limit of the gateway bounds how deep a query goes anyway).
PARSER_RECURSION_LIMIT = 20_000


@dataclass(frozen=True)
class _Job:
    request: QueryRequest | None
    limit: int
    cpu_seconds: float
    graphs: frozenset[str]
    op: str = "query"  # or a question about the store: "count", "graphs"


def _worker_main(conn: Connection, spec: StoreSpec, limits: Limits, memory_bytes: int | None,
                 nice: int) -> None:
    """A worker's loop: open the store once, then answer jobs until told to stop."""
    import sys

    from ..store import open_store
    from .allocator import settle
    from .sandbox import deny_network

    if memory_bytes:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    if nice:
        os.nice(nice)
    sys.setrecursionlimit(PARSER_RECURSION_LIMIT)
    store = open_store(spec.spec, spec.data)
    if spec.embedded:
        deny_network()  # the engine may not reach out, whatever the query (see sandbox)
    conn.send(("ready", None))
    cpu_limit = CpuLimit()
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        if job is None:
            return
        cpu_limit.allow(job.cpu_seconds)
        try:
            conn.send(("ok", _store_answer(store, job.op) if job.op != "query"
                       else _answer(store, job, limits)))
        except QUERY_FAILURES as err:
            conn.send(("error", to_wire(err)))
        except MemoryError:
            conn.send(("error", to_wire(QueryTooCostly(
                "the query was stopped: it needed more memory than one query may use"))))
        except Exception as err:
            conn.send(("error", to_wire(StoreError(_unexpected(err)))))
        settle()  # the answer is sent and freed: sort its blocks now, not in the next query


def _unexpected(err: Exception) -> str:
    """A failure no check foresaw, in one line for the client: the worker goes on (a
    query that breaks a checker or an engine binding must not cost a respawn each time)."""
    return f"the query could not be run ({type(err).__name__})"


def _answer(store, job: _Job, limits: Limits) -> Result:
    """Check the query in full (parsing a crafted query is itself costly, so it happens
    here, under the deadline), then run it with the row and byte caps."""
    engine_parses = getattr(store, "parses_standard_sparql", False)
    check_query(job.request.text, limits, job.graphs, engine_parses=engine_parses)
    try:
        return execute(store, job.request, job.limit, limits)
    except QuerySyntaxError:
        if engine_parses:
            explain_refusal(job.request.text, limits, job.graphs)
        raise


def _store_answer(store, op: str) -> object:
    """A question about the store itself, asked by a web process that holds no copy."""
    if op == "count":
        return store.count()
    if op == "graphs":
        return store.graph_names()
    raise StoreError(f"unknown question to a worker: {op!r}")


class CpuLimit:
    """A worker's CPU limit (``RLIMIT_CPU``), raised before each query to allow it its
    seconds beyond what the worker has used: the kernel stops a runaway query even if its
    deadline were missed. Set only when the limit changes (it is counted in whole
    seconds: most queries leave it as it was). The pool's workers and the engine's
    (engine/worker.py) both keep one."""

    def __init__(self) -> None:
        self.soft, self.hard = resource.getrlimit(resource.RLIMIT_CPU)

    def allow(self, seconds: float, spent: float | None = None) -> None:
        """Allow ``seconds`` more CPU time than ``spent``, this worker's so far (read
        here when not given)."""
        if spent is None:
            times = os.times()
            spent = times.user + times.system
        soft = int(spent + seconds) + 1
        if self.hard != resource.RLIM_INFINITY:
            soft = min(soft, self.hard)
        if soft != self.soft:
            resource.setrlimit(resource.RLIMIT_CPU, (soft, self.hard))
            self.soft = soft


class _Worker:
    def __init__(self, context, spec: StoreSpec, limits: Limits, memory_bytes: int | None,
                 nice: int) -> None:
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_worker_main,
                                       args=(child, spec, limits, memory_bytes, nice),
                                       daemon=True, name="flgraph-query-worker")
        self.process.start()
        child.close()

    def wait_ready(self, timeout: float) -> bool:
        if self.conn.poll(timeout):
            try:
                return self.conn.recv()[0] == "ready"
            except (EOFError, OSError):
                return False
        return False

    def kill(self) -> None:
        with contextlib.suppress(Exception):
            self.process.kill()
            self.process.join(5)
            self.conn.close()


class WorkerPool:
    """``size`` worker processes, each holding its own copy (or view) of the store.

    ``queue_wait`` is the longest a query waits for a free worker (then ``Overloaded``);
    ``nice`` lowers the workers' CPU priority (the public lane runs below the site's);
    ``wait_first`` makes the constructor return once one worker is ready (see ``_start``).
    """

    def __init__(self, spec: StoreSpec, limits: Limits, size: int = 2,
                 memory_bytes: int | None = None, start_timeout: float = 120.0,
                 queue_wait: float | None = None, nice: int = 0,
                 wait_first: bool = True) -> None:
        self.spec = spec
        self.limits = limits
        self.size = size
        self.memory_bytes = memory_bytes
        self.start_timeout = start_timeout
        self.queue_wait = limits.queue_wait if queue_wait is None else queue_wait
        self.nice = nice
        self._context = mp.get_context("spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._closed = False
        self._started = threading.Event()  # set once the first worker is ready
        self._start(wait_first)

    def _start(self, wait_first: bool) -> None:
        """One worker first, the others once it is ready.

        Every worker opens the store, and at a first start (nothing in the page cache,
        several web processes each starting a pool) they would all read it at once on
        a couple of cores: started together they are all ready late, started one after
        the other the first is ready early. The site answers as soon as one worker is
        (a query waits ``queue_wait`` for a worker, and the others arrive within it).
        With ``wait_first`` false nothing is awaited: a lane that may start late."""
        def rest() -> None:
            for _ in range(self.size - 1):
                if not self._closed:
                    self._add_when_ready(self._spawn(), background=False)

        if wait_first:
            self._add_when_ready(self._spawn(), background=False)
            threading.Thread(target=rest, daemon=True, name="flgraph-pool-start").start()
        else:
            def everything() -> None:
                self._add_when_ready(self._spawn(), background=False)
                rest()
            threading.Thread(target=everything, daemon=True, name="flgraph-pool-start").start()

    def _spawn(self) -> _Worker:
        return _Worker(self._context, self.spec, self.limits, self.memory_bytes, self.nice)

    def _add_when_ready(self, worker: _Worker, background: bool) -> None:
        def wait():
            if worker.wait_ready(self.start_timeout) and not self._closed:
                self._idle.put(worker)
                self._started.set()
            else:
                worker.kill()
                if not self._closed:  # could not start: try again, but not in a tight loop
                    time.sleep(1)
                    self._add_when_ready(self._spawn(), background=True)

        if background:
            threading.Thread(target=wait, daemon=True, name="flgraph-respawn").start()
        else:
            wait()

    def _replace(self, worker: _Worker) -> None:
        worker.kill()
        if not self._closed:
            self._add_when_ready(self._spawn(), background=True)

    def run(self, request: QueryRequest, limit: int, graphs: frozenset[str],
            started: float | None = None) -> Result:
        """The query's result, checked and run in a worker within ``Limits.timeout`` of
        ``started`` (when the request arrived; waiting for a worker counts)."""
        started = time.monotonic() if started is None else started
        return self._call(lambda remaining: _Job(request, limit, remaining, frozenset(graphs)),
                          started)

    def call(self, op: str) -> object:
        """A question about the store itself (``count``, ``graphs``), under the deadline."""
        return self._call(lambda remaining: _Job(None, 0, remaining, frozenset(), op),
                          time.monotonic())

    def _call(self, job_for, started: float):
        timeout = self.limits.timeout
        # a pool still starting is not overloaded: its first worker is awaited instead
        self._started.wait(max(0.0, timeout - (time.monotonic() - started)))
        left = timeout - (time.monotonic() - started)
        try:  # the wait for a worker counts against the query's deadline
            worker = self._idle.get(timeout=max(0.0, min(self.queue_wait, left)))
        except queue.Empty:
            raise Overloaded(f"all {self.size} query workers are busy; try again shortly") \
                from None
        remaining = timeout - (time.monotonic() - started)
        try:
            worker.conn.send(job_for(max(remaining, 0.1)))
            if not worker.conn.poll(max(remaining, 0.0)):
                self._replace(worker)
                raise QueryTimeout(f"the query ran longer than {timeout:g} s and was stopped")
            status, payload = worker.conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            self._replace(worker)
            # the worker died: its memory cap or its CPU time for this query ran out
            raise QueryTooCostly("the query was stopped: it needed more memory or CPU time "
                                 "than one query may use") from None
        self._idle.put(worker)
        if status == "ok":
            return payload
        raise from_wire(*payload)

    def close(self) -> None:
        self._closed = True
        while True:
            try:
                worker = self._idle.get_nowait()
            except queue.Empty:
                return
            with contextlib.suppress(Exception):
                worker.conn.send(None)
            worker.kill()
