"""What the views share: the store, its query service, the saved queries, the dataset's
version (for caching) and the mapping of local addresses onto dataset IRIs."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from flask import current_app

from ..pool import StoreSpec
from ..queries import SavedQuery, load_queries
from ..service import QueryService
from ..store import Store, StoreError, open_store
from .internal_queries import sparql
from .links import Links

REMOTE_VERSION_TTL = 2.0  # seconds a remote store's version is trusted
PUBLIC_NICE = 5  # the /sparql lane's workers yield the CPU to the site's own queries


@dataclass
class Services:
    store: Store
    query_service: QueryService
    queries: dict[str, SavedQuery]
    version: str  # changes whenever the served dataset changes
    base: str
    # how a child process opens the store for work over the whole dataset
    # (web/whole_dataset.py); None: that work runs in the web process
    child_spec: StoreSpec | None = None
    engine: Any = None  # engine.client.CurrentVersion when the engine serves the data
    on_new_version: Any = None  # called when the engine starts serving another version
    _checked: float = 0.0
    _remote_version: str = ""

    @classmethod
    def from_config(cls, config: dict[str, Any]) -> Services:
        if config.get("FLGRAPH_ENGINE"):
            return cls._from_engine(config)
        spec = config["FLGRAPH_STORE"]
        data = config["FLGRAPH_DATA"]
        embedded = spec in ("memory", "oxigraph") or spec.startswith("oxigraph:")
        store = open_store(spec, data if embedded else None)
        limits = config["FLGRAPH_LIMITS"]
        pool = public_pool = None
        worker_spec = StoreSpec(spec, data if spec in ("memory", "oxigraph") else None)
        if embedded and config["FLGRAPH_QUERY_WORKERS"]:
            from ..pool import WorkerPool

            memory = config["FLGRAPH_WORKER_MEMORY"]
            pool = WorkerPool(worker_spec, limits, size=config["FLGRAPH_QUERY_WORKERS"],
                              memory_bytes=memory)
            if config["FLGRAPH_PUBLIC_WORKERS"]:
                public_pool = WorkerPool(worker_spec, limits,
                                         size=config["FLGRAPH_PUBLIC_WORKERS"],
                                         memory_bytes=memory, nice=PUBLIC_NICE,
                                         queue_wait=limits.public_queue_wait,
                                         wait_first=False)  # the site first
        return cls(store=store, query_service=QueryService(store, limits, pool, public_pool),
                   queries=load_queries(), version=_version(spec, data),
                   base=config["FLGRAPH_BASE"],
                   child_spec=worker_spec if config["FLGRAPH_QUERY_WORKERS"] else None)

    @classmethod
    def _from_engine(cls, config: dict[str, Any]) -> Services:
        """Queries and the store through the engine (``flgraph serve``): no copy of the
        data in this process."""
        from pathlib import Path

        from ..engine.client import CurrentVersion, EngineLane, EngineStore

        directory = Path(config["FLGRAPH_ENGINE"])
        limits = config["FLGRAPH_LIMITS"]
        sizes = config.get("FLGRAPH_ENGINE_LANES", {})
        site = EngineLane(directory, "site", limits, sizes.get("site", 0))
        public = EngineLane(directory, "public", limits, sizes["public"],
                            queue_wait=limits.public_queue_wait,
                            costly_places=max(1, config["FLGRAPH_PUBLIC_WORKERS"] // 2)
                            ) if "public" in sizes else None
        current = CurrentVersion(directory)
        now = current.get()
        store = EngineStore(site)
        return cls(store=store, query_service=QueryService(store, limits, site, public),
                   queries=load_queries(), version=now.version, base=config["FLGRAPH_BASE"],
                   child_spec=StoreSpec("memory", now.data), engine=current)

    def current_version(self) -> str:
        """The dataset's version now. The engine's changes with a reload (``current.json``
        is read again when replaced); an embedded store only changes with a restart; a
        remote one can be reloaded behind our back, so its build checksum is asked for
        again every couple of seconds."""
        if self.engine is not None:
            return self._engine_version()
        if self.query_service.pool is not None or self.store.name == "oxigraph":
            return self.version
        now = time.monotonic()
        if now - self._checked > REMOTE_VERSION_TTL:
            self._checked = now
            self._remote_version = self._ask_version()
        return self._remote_version or self.version

    def _engine_version(self) -> str:
        now = self.engine.get()
        if now.version != self.version:
            self.version, self.child_spec = now.version, StoreSpec("memory", now.data)
            self.query_service.forget_graphs()
            if self.on_new_version is not None:
                self.on_new_version()
        return self.version

    def _ask_version(self) -> str:
        try:
            result = self.store.query(sparql("dataset-version"))
        except StoreError:
            return ""
        values = sorted(row[0].value for row in result.rows if row[0] is not None)
        return hashlib.sha256("|".join(values).encode()).hexdigest()[:16]

    @cached_property
    def links(self) -> Links:
        return Links(self.base)


def _version(spec: str, data) -> str:
    if spec in ("memory", "oxigraph") and data is not None and data.exists():
        return hashlib.sha256(data.read_bytes()).hexdigest()[:16]
    return hashlib.sha256(spec.encode()).hexdigest()[:16]


def services() -> Services:
    return current_app.extensions["flgraph"]
