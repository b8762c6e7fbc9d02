"""Read-only through every door: ``update=`` by GET and POST, a SPARQL Update body, an
update in ``query=`` (plain or escaped), the Graph Store methods — and the data is the
same afterwards, on every store."""

from __future__ import annotations

import pytest
import requests

from .conftest import assert_alive, one_line, sparql

GRAPH = "http://example.org/attack"
TRIPLE = '<http://example.org/s> <http://example.org/p> "x"'
INSERT = f"INSERT DATA {{ GRAPH <{GRAPH}> {{ {TRIPLE} }} }}"
UPDATES = [
    INSERT,
    "DELETE WHERE { ?s ?p ?o }",
    "CLEAR ALL",
    "DROP SILENT DEFAULT",
    f"CREATE GRAPH <{GRAPH}>",
    f"COPY DEFAULT TO <{GRAPH}>",
    f"WITH <{GRAPH}> DELETE {{ ?s ?p ?o }} WHERE {{ ?s ?p ?o }}",
    "\\u0049NSERT DATA { <http://example.org/s> <http://example.org/p> 1 }",
    "PREFIX ex: <http://example.org/> # comment\n insert data { ex:s ex:p 1 }",
    "SELECT * WHERE { ?s ?p ?o } ; INSERT DATA { <http://example.org/s> <http://example.org/p> 1 }",
]
COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"


def _count(server) -> str:
    return sparql(server, COUNT).json()["results"]["bindings"][0]["n"]["value"]


def _attack_graph_exists(server) -> bool:
    """Asked of the store itself: through the app, Virtuoso 7.2.5 answers true for
    ``GRAPH <iri>`` of any IRI once the dataset's named graphs are given."""
    ask = f"ASK {{ GRAPH <{GRAPH}> {{ ?s ?p ?o }} }}"
    endpoint = getattr(server, "store_endpoint", None)
    if endpoint is None:
        return sparql(server, ask).json()["boolean"]
    return requests.get(endpoint, params={"query": ask}, timeout=30, headers={
        "Accept": "application/sparql-results+json"}).json()["boolean"]


@pytest.mark.parametrize("update", UPDATES)
def test_updates_are_refused_through_every_door(target, update):
    before = _count(target)
    doors = [
        ("update= by GET", target.get("/sparql", params={"update": update}), 400),
        ("update= by POST form", target.post("/sparql", data={"update": update}), 403),
        ("update= beside a query", target.post("/sparql", data={"query": "ASK {}",
                                                                "update": update}), 403),
        ("update= in the URL of a query body", target.post(
            "/sparql", params={"update": update}, data=b"ASK {}",
            headers={"Content-Type": "application/sparql-query"}), 403),
        ("sparql-update body", target.post(
            "/sparql", data=update.encode(),
            headers={"Content-Type": "application/sparql-update"}), 403),
        ("query= by GET", sparql(target, update), 400),
        ("query= by POST form", target.post("/sparql", data={"query": update}), 400),
        ("query body", target.post("/sparql", data=update.encode(),
                                   headers={"Content-Type": "application/sparql-query"}), 400),
    ]
    for door, response, status in doors:
        assert response.status_code == status, (door, response.text)
        assert one_line(response), door
    assert _count(target) == before
    assert not _attack_graph_exists(target)
    assert_alive(target)


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
@pytest.mark.parametrize("path", ["/sparql", "/sparql?graph=http://example.org/attack",
                                  "/sparql?default", "/id/country/ZMB", "/queries/table-1"])
def test_graph_store_methods_are_not_allowed(target, method, path):
    before = _count(target)
    response = requests.request(method, target.url + path, timeout=30,
                                data=b"<http://example.org/s> <http://example.org/p> 1 .",
                                headers={"Content-Type": "application/n-triples"})
    assert response.status_code == 405, response.text
    assert _count(target) == before
