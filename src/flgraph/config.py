"""Every setting of flgraph in one place: its key, type, default and meaning.

Two sources, each read here and nowhere else (tests/test_settings.py greps the source):

- the application's configuration, ``create_app(config)`` (``flgraph serve`` fills it
  from its options): ``Settings``, one typed field per ``FLGRAPH_*`` key;
- the process environment, for what has no option: ``Environment`` (the project folder,
  a remote store's timeout and row cap, a write endpoint's credentials, the build date).

The README's operator section lists every key with its default and meaning; a test
compares it with ``SETTINGS`` and ``ENVIRONMENT`` below. A new setting is a field here,
a line there.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any


@dataclass(frozen=True)
class Limits:
    """Defaults in line with public endpoints: seconds per query, thousands of rows.

    ``timeout`` is the wall-clock deadline of a query from its arrival (waiting for a
    worker included); ``max_result_bytes`` bounds the text of the terms of one result,
    whatever the rows hold (a crafted query can build megabyte literals).
    """

    row_limit: int = 10_000
    max_result_bytes: int = 16 * 1024**2
    timeout: float = 5.0
    max_query_bytes: int = 20_000
    max_nesting: int = 64
    max_patterns: int = 150
    max_unions: int = 64
    max_subqueries: int = 16
    max_paths: int = 32
    queue_wait: float = 2.0  # longest wait for a free site worker before answering 429
    # the same for /sparql queries: long enough to ride out a worker's respawn after a
    # query past its deadline (a flood from one client is told at once by its share)
    public_queue_wait: float = 2.0
    max_concurrent: int = 4  # queries at once per web process when there is no pool
    max_public_concurrent: int = 2  # of which /sparql queries may hold at most this many
    public_per_client: int = 1  # /sparql queries one client address runs at once (0: any)
    public_per_client_queue: int = 8  # ... and how many more wait their turn (then 429)


def _key(key: str, meaning: str, **kwargs) -> Any:
    """A field of ``Settings``: its configuration key and what it means."""
    return field(metadata={"key": key, "meaning": meaning}, **kwargs)


@dataclass(frozen=True)
class Settings:
    """The application's settings (``create_app(config)``), typed and defaulted."""

    store: str = _key("FLGRAPH_STORE", "the store: memory, oxigraph:PATH or sparql:URL",
                      default="memory")
    data: Path | None = _key(  # noqa: RUF009 (_key returns a dataclasses.field)
                             "FLGRAPH_DATA", "the dataset file of the memory store "
                             "(None: data/flgraph.trig)", default=None)
    base: str = _key("FLGRAPH_BASE", "the IRI base local /id/… and /ontology map onto",
                     default="https://w3id.org/flgraph/")
    limits: Limits = _key(  # noqa: RUF009
                          "FLGRAPH_LIMITS", "the bounds of every query (config.Limits)",
                          default_factory=lambda: Limits())
    page_size: int = _key("FLGRAPH_PAGE_SIZE", "rows per page of a saved query's table",
                          default=50)
    page_links: int = _key("FLGRAPH_PAGE_LINKS", "values of one property a resource page "
                           "lists", default=100)
    query_workers: int = _key("FLGRAPH_QUERY_WORKERS", "worker processes running the site's "
                              "queries with enforced deadlines (0: in the web process, which "
                              "cannot stop a runaway query; flgraph serve uses workers)",
                              default=0)
    public_workers: int = _key("FLGRAPH_PUBLIC_WORKERS", "workers of their own for queries "
                               "typed at /sparql (0: they share the site's)", default=0)
    worker_memory: int = _key("FLGRAPH_WORKER_MEMORY", "address-space cap of each query "
                              "worker, bytes", default=2 * 1024**3)
    dump_dir: Path | None = _key(  # noqa: RUF009
                                 "FLGRAPH_DUMP_DIR", "where dumps are written (None: a "
                                 "private directory of the app's own; flgraph serve makes "
                                 "one its web processes share)", default=None)
    reference_validation: int = _key("FLGRAPH_REFERENCE_VALIDATION", "/validation runs "
                                      "pyshacl (the reference) up to this many quads, "
                                      "flgraph's own engine above", default=100_000)
    cache: bool = _key("FLGRAPH_CACHE", "keep answers in memory per data version",
                       default=True)
    cache_entries: int = _key("FLGRAPH_CACHE_ENTRIES", "answers the cache keeps",
                              default=2048)
    cache_bytes: int = _key("FLGRAPH_CACHE_BYTES", "bytes the cache keeps",
                            default=128 * 1024**2)
    trusted_proxies: tuple[str, ...] = _key("FLGRAPH_TRUSTED_PROXIES", "networks of "
                                            "proxies whose X-Forwarded-For is believed",
                                            default=())
    warm: bool = _key("FLGRAPH_WARM", "ask for every page once at start and after each new "
                      "version (flgraph serve)", default=False)
    search_at_start: bool = _key("FLGRAPH_SEARCH_AT_START", "build the search index as "
                                 "the server starts and after each new version (flgraph "
                                 "serve; else the first search starts it)", default=False)
    engine: str | None = _key("FLGRAPH_ENGINE", "the engine's directory, set by flgraph "
                              "serve (query/engine/)", default=None)
    engine_lanes: Mapping[str, int] = _key("FLGRAPH_ENGINE_LANES", "workers per lane of "
                                           "the engine, set by flgraph serve",
                                           default_factory=dict)

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Settings:
        """The settings a configuration mapping holds (other keys are Flask's own); an
        FLGRAPH_* key that names no setting is refused, not ignored (a typo would
        otherwise leave the default in force without a word)."""
        declared = {f.metadata["key"] for f in fields(cls)}
        unknown = sorted(k for k in config if k.startswith("FLGRAPH_") and k not in declared)
        if unknown:
            raise ValueError(f"unknown setting(s) {', '.join(unknown)} (see config.py)")
        given = {f.name: config[f.metadata["key"]] for f in fields(cls)
                 if f.metadata["key"] in config}
        for name in ("data", "dump_dir"):
            if given.get(name) is not None:
                given[name] = Path(given[name])
        return cls(**given)

    def config(self) -> dict[str, Any]:
        """As the application's configuration keys."""
        return {f.metadata["key"]: getattr(self, f.name) for f in fields(self)}


#: (key, default, meaning) of every application setting, for the README and its test.
SETTINGS: tuple[tuple[str, Any, str], ...] = tuple(
    (f.metadata["key"], getattr(Settings(), f.name), f.metadata["meaning"])
    for f in fields(Settings))


@dataclass(frozen=True)
class Environment:
    """What the process environment says (read anew on each call of ``environment``)."""

    home: Path | None  # FLGRAPH_HOME
    sparql_timeout: str  # FLGRAPH_SPARQL_TIMEOUT, checked by the remote store
    sparql_max_rows: str  # FLGRAPH_SPARQL_MAX_ROWS
    crash_at: str  # FLGRAPH_CRASH_AT
    source_date_epoch: str  # SOURCE_DATE_EPOCH


#: (variable, default, meaning) of every environment variable flgraph reads.
ENVIRONMENT: tuple[tuple[str, str, str], ...] = (
    ("FLGRAPH_HOME", "the source tree", "the folder holding data/, ontology/ and queries/, "
     "for an installed package run from elsewhere"),
    ("FLGRAPH_SPARQL_TIMEOUT", "10", "seconds per request to a remote store "
     "(--store sparql:URL)"),
    ("FLGRAPH_SPARQL_MAX_ROWS", "10000", "a remote store's own row cap (0: it has none)"),
    ("FLGRAPH_STORE_USER", "", "user of a remote store's write endpoint (flgraph load "
     "--user)"),
    ("FLGRAPH_STORE_PASSWORD", "", "its password (flgraph load --password)"),
    ("FLGRAPH_CRASH_AT", "", "tests only: the step of a durable write to die at"),
    ("SOURCE_DATE_EPOCH", "", "the build's date, as reproducible builds set it"),
)


def environment(environ: Mapping[str, str] | None = None) -> Environment:
    env = os.environ if environ is None else environ
    home = env.get("FLGRAPH_HOME")
    return Environment(home=Path(home) if home else None,
                       sparql_timeout=env.get("FLGRAPH_SPARQL_TIMEOUT", ""),
                       sparql_max_rows=env.get("FLGRAPH_SPARQL_MAX_ROWS", ""),
                       crash_at=env.get("FLGRAPH_CRASH_AT", ""),
                       source_date_epoch=env.get("SOURCE_DATE_EPOCH", ""))
