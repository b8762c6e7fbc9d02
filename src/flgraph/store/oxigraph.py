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
from .binding import bind


class OxigraphStore(Store):
    name = "oxigraph"

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
        options: dict = {}
        if default_graphs is not None:
            options["default_graph"] = [ox.NamedNode(g) for g in default_graphs]
        else:
            options["use_default_graph_as_union"] = True
        if named_graphs is not None:
            options["named_graphs"] = [ox.NamedNode(g) for g in named_graphs]
        if bindings:
            # a VALUES block, not pyoxigraph's ``substitutions``: the planner then sees
            # the bound terms, and a look-up starts from them (evidence of a resource at
            # 2M triples: 14 ms instead of 868 ms; bench/stores.py, [substitution] rows)
            sparql = bind(sparql, bindings)
        try:
            answer = self._store.query(sparql, **options)
            return _materialise(answer, limit)
        except SyntaxError as err:
            raise QuerySyntaxError(str(err)) from err
        except (OSError, RuntimeError, ValueError, TypeError) as err:
            raise StoreError(f"query failed: {err}") from err

    def load(self, quads: Iterable[ox.Quad]) -> None:
        self._store.clear()
        self._store.extend(list(quads))

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
