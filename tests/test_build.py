"""``flgraph build``: sources → validated dataset, reproducible and atomic."""

from __future__ import annotations

import csv
import hashlib
import io

import pyoxigraph as ox
import pytest

from flgraph.rdfio import read_quads

from .conftest import DATA, FIXTURES, SEED
from .helpers import run_cli

pytestmark = pytest.mark.slow  # each builds the dataset (pyshacl included)


def test_rebuild_is_byte_identical_to_the_committed_dataset(tmp_path):
    out = tmp_path / "flgraph.trig"
    result = run_cli("build", "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert "conforms (0 violations" in result.stdout
    assert out.read_bytes() == DATA.read_bytes()


def test_two_builds_give_the_same_bytes(tmp_path):
    a, b = tmp_path / "a.trig", tmp_path / "b.trig"
    assert run_cli("build", str(SEED), "-o", str(a)).exit_code == 0
    assert run_cli("build", str(SEED), "-o", str(b)).exit_code == 0
    assert hashlib.sha256(a.read_bytes()).digest() == hashlib.sha256(b.read_bytes()).digest()


def test_dataset_has_no_blank_nodes_and_the_expected_graphs():
    quads = read_quads(DATA)
    assert not any(isinstance(t, ox.BlankNode) for q in quads for t in (q.subject, q.object))
    graphs = {q.graph_name.value for q in quads}
    base = "https://w3id.org/flgraph/id/graph/"
    assert graphs == {base + "source/000_2635207760a74e4f", base + "reference", base + "vocab",
                      base + "entities", base + "cube", base + "editorial", base + "build",
                      "https://w3id.org/flgraph/ontology"}


def test_build_records_its_inputs_and_software(tmp_path):
    quads = read_quads(DATA)
    sha = hashlib.sha256(SEED.read_bytes()).hexdigest()
    values = {(q.subject.value, q.predicate.value, getattr(q.object, "value", None))
              for q in quads}
    source = "https://w3id.org/flgraph/id/source/000_2635207760a74e4f"
    assert (source, "https://w3id.org/flgraph/ontology#sha256", sha) in values
    activities = {s for s, p, o in values
                  if p == "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
                  and o == "http://www.w3.org/ns/prov#Activity"}
    assert len(activities) == 1
    [activity] = activities
    assert (activity, "http://www.w3.org/ns/prov#used", source) in values


def test_fixture_sections_build_and_validate(tmp_path):
    out = tmp_path / "fixtures.trig"
    sections = sorted((FIXTURES / "sections").glob("*.txt"))
    result = run_cli("build", *map(str, sections), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    assert run_cli("validate", str(out)).exit_code == 0


def test_bad_source_writes_nothing_and_keeps_the_previous_file(tmp_path):
    out = tmp_path / "flgraph.trig"
    out.write_text("previous", encoding="utf-8")
    bad = tmp_path / "bad.txt"
    bad.write_text(SEED.read_text(encoding="utf-8").replace("Peru Brazil", "Peru Brasilia"),
                   encoding="utf-8")
    result = run_cli("build", str(bad), "-o", str(out))
    assert result.exit_code == 2
    assert result.stderr.startswith("flgraph: error: bad.txt:10:")
    assert "'Brasilia' is not a country" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1  # one line, no traceback
    assert out.read_text(encoding="utf-8") == "previous"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.txt", "flgraph.trig"]


def test_no_temporary_file_is_left_behind(tmp_path):
    out = tmp_path / "flgraph.trig"
    assert run_cli("build", "-o", str(out)).exit_code == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["flgraph.trig"]


def test_missing_source_file(tmp_path):
    result = run_cli("build", str(tmp_path / "nope.txt"))
    assert result.exit_code == 2
    assert "nope.txt: no such file" in result.stderr


def test_a_publication_named_twice_keeps_each_naming_with_its_evidence(tmp_path):
    """Two outputs name the same study: each row pairs a statement with the evidence
    of its own naming (quoted from that output's cell), never with the other's."""
    text = SEED.read_text(encoding="utf-8").replace(
        "<li>• ILO Global Estimate of Forced Labour</li>",
        "<li>• ILO Global Estimate of Forced Labour</li> <li>• \"Tricked and Trapped "
        "Study\" translated into Arabic</li>")
    source, out = tmp_path / "section.txt", tmp_path / "flgraph.trig"
    source.write_text(text, encoding="utf-8")
    assert run_cli("build", str(source), "-o", str(out)).exit_code == 0
    result = run_cli("query", "publications", "--data", str(out), "--format", "csv")
    assert result.exit_code == 0, result.stderr
    rows = [r for r in csv.DictReader(io.StringIO(result.stdout))
            if r["title"] == "Tricked and Trapped Study"]
    statements = {r["statement"].rsplit("/output/15/", 1)[-1]: r["evidence"] for r in rows}
    assert len(rows) == 2 and set(statements) == {
        "knowledge-generation-and-dissemination/2", "policy-dialogue-and-advocacy/2"}
    starts = {k: int(v.rsplit("/", 1)[-1].split("-")[0]) for k, v in statements.items()}
    # the Knowledge generation row comes first in Table 3, so its naming is written first
    assert starts["knowledge-generation-and-dissemination/2"] < \
        starts["policy-dialogue-and-advocacy/2"]
