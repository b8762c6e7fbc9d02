"""Who answers: the query service with its lanes and pools, built in one place for the
web processes and the CLI alike.

- Under ``flgraph serve`` the engine holds the data (query/engine/): the service runs
  queries in the engine's lanes (the site's, and the public one for /sparql).
- An embedded store with query workers: two pools of worker processes, each worker with
  its copy of the data; the web process asks them even for the count and the graphs
  (``LaneStore``) and loads no data itself.
- Without workers (``FLGRAPH_QUERY_WORKERS`` 0, a remote store, the CLI): the store is
  opened here and the service runs queries in this process, under the same gateway,
  caps and deadline (a remote store's own timeout).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from ..config import Limits, Settings
from ..store import Store, open_store
from ..store.spec import StoreSpec
from .engine.client import Current, CurrentVersion, EngineLane
from .engine.launch import PUBLIC_NICE
from .lanes import LaneStore
from .pool import WorkerPool
from .service import QueryService


@dataclass
class Backend:
    """What a web process queries through, and what it needs to know about the data."""

    service: QueryService
    version: str  # the served data's version (a remote store's is asked again: web)
    # how a child process opens the store for work over the whole dataset
    # (web/whole_dataset.py); None: that work runs in this process, on service.store
    child_spec: StoreSpec | None
    engine: CurrentVersion | None = None  # when the engine serves the data

    @property
    def store(self) -> Store:
        return self.service.store


def for_web(settings: Settings) -> Backend:
    """The backend the settings ask for (config.py)."""
    if settings.engine:
        return _engine(settings)
    spec = StoreSpec.parse(settings.store, settings.data)
    limits = settings.limits
    workers = settings.query_workers if spec.embedded else 0
    if not workers:
        return Backend(QueryService(open_store(spec), limits), spec.version(),
                       child_spec=spec if settings.query_workers else None)
    memory = settings.worker_memory
    pool = WorkerPool(spec, limits, size=workers, memory_bytes=memory)
    public = None
    if settings.public_workers:
        public = WorkerPool(spec, limits, size=settings.public_workers,
                            memory_bytes=memory, nice=PUBLIC_NICE,
                            queue_wait=limits.public_queue_wait,
                            wait_first=False)  # the site first
    return Backend(QueryService(LaneStore(pool), limits, pool, public), spec.version(),
                   child_spec=spec)


def _engine(settings: Settings) -> Backend:
    """Queries and the store's count and graphs through the engine's lanes."""
    directory = Path(settings.engine)
    limits = settings.limits
    sizes = settings.engine_lanes
    site = EngineLane(directory, "site", limits, sizes.get("site", 0))
    public = EngineLane(directory, "public", limits, sizes["public"],
                        queue_wait=limits.public_queue_wait,
                        costly_places=max(1, settings.public_workers // 2)
                        ) if "public" in sizes else None
    current = CurrentVersion(directory)
    now = current.get()
    store = LaneStore(site, graphs=lambda: current.get().graphs)
    return Backend(QueryService(store, limits, site, public), now.version,
                   child_spec=engine_child_spec(now), engine=current)


def engine_child_spec(current: Current) -> StoreSpec:
    """How a child process reads the data the engine serves: its immutable copy."""
    return StoreSpec("memory", current.data)


def for_cli(store_spec: str, data: Path | None, limits: Limits | None = None) -> QueryService:
    """The service a command runs its queries through: the store opened in this process
    (one query per command: a pool would cost more to start than the query)."""
    spec = StoreSpec.parse(store_spec, data)
    return QueryService(open_store(spec), limits)
