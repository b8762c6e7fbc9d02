"""testbed/synth.py makes report-shaped data that the real pipeline reads and the saved
queries answer: the benchmark's numbers are only worth something if that holds. The
smallest size only (a few seconds); the large sizes are bench/'s business."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import pyoxigraph as ox
import pytest
from testbed import synth
from testbed.expected import EXPECTED
from testbed.synth_sections import TINY, Shape, section

from flgraph.extract import extract_files
from flgraph.query.saved import bind_params, load_queries
from flgraph.reference import load_reference
from flgraph.store import open_store
from flgraph.validation.validate import validate_quads

pytestmark = pytest.mark.slow  # each generates data through the whole pipeline

ID = "https://w3id.org/flgraph/id/"
FLG = "https://w3id.org/flgraph/ontology#"
PROV = "http://www.w3.org/ns/prov#"


@pytest.fixture(scope="module")
def small(tmp_path_factory):
    """The 2k dataset, generated into a temporary folder (not bench/work/)."""
    directory = tmp_path_factory.mktemp("synth")
    meta = synth.ensure(synth.SIZES["2k"], directory / "synth-2k.trig", quiet=True)
    return meta, directory


@pytest.fixture(scope="module")
def store(small):
    meta, _ = small
    return open_store("memory", Path(meta.path))


def test_the_small_size_is_about_2k_triples_and_says_what_it_trimmed(small):
    meta, _ = small
    assert 1_500 <= meta.triples <= 2_500
    assert meta.trimmed
    assert meta.outcomes == 1
    # only the member States the sections use, and no ontology graph
    assert meta.graph_sizes[ID + "graph/reference"] < 300
    assert "https://w3id.org/flgraph/ontology" not in meta.graph_sizes


def test_the_file_parses_and_its_graphs_are_the_real_datasets_kinds(small):
    meta, _ = small
    quads = list(ox.parse(path=meta.path, format=ox.RdfFormat.TRIG))
    assert len(quads) == meta.triples
    graphs = {q.graph_name.value for q in quads}
    assert {
        ID + "graph/reference",
        ID + "graph/vocab",
        ID + "graph/cube",
        ID + "graph/build",
        ID + "graph/source/synth-00015",
    } <= graphs


def test_the_small_dataset_conforms_to_the_shapes_and_they_do_check_it(small):
    """pyshacl, the reference validator, on the generated data; and the same data with
    one national result's evidence removed, which the shapes must catch."""
    meta, _ = small
    quads = list(ox.parse(path=meta.path, format=ox.RdfFormat.TRIG))
    report = validate_quads(quads)
    assert report.conforms and report.findings == (), report.text()
    result, derived = ox.NamedNode(ID + "result/15.1/ZMB"), ox.NamedNode(PROV + "wasDerivedFrom")
    broken = [q for q in quads if not (q.subject == result and q.predicate == derived)]
    assert len(broken) < len(quads)
    report = validate_quads(broken)
    assert not report.conforms
    assert [(f.focus, f.severity) for f in report.findings] == [(result.value, "Violation")]
    assert "must cite its evidence" in report.findings[0].message


def test_the_same_seed_gives_the_same_file_and_another_seed_does_not(small, tmp_path):
    meta, _ = small
    again = synth.ensure(synth.SIZES["2k"], tmp_path / "again.trig", quiet=True)
    assert Path(again.path).read_bytes() == Path(meta.path).read_bytes()
    other = synth.ensure(synth.SIZES["2k"], tmp_path / "other.trig", seed=7, quiet=True)
    assert Path(other.path).read_bytes() != Path(meta.path).read_bytes()
    assert 1_500 <= other.triples <= 2_500


def test_the_sections_go_through_the_real_extractor(small):
    _, directory = small
    files = sorted((directory / "synth-2k-sections").glob("*.txt"))
    outcomes = extract_files(files, load_reference())
    assert [o.number for o in outcomes] == ["15"]
    outcome = outcomes[0]
    assert [i.code for i in outcome.indicators] == ["15.1"]
    assert "ZMB" in outcome.indicators[0].countries
    assert outcome.indicators[0].result.total == len(outcome.indicators[0].countries)
    assert outcome.chain_examples and outcome.outputs and outcome.lessons
    said = [s for e in outcome.chain_examples for s in (*e.contributions, *e.results)]
    assert any(s.quantities for s in said)
    assert any(s.periods for s in said)
    assert any(s.organisations for s in said)


def test_zambia_has_results_and_every_saved_query_finds_rows(store):
    rows = store.query(
        f"SELECT ?listing WHERE {{ ?listing a <{FLG}TypologyListing> ; "
        f"<{FLG}country> <{ID}country/ZMB> }}"
    ).rows
    assert rows
    empty = []
    for name, query in load_queries().items():
        for expectation in EXPECTED[name]:
            result = store.query(query.text, bind_params(query, expectation.params))
            if not result.rows:
                empty.append((name, expectation.params))
    assert empty == []


def test_the_layout_has_what_the_real_report_has():
    text = section(16, Shape(), synth.SEED, load_reference())
    assert text.count("## Outcome 16: ") == 1
    assert "\t\tTotal No.\tPolicies and strategies\tProgrammes\tRegulatory/Legal framework" in text
    assert "\t\t\t\t\t\tInstitutional capacity\tData collection and analysis" in text
    assert "16.1 Number of member States" in text and "16.4 Number of member States" in text
    assert "\n\n\t<p>" in text  # a Table 2 row continued after a page break
    assert "√" in text and "## Lessons learned" in text and "Regional " in text


def test_the_same_seed_gives_the_same_text():
    reference = load_reference()
    assert section(20, TINY, 1, reference) == section(20, TINY, 1, reference)
    assert section(20, TINY, 1, reference) != section(20, TINY, 2, reference)


def test_a_build_in_chunks_equals_a_build_in_one_piece(tmp_path):
    """Large sizes are built a few outcomes at a time; the merge must change nothing."""
    reference = load_reference()
    files = synth._write(tmp_path, range(15, 18), TINY, synth.SEED, reference)
    one_piece = synth._build(files, reference, trim=False, chunk=3)
    in_chunks = synth._build(files, reference, trim=False, chunk=1)
    assert Counter(map(str, in_chunks)) == Counter(map(str, one_piece))
