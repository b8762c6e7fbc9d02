"""A query worker forked from a generation of the engine: it holds the generation's store
through the fork (copy-on-write: read, never copied) and answers one job per connection.

A worker accepts a connection only when it is idle. The web process sends the job as soon
as it is connected, and a worker that takes it up greets with its process id before
running it: a web process not greeted within its queue wait knows every worker of the
lane is busy (and the job says until when it may be taken up: later, a worker drops
it). Past the query's deadline the web process kills the worker itself, and the
generation forks a new one from the same store (in milliseconds, with nothing to load).
One round trip per query, as with a pipe of its own: a greeting before the job cost a
second one. What crosses, and in which form: wire.py.

A worker reads its own memory after a query that used ``COPY_CHECK_SECONDS`` of CPU (it
may have written many of the store's pages), and leaves if it holds more than its share
alone; after quicker ones the generation looks, once a second (server._Sweep).
"""

from __future__ import annotations

import os
import signal
import socket
import sys
import time

from ...store import StoreError
from ..errors import QUERY_FAILURES, QueryTooCostly, to_wire
from ..pool import CpuLimit
from .wire import GREETING, Job, Reader, WireError, encode_answer, write_all

GREETING_WAIT = 10.0  # seconds a worker waits for the job of a client it accepted
COPY_CHECK_SECONDS = 0.05  # a query using this much CPU may have written many shared pages

__all__ = ["Job", "serve_lane"]


class _State:
    busy = False
    retiring = False


def _retire(_signum, _frame) -> None:
    """SIGTERM from the generation: leave now if idle, else after the job in hand."""
    if not _State.busy:
        os._exit(0)
    _State.retiring = True


def serve_lane(listener: socket.socket, store, nice: int, memory_bytes: int | None,
               private_limit: int) -> None:
    """The worker's whole life; it never returns (the caller ``os._exit``s after it).
    It leaves once it holds more than ``private_limit`` bytes alone (resources.py), or
    after a costly query (its priority lowered)."""
    from ..allocator import settle
    from ..pool import PARSER_RECURSION_LIMIT
    from ..sandbox import deny_network
    from .resources import limit_worker, private_bytes

    signal.signal(signal.SIGTERM, _retire)
    signal.signal(signal.SIGHUP, signal.SIG_IGN)
    signal.signal(signal.SIGINT, signal.SIG_IGN)  # a terminal's ^C is for the server
    limit_worker(memory_bytes)
    if nice:
        os.nice(nice)
    priority = os.getpriority(os.PRIO_PROCESS, 0)
    sys.setrecursionlimit(PARSER_RECURSION_LIMIT)
    deny_network()  # the engine may not reach out, whatever the query (see sandbox)
    cpu_limit = CpuLimit()
    pid = os.getpid()
    while True:
        sock, _ = listener.accept()
        _State.busy = True
        started = _cpu_seconds()
        try:
            _serve_one(sock.fileno(), store, pid, started, cpu_limit)
        except (WireError, TimeoutError, OSError):
            pass  # the client left (its queue wait ended): nothing to answer
        finally:
            sock.close()
            _State.busy = False
        if _State.retiring or _lowered(priority) or (
                _cpu_seconds() - started > COPY_CHECK_SECONDS
                and private_bytes() > private_limit):
            os._exit(0)  # the generation forks a fresh one, sharing the store again
        settle()  # the answer is sent and freed: sort its blocks now, not in the next query


def _lowered(priority: int) -> bool:
    """Whether the web process lowered this worker's CPU priority for a costly query
    (engine/client.py): a worker cannot raise it again, so a fresh fork takes its place."""
    return os.getpriority(os.PRIO_PROCESS, 0) > priority


def _cpu_seconds() -> float:
    """This process's CPU time (user and system, in clock ticks as /proc counts it)."""
    times = os.times()
    return times.user + times.system


def _serve_one(fd: int, store, pid: int, spent: float, cpu_limit: CpuLimit) -> None:
    """Answer the job on the connection ``fd``; ``spent``: this worker's CPU time now."""
    job = Reader(fd).job(time.monotonic() + GREETING_WAIT)
    if time.monotonic() > job.accept_by:
        return  # its client stopped waiting for a worker
    # the greeting carries the CPU time used so far: the web process measures a query's
    # CPU from it, and reads /proc only for a query still running after a while
    write_all(fd, GREETING.pack(b"H", pid, spent))
    if job.op == "count":
        answer = "ok", store.count()
    elif job.op == "graphs":
        answer = "ok", store.graph_names()
    else:
        cpu_limit.allow(job.cpu_seconds, spent)
        answer = _answer(store, job)
    write_all(fd, *encode_answer(*answer))


def _answer(store, job: Job) -> tuple[str, object]:
    from ..pool import _answer as check_and_run
    from ..pool import _Job, _unexpected

    try:
        return "ok", check_and_run(store, _Job(job.request, job.limit, job.cpu_seconds,
                                               job.graphs), job.limits)
    except QUERY_FAILURES as err:
        return "error", to_wire(err)
    except MemoryError:
        return "error", to_wire(QueryTooCostly("the query was stopped: it needed more memory "
                                               "than one query may use"))
    except Exception as err:
        return "error", to_wire(StoreError(_unexpected(err)))
