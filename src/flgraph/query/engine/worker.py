"""A query worker forked from a generation of the engine: it holds the generation's store
through the fork (copy-on-write: read, never copied) and answers one job per connection.

A worker accepts a connection only when it is idle. The web process sends the job as soon
as it is connected, and a worker that takes it up greets with its process id before
running it: a web process not greeted within its queue wait knows every worker of the
lane is busy (and the job says until when it may be taken up: later, a worker drops
it). Past the query's deadline the web process kills the worker itself, and the
generation forks a new one from the same store (in milliseconds, with nothing to load).
One round trip per query, as with a pipe of its own: a greeting before the job cost a
second one.
"""

from __future__ import annotations

import os
import signal
import socket
import sys
import time
from dataclasses import dataclass, field
from multiprocessing.connection import Connection

from ...config import Limits
from ...store import StoreError
from ..errors import QUERY_FAILURES, QueryTooCostly, to_wire
from ..service import QueryRequest

GREETING_WAIT = 10.0  # seconds a worker waits for the job of a client it accepted
COPY_CHECK_SECONDS = 0.05  # a query using this much CPU may have written many shared pages
COPY_CHECK_EVERY = 64  # else the worker's own memory is looked at every so many answers


@dataclass(frozen=True)
class Job:
    """What a web process asks of a worker: ``op`` is ``query``, ``count`` or ``graphs``."""

    op: str
    request: QueryRequest | None = None
    limit: int = 0
    cpu_seconds: float = 0.0
    graphs: frozenset[str] = frozenset()
    limits: Limits = field(default_factory=Limits)
    accept_by: float = 0.0  # time.monotonic() after which no worker may take it up


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
    answered = 0
    while True:
        sock, _ = listener.accept()
        _State.busy = True
        conn = Connection(sock.detach())
        started = _cpu_seconds()
        try:
            answered += _serve_one(conn, store)
        except (EOFError, OSError):
            pass  # the client left (its queue wait ended): nothing to answer
        finally:
            conn.close()
            _State.busy = False
        if _State.retiring or _lowered(priority) or (
                _may_have_copied(_cpu_seconds() - started, answered)
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


def _may_have_copied(seconds: float, answered: int) -> bool:
    """Whether to look at the worker's own memory now: reading it costs a walk of the
    page tables (1.3 ms with the report's data), and a quick query copies little. Quick
    by its CPU time, not the clock: on a busy machine (an attack) every query outlasted
    50 ms of wall time, and each then paid for the walk."""
    return seconds > COPY_CHECK_SECONDS or answered % COPY_CHECK_EVERY == 0


def _serve_one(conn: Connection, store) -> bool:
    """Answer the connection's job; True if it was run."""
    if not conn.poll(GREETING_WAIT):
        return False
    job: Job = conn.recv()
    if time.monotonic() > job.accept_by:
        return False  # its client stopped waiting for a worker
    # the greeting carries the CPU time used so far: the web process measures a query's
    # CPU from it, and reads /proc only for a query still running after a while
    conn.send(("hello", os.getpid(), _cpu_seconds()))
    if job.op == "count":
        conn.send(("ok", store.count()))
    elif job.op == "graphs":
        conn.send(("ok", store.graph_names()))
    else:
        conn.send(_answer(store, job))
    return True


def _answer(store, job: Job) -> tuple[str, object]:
    from ..pool import _answer as check_and_run
    from ..pool import _Job, _limit_cpu, _unexpected

    _limit_cpu(job.cpu_seconds)
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
