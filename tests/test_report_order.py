"""Saved queries list outcomes and indicators in the report's order, also when a dataset
holds outcomes whose numbers differ in length: the report's outcome 9 comes before its
outcome 15, and an indicator 9.10 after 9.2, where sorting the codes as text would give
15 before 9 and 9.10 before 9.2.

The dataset is the real section plus tests/data/sections/outcome_9_fixture.txt (an
invented outcome 9 with indicators 9.2 and 9.10 and two lessons), built by the real
pipeline, shapes included.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from flgraph.build import build, default_sources
from flgraph.queries import load_queries
from flgraph.store import open_store

SECTIONS = Path(__file__).parent / "data" / "sections"
ID = "https://w3id.org/flgraph/id/"
#: The report's order of the indicators: outcome 9's by number, then outcome 15's one.
INDICATORS = ["9.2", "9.10", "15.1"]


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    output = tmp_path_factory.mktemp("order") / "order.trig"
    build([*default_sources(), SECTIONS / "outcome_9_fixture.txt"], output=output)
    return open_store("memory", output)


def _column(store, name: str, column: str) -> list:
    answer = store.query(load_queries()[name].text)
    index = answer.variables.index(column)
    return [row[index] for row in answer.rows]


def _runs(values: list) -> list:
    """The values in order of first appearance, each run of equal values once."""
    return [v for i, v in enumerate(values) if i == 0 or values[i - 1] != v]


def test_lessons_come_outcome_by_outcome_in_the_reports_order(store):
    outcomes = [term.value for term in _column(store, "lessons-learned", "outcome")]
    assert _runs(outcomes) == [ID + "outcome/9", ID + "outcome/15"]
    ordinals = [int(term.value) for term in _column(store, "lessons-learned", "ordinal")]
    assert ordinals == [1, 2, 1, 2, 3, 4]  # outcome 9 has two lessons, 15 four


@pytest.mark.parametrize("name", ["table-1", "arithmetic-check", "target-vs-result-by-region"])
def test_indicators_come_in_the_reports_order(store, name):
    codes = [term.value for term in _column(store, name, "indicatorCode")]
    assert _runs(codes) == INDICATORS
