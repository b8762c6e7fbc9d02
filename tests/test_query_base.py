"""What a store is sent for a query with a base and blank nodes, where Virtuoso differs
from SPARQL: one BASE declaration only (it refuses a second, SP030), and its blank node
names (``nodeID://b10017``) read as labels. The W3C suites on Virtuoso
(tests/test_w3c_query.py) run both end to end; these hold the rules without a server.
"""

from __future__ import annotations

import pyoxigraph as ox

from flgraph.query.service import QueryRequest
from flgraph.store.remote import labelled_blank_nodes

SITE = "https://w3id.org/flgraph/"


def test_a_query_without_a_base_gets_the_sites():
    text = "SELECT * WHERE { <a> ?p ?o }"
    assert QueryRequest(text, base=SITE).engine_text() == f"BASE <{SITE}>\n{text}"


def test_a_querys_own_bases_are_resolved_into_one():
    text = "# note\nBASE <http://example.org/x/>\nBASE <y/> SELECT * WHERE { <a> ?p ?o }"
    sent = QueryRequest(text, base=SITE).engine_text()
    assert sent == "BASE <http://example.org/x/y/>\n SELECT * WHERE { <a> ?p ?o }"
    relative = QueryRequest("BASE <data/> ASK { <a> ?p ?o }", base=SITE).engine_text()
    assert relative == f"BASE <{SITE}data/>\n ASK {{ <a> ?p ?o }}"


def test_a_base_after_a_prefix_keeps_the_sites_first():
    text = "PREFIX : <p#> BASE <http://example.org/> SELECT * WHERE { :a ?p ?o }"
    assert QueryRequest(text, base=SITE).engine_text() == f"BASE <{SITE}>\n{text}"


def test_virtuosos_blank_node_names_become_labels():
    json = (b'{"head": {"vars": ["s", "o"]}, "results": {"bindings": [{"s": {"type": "bnode", '
            b'"value": "nodeID://b10017"}, "o": {"type": "literal", '
            b'"value": "nodeID://b1 is text"}}]}}')
    [row] = ox.parse_query_results(labelled_blank_nodes(json), ox.QueryResultsFormat.JSON)
    assert row["s"] == ox.BlankNode("b10017")
    assert row["o"] == ox.Literal("nodeID://b1 is text")  # a literal keeps its text
    xml = (b'<?xml version="1.0"?><sparql xmlns="http://www.w3.org/2005/sparql-results#">'
           b'<head><variable name="s"/></head><results><result><binding name="s">'
           b'<bnode>nodeID://b7</bnode></binding></result></results></sparql>')
    [row] = ox.parse_query_results(labelled_blank_nodes(xml), ox.QueryResultsFormat.XML)
    assert row["s"] == ox.BlankNode("b7")
