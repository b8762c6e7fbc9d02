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
