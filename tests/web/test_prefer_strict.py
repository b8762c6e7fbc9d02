"""``Prefer: handling=strict`` (RFC 7240): a client that asks for it gets an error, never
a cut answer, when a result exceeds the row limit (10,000 rows by default); others get
the cut answer, marked.

The dataset has fewer than 10,000 quads; three copies of each are more (the quad count is
read with rdflib from data/flgraph.trig, not asked of the server).
"""

from __future__ import annotations

import urllib.error

import pytest
import requests
from rdflib import Dataset
from SPARQLWrapper import CSV, SPARQLWrapper

from tests.conftest import DATA

ROW_LIMIT = 10_000  # flgraph serve's default --row-limit
OVER = "SELECT * WHERE { ?s ?p ?o VALUES ?copy { 1 2 3 } }"
OVER_GRAPH = ("CONSTRUCT { ?s <http://example.org/copy> ?n } WHERE { ?s ?p ?o "
              "VALUES ?copy { 1 2 3 } BIND (CONCAT(STR(?p), STR(?o), STR(?copy)) AS ?n) }")
STRICT = {"Prefer": "handling=strict"}
TYPOLOGY = {"typology": "result-typology/data-collection-and-analysis"}


@pytest.fixture(scope="module")
def quads() -> int:
    data = Dataset()
    data.parse(DATA, format="trig")
    return len(data)


def test_the_query_is_over_the_limit(quads):
    assert quads < ROW_LIMIT < 3 * quads


@pytest.mark.parametrize("accept", ["text/csv", "text/tab-separated-values",
                                    "application/sparql-results+json"])
def test_a_strict_client_gets_an_error_instead_of_a_cut_answer(site, accept):
    cut = site.get("/sparql", params={"query": OVER}, headers={"Accept": accept})
    assert cut.status_code == 200 and cut.headers["X-Flgraph-Truncated"] == "true"
    assert "Preference-Applied" not in cut.headers and "Prefer" in cut.headers["Vary"]
    strict = site.get("/sparql", params={"query": OVER}, headers={"Accept": accept, **STRICT})
    assert strict.status_code == 422
    assert "Prefer: handling=strict" in strict.text and "LIMIT" in strict.text


def test_a_graph_over_the_limit_is_refused_too(site):
    strict = site.post("/sparql", data={"query": OVER_GRAPH},
                       headers={"Accept": "text/turtle", "Prefer": "respond-async, "
                                  "handling=strict"})
    assert strict.status_code == 422


def test_a_complete_answer_says_the_preference_was_applied(site):
    answer = site.get("/queries/countries-by-result-typology.csv", params=TYPOLOGY,
                      headers=STRICT)
    assert answer.status_code == 200 and answer.headers["Preference-Applied"] == "handling=strict"
    # Table 1, indicator 15.1, "Data collection and analysis": Zambia, India, Nepal
    assert {"Zambia", "India", "Nepal"} <= set(answer.text.split(",") + answer.text.split())


def test_sparqlwrapper_sees_an_error_not_a_short_table(server):
    client = SPARQLWrapper(server.url + "/sparql", returnFormat=CSV)
    client.setQuery(OVER)
    client.addCustomHttpHeader("Prefer", "handling=strict")
    with pytest.raises(urllib.error.HTTPError) as raised:
        client.query()
    assert raised.value.code == 422
    without = requests.get(server.url + "/sparql", params={"query": OVER},
                           headers={"Accept": "text/csv"}, timeout=30)
    assert len(without.text.splitlines()) == ROW_LIMIT + 1  # the header and 10,000 rows
