"""SPARQLWrapper, the usual Python client, against the live endpoint: every query form ×
every return format SPARQLWrapper offers for it × GET, POST (form) and POST (direct).

Expected answers are read from the report (data/source/000_2635207760a74e4f.txt):

- Table 1, indicator 15.1, column "Data collection and analysis" (under Capacity
  development) lists "Zambia India Nepal".
- Jordan is a member State of the ILO's Arab States region (the report's target and
  result both count "1 in the Arab States", and Jordan is the one listed), while Zambia
  (listed under Programmes and Data collection) is in Africa.
"""

from __future__ import annotations

import csv
import io
from xml.dom.minidom import Document

import pytest
from rdflib import Graph, Literal, URIRef
from rdflib.namespace import SKOS
from rdflib.query import Result
from SPARQLWrapper import (
    ASK,
    CSV,
    GET,
    JSON,
    JSONLD,
    N3,
    POST,
    POSTDIRECTLY,
    RDF,
    RDFXML,
    TSV,
    TURTLE,
    URLENCODED,
    XML,
    SPARQLWrapper,
)

PREFIXES = """PREFIX flg: <https://w3id.org/flgraph/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
LISTED = """?listing a flg:TypologyListing ;
           flg:indicator/skos:notation "15.1" ;
           flg:resultTypology/skos:prefLabel "Data collection and analysis"@en ;
           flg:country ?country .
  ?country skos:prefLabel ?name ."""
SELECT = PREFIXES + "SELECT ?name WHERE {\n  " + LISTED + "\n}"
CONSTRUCT = PREFIXES + "CONSTRUCT { ?country skos:prefLabel ?name } WHERE {\n  " + LISTED + "\n}"
ASK_JORDAN = PREFIXES + """ASK {
  ?c skos:prefLabel "Jordan"@en ; flg:iloRegion/skos:prefLabel "Arab States"@en
}"""
ASK_ZAMBIA = ASK_JORDAN.replace('"Jordan"', '"Zambia"')
JORDAN = URIRef("https://w3id.org/flgraph/id/country/JOR")
DESCRIBE = f"DESCRIBE <{JORDAN}>"

DATA_COLLECTION = {"India", "Nepal", "Zambia"}  # Table 1, 15.1, Data collection and analysis

#: How SPARQLWrapper sends: (method, request method).
DOORS = {"GET": (GET, URLENCODED), "POST-form": (POST, URLENCODED),
         "POST-direct": (POST, POSTDIRECTLY)}
#: Return formats SPARQLWrapper offers per form, with the media type we must answer.
TABULAR = {JSON: "application/sparql-results+json", XML: "application/sparql-results+xml",
           CSV: "text/csv", TSV: "text/tab-separated-values"}
GRAPH = {TURTLE: "text/turtle", N3: "text/turtle", XML: "application/rdf+xml",
         RDFXML: "application/rdf+xml", RDF: "application/rdf+xml",
         JSONLD: "application/ld+json", JSON: "application/ld+json",
         "n-triples": "application/n-triples"}  # by Accept alone (no SPARQLWrapper name)

pytestmark = [
    # A format SPARQLWrapper did not ask for would be a bug: make its warning an error.
    pytest.mark.filterwarnings("error:Format requested was"),
    # SPARQLWrapper warns whenever it sends Accept */* (its JSON/RDF for graphs).
    pytest.mark.filterwarnings("ignore:Sending Accept header:RuntimeWarning"),
    # SPARQLWrapper 2.0 parses RDF/XML and JSON-LD into rdflib's deprecated ConjunctiveGraph.
    pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning"),
]


@pytest.fixture
def server(any_server):
    """Every test here runs against the site on each of the three stores."""
    return any_server


def run(server, query: str, fmt: str, door: str):
    """The converted result and the media type the endpoint answered with."""
    client = SPARQLWrapper(server.url + "/sparql")
    method, request_method = DOORS[door]
    client.setMethod(method)
    client.setRequestMethod(request_method)
    client.setQuery(query)
    if fmt == "n-triples":
        client.setReturnFormat(N3)
        client.setOnlyConneg(True)
        client.addCustomHttpHeader("Accept", "application/n-triples")
    else:
        client.setReturnFormat(fmt)
    response = client.query()
    media = response.info()["content-type"].split(";")[0].strip()
    return response.convert(), media


def names(converted, fmt: str) -> set[str]:
    if fmt == JSON:
        return {b["name"]["value"] for b in converted["results"]["bindings"]}
    if fmt == CSV:
        return {row["name"] for row in csv.DictReader(io.StringIO(converted.decode()))}
    text = converted.toxml() if isinstance(converted, Document) else converted.decode()
    parsed = Result.parse(io.StringIO(text), format="xml" if fmt == XML else "tsv")
    return {str(row.name) for row in parsed}


def boolean(converted, fmt: str) -> bool:
    if fmt == JSON:
        return converted["boolean"]
    if fmt == XML:
        return converted.getElementsByTagName("boolean")[0].firstChild.data == "true"
    return converted.decode().strip() == "true"  # CSV and TSV: the bare word


def graph(converted, fmt: str) -> Graph:
    if isinstance(converted, Graph):
        return converted
    result = Graph()
    result.parse(data=converted.decode(), format="nt" if fmt == "n-triples" else "turtle")
    return result


@pytest.mark.parametrize("door", DOORS)
@pytest.mark.parametrize("fmt", TABULAR)
def test_select_countries_listed_under_data_collection(server, fmt, door):
    converted, media = run(server, SELECT, fmt, door)
    assert media == TABULAR[fmt]
    assert names(converted, fmt) == DATA_COLLECTION


@pytest.mark.parametrize("door", DOORS)
@pytest.mark.parametrize("fmt", TABULAR)
def test_ask_jordan_is_in_the_arab_states(server, fmt, door):
    converted, media = run(server, ASK_JORDAN, fmt, door)
    assert media == TABULAR[fmt]
    assert boolean(converted, fmt) is True
    assert boolean(run(server, ASK_ZAMBIA, fmt, door)[0], fmt) is False


@pytest.mark.parametrize("door", DOORS)
@pytest.mark.parametrize("fmt", GRAPH)
def test_construct_labels_of_data_collection_countries(server, fmt, door):
    converted, media = run(server, CONSTRUCT, fmt, door)
    assert media == GRAPH[fmt]
    result = graph(converted, fmt)
    assert len(result) == 3
    assert {str(o) for o in result.objects(None, SKOS.prefLabel)} == DATA_COLLECTION


@pytest.mark.parametrize("door", DOORS)
@pytest.mark.parametrize("fmt", GRAPH)
def test_describe_jordan(server, fmt, door):
    converted, media = run(server, DESCRIBE, fmt, door)
    assert media == GRAPH[fmt]
    result = graph(converted, fmt)
    assert (JORDAN, SKOS.prefLabel, Literal("Jordan", lang="en")) in result
    region = URIRef("https://w3id.org/flgraph/id/region/arab-states")
    assert (JORDAN, URIRef("https://w3id.org/flgraph/ontology#iloRegion"), region) in result


def test_query_form_shortcut(server):
    """``ASK`` through SPARQLWrapper's own form detection and ``queryAndConvert``."""
    client = SPARQLWrapper(server.url + "/sparql", returnFormat=JSON)
    client.setQuery(ASK_JORDAN)
    assert client.queryType == ASK
    assert client.queryAndConvert()["boolean"] is True
