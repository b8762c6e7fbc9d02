"""The VoID/DCAT dataset has one IRI, under the dataset's base, on any host the site is
served from (its endpoint and dumps are where that host serves them)."""

from __future__ import annotations

from rdflib import Graph
from rdflib.namespace import DCAT, RDF, VOID

DATASET = "https://w3id.org/flgraph/.well-known/void#dataset"


def described(client, host: str) -> Graph:
    response = client.get("/.well-known/void", headers={"Accept": "text/turtle", "Host": host})
    assert response.status_code == 200
    return Graph().parse(data=response.text, format="turtle")


def test_the_dataset_iri_is_the_same_on_any_host(client):
    seen = []
    for host in ("127.0.0.1:8000", "data.example.org"):
        graph = described(client, host)
        [dataset] = set(graph.subjects(RDF.type, VOID.Dataset)) & set(
            graph.subjects(RDF.type, DCAT.Dataset))
        endpoint = graph.value(dataset, VOID.sparqlEndpoint)
        seen.append((str(dataset), str(endpoint)))
    assert [iri for iri, _ in seen] == [DATASET, DATASET]
    assert [endpoint for _, endpoint in seen] == ["http://127.0.0.1:8000/sparql",
                                                   "http://data.example.org/sparql"]
