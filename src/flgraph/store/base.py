"""The one interface every store offers, whatever engine answers.

Results use pyoxigraph's term classes on every store (they are light to import and
serialise to every results format), so the web and the CLI never care which engine
answered. ``limit`` caps what a caller receives and the result says when it truncated.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

import pyoxigraph as ox

Term = ox.NamedNode | ox.BlankNode | ox.Literal


class StoreError(Exception):
    """A query or load failed for a reason of the store's."""


class QuerySyntaxError(StoreError):
    """The query is not valid SPARQL; the message is the parser's."""


class StoreUnavailable(StoreError):
    """The store cannot be reached (remote endpoint down, timeout)."""


@dataclass(frozen=True)
class SelectResult:
    variables: tuple[str, ...]
    rows: tuple[tuple[Term | None, ...], ...]
    truncated: bool = False

    def dicts(self) -> list[dict[str, Term]]:
        return [{v: t for v, t in zip(self.variables, row, strict=True) if t is not None}
                for row in self.rows]


@dataclass(frozen=True)
class AskResult:
    value: bool
    truncated: bool = False


@dataclass(frozen=True)
class GraphResult:
    triples: tuple[ox.Triple, ...]
    truncated: bool = False


Result = SelectResult | AskResult | GraphResult


class Store(ABC):
    """A read-mostly SPARQL store holding the flgraph dataset."""

    name = "store"
    #: Whether the engine parses queries by the SPARQL 1.1 grammar and nothing more
    #: lenient, so that a text it runs is a query rdflib would read alike (the gateway
    #: then skips rdflib's parse for plain queries: ``gateway.lexed_shape``). A remote
    #: server has extensions of its own (Virtuoso's pragmas, ``bif:`` functions).
    parses_standard_sparql = False

    @abstractmethod
    def query(self, sparql: str, bindings: Mapping[str, Term] | None = None, *,
              limit: int | None = None, default_graphs: list[str] | None = None,
              named_graphs: list[str] | None = None) -> Result:
        """Run a SPARQL query; ``bindings`` substitute variables with RDF terms.

        With no ``default_graphs`` the default graph is the union of all graphs.
        """

    @abstractmethod
    def load(self, quads: Iterable[ox.Quad]) -> None:
        """Replace the store's content with these quads."""

    @abstractmethod
    def quads(self) -> Iterable[ox.Quad]:
        """Every quad, for dumps."""

    @abstractmethod
    def count(self) -> int:
        """Number of quads."""

    def graph_names(self) -> list[str]:
        result = self.query("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } } ORDER BY ?g")
        return [row[0].value for row in result.rows if row[0] is not None]

    def close(self) -> None:  # noqa: B027 - optional hook
        """Release files or connections."""
