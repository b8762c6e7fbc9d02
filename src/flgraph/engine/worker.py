"""A query worker forked from a generation of the engine: it holds the generation's store
through the fork (copy-on-write: read, never copied) and answers one job per connection.

A worker accepts a connection only when it is idle, so a web process that connects and
is not greeted within its queue wait knows every worker of the lane is busy. The greeting
carries the worker's process id: past the query's deadline the web process kills the
worker itself, and the generation forks a new one from the same store (in milliseconds,
with nothing to load).
"""

from __future__ import annotations

import os
import signal
import socket
import sys
from dataclasses import dataclass, field
from multiprocessing.connection import Connection

from ..service import Limits, QueryRefused, QueryRequest
from ..store import QuerySyntaxError, StoreError, StoreUnavailable

GREETING_WAIT = 10.0  # seconds a worker waits for the job after greeting a client


@dataclass(frozen=True)
class Job:
    """What a web process asks of a worker: ``op`` is ``query``, ``count`` or ``graphs``."""

    op: str
    request: QueryRequest | None = None
    limit: int = 0
    cpu_seconds: float = 0.0
    graphs: frozenset[str] = frozenset()
    limits: Limits = field(default_factory=Limits)


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
    It leaves once it holds more than ``private_limit`` bytes alone (resources.py)."""
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
    sys.setrecursionlimit(PARSER_RECURSION_LIMIT)
    deny_network()  # the engine may not reach out, whatever the query (see sandbox)
    while True:
        sock, _ = listener.accept()
        _State.busy = True
        conn = Connection(sock.detach())
        try:
            _serve_one(conn, store)
        except (EOFError, OSError):
            pass  # the client left (its queue wait ended): nothing to answer
        finally:
            conn.close()
            _State.busy = False
        if _State.retiring or private_bytes() > private_limit:
            os._exit(0)  # the generation forks a fresh one, sharing the store again
        settle()  # the answer is sent and freed: sort its blocks now, not in the next query


def _serve_one(conn: Connection, store) -> None:
    conn.send(("hello", os.getpid()))
    if not conn.poll(GREETING_WAIT):
        return
    job: Job = conn.recv()
    if job.op == "count":
        conn.send(("ok", store.count()))
    elif job.op == "graphs":
        conn.send(("ok", store.graph_names()))
    else:
        conn.send(_answer(store, job))


def _answer(store, job: Job) -> tuple[str, object]:
    from ..pool import _answer as check_and_run
    from ..pool import _Job, _limit_cpu, _unexpected

    _limit_cpu(job.cpu_seconds)
    try:
        return "ok", check_and_run(store, _Job(job.request, job.limit, job.cpu_seconds,
                                               job.graphs), job.limits)
    except (QuerySyntaxError, QueryRefused, StoreUnavailable, StoreError) as err:
        return "error", (type(err).__name__, str(err))
    except MemoryError:
        return "error", ("QueryTooCostly", "the query was stopped: it needed more memory "
                         "than one query may use")
    except Exception as err:
        return "error", ("StoreError", _unexpected(err))
