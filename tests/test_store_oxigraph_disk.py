"""``flgraph load --store oxigraph:PATH``: a bulk-loaded on-disk store that serves after
a restart without reloading, and is never left half-loaded."""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
import pytest

from flgraph.store import open_store

from .helpers import rows, run_cli


@pytest.fixture(scope="module")
def trig_quads(dataset_file) -> list[ox.Quad]:
    return list(ox.parse(path=str(dataset_file), format=ox.RdfFormat.TRIG))


def load(path: Path, data: Path):
    return run_cli("load", "--store", f"oxigraph:{path}", "--data", str(data))


def test_load_then_serve_after_a_restart_without_reloading(tmp_path, dataset_file, trig_quads):
    path = tmp_path / "store"
    result = load(path, dataset_file)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith(f"loaded {len(trig_quads)} triples in 8 graphs into "
                                    f"oxigraph:{path} (Oxigraph bulk load)")
    for _ in range(2):  # each open is a restart: nothing is read from the dataset file
        store = open_store(f"oxigraph:{path}")
        assert store.count() == len(trig_quads)
        store.close()
        del store
    answer = run_cli("query", "evidence", "--store", f"oxigraph:{path}", "--format", "json",
                     "--param", "resource=result/15.1/ZMB")
    assert answer.exit_code == 0, answer.stderr
    assert {r["quote"] for r in rows(json.loads(answer.stdout))} == {"Zambia"}


def test_loading_twice_gives_the_same_store(tmp_path, dataset_file, trig_quads):
    path = tmp_path / "store"
    assert load(path, dataset_file).exit_code == 0
    assert load(path, dataset_file).exit_code == 0
    store = open_store(f"oxigraph:{path}")
    assert store.count() == len(trig_quads)
    assert store.graph_names() == sorted({q.graph_name.value for q in trig_quads})
    assert [p.name for p in tmp_path.iterdir()] == ["store"]  # nothing left beside it


def test_a_store_in_a_folder_that_does_not_exist_yet_is_created_with_it(tmp_path, dataset_file,
                                                                         trig_quads):
    path = tmp_path / "new" / "stores" / "flgraph"
    result = load(path, dataset_file)
    assert result.exit_code == 0, result.stderr
    assert open_store(f"oxigraph:{path}").count() == len(trig_quads)
    assert [p.name for p in path.parent.iterdir()] == ["flgraph"]


def test_a_failed_load_leaves_the_previous_store_as_it_was(tmp_path, dataset_file, trig_quads):
    path = tmp_path / "store"
    assert load(path, dataset_file).exit_code == 0
    broken = tmp_path / "broken.trig"
    broken.write_text("<http://a> { <http://s> <http://p> ", encoding="utf-8")
    result = load(path, broken)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"flgraph: error: {broken}: not valid TriG")
    assert open_store(f"oxigraph:{path}").count() == len(trig_quads)


def test_a_directory_that_is_not_a_store_is_never_replaced(tmp_path, dataset_file):
    keep = tmp_path / "notes"
    keep.mkdir()
    (keep / "todo.txt").write_text("mine", encoding="utf-8")
    result = load(keep, dataset_file)
    assert result.exit_code == 2
    assert "is not an Oxigraph store; refusing to replace it" in result.stderr
    assert (keep / "todo.txt").read_text(encoding="utf-8") == "mine"


@pytest.mark.parametrize(("args", "message"), [
    ([], "give either --store oxigraph:PATH or --endpoint URL"),
    (["--store", "memory"], "only oxigraph:PATH is loaded this way"),
    (["--store", "oxigraph:x", "--endpoint", "http://h/sparql"], "give either"),
    (["--endpoint", "http://h/sparql", "--graph-store", "http://h/gs", "--update",
      "http://h/u"], "choose one of"),
    (["--endpoint", "http://h/sparql", "--virtuoso-isql", "h:1111"], "--virtuoso-dir"),
])
def test_load_usage_errors_are_one_line(args, message):
    result = run_cli("load", *args)
    assert result.exit_code == 2
    assert message in result.stderr and result.stderr.count("\n") == 1
