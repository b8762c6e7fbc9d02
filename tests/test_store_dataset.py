"""SPARQL dataset semantics (SPARQL 1.1 Query §13, Protocol §2.1.4) on every store.

With no dataset named the default graph is the union of the named graphs; a query's
``FROM`` makes the default graph the merge of the graphs it names, and leaves no named
graphs unless ``FROM NAMED`` names some; ``FROM NAMED`` alone leaves the default graph
empty; the protocol's ``default-graph-uri``/``named-graph-uri`` override both.

Expected numbers were read from data/flgraph.trig by hand (rdflib, one graph at a time):
the Data Cube graph holds 143 triples; the editorial graph holds one, the editorial link
DESIGN §3a asks for: outcome 15 ``skos:relatedMatch`` SDG target 8.7.
"""

from __future__ import annotations

import pytest
from rdflib import Dataset, Graph, URIRef
from rdflib.namespace import SKOS
from SPARQLWrapper import JSON, TURTLE, SPARQLWrapper

GRAPHS = "https://w3id.org/flgraph/id/graph/"
CUBE = GRAPHS + "cube"  # 143 triples
EDITORIAL = GRAPHS + "editorial"  # the SDG 8.7 link and its mark as an editorial statement
OUTCOME_15 = "https://w3id.org/flgraph/id/outcome/15"
SDG_8_7 = "http://metadata.un.org/sdg/8.7"
CUBE_TRIPLES = 143

COUNT_FROM_CUBE = f"SELECT (COUNT(*) AS ?n) FROM <{CUBE}> WHERE {{ ?s ?p ?o }}"
CONSTRUCT_FROM_EDITORIAL = (f"CONSTRUCT {{ ?s ?p ?o }} FROM <{EDITORIAL}> "
                            "WHERE { ?s ?p ?o }")
GRAPHS_SEEN = "SELECT DISTINCT ?g {} WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}"


def graph_in_file(dataset_file, name: str) -> Graph:
    """One named graph of the data file, read by rdflib: the oracle for what FROM sees."""
    every_graph = Dataset()
    every_graph.parse(dataset_file, format="trig")
    return every_graph.graph(URIRef(name))


def count(store, query: str, **dataset) -> int:
    [[n]] = store.query(query, **dataset).rows
    return int(n.value)


def graphs_seen(store, clauses: str = "", **dataset) -> set[str]:
    result = store.query(GRAPHS_SEEN.format(clauses), **dataset)
    return {row[0].value for row in result.rows}


def test_no_dataset_named_the_default_graph_is_the_union(any_store, dataset_file):
    every_graph = Dataset()
    every_graph.parse(dataset_file, format="trig")
    assert count(any_store, "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }") == len(every_graph)


def test_from_makes_the_default_graph_the_graphs_it_names(any_store, dataset_file):
    assert count(any_store, COUNT_FROM_CUBE) == CUBE_TRIPLES
    both = f"SELECT (COUNT(*) AS ?n) FROM <{CUBE}> FROM <{EDITORIAL}> WHERE {{ ?s ?p ?o }}"
    editorial = len(graph_in_file(dataset_file, EDITORIAL))
    assert count(any_store, both) == CUBE_TRIPLES + editorial


def test_construct_from_one_graph_returns_that_graph(any_store, dataset_file):
    triples = any_store.query(CONSTRUCT_FROM_EDITORIAL).triples
    returned = {(t.subject.value, t.predicate.value, t.object.value) for t in triples}
    assert (OUTCOME_15, str(SKOS.relatedMatch), SDG_8_7) in returned
    assert returned == {(str(s), str(p), str(o))
                        for s, p, o in graph_in_file(dataset_file, EDITORIAL)}


def test_from_alone_names_no_named_graphs(any_store):
    assert graphs_seen(any_store, f"FROM <{CUBE}>") == set()


def test_from_named_alone_restricts_graph_and_empties_the_default_graph(any_store):
    assert graphs_seen(any_store, f"FROM NAMED <{CUBE}>") == {CUBE}
    empty = f"SELECT (COUNT(*) AS ?n) FROM NAMED <{CUBE}> WHERE {{ ?s ?p ?o }}"
    assert count(any_store, empty) == 0


def test_from_and_from_named_together(any_store, dataset_file):
    query = (f"SELECT ?g (COUNT(*) AS ?n) FROM <{EDITORIAL}> FROM NAMED <{CUBE}> WHERE {{ "
             "{ ?s ?p ?o BIND ('default' AS ?g) } UNION { GRAPH ?g { ?s ?p ?o } } } GROUP BY ?g")
    counts = {g.value: int(n.value) for g, n in any_store.query(query).rows}
    assert counts == {"default": len(graph_in_file(dataset_file, EDITORIAL)), CUBE: CUBE_TRIPLES}


def test_the_protocol_dataset_overrides_the_querys(any_store, dataset_file):
    editorial = len(graph_in_file(dataset_file, EDITORIAL))
    assert count(any_store, COUNT_FROM_CUBE, default_graphs=[EDITORIAL],
                 named_graphs=[]) == editorial
    override = graphs_seen(any_store, f"FROM NAMED <{CUBE}>", default_graphs=[],
                           named_graphs=[EDITORIAL])
    assert override == {EDITORIAL}


# --- through the endpoint, as a SPARQL client sends them --------------------------------

@pytest.fixture
def endpoint(any_server):
    def wrapper(query: str, fmt=JSON, **dataset) -> SPARQLWrapper:
        client = SPARQLWrapper(any_server.url + "/sparql", returnFormat=fmt)
        client.setQuery(query)
        for graph in dataset.get("default", ()):
            client.addDefaultGraph(graph)
        for graph in dataset.get("named", ()):
            client.addNamedGraph(graph)
        return client.queryAndConvert()
    return wrapper


def test_the_endpoint_honours_from_and_the_protocol_override(endpoint, dataset_file):
    def n(answer) -> int:
        return int(answer["results"]["bindings"][0]["n"]["value"])

    assert n(endpoint(COUNT_FROM_CUBE)) == CUBE_TRIPLES
    editorial = graph_in_file(dataset_file, EDITORIAL)
    assert n(endpoint(COUNT_FROM_CUBE, default=[EDITORIAL])) == len(editorial)
    named_only = endpoint(GRAPHS_SEEN.format(f"FROM NAMED <{CUBE}>"))
    assert [b["g"]["value"] for b in named_only["results"]["bindings"]] == [CUBE]
    graph = endpoint(CONSTRUCT_FROM_EDITORIAL, fmt=TURTLE)
    parsed = Graph().parse(data=graph, format="turtle")
    assert (URIRef(OUTCOME_15), SKOS.relatedMatch, URIRef(SDG_8_7)) in parsed
    assert set(parsed) == set(editorial)

