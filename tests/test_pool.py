"""Query workers (flgraph/pool.py): a query that outgrows its worker's memory cap is
stopped like one past its deadline (503 on the site), not reported as a broken store,
and the pool replaces the worker."""

from __future__ import annotations

import pytest

from flgraph.config import Limits
from flgraph.query.errors import QueryTooCostly
from flgraph.query.pool import WorkerPool
from flgraph.query.service import QueryRequest
from flgraph.store.spec import StoreSpec

from .conftest import DATA

#: Sorting a three-way product of the report's ~5,000 triples: every row is held before
#: the first is answered, far past the cap below, long before the deadline.
GROWS = "SELECT ?a ?d ?g WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i } ORDER BY ?a ?d ?g"
CAP = 1536 * 1024**2  # address space: the worker starts within ~1 GB


@pytest.fixture
def pool():
    pool = WorkerPool(StoreSpec("memory", DATA), Limits(timeout=60.0), size=1,
                      memory_bytes=CAP)
    yield pool
    pool.close()


@pytest.mark.slow  # a worker fills its memory cap
def test_a_query_past_the_memory_cap_is_stopped_and_the_worker_replaced(pool):
    assert pool.run(QueryRequest("ASK { ?s ?p ?o }"), 10, frozenset()).value is True
    with pytest.raises(QueryTooCostly, match="the query was stopped: it needed more memory"):
        pool.run(QueryRequest(GROWS), 10, frozenset())
    assert pool.run(QueryRequest("ASK { ?s ?p ?o }"), 10, frozenset()).value is True


def test_a_workers_cpu_limit_stops_a_query_that_runs_past_its_seconds():
    """The kernel's CPU limit, set before each query (CpuLimit, kept by the pool's workers
    and the engine's), stops a worker that computes past the query's seconds, even if
    nothing outside it did: here a process that spins after being allowed 1 s."""
    import os
    import signal
    import time

    from flgraph.query.pool import CpuLimit

    pid = os.fork()
    if pid == 0:
        try:
            CpuLimit().allow(1.0)
            deadline = time.monotonic() + 20
            while time.monotonic() < deadline:
                pass
        finally:
            os._exit(0)
    _, status = os.waitpid(pid, 0)
    assert os.WIFSIGNALED(status) and os.WTERMSIG(status) in (signal.SIGXCPU,
                                                              signal.SIGKILL), status
