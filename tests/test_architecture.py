"""The package tree is the architecture: the layers of pyproject.toml's import-linter
contracts hold, no module imports one that imports it back (a function-level import
counts), and the web process reaches the data only through the query service."""

from __future__ import annotations

from pathlib import Path

import grimp
import pytest
from importlinter.cli import lint_imports

ROOT = Path(__file__).resolve().parents[1]


def import_loops(graph: grimp.ImportGraph) -> list[list[str]]:
    """One chain per import that is part of a loop: the import, then the way back."""
    loops = []
    for importer in sorted(graph.modules):
        for imported in sorted(graph.find_modules_directly_imported_by(importer)):
            back = graph.find_shortest_chain(importer=imported, imported=importer)
            if back:
                loops.append([importer, *back])
    return loops


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    # grimp reads every import statement, those inside functions too
    return grimp.build_graph("flgraph", cache_dir=None)


def test_the_import_contracts_hold(monkeypatch):
    monkeypatch.chdir(ROOT)
    assert lint_imports(config_filename=str(ROOT / "pyproject.toml"), no_cache=True) == 0


def test_no_module_imports_one_that_imports_it_back(graph):
    assert import_loops(graph) == []


def test_a_loop_made_by_an_import_inside_a_function_is_found():
    """The check above can fail: an import of the web from the store (as a function-level
    import would add) makes a loop through the query path."""
    broken = grimp.build_graph("flgraph", cache_dir=None)
    broken.add_import(importer="flgraph.store.base", imported="flgraph.web.services")
    assert any(loop[:2] == ["flgraph.store.base", "flgraph.web.services"]
               for loop in import_loops(broken))


def test_the_web_process_loads_no_data_when_workers_hold_it(dataset_file, monkeypatch):
    """With query workers the web process asks them even for the count (the overview
    page) and for /health?deep=1: loading the data file here would fail the test (the
    workers are spawned, fresh interpreters, and load it themselves)."""
    import flgraph.store
    from flgraph.config import Limits
    from flgraph.query.lanes import LaneStore
    from flgraph.web import create_app

    def refuse(*_):
        raise AssertionError("the web process loaded the data file")

    monkeypatch.setattr(flgraph.store, "load_dataset_file", refuse)
    # a deadline long enough for a worker to start on a busy machine: not what is tested
    app = create_app({"TESTING": True, "FLGRAPH_DATA": dataset_file,
                      "FLGRAPH_QUERY_WORKERS": 1, "FLGRAPH_LIMITS": Limits(timeout=60.0)})
    try:
        service = app.extensions["flgraph"].query_service
        assert isinstance(service.store, LaneStore)
        client = app.test_client()
        assert client.get("/").status_code == 200
        deep = client.get("/health?deep=1")
        assert deep.status_code == 200 and deep.get_json()["store"] == "ok"
        assert service.count() > 0
    finally:
        app.extensions["flgraph"].query_service.pool.close()
