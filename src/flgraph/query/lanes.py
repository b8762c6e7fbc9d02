"""The served store as a web process sees it when workers hold the data: through a lane.

A lane is a ``pool.WorkerPool`` or an ``engine.client.EngineLane``: both ``run`` a query
and ``call`` a question about the store itself (``count``, ``graphs``) in a worker,
under the query deadline. ``LaneStore`` turns a lane into a ``Store``, so the service
and the pages that count the data ask a worker instead of holding a copy of it: the web
process loads no data (a copy per web process was 90 MB for the report's data, and
the count and the version were all it was used for).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Protocol

from ..config import Limits
from ..store import Result, Store, StoreError
from .service import QueryRequest


class Lane(Protocol):
    limits: Limits

    def run(self, request: QueryRequest, limit: int, graphs: frozenset[str],
            started: float | None = None) -> Result: ...

    def call(self, op: str) -> object: ...


class LaneStore(Store):
    """A store whose every question is answered by a worker of ``lane``, but for the
    named graphs where ``graphs`` tells them without a query (the engine writes them
    beside the version it serves: every /sparql query needs them, and asking a worker
    of the site's lane made the first one wait for that lane at the server's start)."""

    name = "oxigraph"  # only embedded stores have workers

    def __init__(self, lane: Lane,
                 graphs: Callable[[], Iterable[str] | None] | None = None) -> None:
        self.lane = lane
        self._graphs = graphs

    def query(self, sparql: str, bindings: Mapping | None = None, *, limit: int | None = None,
              default_graphs: list[str] | None = None,
              named_graphs: list[str] | None = None) -> Result:
        request = QueryRequest(sparql, dict(bindings or {}),
                               tuple(default_graphs) if default_graphs is not None else None,
                               tuple(named_graphs) if named_graphs is not None else None)
        return self.lane.run(request, limit or self.lane.limits.row_limit, frozenset())

    def load(self, quads: Iterable) -> None:
        raise StoreError("the served data changes only by restarting or reloading the server")

    def quads(self) -> Iterable:
        raise StoreError("the whole dataset is read by a child process of its own "
                         "(web/whole_dataset.py), never through a lane")

    def count(self) -> int:
        return self.lane.call("count")

    def graph_names(self) -> list[str]:
        known = self._graphs() if self._graphs is not None else None
        return list(known) if known is not None else self.lane.call("graphs")
