"""The query path shared by the site, the SPARQL endpoint and the CLI.

Every query, saved or typed, goes through ``QueryService.run``: the gateway checks it
(size, form, no outbound network), then a store answers it with a row cap and a byte
cap. Errors a client can cause are exceptions here, turned into HTTP statuses by the
web layer.

Two lanes when the service has worker pools (``flgraph serve``): queries typed by
clients at ``/sparql`` (``QueryRequest.public``) run in their own small pool, at a
lower CPU priority, and are told "busy" (429) quickly; the site's own queries — saved
queries, resource pages — run in the other pool. However pathological the public
queries, they can only ever occupy the public workers, so the pages keep answering.
"""

from __future__ import annotations

import contextlib
import re
import threading
import time
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from urllib.parse import urljoin

from pyoxigraph import NamedNode

from ..config import Limits
from ..namespaces import PREFIXES
from ..store import (
    AskResult,
    GraphResult,
    QuerySyntaxError,
    Result,
    SelectResult,
    Store,
    StoreUnavailable,
)
from ..store.base import Term
from ..store.results import Serialized, serialize_capped
from .errors import Overloaded, ParameterError, QueryRefused, QueryTimeout
from .gateway import check_query, explain_refusal, prepare, query_form

#: A BASE declaration, with the comments and spaces before it.
_OWN_BASE = re.compile(r"(?:\s|#[^\n]*)*(?i:BASE)\s*<([^<>\s]*)>")

GRAPHS_TTL = 10.0  # seconds the list of the store's graphs is trusted
TERM_OVERHEAD = 16  # bytes counted per term on top of its text (quotes, tags, markup)


@dataclass(frozen=True)
class QueryRequest:
    text: str
    bindings: Mapping[str, Term] = field(default_factory=dict)
    default_graphs: tuple[str, ...] | None = None
    named_graphs: tuple[str, ...] | None = None
    limit: int | None = None  # at most Limits.row_limit
    public: bool = False  # typed by a client (the /sparql endpoint): the public lane
    base: str | None = None  # the BASE relative IRIs resolve against
    client: str | None = None  # who asked (a public query's remote address), for fairness
    # the formats to write the answer in where it runs (for SELECT/ASK, for CONSTRUCT/
    # DESCRIBE; results.serialize_capped): bytes cross back, not rows. None: rows.
    formats: tuple[str | None, str | None] | None = None

    def engine_text(self) -> str:
        """The text an engine runs: the BASE first when there is one. The gateway checks
        ``text`` alone, so its syntax errors name the client's own lines.

        A query that opens with BASE declarations of its own gets one, theirs resolved
        in turn against ours, in place of them: SPARQL allows several, Virtuoso refuses
        a second (SP030, "syntax error at 'BASE'"), and every W3C test query given its
        location as base failed through flgraph on Virtuoso."""
        if not self.base:
            return self.text
        base, end = self.base, 0
        while own := _OWN_BASE.match(self.text, end):
            base, end = urljoin(base, own.group(1)), own.end()
        if end == 0:
            return f"BASE <{self.base}>\n{self.text}"
        return f"BASE <{base}>\n{self.text[end:]}"


class QueryService:
    """Runs checked queries against one store, in worker pools when it has them."""

    def __init__(self, store: Store, limits: Limits | None = None, pool=None,
                 public_pool=None) -> None:
        self.store = store
        self.limits = limits or Limits()
        self.pool = pool  # a WorkerPool, or None to run queries in this process
        self.public_pool = public_pool or pool  # the lane of /sparql queries
        self._graphs: frozenset[str] | None = None
        self._graphs_read = 0.0
        # Without a pool (a remote store) the store's own timeout bounds each query; this
        # bounds how many run at once, so a burst gets 429s instead of piling up.
        self._slots = threading.BoundedSemaphore(self.limits.max_concurrent)
        # ... and /sparql queries never hold them all: the site's own queries keep a share.
        self._public_slots = threading.BoundedSemaphore(
            max(1, min(self.limits.max_public_concurrent, self.limits.max_concurrent - 1)))
        self._clients = ClientShares(self.limits.public_per_client,
                                     self.limits.public_per_client_queue)

    def graph_names(self) -> frozenset[str]:
        """The store's named graphs, read again every few seconds: a remote store can be
        reloaded while the site runs."""
        now = time.monotonic()
        if self._graphs is None or now - self._graphs_read > GRAPHS_TTL:
            self._graphs = frozenset(self.store.graph_names())
            self._graphs_read = now
        return self._graphs

    def count(self) -> int:
        """The store's quads, asked where the data is (a worker, when there are workers:
        the web process holds no copy), under the query deadline."""
        return self.store.count()

    def ping(self) -> bool:
        """Whether a query is answered now: the cheapest one, the whole way through (the
        gateway, a worker of the site's lane, the store)."""
        return self.run(QueryRequest("ASK { }")).value

    def forget_graphs(self) -> None:
        """The data changed (a reload): read the list of graphs again."""
        self._graphs = None

    def query_form(self, text: str) -> str | None:
        """The form of a query before it runs, to negotiate its format first.

        Without a pool the query is checked in full here; with one, only the cheap
        checks run in this process and the form is read from the text (None when that
        is not enough: the worker's parser decides).
        """
        if self.pool is None:
            return check_query(text, self.limits, self.graph_names(),
                               engine_parses=self.store.parses_standard_sparql).form
        return query_form(prepare(text, self.limits))

    def check_members(self, saved, bindings: Mapping[str, Term]) -> None:
        """Refuse an IRI parameter declared ``in: <class>`` whose value is no instance of
        that class in the data: a mistyped IRI would otherwise answer zero rows, which
        reads as "none reported" — a silent wrong answer."""
        for param in saved.params:
            value = bindings.get(param.name)
            if not param.values_from or value is None:
                continue
            prefix, _, local = param.values_from.partition(":")
            klass = PREFIXES.get(prefix, "") + local if local else param.values_from
            found = self.run(QueryRequest("ASK { ?value a ?class }",
                                          {"value": value, "class": NamedNode(klass)}))
            if not found.value:
                raise ParameterError(f"parameter '{param.name}': {value} is not a "
                                     f"{param.values_from} of this dataset")

    def run(self, request: QueryRequest) -> Result:
        started = time.monotonic()
        request = replace(request, text=prepare(request.text, self.limits))
        for graph in (*(request.default_graphs or ()), *(request.named_graphs or ())):
            if graph not in self.graph_names():
                raise QueryRefused(f"<{graph}> is not a graph of this dataset (graphs are "
                                   "never fetched)")
        limit = min(request.limit or self.limits.row_limit, self.limits.row_limit)
        if request.public:  # waiting for the client's own earlier queries counts too
            wait = self.limits.timeout - (time.monotonic() - started)
            with self._clients.share(request.client, wait):
                return self._run(request, limit, started)
        return self._run(request, limit, started)

    def _run(self, request: QueryRequest, limit: int, started: float) -> Result:
        pool = self.public_pool if request.public else self.pool
        if pool is not None:
            return pool.run(request, limit, self.graph_names(), started)
        engine_parses = self.store.parses_standard_sparql
        check_query(request.text, self.limits, self.graph_names(), engine_parses=engine_parses)
        with self._slot(request.public):
            try:
                with self._time_limit(started):
                    return execute(self.store, request, limit, self.limits)
            except QuerySyntaxError:
                if engine_parses:
                    explain_refusal(request.text, self.limits, self.graph_names())
                raise
            except StoreUnavailable as err:
                if getattr(err, "timed_out", False):
                    raise QueryTimeout(f"the query ran longer than {self.limits.timeout:g} s "
                                       "and was stopped") from None
                raise

    @contextlib.contextmanager
    def _slot(self, public: bool):
        """A place among the queries running in this process (without a pool), or
        ``Overloaded``: /sparql queries wait briefly, and only for their own share."""
        lanes = (self._public_slots, self._slots) if public else (self._slots,)
        wait = self.limits.public_queue_wait if public else self.limits.queue_wait
        held = []
        try:
            for slots in lanes:
                if not slots.acquire(timeout=wait):
                    raise Overloaded(f"{self.limits.max_concurrent} queries are running; try "
                                     "again shortly")
                held.append(slots)
            yield
        finally:
            for slots in reversed(held):
                slots.release()

    def _time_limit(self, started: float):
        """The rest of the query's deadline as the store's client timeout (a remote store;
        an embedded one without a pool cannot be stopped, and is not given one)."""
        limit = getattr(self.store, "time_limit", None)
        if limit is None:
            return contextlib.nullcontext()
        return limit(self.limits.timeout - (time.monotonic() - started))


class ClientShares:
    """At most ``per_client`` public queries of one client at once; its others wait.

    Without it one address sending slow queries back to back holds every worker of the
    public lane, and everybody else's endpoint queries wait, then get 429. A client's
    extra queries wait their turn in a short line of their own (at most ``queue`` of
    them, each until its deadline: then it is a query past its deadline, 503), so
    parallel clients — a federated engine, a browser page, a notebook — are answered
    without errors, and the other clients' queries still meet a free worker. Past the
    line the client is told 429 at once.
    Clients are keyed as web/clients.py groups them (an IPv6 /64 is one client).
    """

    def __init__(self, per_client: int, queue: int = 8) -> None:
        self.per_client = per_client
        self.queue = queue
        self._running: dict[str, int] = {}
        self._waiting: dict[str, int] = {}
        self._turns = threading.Condition()

    @contextlib.contextmanager
    def share(self, client: str | None, wait: float = 5.0):
        """Count one query of ``client`` while the block runs, after waiting at most
        ``wait`` seconds for its turn."""
        if not self.per_client or client is None:
            yield
            return
        with self._turns:
            if self._running.get(client, 0) >= self.per_client:
                self._wait_turn(client, wait)
            self._running[client] = self._running.get(client, 0) + 1
        try:
            yield
        finally:
            with self._turns:
                left = self._running[client] - 1
                if left:
                    self._running[client] = left
                else:
                    del self._running[client]
                self._turns.notify_all()

    def _wait_turn(self, client: str, wait: float) -> None:
        """Wait (holding ``_turns``) until the client may run one more query."""
        if self._waiting.get(client, 0) >= self.queue:
            raise Overloaded(f"{self.per_client} of your queries are running and "
                             f"{self.queue} waiting; try again when they are done")
        self._waiting[client] = self._waiting.get(client, 0) + 1
        try:
            turn = self._turns.wait_for(
                lambda: self._running.get(client, 0) < self.per_client, max(wait, 0.0))
        finally:
            self._waiting[client] -= 1
            if not self._waiting[client]:
                del self._waiting[client]
        if not turn:
            raise QueryTimeout("the query reached its deadline while it waited for your "
                               "earlier ones to end")


def execute(store: Store, request: QueryRequest, limit: int, limits: Limits) -> Result:
    """Run an already checked query on ``store`` with the row and byte caps; written in
    ``request.formats`` when given (by the engine itself where it can: answers.py)."""
    graphs = {
        "default_graphs": list(request.default_graphs)
        if request.default_graphs is not None else None,
        "named_graphs": list(request.named_graphs) if request.named_graphs is not None
        else None}
    if request.formats is not None and hasattr(store, "query_written"):
        result = store.query_written(request.engine_text(), dict(request.bindings),
                                     formats=request.formats,
                                     max_bytes=limits.max_result_bytes, limit=limit, **graphs)
        if isinstance(result, Serialized):
            return result
    else:
        result = store.query(request.engine_text(), dict(request.bindings), limit=limit,
                             **graphs)
    result = within_bytes(result, limits.max_result_bytes)
    if request.formats is None:
        return result
    return serialize_capped(result, request.formats, limits.max_result_bytes)


def within_bytes(result: Result, max_bytes: int) -> Result:
    """The result cut to the rows (or triples) whose terms' text fits in ``max_bytes``,
    marked truncated if anything was cut."""
    if isinstance(result, AskResult):
        return result
    items = result.rows if isinstance(result, SelectResult) else result.triples
    total = 0
    for kept, item in enumerate(items):
        total += sum(_term_bytes(term) for term in item)
        if total > max_bytes:
            if isinstance(result, SelectResult):
                return SelectResult(result.variables, result.rows[:kept], True)
            return GraphResult(result.triples[:kept], True)
    return result


def _term_bytes(term) -> int:
    if term is None:
        return 0
    value = getattr(term, "value", None)
    text = value if isinstance(value, str) else str(term)  # a quoted triple has no value
    return len(text.encode("utf-8", "surrogatepass")) + TERM_OVERHEAD
