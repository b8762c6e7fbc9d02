"""Editorial links stay out of what the report says.

The editorial graph (data/reference/editorial.ttl, built into id/graph/editorial) holds
links the report does not state, such as the outcome's related SDG target 8.7, each
marked as a flg:EditorialStatement. The saved queries read the union of the graphs, where
that link stands beside the report's facts; none of them may answer with it. Checked for
every saved query, with each parameter set its expected answers use, on every store the
app runs on (Oxigraph in memory and on disk, Virtuoso).
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from testbed.expected import EXPECTED

from flgraph.query.saved import bind_params, load_queries
from flgraph.query.service import QueryRequest, QueryService

from .conftest import DATA

EDITORIAL = "https://w3id.org/flgraph/id/graph/editorial"
OUTCOME = "https://w3id.org/flgraph/id/outcome/15"
#: Each saved query with each parameter set of its expected answers, and the evidence
#: query asked about the outcome the editorial link starts from.
CASES = [(name, case.params) for name, cases in EXPECTED.items() for case in cases] + [
    ("evidence", {"resource": "outcome/15"})]


def _value(term) -> str:
    return term.value


def editorial_only() -> set[str]:
    """Values (IRIs, literals) the editorial graph holds and no other graph does: what a
    query could only have read from an editorial link or its mark."""
    store = ox.Store()
    store.bulk_load(path=str(DATA), format=ox.RdfFormat.TRIG)
    editorial, elsewhere = set(), set()
    for quad in store.quads_for_pattern(None, None, None, None):
        bucket = editorial if quad.graph_name.value == EDITORIAL else elsewhere
        bucket.update({_value(quad.subject), _value(quad.object)})
    return editorial - elsewhere


ONLY = editorial_only()


def leaks(rows: list[dict[str, str]]) -> list[tuple[str, str]]:
    return [(var, value) for row in rows for var, value in row.items() if value in ONLY]


def run(store, text: str, params: dict | None = None) -> list[dict[str, str]]:
    result = QueryService(store).run(QueryRequest(text, params or {}))
    assert not result.truncated
    return [{v: t.value for v, t in row.items() if t is not None} for row in result.dicts()]


def test_the_editorial_graph_holds_a_link_found_nowhere_else():
    # the SDG 8.7 target, and the marks that say each link is editorial
    assert "http://metadata.un.org/sdg/8.7" in ONLY
    assert "Editorial link: not stated by the report" in ONLY


def test_a_query_that_reads_the_link_is_caught(memory_store):
    """The check below can fail: the link is in the union the saved queries read."""
    rows = run(memory_store, f"SELECT ?p ?o WHERE {{ <{OUTCOME}> ?p ?o }}")
    assert ("o", "http://metadata.un.org/sdg/8.7") in leaks(rows)


@pytest.mark.parametrize(("name", "params"), CASES)
def test_no_saved_query_answers_with_an_editorial_link(any_store, name, params):
    query = load_queries()[name]
    rows = run(any_store, query.text, bind_params(query, params))
    assert rows, name  # an empty answer would pass for the wrong reason
    assert leaks(rows) == [], name
