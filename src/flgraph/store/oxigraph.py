"""The embedded store: pyoxigraph, in memory (default) or on disk.

In memory the dataset is loaded at start-up (the report is small); on disk
(``oxigraph:PATH``) it is loaded once by ``load`` and opened read-only afterwards, so a
large dataset serves after a restart without reloading.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from itertools import islice
from pathlib import Path

import pyoxigraph as ox

from ..durable import active_directory
from ..sparqltext.binder import bind, has_dataset_clause
from . import answers
from .base import (
    AskResult,
    GraphResult,
    QuerySyntaxError,
    Result,
    SelectResult,
    Store,
    StoreError,
    Term,
)
from .results import Serialized


class OxigraphStore(Store):
    name = "oxigraph"
    parses_standard_sparql = True

    def __init__(self, path: Path | None = None, read_only: bool = False) -> None:
        self.path = path
        try:
            if path is None:
                self._store = ox.Store()
            elif read_only:  # the version in use of a store that `flgraph load` keeps
                self._store = ox.Store.read_only(str(active_directory(path)))
            else:
                self._store = ox.Store(str(path))
        except OSError as err:
            raise StoreError(f"cannot open the Oxigraph store at {path}: {err}") from err

    def query(self, sparql: str, bindings: Mapping[str, Term] | None = None, *,
              limit: int | None = None, default_graphs: list[str] | None = None,
              named_graphs: list[str] | None = None) -> Result:
        answer = self._answer(sparql, bindings, default_graphs, named_graphs)
        return self._errors(lambda: _materialise(answer, limit))

    def query_written(self, sparql: str, bindings: Mapping[str, Term] | None = None, *,
                      formats: tuple[str | None, str | None], max_bytes: int,
                      limit: int | None = None, default_graphs: list[str] | None = None,
                      named_graphs: list[str] | None = None) -> Serialized | Result:
        """The answer written by the engine in its format (``formats``: for SELECT/ASK,
        for CONSTRUCT/DESCRIBE) within ``limit`` rows and ``max_bytes`` (answers.py);
        rows when no format is given for its kind."""
        answer = self._answer(sparql, bindings, default_graphs, named_graphs)
        if isinstance(answer, ox.QueryBoolean) and formats[0]:
            return self._errors(lambda: answers.write_boolean(answer, formats[0]))
        if isinstance(answer, ox.QuerySolutions) and formats[0]:
            def again():
                return self._answer(sparql, bindings, default_graphs, named_graphs)

            return self._errors(lambda: answers.write_solutions(answer, formats[0], limit,
                                                                max_bytes, again))
        if isinstance(answer, ox.QueryTriples) and formats[1]:
            return self._errors(lambda: answers.write_triples(answer, formats[1], limit,
                                                              max_bytes))
        return self._errors(lambda: _materialise(answer, limit))

    def _answer(self, sparql: str, bindings, default_graphs, named_graphs):
        options = _dataset_options(sparql, default_graphs, named_graphs)
        if bindings:
            # a VALUES block, not pyoxigraph's ``substitutions``: the planner then sees
            # the bound terms, and a look-up starts from them (evidence of a resource at
            # 2M triples: 14 ms instead of 868 ms; bench/stores.py, [substitution] rows)
            sparql = bind(sparql, bindings)
        return self._errors(lambda: self._store.query(sparql, **options))

    @staticmethod
    def _errors(run):
        """``run()``, with the engine's errors as the store's (an answer is computed
        lazily: evaluation errors surface while it is read)."""
        try:
            return run()
        except SyntaxError as err:
            raise QuerySyntaxError(str(err)) from err
        except (OSError, RuntimeError, ValueError, TypeError) as err:
            raise StoreError(f"query failed: {err}") from err

    def load(self, quads: Iterable[ox.Quad]) -> None:
        self._store.clear()
        self._store.extend(list(quads))

    def load_bytes(self, data: bytes, fmt: ox.RdfFormat) -> None:
        """Bulk-load a document held in memory: parsed and indexed in Rust, with no Python
        object per quad (the engine's snapshot: bytes read once, hashed and kept).
        ``SyntaxError`` if they do not parse."""
        self._store.clear()
        self._store.bulk_load(data, fmt)

    def load_file(self, path: Path, fmt: ox.RdfFormat) -> None:
        """Bulk-load a file, the fast path for large dumps."""
        self._store.clear()
        self._store.bulk_load(path=str(path), format=fmt)
        if self.path:
            self._store.optimize()

    def graph_names(self) -> list[str]:
        """From the store's graph index: no scan of the quads."""
        return sorted(g.value for g in self._store.named_graphs()
                      if isinstance(g, ox.NamedNode) and next(
                          self._store.quads_for_pattern(None, None, None, g), None) is not None)

    def quads(self) -> Iterable[ox.Quad]:
        return self._store.quads_for_pattern(None, None, None, None)

    def count(self) -> int:
        return len(self._store)

    def flush(self) -> None:
        if self.path:
            self._store.flush()


def _dataset_options(sparql: str, default_graphs: list[str] | None,
                     named_graphs: list[str] | None) -> dict:
    """pyoxigraph's dataset options: the protocol's graphs where given; else the query's
    own FROM / FROM NAMED; else the union of the graphs as the default graph.

    ``use_default_graph_as_union`` overrides a query's FROM (pyoxigraph 0.5: a COUNT over
    ``FROM <…/graph/cube>`` counted every quad), so it is set only for a query that names
    no dataset (SPARQL 1.1 Query §13.2)."""
    options: dict = {}
    if default_graphs is not None:
        options["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
    elif not has_dataset_clause(sparql):
        options["use_default_graph_as_union"] = True
    if named_graphs is not None:
        options["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
    return options


def _materialise(answer, limit: int | None) -> Result:
    if isinstance(answer, ox.QueryBoolean):
        return AskResult(bool(answer))
    if isinstance(answer, ox.QuerySolutions):
        variables = tuple(v.value for v in answer.variables)
        # a solution iterates over its values in the order of the variables, None where
        # unbound: tuple() of it is the row (indexing each value from Python costs a
        # third of a small query's time)
        rows = tuple(map(tuple, islice(answer, None if limit is None else limit + 1)))
        truncated = limit is not None and len(rows) > limit
        return SelectResult(variables, rows[:limit] if truncated else rows, truncated)
    triples = list(islice(answer, None if limit is None else limit + 1))
    truncated = limit is not None and len(triples) > limit
    return GraphResult(tuple(triples[:limit] if truncated else triples), truncated)
