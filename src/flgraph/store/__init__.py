"""Where queries are answered: one interface, several engines.

``open_store("memory")`` (default), ``"oxigraph:PATH"`` (on disk), or
``"sparql:URL"`` (any SPARQL 1.1 endpoint, e.g. Virtuoso).
"""

from __future__ import annotations

from pathlib import Path

from .base import (
    AskResult,
    GraphResult,
    QuerySyntaxError,
    Result,
    SelectResult,
    Store,
    StoreError,
    StoreUnavailable,
)

__all__ = ["AskResult", "GraphResult", "QuerySyntaxError", "Result", "SelectResult", "Store",
           "StoreError", "StoreUnavailable", "describe_resource", "load_dataset_file", "open_store"]


def open_store(spec: str = "memory", data: Path | None = None) -> Store:
    """A store from its specification; the in-memory store is filled from ``data``."""
    from .oxigraph import OxigraphStore

    if spec in ("memory", "oxigraph", ""):
        store = OxigraphStore()
        if data is not None:
            load_dataset_file(store, data)
        return store
    if spec.startswith("oxigraph:"):
        return OxigraphStore(Path(spec.split(":", 1)[1]), read_only=True)
    if spec.startswith("sparql:"):
        from .remote import RemoteStore

        return RemoteStore.from_environment(spec.split(":", 1)[1])
    raise ValueError(f"unknown store '{spec}' (use memory, oxigraph:PATH or sparql:URL)")


def load_dataset_file(store: Store, path: Path) -> None:
    from ..rdfio import format_for_path, read_quads

    store.load(read_quads(path, format_for_path(path)))


#: A resource's description: every triple with it as subject or object. Written as a
#: SELECT because DESCRIBE differs by engine (Oxigraph: outgoing triples and blank-node
#: closure; Virtuoso: incoming ones too) and Virtuoso binds parameters only in SELECT.
_DESCRIBE = """SELECT ?resource ?s ?p ?o WHERE {
  { ?resource ?p ?o . BIND (?resource AS ?s) }
  UNION
  { ?s ?p ?resource . BIND (?resource AS ?o) }
}"""


def describe_resource(store: Store, iri: str, limit: int | None = None) -> GraphResult:
    """The triples about ``iri`` (as subject or object), the same on every store."""
    import pyoxigraph as ox

    result = store.query(_DESCRIBE, {"resource": ox.NamedNode(iri)}, limit=limit)
    triples = tuple(dict.fromkeys(ox.Triple(s, p, o) for _, s, p, o in result.rows))
    return GraphResult(triples, result.truncated)
