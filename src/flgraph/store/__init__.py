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
from .spec import MEMORY, ON_DISK, StoreSpec, StoreSpecError

__all__ = ["AskResult", "GraphResult", "QuerySyntaxError", "Result", "SelectResult", "Store",
           "StoreError", "StoreSpec", "StoreSpecError", "StoreUnavailable", "describe_resource",
           "load_dataset_file", "open_store"]


def open_store(spec: str | StoreSpec = "memory", data: Path | None = None) -> Store:
    """A store from its specification (store/spec.py); the in-memory store is filled
    from ``data``. A spec that names no store is a ``StoreSpecError`` (a ValueError)."""
    from .oxigraph import OxigraphStore

    if not isinstance(spec, StoreSpec):
        spec = StoreSpec.parse(spec, data)
    if spec.kind == MEMORY:
        store = OxigraphStore()
        if spec.data is not None:
            load_dataset_file(store, spec.data)
        return store
    if spec.kind == ON_DISK:
        return OxigraphStore(Path(spec.location), read_only=True)
    from .remote import RemoteStore  # its HTTP client is imported only by who needs it

    return RemoteStore.from_environment(spec.location)


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
