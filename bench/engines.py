"""The engines under test, behind one small interface: ``execute`` (timed) and
``results`` (the answers as the store API returns them, for comparison; untimed).

Oxigraph (memory or on disk) and a remote SPARQL store are timed through flgraph's own
``Store.query``, which is what the app calls, answer materialised included (for the
``[substitution]`` variants, the same call with pyoxigraph binding the parameters). rdflib is the
baseline: its own SPARQL engine over an rdflib ``Dataset`` whose default graph is the
union of the named graphs (as the stores' is), with every query prepared once
beforehand (DESIGN §10: rdflib spends ~5 ms parsing query text per call) and the rows
materialised in the timed call, as the stores' are, up to the same row limit. A query
that exceeds the deadline is stopped by SIGALRM: rdflib evaluates in Python, and
pyoxigraph's answers are read row by row from Python, so the alarm's exception ends it.
"""

from __future__ import annotations

import signal
from contextlib import contextmanager
from itertools import islice
from pathlib import Path

import pyoxigraph as ox

from bench.workload import Item
from flgraph.rdfio import oxigraph_term
from flgraph.store import GraphResult, SelectResult, Store


class QueryTimeout(Exception):
    """The query ran past its deadline and was stopped."""


@contextmanager
def deadline(seconds: float | None):
    """Raise ``QueryTimeout`` in this (main) thread after ``seconds``."""
    if not seconds:
        yield
        return

    def expire(signum, frame):
        raise QueryTimeout(f"stopped after {seconds:g} s")

    previous = signal.signal(signal.SIGALRM, expire)
    signal.setitimer(signal.ITIMER_REAL, seconds)
    try:
        yield
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


class StoreEngine:
    """Any flgraph ``Store``: Oxigraph in memory or on disk, or a remote endpoint."""

    def __init__(self, store: Store) -> None:
        self.store = store

    def execute(self, item: Item, limit: int | None = None) -> list:
        if item.substitute:
            return [self._substituted(text, bindings, limit) for text, bindings in item.queries]
        return [
            self.store.query(text, bindings or None, limit=limit) for text, bindings in item.queries
        ]

    def _substituted(self, text: str, bindings: dict, limit: int | None):
        """As ``OxigraphStore.query`` but with pyoxigraph binding the parameters itself,
        which the store does not do because it is slower (this shows by how much)."""
        from flgraph.store.oxigraph import _materialise

        answer = self.store._store.query(
            text,
            use_default_graph_as_union=True,
            substitutions={ox.Variable(k): v for k, v in bindings.items()},
        )
        return _materialise(answer, limit)

    def results(self, raw: list) -> list:
        return raw


class RdflibEngine:
    """rdflib's SPARQL engine over the same file, parsed into a ``Dataset``."""

    def __init__(self, data: Path) -> None:
        from rdflib import Dataset

        self.dataset = Dataset(default_union=True)
        self.dataset.parse(str(data), format="trig")
        self._prepared: dict[str, object] = {}

    def prepare(self, item: Item) -> None:
        from rdflib.plugins.sparql import prepareQuery

        for text, _ in item.queries:
            if text not in self._prepared:
                self._prepared[text] = prepareQuery(text)

    def execute(self, item: Item, limit: int | None = None) -> list:
        answers = []
        for text, bindings in item.queries:
            result = self.dataset.query(
                self._prepared[text], initBindings={k: _rdflib(v) for k, v in bindings.items()}
            )
            if result.type == "SELECT":
                rows = list(islice(result, None if limit is None else limit + 1))
                answers.append((tuple(str(v) for v in result.vars), rows))
            else:
                answers.append(list(result.graph if result.graph is not None else result))
        return answers

    def results(self, raw: list) -> list:
        converted = []
        for answer in raw:
            if isinstance(answer, tuple):
                variables, rows = answer
                table = tuple(tuple(oxigraph_term(t) for t in row) for row in rows)
                converted.append(SelectResult(variables, table))
            else:
                triples = tuple(ox.Triple(*map(oxigraph_term, t)) for t in answer)
                converted.append(GraphResult(triples))
        return converted


def _rdflib(term):
    from rdflib import Literal, URIRef

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    return Literal(term.value, datatype=URIRef(term.datatype.value))
