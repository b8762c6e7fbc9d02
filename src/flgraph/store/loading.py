"""Putting the dataset into stores that outlive the process.

A remote SPARQL store receives one named graph per graph of the dataset file, each
*replaced*, never appended to, so loading twice gives the same store. Three ways in:

- SPARQL 1.1 Graph Store HTTP Protocol (``GraphStoreWriter``): PUT of the graph's first
  chunk replaces it, POSTs add the rest; any compliant server (Virtuoso's is
  ``/sparql-graph-crud-auth``, with digest authentication).
- SPARQL 1.1 Update (``UpdateWriter``): ``DROP SILENT GRAPH`` then ``INSERT DATA`` in
  chunks; for servers whose only write door is an update endpoint.
- Virtuoso's bulk loader (``VirtuosoBulkLoader``): files staged in a directory the
  server may read (``DirsAllowed``), ``ld_add`` + ``rdf_loader_run`` through ``isql``;
  the fast path for large data (DESIGN §10: 2M triples in 8 s).

Afterwards the query endpoint is asked how many triples each graph holds, and a
difference fails the load: a store is never left looking loaded when it is not.

An on-disk Oxigraph store is bulk-loaded into a fresh directory beside the target and
swapped in, so a load that fails half-way leaves the previous store as it was.
"""


from __future__ import annotations

import gc
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from ..durable import ACTIVE, new_version, remove_stale, replace_directory
from ..rdfio import RdfInputError, format_for_path, read_quads, refuse_entities
from .base import StoreError
from .oxigraph import OxigraphStore
from .remote import RemoteStore
from .writers import (  # noqa: F401  (every way to load, in one place for the CLI)
    Credentials,
    GraphStoreWriter,
    UpdateWriter,
    VirtuosoBulkLoader,
    load_quads,
)


@dataclass(frozen=True)
class LoadReport:
    target: str
    method: str
    graphs: tuple[str, ...]  # the named graphs loaded
    triples: int
    seconds: float

    def summary(self) -> str:
        return (f"loaded {self.triples} triples in {len(self.graphs)} graphs into "
                f"{self.target} ({self.method}) in {self.seconds:.1f} s")


def read_dataset(path: Path) -> Iterator[ox.Quad]:
    """The quads of a dataset file, streamed (a large dump never sits in memory whole)."""
    fmt = format_for_path(path)
    if fmt.rdf_format == ox.RdfFormat.RDF_XML:
        yield from read_quads(path, fmt)  # checked for DOCTYPE (entity expansion) there
        return
    try:
        yield from ox.parse(path=str(path), format=fmt.rdf_format)
    except SyntaxError as err:
        raise RdfInputError(f"{path}: not valid {fmt.label}: {err}") from err
    except OSError as err:
        raise RdfInputError(f"{path}: cannot read: {err.strerror or err}") from err


# Loading ---------------------------------------------------------------------------------

def load_remote(data: Path, writer, endpoint: str, timeout: float = 60.0) -> LoadReport:
    """Load a dataset file into a remote store and check it through ``endpoint``."""
    started = time.monotonic()
    store = RemoteStore(endpoint, timeout=timeout, server_max_rows=None)
    graphs = load_quads(read_dataset(data), writer, store)
    return LoadReport(writer.url, writer.method, tuple(sorted(graphs)), sum(graphs.values()),
                      time.monotonic() - started)


def load_oxigraph(target: Path, data: Path) -> LoadReport:
    """Bulk-load ``data`` into an on-disk Oxigraph store at ``target``, replacing it."""
    started = time.monotonic()
    fmt = format_for_path(data)
    if not data.is_file():
        raise RdfInputError(f"{data}: no such dataset file")
    refuse_entities(data, fmt)
    _check_replaceable(target)
    remove_stale(target.parent, f".{target.name}.")  # left by a loader killed before
    fresh = new_version(target)
    try:
        store = OxigraphStore(fresh)
        try:
            store.load_file(data, fmt.rdf_format)
        except SyntaxError as err:
            raise RdfInputError(f"{data}: not valid {fmt.label}: {err}") from err
        # the store's own totals (its quad count, its graph index): counting per graph
        # would read every quad again (1.2–1.7 s at 2M triples)
        graphs, triples = tuple(store.graph_names()), store.count()
        store.flush()
        del store
        gc.collect()  # pyoxigraph closes the database when the object goes
        replace_directory(fresh, target)
    except OSError as err:
        raise StoreError(f"cannot load {target}: {err.strerror or err}; the store was "
                         "left as it was") from None
    finally:
        shutil.rmtree(fresh, ignore_errors=True)
    return LoadReport(f"oxigraph:{target}", "Oxigraph bulk load", graphs, triples,
                      time.monotonic() - started)


def _check_replaceable(target: Path) -> None:
    """Refuse to replace anything that is not an Oxigraph (RocksDB) store: what the
    directory held is deleted once the new version is in place."""
    if target.is_file():
        raise RdfInputError(f"{target}: is a file, not an Oxigraph store directory")
    names = {entry.name for entry in target.iterdir()} if target.is_dir() else set()
    if names and not names & {"CURRENT", ACTIVE} and not all(
            name.startswith((".loading-", "v-")) for name in names):
        raise RdfInputError(f"{target}: exists and is not an Oxigraph store; refusing to "
                            "replace it")
