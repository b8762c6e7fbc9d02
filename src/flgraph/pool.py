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
import queue
import threading
import time
from dataclasses import dataclass
from multiprocessing.connection import Connection
from pathlib import Path

from .service import Limits, Overloaded, QueryRequest, QueryTimeout
from .store import QuerySyntaxError, Result, StoreError, StoreUnavailable

_ERRORS = {"QuerySyntaxError": QuerySyntaxError, "StoreUnavailable": StoreUnavailable,
           "StoreError": StoreError}


@dataclass(frozen=True)
class StoreSpec:
    """How a worker opens the store: the ``--store`` spec and, for memory, the data file."""

    spec: str
    data: Path | None


def _worker_main(conn: Connection, spec: StoreSpec, memory_bytes: int | None) -> None:
    """A worker's loop: open the store once, then answer jobs until told to stop."""
    import resource

    from .store import open_store

    if memory_bytes:
        resource.setrlimit(resource.RLIMIT_AS, (memory_bytes, memory_bytes))
    store = open_store(spec.spec, spec.data)
    conn.send(("ready", None))
    while True:
        try:
            job = conn.recv()
        except EOFError:
            return
        if job is None:
            return
        request, limit, cpu_seconds = job
        _limit_cpu(cpu_seconds)
        try:
            result = store.query(request.text, dict(request.bindings), limit=limit,
                                 default_graphs=_list(request.default_graphs),
                                 named_graphs=_list(request.named_graphs))
            conn.send(("ok", result))
        except (QuerySyntaxError, StoreUnavailable, StoreError) as err:
            conn.send(("error", (type(err).__name__, str(err))))
        except MemoryError:
            conn.send(("error", ("StoreError", "the query needed more memory than allowed")))


def _limit_cpu(seconds: float) -> None:
    """Allow this query ``seconds`` more CPU time than the worker has used so far."""
    import resource

    used = resource.getrusage(resource.RUSAGE_SELF)
    spent = used.ru_utime + used.ru_stime
    soft = int(spent + seconds) + 1
    _, hard = resource.getrlimit(resource.RLIMIT_CPU)
    if hard != resource.RLIM_INFINITY:
        soft = min(soft, hard)
    resource.setrlimit(resource.RLIMIT_CPU, (soft, hard))


def _list(graphs):
    return list(graphs) if graphs is not None else None


class _Worker:
    def __init__(self, context, spec: StoreSpec, memory_bytes: int | None) -> None:
        self.conn, child = context.Pipe()
        self.process = context.Process(target=_worker_main, args=(child, spec, memory_bytes),
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
    """``size`` worker processes, each holding its own copy (or view) of the store."""

    def __init__(self, spec: StoreSpec, limits: Limits, size: int = 2,
                 memory_bytes: int | None = None, start_timeout: float = 120.0) -> None:
        self.spec = spec
        self.limits = limits
        self.size = size
        self.memory_bytes = memory_bytes
        self.start_timeout = start_timeout
        self._context = mp.get_context("spawn")
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._closed = False
        for worker in [self._spawn() for _ in range(size)]:
            self._add_when_ready(worker, background=False)

    def _spawn(self) -> _Worker:
        return _Worker(self._context, self.spec, self.memory_bytes)

    def _add_when_ready(self, worker: _Worker, background: bool) -> None:
        def wait():
            if worker.wait_ready(self.start_timeout) and not self._closed:
                self._idle.put(worker)
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

    def run(self, request: QueryRequest, limit: int) -> Result:
        try:
            worker = self._idle.get(timeout=self.limits.queue_wait)
        except queue.Empty:
            raise Overloaded(f"all {self.size} query workers are busy; try again shortly") \
                from None
        deadline = self.limits.timeout
        try:
            worker.conn.send((request, limit, deadline))
            if not worker.conn.poll(deadline):
                self._replace(worker)
                raise QueryTimeout(f"the query ran longer than {deadline:g} s and was stopped")
            status, payload = worker.conn.recv()
        except (EOFError, OSError, BrokenPipeError):
            self._replace(worker)
            raise StoreError("the query stopped its worker (it was too costly to evaluate)") \
                from None
        self._idle.put(worker)
        if status == "ok":
            return payload
        name, message = payload
        raise _ERRORS.get(name, StoreError)(message)

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
