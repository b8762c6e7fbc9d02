"""What the views share: the store, its query service, the saved queries, the dataset's
version (for caching) and the mapping of local addresses onto dataset IRIs."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from flask import current_app

from ..queries import SavedQuery, load_queries
from ..service import QueryService
from ..store import Store, open_store
from .links import Links


@dataclass
class Services:
    store: Store
    query_service: QueryService
    queries: dict[str, SavedQuery]
    version: str  # changes whenever the served dataset changes
    base: str

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Services:
        spec = config["FLGRAPH_STORE"]
        data = config["FLGRAPH_DATA"]
        store = open_store(spec, data if spec in ("memory", "oxigraph") else None)
        version = _version(spec, data)
        return cls(store=store, query_service=QueryService(store, config["FLGRAPH_LIMITS"]),
                   queries=load_queries(), version=version, base=config["FLGRAPH_BASE"])

    @cached_property
    def links(self) -> Links:
        return Links(self.base)


def _version(spec: str, data) -> str:
    if spec in ("memory", "oxigraph") and data is not None and data.exists():
        return hashlib.sha256(data.read_bytes()).hexdigest()[:16]
    return hashlib.sha256(spec.encode()).hexdigest()[:16]


def services() -> Services:
    return current_app.extensions["flgraph"]
