"""The three stores the app runs on, each loaded with data/flgraph.trig the way a user
would load it, for tests that must pass on all of them.

``any_store`` is parametrised over ``memory`` (the default), ``oxigraph-disk`` (loaded by
``flgraph load --store oxigraph:PATH``, opened read-only as ``serve`` opens it) and
``virtuoso`` (loaded by ``flgraph load --virtuoso-isql``, queried through SPARQLWrapper).
Each store is built once per session; Virtuoso starts only if a test asks for it.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner

from flgraph.cli import main
from flgraph.store import Store, open_store
from flgraph.store.remote import RemoteStore

from .helpers import run_cli
from .virtuoso import Virtuoso

STORE_KINDS = ["memory", "oxigraph-disk", pytest.param("virtuoso", marks=pytest.mark.virtuoso)]


def load_virtuoso(server: Virtuoso, data: Path, method: str = "bulk"):
    """``flgraph load`` into ``server`` by ``method`` (bulk, graph-store or update)."""
    args = ["load", "--endpoint", server.sparql, "--data", str(data)]
    args += {"bulk": ["--virtuoso-isql", server.isql, "--virtuoso-dir", str(server.load_dir)],
             "graph-store": ["--graph-store", server.graph_store],
             "update": ["--update", server.update]}[method]
    return CliRunner(env=server.env()).invoke(main, args, catch_exceptions=False)


def remote_store(server: Virtuoso, **options) -> RemoteStore:
    """A RemoteStore that knows the test server's row cap."""
    return RemoteStore(server.sparql, server_max_rows=server.max_rows, **options)


@pytest.fixture(scope="session")
def memory_store(dataset_file) -> Store:
    return open_store("memory", dataset_file)


@pytest.fixture(scope="session")
def disk_store(tmp_path_factory, dataset_file) -> Store:
    path = tmp_path_factory.mktemp("oxigraph") / "store"
    result = run_cli("load", "--store", f"oxigraph:{path}", "--data", str(dataset_file))
    assert result.exit_code == 0, result.stderr
    store = open_store(f"oxigraph:{path}")
    yield store
    store.close()


@pytest.fixture(scope="session")
def virtuoso_store(virtuoso, dataset_file) -> RemoteStore:
    result = load_virtuoso(virtuoso, dataset_file)
    assert result.exit_code == 0, result.stderr
    return remote_store(virtuoso)


@pytest.fixture(params=STORE_KINDS)
def any_store(request) -> Store:
    """The same dataset on each of the three stores, in turn."""
    fixture = {"memory": "memory_store", "oxigraph-disk": "disk_store",
               "virtuoso": "virtuoso_store"}[request.param]
    return request.getfixturevalue(fixture)


@pytest.fixture(scope="session")
def disk_store_path(disk_store) -> Path:
    return disk_store.path


def _serve(kind: str, request, dataset_file):
    from .conftest import start_server

    if kind == "memory":
        return start_server("--data", str(dataset_file))
    if kind == "oxigraph-disk":
        return start_server("--store", f"oxigraph:{request.getfixturevalue('disk_store_path')}")
    server = request.getfixturevalue("virtuoso")
    request.getfixturevalue("virtuoso_store")  # loaded
    return start_server("--store", f"sparql:{server.sparql}",
                        env={"FLGRAPH_SPARQL_MAX_ROWS": str(server.max_rows)})


@pytest.fixture(scope="session", params=STORE_KINDS)
def any_server(request, dataset_file):
    """``flgraph serve`` on each of the three stores, in turn (one server per store)."""
    from .conftest import stop_server

    live = _serve(request.param, request, dataset_file)
    yield live
    stop_server(live)
