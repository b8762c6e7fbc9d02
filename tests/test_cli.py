"""The command line: exit codes 0 / 1 (invalid data, failed query) / 2 (usage or input),
one-line reasons on stderr, exports that round-trip."""

from __future__ import annotations

import json

import pytest
from rdflib import Dataset, Graph
from rdflib.compare import isomorphic

from .conftest import DATA
from .helpers import run_cli


@pytest.mark.slow  # pyshacl over the whole dataset
def test_validate_conforming_dataset_exit_0():
    result = run_cli("validate", str(DATA))
    assert result.exit_code == 0
    assert result.stdout.startswith("Validation: conforms (0 violations")


@pytest.mark.slow  # pyshacl over the whole dataset
def test_validate_json_and_turtle_reports():
    report = json.loads(run_cli("validate", str(DATA), "--format", "json").stdout)
    assert report["conforms"] is True and report["counts"]["Violation"] == 0
    turtle = run_cli("validate", str(DATA), "--format", "turtle").stdout
    assert "sh:conforms true" in turtle


@pytest.mark.slow  # pyshacl over the whole dataset
def test_validate_violations_exit_1(tmp_path):
    bad = tmp_path / "bad.trig"
    bad.write_text(DATA.read_text(encoding="utf-8").replace('flg:m49 "076"', 'flg:m49 "76"'),
                   encoding="utf-8")
    result = run_cli("validate", str(bad))
    assert result.exit_code == 1
    assert "Violation: https://w3id.org/flgraph/id/country/BRA [flg:m49] = 76: A member State " \
           "has one UN M49 code" in result.stdout


@pytest.mark.parametrize(("content", "message"), [
    ("this is not trig {", "not valid TriG"),
    (None, "no such dataset file"),
])
def test_validate_unreadable_input_exit_2(tmp_path, content, message):
    path = tmp_path / "x.trig"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    result = run_cli("validate", str(path))
    assert result.exit_code == 2
    assert message in result.stderr


def test_validate_unknown_extension_exit_2(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text("a,b", encoding="utf-8")
    result = run_cli("validate", str(path))
    assert result.exit_code == 2 and "cannot tell the RDF format" in result.stderr


@pytest.mark.parametrize(("fmt", "quads"), [("trig", True), ("nq", True), ("jsonld", True),
                                            ("ttl", False), ("nt", False), ("rdfxml", False)])
@pytest.mark.slow  # exports and re-reads the dataset
def test_every_export_reparses_to_an_isomorphic_dataset(tmp_path, fmt, quads):
    out = tmp_path / f"export.{fmt}"
    result = run_cli("export", "--data", str(DATA), "--format", fmt, "-o", str(out))
    assert result.exit_code == 0, result.stderr
    original = Dataset()
    original.parse(DATA, format="trig")
    rdflib_format = {"trig": "trig", "nq": "nquads", "jsonld": "json-ld", "ttl": "turtle",
                     "nt": "nt", "rdfxml": "xml"}[fmt]
    if quads:
        again = Dataset()
        again.parse(out, format=rdflib_format)
        for graph in original.graphs():
            if len(graph):
                assert isomorphic(graph, again.graph(graph.identifier)), graph.identifier
        assert len(list(again.quads())) == len(list(original.quads()))
    else:
        merged = Graph()
        for s, p, o, _ in original.quads((None, None, None, None)):
            merged.add((s, p, o))
        assert isomorphic(merged, Graph().parse(out, format=rdflib_format))


def test_export_to_stdout():
    result = run_cli("export", "--data", str(DATA), "--format", "nt")
    assert result.exit_code == 0
    assert "<https://w3id.org/flgraph/id/country/ZMB>" in result.stdout


def test_export_unknown_format_is_a_usage_error():
    result = run_cli("export", "--format", "xlsx")
    assert result.exit_code == 2 and "Invalid value for '--format'" in result.stderr


def test_query_unknown_name():
    result = run_cli("query", "no-such-query")
    assert result.exit_code == 2
    assert "no saved query 'no-such-query'" in result.stderr


def test_query_bad_parameter_values():
    result = run_cli("query", "country-profile", "--param", "country=not an iri")
    assert result.exit_code == 2 and "must be an http(s) IRI" in result.stderr
    result = run_cli("query", "country-profile")
    assert result.exit_code == 2 and "parameter 'country' is required" in result.stderr
    result = run_cli("query", "lessons-learned", "--param", "x=1")
    assert result.exit_code == 2 and "unknown parameter(s): x" in result.stderr


def test_query_iri_that_is_not_of_the_declared_class_is_refused():
    """A typo in an IRI must not read as "no country reported this"."""
    result = run_cli("query", "countries-by-result-typology", "-p", "typology=data-collection")
    assert result.exit_code == 2
    assert "is not a flg:ResultTypology of this dataset" in result.stderr
    result = run_cli("query", "country-profile", "-p", "country=result-typology/programmes")
    assert result.exit_code == 2 and "is not a flg:Country" in result.stderr


def test_query_file_with_syntax_error(tmp_path):
    rq = tmp_path / "broken.rq"
    rq.write_text("SELECT * WHERE { ?s ?p }", encoding="utf-8")
    result = run_cli("query", str(rq))
    assert result.exit_code == 2 and result.stderr.startswith("flgraph: error: query syntax:")


def test_query_file_with_bad_header(tmp_path):
    rq = tmp_path / "bad-header.rq"
    rq.write_text("#+ view: pie\nSELECT * WHERE { ?s ?p ?o }", encoding="utf-8")
    result = run_cli("query", str(rq))
    assert result.exit_code == 2 and "view 'pie' is not one of" in result.stderr


def test_query_file_whose_header_is_not_yaml_is_one_line(tmp_path):
    rq = tmp_path / "bad-yaml.rq"
    rq.write_text("#+ title: [unclosed\nSELECT * WHERE { ?s ?p ?o }", encoding="utf-8")
    result = run_cli("query", str(rq))
    assert result.exit_code == 2
    assert result.stderr.startswith("flgraph: error: bad-yaml.rq: header is not valid YAML")
    assert result.stderr.count("\n") == 1, result.stderr


def test_query_table_output():
    result = run_cli("query", "arithmetic-check")
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].split()[:2] == ["indicatorCode", "targetTotal"]
    assert lines[2].split()[:6] == ["15.1", "8", "8", "8", "8", "8"]
    assert lines[-1] == "1 row"


def test_query_csv_output():
    result = run_cli("query", "lessons-learned", "--format", "csv")
    assert result.exit_code == 0
    assert result.stdout.splitlines()[0] == "outcome,ordinal,lesson,text,evidence"
