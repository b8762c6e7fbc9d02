"""Every saved query answers its competency question, through ``flgraph query`` on the
embedded store; the expected answers (testbed/expected.py) were read from the report."""

from __future__ import annotations

import pytest
from testbed.expected import EXPECTED

from flgraph.query.saved import bind_params, load_queries
from flgraph.query.service import QueryRequest, QueryService

from .helpers import query_rows

CASES = [(name, k) for name, cases in EXPECTED.items() for k in range(len(cases))]


def test_every_saved_query_has_expected_results():
    assert set(load_queries()) == set(EXPECTED)


@pytest.mark.parametrize(("name", "case"), CASES)
def test_saved_query(name, case):
    expectation = EXPECTED[name][case]
    rows = query_rows(name, *(f"{k}={v}" for k, v in expectation.params.items()))
    expectation.check(rows)


@pytest.mark.parametrize(("name", "case"), CASES)
def test_saved_query_on_every_store(any_store, name, case):
    """The same expected answers on Oxigraph in memory, on disk, and Virtuoso."""
    expectation = EXPECTED[name][case]
    query = load_queries()[name]
    service = QueryService(any_store)
    result = service.run(QueryRequest(query.text, bind_params(query, expectation.params)))
    assert not result.truncated
    expectation.check([{v: t.value for v, t in row.items()} for row in result.dicts()])
