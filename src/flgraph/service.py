"""The query path shared by the site, the SPARQL endpoint and the CLI.

Every query, saved or typed, goes through ``QueryService.run``: the gateway checks it
(size, form, no outbound network), then a store answers it with a row cap. Errors a
client can cause are exceptions here, turned into HTTP statuses by the web layer.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field

from .store import Result, Store
from .store.base import Term

GRAPHS_TTL = 10.0  # seconds the list of the store's graphs is trusted


class QueryRefused(Exception):
    """The gateway will not run this query (HTTP 400); the message says why."""


class QueryTimeout(Exception):
    """The query ran past its deadline and was stopped (HTTP 503)."""


class Overloaded(Exception):
    """Too many queries at once (HTTP 429)."""


@dataclass(frozen=True)
class Limits:
    """Defaults in line with public endpoints: seconds per query, thousands of rows."""

    row_limit: int = 10_000
    timeout: float = 10.0
    max_query_bytes: int = 20_000
    max_nesting: int = 64
    max_patterns: int = 150
    max_unions: int = 64
    max_subqueries: int = 16
    max_paths: int = 32
    queue_wait: float = 2.0  # longest wait for a free worker before answering 429
    max_concurrent: int = 4  # queries at once per web process when there is no pool


@dataclass(frozen=True)
class QueryRequest:
    text: str
    bindings: Mapping[str, Term] = field(default_factory=dict)
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    limit: int | None = None  # at most Limits.row_limit


class QueryService:
    """Runs checked queries against one store."""

    def __init__(self, store: Store, limits: Limits | None = None, pool=None) -> None:
        self.store = store
        self.limits = limits or Limits()
        self.pool = pool  # a WorkerPool, or None to run queries in this process
        self._graphs: frozenset[str] | None = None
        self._graphs_read = 0.0
        # Without a pool (a remote store) the store's own timeout bounds each query; this
        # bounds how many run at once, so a burst gets 429s instead of piling up.
        self._slots = threading.BoundedSemaphore(self.limits.max_concurrent)

    def graph_names(self) -> frozenset[str]:
        """The store's named graphs, read again every few seconds: a remote store can be
        reloaded while the site runs."""
        now = time.monotonic()
        if self._graphs is None or now - self._graphs_read > GRAPHS_TTL:
            self._graphs = frozenset(self.store.graph_names())
            self._graphs_read = now
        return self._graphs

    def run(self, request: QueryRequest) -> Result:
        from .gateway import check_query

        check_query(request.text, self.limits, self.graph_names())
        for graph in (*(request.default_graphs or ()), *(request.named_graphs or ())):
            if graph not in self.graph_names():
                raise QueryRefused(f"<{graph}> is not a graph of this dataset (graphs are "
                                   "never fetched)")
        limit = min(request.limit or self.limits.row_limit, self.limits.row_limit)
        if self.pool is not None:
            return self.pool.run(request, limit)
        if not self._slots.acquire(timeout=self.limits.queue_wait):
            raise Overloaded(f"{self.limits.max_concurrent} queries are running; try again "
                             "shortly")
        try:
            return self._query(request, limit)
        finally:
            self._slots.release()

    def _query(self, request: QueryRequest, limit: int) -> Result:
        return self.store.query(
            request.text, dict(request.bindings), limit=limit,
            default_graphs=list(request.default_graphs) if request.default_graphs is not None
            else None,
            named_graphs=list(request.named_graphs) if request.named_graphs is not None else None,
        )
