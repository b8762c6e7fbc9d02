"""The saved queries and the site list outcomes and indicators in the report's order,
also when a dataset holds outcomes whose numbers differ in length: the report's outcome 9
comes before its outcome 15, and an indicator 9.10 after 9.2, where sorting the codes or
identifiers as text would give 15 before 9 and 9.10 before 9.2.

The dataset is the real section plus tests/data/sections/outcome_9_fixture.txt (an
invented outcome 9 with indicators 9.2 and 9.10, a results chain for Zambia, two
capacity-building outputs and two lessons), built by the real pipeline, shapes included.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from flgraph import namespaces as ns
from flgraph.build import build, default_sources
from flgraph.query.saved import bind_params, load_queries
from flgraph.store import open_store

from .conftest import make_app

SECTIONS = Path(__file__).parent / "data" / "sections"
ID = ns.ID
#: The report's order of the indicators: outcome 9's by number, then outcome 15's one.
INDICATORS = ["9.2", "9.10", "15.1"]


@pytest.fixture(scope="module")
def dataset(tmp_path_factory) -> Path:
    output = tmp_path_factory.mktemp("order") / "order.trig"
    build([*default_sources(), SECTIONS / "outcome_9_fixture.txt"], output=output)
    return output


@pytest.fixture(scope="module")
def store(dataset):
    return open_store("memory", dataset)


def _column(store, name: str, column: str, **params: str) -> list:
    saved = load_queries()[name]
    answer = store.query(saved.text, bind_params(saved, params))
    index = answer.variables.index(column)
    return [row[index] for row in answer.rows]


def _outcome_of(term) -> str:
    """The outcome number in an identifier such as …/output/9/capacity-building/1."""
    return term.value.removeprefix(ID).split("/")[1]


def _runs(values: list) -> list:
    """The values in order of first appearance, each run of equal values once."""
    return [v for i, v in enumerate(values) if i == 0 or values[i - 1] != v]


@pytest.mark.slow  # builds the dataset
def test_lessons_come_outcome_by_outcome_in_the_reports_order(store):
    outcomes = [term.value for term in _column(store, "lessons-learned", "outcome")]
    assert _runs(outcomes) == [ID + "outcome/9", ID + "outcome/15"]
    ordinals = [int(term.value) for term in _column(store, "lessons-learned", "ordinal")]
    assert ordinals == [1, 2, 1, 2, 3, 4]  # outcome 9 has two lessons, 15 four


@pytest.mark.parametrize("name", ["table-1", "arithmetic-check", "target-vs-result-by-region"])
def test_indicators_come_in_the_reports_order(store, name):
    codes = [term.value for term in _column(store, name, "indicatorCode")]
    assert _runs(codes) == INDICATORS


def test_outputs_of_one_typology_come_outcome_by_outcome(store):
    outputs = _column(store, "outputs-by-typology", "output",
                      typology="output-typology/capacity-building")
    assert [(_outcome_of(o), o.value.rsplit("/", 1)[1]) for o in outputs] == [
        ("9", "1"), ("9", "2"), ("15", "1"), ("15", "2")]


def test_a_countrys_results_chains_come_outcome_by_outcome(store):
    statements = _column(store, "results-chain", "statement", country="country/ZMB")
    # each example's contributions as numbered, then its result
    assert [(_outcome_of(c), c.value.split("/", 8)[-1]) for c in statements] == [
        ("9", "contribution/1"), ("9", "contribution/2"), ("9", "result/1"),
        ("15", "contribution/1"), ("15", "contribution/2"), ("15", "result/1")]


def test_the_overview_and_the_dataset_title_name_outcome_9_first(dataset):
    client = make_app(dataset, FLGRAPH_CACHE=True).test_client()
    page = client.get("/").get_data(as_text=True)
    assert 0 < page.index("Outcome 9:") < page.index("Outcome 15:")
    void = client.get("/.well-known/void", headers={"Accept": "text/turtle"})
    assert void.status_code == 200
    title = next(line for line in void.get_data(as_text=True).splitlines()
                 if "dcterms:title" in line or "terms/title" in line)
    assert 0 < title.index("Outcome 9:") < title.index("Outcome 15:")
