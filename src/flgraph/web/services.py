"""What the views share: the query service (their one road to the data), the saved
queries, the dataset's version (for caching) and the mapping of local addresses onto
dataset IRIs."""

from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass
from functools import cached_property
from typing import Any

from flask import current_app

from ..config import Settings
from ..query import factory
from ..query.errors import QUERY_FAILURES
from ..query.saved import SavedQuery, load_queries
from ..query.service import QueryRequest, QueryService
from .internal_queries import sparql
from .links import Links

REMOTE_VERSION_TTL = 2.0  # seconds a remote store's version is trusted


@dataclass
class Services:
    query_service: QueryService
    settings: Settings
    queries: dict[str, SavedQuery]
    version: str  # changes whenever the served dataset changes
    base: str
    # how a child process opens the store for work over the whole dataset
    # (web/whole_dataset.py); None: that work runs in the web process
    child_spec: Any = None
    engine: Any = None  # query.engine.client.CurrentVersion when the engine serves the data
    on_new_version: Any = None  # called when the engine starts serving another version
    _checked: float = 0.0
    _remote_version: str = ""

    @classmethod
    def from_settings(cls, settings: Settings) -> Services:
        """The query service the settings ask for (query/factory.py) and what the views
        share besides: the web process reaches the data only through that service."""
        backend = factory.for_web(settings)
        return cls(query_service=backend.service, settings=settings, queries=load_queries(),
                   version=backend.version, base=settings.base,
                   child_spec=backend.child_spec, engine=backend.engine)

    @property
    def store(self):
        """The service's store: in a process with query workers, a view of theirs
        (query/lanes.py), not a copy of the data."""
        return self.query_service.store

    def current_version(self) -> str:
        """The dataset's version now. The engine's changes with a reload (``current.json``
        is read again when replaced); an embedded store only changes with a restart; a
        remote one can be reloaded behind our back, so its build checksum is asked for
        again every couple of seconds."""
        if self.engine is not None:
            return self._engine_version()
        if self.query_service.pool is not None or self.store.name == "oxigraph":
            return self.version  # an embedded store changes only with a restart
        now = time.monotonic()
        if now - self._checked > REMOTE_VERSION_TTL:
            self._checked = now
            self._remote_version = self._ask_version()
        return self._remote_version or self.version

    def known_version(self) -> str | None:
        """The dataset's version now if telling it asks no query and changes nothing
        (the front door asks on its event loop, for every request the response cache
        may answer): the engine's ``current.json`` unchanged, an embedded store, a
        remote one's version asked lately; None otherwise (the app then asks, and takes
        the new version in: ``current_version``)."""
        if self.engine is not None:
            version = self.engine.get().version
            return version if version == self.version else None
        if self.query_service.pool is not None or self.store.name == "oxigraph":
            return self.version
        fresh = time.monotonic() - self._checked <= REMOTE_VERSION_TTL
        return (self._remote_version or self.version) if fresh else None

    def _engine_version(self) -> str:
        now = self.engine.get()
        if now.version != self.version:
            self.version, self.child_spec = now.version, factory.engine_child_spec(now)
            self.query_service.forget_graphs()
            if self.on_new_version is not None:
                self.on_new_version()
        return self.version

    def _ask_version(self) -> str:
        try:
            result = self.query_service.run(QueryRequest(sparql("dataset-version")))
        except QUERY_FAILURES:
            return ""
        values = sorted(row[0].value for row in result.rows if row[0] is not None)
        return hashlib.sha256("|".join(values).encode()).hexdigest()[:16]

    @cached_property
    def links(self) -> Links:
        return Links(self.base)


def services() -> Services:
    return current_app.extensions["flgraph"]
