"""JSON-LD with pyld (the JSON-LD API's Python implementation) against a live server:
expand a document by its URL, compact it, frame it by type; the published context; the
JSON-LD 1.1 profiles; media types with parameters. pyld fetches documents over HTTP
itself, so its tests ask the live server; the others the site in process.

Answers carry the published context written out; the frames here name it by its stable
IRI, ``https://w3id.org/flgraph/context.jsonld``, which pyld's document loader maps onto
the server, as the site maps its address onto that base (nothing leaves 127.0.0.1).

Expected values from the report (data/source/000_2635207760a74e4f.txt): Zambia, ISO code
ZMB, is one of its member States; indicator 15.1's "Data collection and analysis" lists
Zambia, India and Nepal.
"""

from __future__ import annotations

import pytest
import requests
from pyld import jsonld

BASE = "https://w3id.org/flgraph/"
FLG = BASE + "ontology#"
ZAMBIA = BASE + "id/country/ZMB"
EXPANDED = "http://www.w3.org/ns/json-ld#expanded"
FLATTENED = "http://www.w3.org/ns/json-ld#flattened"


@pytest.fixture(scope="module")
def loader(server):
    fetch = jsonld.requests_document_loader(timeout=30)

    def load(url, options=None):
        local = server.url + "/" + url[len(BASE):] if url.startswith(BASE) else url
        assert local.startswith(server.url), f"pyld tried to fetch {url}"
        return fetch(local, options or {})
    return load


def test_expand_a_document_by_its_url(server, loader):
    expanded = jsonld.expand(server.url + "/id/country/ZMB", {"documentLoader": loader})
    [zambia] = [node for node in expanded if node["@id"] == ZAMBIA]
    assert FLG + "Country" in zambia["@type"]
    assert zambia[FLG + "iso3166Alpha3"] == [{"@value": "ZMB", "@type": FLG + "ISO3166Alpha3Code"}]


def test_compact_and_frame_by_type(server, loader):
    options = {"documentLoader": loader}
    compacted = jsonld.compact(server.url + "/id/country/ZMB", BASE + "context.jsonld", options)
    [zambia] = [n for n in compacted["@graph"] if n["@id"] == "id:country/ZMB"]
    # a member State is a Country, and a CountryOrTerritory (what a Table 1 cell lists)
    assert set(zambia["@type"]) == {"Country", "CountryOrTerritory"}
    assert zambia["iso3166Alpha3"] == "ZMB"  # the context gives the code's datatype
    framed = jsonld.frame(server.url + "/id/country/ZMB",
                          {"@context": BASE + "context.jsonld", "@type": "Country"}, options)
    nodes = framed.get("@graph", [framed])
    assert [node["@id"] for node in nodes] == ["id:country/ZMB"]  # the one Country there
    assert nodes[0]["skos:prefLabel"]["@value"] == "Zambia"


def test_a_construct_answer_uses_the_context(server, loader):
    query = ("PREFIX skos: <http://www.w3.org/2004/02/skos/core#> PREFIX flg: <" + FLG + "> "
             "CONSTRUCT { ?c a flg:Country ; skos:prefLabel ?name } WHERE { "
             "?c a flg:Country ; flg:iso3166Alpha3 \"ZMB\"^^flg:ISO3166Alpha3Code ; "
             "skos:prefLabel ?name }")
    answer = requests.get(server.url + "/sparql", params={"query": query}, timeout=30,
                          headers={"Accept": "application/ld+json; charset=utf-8"})
    assert answer.status_code == 200
    document = answer.json()
    assert document["@context"] == server.get("/context.jsonld").json()["@context"]
    framed = jsonld.frame(document, {"@context": BASE + "context.jsonld", "@type": "Country"},
                          {"documentLoader": loader})
    assert framed["skos:prefLabel"]["@value"] == "Zambia"


def test_the_context_names_every_prefix_and_term(site):
    context = site.get("/context.jsonld").json()["@context"]
    assert context["flg"] == FLG and context["skos"] == "http://www.w3.org/2004/02/skos/core#"
    assert context["Country"] == "flg:Country"
    assert context["iloRegion"] == {"@id": "flg:iloRegion", "@type": "@id"}


@pytest.mark.parametrize(("profile", "check"), [
    (EXPANDED, lambda doc: isinstance(doc, list) and "@context" not in str(doc)[:20]),
    (FLATTENED, lambda doc: doc["@context"]["flg"] == FLG and "@graph" in doc),
])
def test_the_profile_parameter_is_honoured(site, profile, check):
    answer = site.get("/id/country/ZMB", headers={
        "Accept": f'application/ld+json;profile="{profile}"'})
    assert answer.status_code == 200 and check(answer.json())


@pytest.mark.parametrize("accept", ["text/turtle; charset=utf-8",
                                    "application/n-triples;charset=UTF-8",
                                    'application/ld+json; profile="http://example.org/other"'])
def test_media_types_with_parameters_are_accepted(site, accept):
    answer = site.get("/id/country/ZMB", headers={"Accept": accept})
    assert answer.status_code == 200 and answer.headers["Content-Type"].startswith(
        accept.split(";")[0])


@pytest.fixture(scope="module")
def dump(server) -> list | dict:
    answer = server.get("/download/flgraph.jsonld")
    assert answer.status_code == 200
    return answer.json()


def countries_in_file(dataset_file) -> set[str]:
    """Every flg:Country of the dataset file, read by rdflib: the oracle for framing."""
    from rdflib import Dataset, URIRef
    from rdflib.namespace import RDF

    every_graph = Dataset().parse(dataset_file, format="trig")
    return {str(s) for s, _, _, _ in every_graph.quads((None, RDF.type, URIRef(FLG + "Country"),
                                                         None))}


def test_the_dump_writes_types_as_type(dump):
    assert dump["@context"]["Country"] == "flg:Country"
    text = str(dump)
    assert "rdf:type" not in text and "http://www.w3.org/1999/02/22-rdf-syntax-ns#type" \
        not in text


def test_expand_the_dump_by_its_url(server, loader):
    expanded = jsonld.expand(server.url + "/download/flgraph.jsonld",
                             {"documentLoader": loader})
    nodes = [node for graph in expanded for node in graph.get("@graph", [graph])]
    [zambia] = [node for node in nodes if node["@id"] == ZAMBIA and "@type" in node]
    assert FLG + "Country" in zambia["@type"]


def test_compact_and_frame_the_dump_by_type(server, loader, dump, dataset_file):
    options = {"documentLoader": loader}
    compacted = jsonld.compact(dump, BASE + "context.jsonld", options)
    assert compacted["@context"] == BASE + "context.jsonld"
    framed = jsonld.frame(dump, {"@context": BASE + "context.jsonld", "@type": "Country"},
                          options)
    nodes = framed["@graph"]
    assert {node["@id"].replace("id:", BASE + "id/", 1) for node in nodes} == \
        countries_in_file(dataset_file)
    [zambia] = [node for node in nodes if node["@id"] == "id:country/ZMB"]
    assert zambia["skos:prefLabel"]["@value"] == "Zambia"
