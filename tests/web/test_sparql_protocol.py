"""``/sparql`` through requests, as curl or a script would use it (the app in process,
tests/in_process.py): negotiation, formats, errors, updates refused, the protocol's
graph parameters, CORS, the service description.

Expected answers come from the report (data/source/000_2635207760a74e4f.txt): Table 1,
indicator 15.1 lists "Zambia India Nepal" under *Data collection and analysis*, and the
report counts Jordan as its one Arab States country.
"""

from __future__ import annotations

import csv
import io
import json
import re
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

import pyoxigraph as ox
import pytest
import requests
from rdflib import OWL, Dataset, Graph, Namespace, URIRef
from rdflib.namespace import RDF

from tests.conftest import DATA, ROOT

SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FORMATS = Namespace("http://www.w3.org/ns/formats/")
GRAPHS = "https://w3id.org/flgraph/id/graph/"
SOURCE = GRAPHS + "source/000_2635207760a74e4f"  # the report's own facts
REFERENCE = GRAPHS + "reference"  # country names and regions
VOCAB = GRAPHS + "vocab"  # typology labels

PREFIXES = """PREFIX flg: <https://w3id.org/flgraph/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
"""
SELECT = PREFIXES + """SELECT ?name WHERE {
  ?listing a flg:TypologyListing ;
           flg:indicator/skos:notation "15.1" ;
           flg:resultTypology/skos:prefLabel "Data collection and analysis"@en ;
           flg:country/skos:prefLabel ?name .
}"""
CONSTRUCT = PREFIXES + """CONSTRUCT { ?c skos:prefLabel ?name } WHERE {
  ?c skos:prefLabel ?name ; flg:iloRegion/skos:prefLabel "Arab States"@en .
  FILTER(?name = "Jordan"@en)
}"""
ASK_JORDAN = PREFIXES + """ASK {
  ?c skos:prefLabel "Jordan"@en ; flg:iloRegion/skos:prefLabel "Arab States"@en
}"""
DATA_COLLECTION = {"India", "Nepal", "Zambia"}
JSON_TYPE = "application/sparql-results+json"
BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
YASGUI_SELECT = "application/sparql-results+json,*/*;q=0.9"


def get(site, query: str | None = None, accept: str | None = None, **params):
    if query is not None:
        params["query"] = query
    headers = {"Accept": accept} if accept else {}
    return site.get("/sparql", params=params, headers=headers)


def media(response: requests.Response) -> str:
    return response.headers["Content-Type"].split(";")[0].strip()


def names_in(response: requests.Response) -> set[str]:
    return {b["name"]["value"] for b in response.json()["results"]["bindings"]}


def one_line(response: requests.Response) -> str:
    text = response.text.strip()
    assert text and "\n" not in text and media(response) == "text/plain"
    return text


# --- the three ways to send a query -------------------------------------------------

def test_get_form_post_and_direct_post_give_the_same_answer(site):
    by_get = get(site, SELECT)
    by_form = site.post("/sparql", data={"query": SELECT})
    by_body = site.post("/sparql", data=SELECT.encode(),
                        headers={"Content-Type": "application/sparql-query"})
    for response in (by_get, by_form, by_body):
        assert response.status_code == 200 and media(response) == JSON_TYPE
        assert names_in(response) == DATA_COLLECTION


def test_no_accept_header_gets_sparql_json_and_turtle(site):
    select = site.get("/sparql", params={"query": SELECT}, timeout=30,
                      headers={"Accept": None})
    assert media(select) == JSON_TYPE
    construct = site.get("/sparql", params={"query": CONSTRUCT}, timeout=30,
                         headers={"Accept": None})
    assert media(construct) == "text/turtle"


# --- negotiation -------------------------------------------------------------------

@pytest.mark.parametrize(("accept", "expected"), [
    ("text/csv;q=0.5, application/sparql-results+xml;q=0.9", "application/sparql-results+xml"),
    ("application/sparql-results+json;q=0.1, text/tab-separated-values",
     "text/tab-separated-values"),
    ("text/turtle, text/csv;q=0.8, application/json;q=0.7", "text/csv"),
    ("application/json", JSON_TYPE),
    ("text/*", "text/csv"),
    (YASGUI_SELECT, JSON_TYPE),
])
def test_select_negotiates_by_q_values(site, accept, expected):
    response = get(site, SELECT, accept)
    assert response.status_code == 200 and media(response) == expected
    if expected == "text/csv":
        assert {r["name"] for r in csv.DictReader(io.StringIO(response.text))} == DATA_COLLECTION


@pytest.mark.parametrize(("accept", "expected"), [
    ("application/sparql-results+json, text/turtle;q=0.9", "text/turtle"),
    ("application/rdf+xml;q=0.4, application/n-triples;q=0.6", "application/n-triples"),
    ("application/ld+json", "application/ld+json"),
    ("application/sparql-results+json,*/*;q=0.9", "text/turtle"),  # YASGUI's Accept
])
def test_construct_negotiates_among_rdf_formats(site, accept, expected):
    response = get(site, CONSTRUCT, accept)
    assert response.status_code == 200 and media(response) == expected
    graph = Graph().parse(data=response.text, format={
        "text/turtle": "turtle", "application/n-triples": "nt",
        "application/ld+json": "json-ld"}[expected])
    assert [str(o) for o in graph.objects()] == ["Jordan"]


@pytest.mark.parametrize(("params", "query", "expected"), [
    ({"format": "csv"}, SELECT, "text/csv"),
    ({"output": "xml"}, SELECT, "application/sparql-results+xml"),
    ({"results": "tsv"}, SELECT, "text/tab-separated-values"),
    ({"format": "json"}, ASK_JORDAN, JSON_TYPE),
    ({"format": "turtle"}, CONSTRUCT, "text/turtle"),
    ({"format": "xml"}, CONSTRUCT, "application/rdf+xml"),  # RDF/XML for a graph
    ({"format": "json"}, CONSTRUCT, "application/ld+json"),  # JSON-LD for a graph
    ({"format": ["tsv", "text/tab-separated-values"]}, SELECT, "text/tab-separated-values"),
    ({"format": "application/n-triples"}, CONSTRUCT, "application/n-triples"),
])
def test_format_parameters_override_accept(site, params, query, expected):
    response = get(site, query, "application/sparql-results+xml, text/turtle", **params)
    assert response.status_code == 200 and media(response) == expected


def test_not_acceptable_lists_the_offers(site):
    response = get(site, SELECT, "image/png")
    assert response.status_code == 406
    assert "application/sparql-results+json" in one_line(response)
    assert "text/tab-separated-values" in response.text
    graph_wants_csv = get(site, CONSTRUCT, format="csv")
    assert graph_wants_csv.status_code == 406 and "text/turtle" in one_line(graph_wants_csv)


# --- errors ----------------------------------------------------------------------

def test_syntax_error_is_400_with_the_parsers_message(site):
    response = get(site, "SELECT * WHERE { ?s ?p ")
    assert response.status_code == 400
    message = one_line(response)
    assert "syntax error" in message and "line 1" in message


def test_curl_gets_errors_as_text_and_a_browser_as_a_page(site):
    assert media(get(site, "ASK {", "*/*")) == "text/plain"
    page = site.post("/sparql", data=b"ASK {}",
                     headers={"Content-Type": "text/plain", "Accept": BROWSER})
    assert page.status_code == 415 and media(page) == "text/html"
    # A browser's GET with a query opens it in the editor, which shows the parser's error.
    editor = get(site, "ASK {", BROWSER)
    assert editor.status_code == 200 and 'id="yasgui"' in editor.text


@pytest.mark.parametrize(("kwargs", "status", "reason"), [
    ({"params": [("query", "ASK {}"), ("query", "ASK {}")]}, 400, "2 'query' parameters"),
    ({"params": {"query": ""}}, 400, "empty"),
])
def test_bad_get_requests(site, kwargs, status, reason):
    response = site.get("/sparql", **kwargs)
    assert response.status_code == status and reason in one_line(response)


@pytest.mark.parametrize(("body", "content_type", "status", "reason"), [
    (b"ASK {}", "text/plain", 415, "text/plain"),
    (b"query=ASK%20%7B%7D", None, 415, "no Content-Type"),
    ("ASK {}".encode("utf-16"), "application/sparql-query; charset=UTF-16", 415, "utf-16"),
    (b"ASK { ?s ?p \"\xff\" }", "application/sparql-query", 400, "UTF-8"),
    (b"query=ASK%20%7B%20%3Fs%20%3Fp%20%22%FF%22%20%7D", "application/x-www-form-urlencoded",
     400, "UTF-8"),
    (b"", "application/x-www-form-urlencoded", 400, "no query"),
])
def test_bad_post_requests(site, body, content_type, status, reason):
    headers = {"Content-Type": content_type} if content_type else {}
    response = site.post("/sparql", data=body, headers=headers)
    assert response.status_code == status
    assert reason.lower() in one_line(response).lower()


def test_query_in_both_url_and_body_is_refused(site):
    response = site.post("/sparql", params={"query": "ASK {}"}, data=b"ASK {}",
                         headers={"Content-Type": "application/sparql-query"})
    assert response.status_code == 400 and "two queries" in one_line(response)


def test_other_methods_are_405_with_allow(site):
    response = site.request("PUT", "/sparql", params={"query": "ASK {}"}, timeout=30)
    assert response.status_code == 405
    allowed = set(response.headers["Allow"].replace(" ", "").split(","))
    assert allowed == {"GET", "HEAD", "POST", "OPTIONS"}
    head = site.request("HEAD", "/sparql", params={"query": "ASK {}"}, timeout=30)
    assert head.status_code == 200 and media(head) == JSON_TYPE


# --- read-only -------------------------------------------------------------------

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } }"
INSERT = "INSERT DATA { GRAPH <http://example.org/g> { <http://example.org/s> " \
         "<http://example.org/p> \"x\" } }"


def test_updates_are_refused_through_every_door(site):
    before = get(site, COUNT).json()
    doors = [
        ("update form", site.post("/sparql", data={"update": INSERT}), 403),
        ("update body", site.post("/sparql", data=INSERT.encode(),
                                  headers={"Content-Type": "application/sparql-update"}), 403),
        ("update by GET", site.get("/sparql", params={"update": INSERT}), 400),
        ("update in query=", get(site, INSERT), 400),
        ("update as a query form", site.post("/sparql", data={"query": INSERT}), 400),
        ("update as a query body", site.post(
            "/sparql", data=INSERT.encode(),
            headers={"Content-Type": "application/sparql-query"}), 400),
        ("query and update", site.post("/sparql", data={"query": "ASK {}",
                                                        "update": INSERT}), 403),
    ]
    for door, response, status in doors:
        assert response.status_code == status, door
        assert "read-only" in one_line(response), door
    assert get(site, COUNT).json() == before
    assert get(site, "ASK { GRAPH <http://example.org/g> { ?s ?p ?o } }").json()[
        "boolean"] is False


# --- the protocol's dataset --------------------------------------------------------

def test_default_graph_is_the_union_of_all_graphs(site):
    assert names_in(get(site, SELECT)) == DATA_COLLECTION


def test_default_graph_uri_chooses_and_merges_graphs(site):
    # The listings are in the report's graph, the names in the reference graph and the
    # typology labels in the vocabulary graph: the answer needs all three merged.
    merged = get(site, SELECT, **{"default-graph-uri": [SOURCE, REFERENCE, VOCAB]})
    assert names_in(merged) == DATA_COLLECTION
    assert names_in(get(site, SELECT, **{"default-graph-uri": SOURCE})) == set()


def test_named_graph_uri_chooses_the_named_graphs(site):
    query = ("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s a "
             "<https://w3id.org/flgraph/ontology#TypologyListing> } }")
    everywhere = get(site, query).json()["results"]["bindings"]
    assert [b["g"]["value"] for b in everywhere] == [SOURCE]
    only_reference = get(site, query, **{"named-graph-uri": REFERENCE})
    assert only_reference.json()["results"]["bindings"] == []
    both = get(site, query, **{"named-graph-uri": [REFERENCE, SOURCE]})
    assert [b["g"]["value"] for b in both.json()["results"]["bindings"]] == [SOURCE]


@pytest.fixture
def trap():
    """A local HTTP server that records every request: a graph IRI nobody may fetch."""
    hits: list[str] = []

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # http.server's naming
            hits.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "text/turtle")
            self.end_headers()
            self.wfile.write(b"<http://example.org/s> <http://example.org/p> 1 .")

        def log_message(self, *args):
            pass

    httpd = HTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{httpd.server_port}/graph.ttl", hits
    httpd.shutdown()


def test_graphs_the_store_does_not_hold_are_empty_and_never_fetched(site, trap):
    iri, hits = trap
    ask_any = "ASK { ?s ?p ?o }"
    as_default = get(site, ask_any, **{"default-graph-uri": iri})
    assert as_default.status_code == 200 and as_default.json()["boolean"] is False
    as_named = get(site, "ASK { GRAPH ?g { ?s ?p ?o } }", **{"named-graph-uri": iri})
    assert as_named.status_code == 200 and as_named.json()["boolean"] is False
    with_known = get(site, SELECT, **{"default-graph-uri": [iri, SOURCE, REFERENCE, VOCAB]})
    assert names_in(with_known) == DATA_COLLECTION
    from_clause = get(site, f"SELECT * FROM <{iri}> WHERE {{ ?s ?p ?o }}")
    assert from_clause.status_code == 400 and "never fetched" in one_line(from_clause)
    assert hits == []


# --- headers ---------------------------------------------------------------------

def test_every_answer_varies_on_accept_and_allows_any_origin(site):
    answers = [
        get(site, SELECT), get(site, CONSTRUCT, "text/turtle"), get(site, "ASK {"),
        get(site, SELECT, "image/png"), get(site), get(site, accept=BROWSER),
        site.post("/sparql", data=b"x", headers={"Content-Type": "text/plain"}),
        site.post("/sparql", data={"update": INSERT}),
        site.request("OPTIONS", "/sparql", timeout=30),
    ]
    for response in answers:
        vary = {v.strip() for v in response.headers.get("Vary", "").split(",")}
        assert "Accept" in vary, response.status_code
        assert response.headers["Access-Control-Allow-Origin"] == "*", response.status_code


def test_cors_preflight_allows_a_post_from_another_origin(site):
    response = site.request("OPTIONS", "/sparql", timeout=30, headers={
        "Origin": "https://yasgui.example", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert response.status_code in (200, 204)
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in response.headers["Access-Control-Allow-Methods"]
    assert "content-type" in response.headers["Access-Control-Allow-Headers"].lower()
    cross = site.post("/sparql", data={"query": ASK_JORDAN},
                      headers={"Origin": "https://yasgui.example"})
    assert cross.headers["Access-Control-Allow-Origin"] == "*" and cross.json()["boolean"]


# --- service description -----------------------------------------------------------

def _graph_names_of_the_dataset() -> set[str]:
    return {q.graph_name.value for q in ox.parse(path=str(DATA), format=ox.RdfFormat.TRIG)
            if isinstance(q.graph_name, ox.NamedNode)}


@pytest.mark.parametrize("accept", [None, "*/*", "text/turtle"])
def test_service_description_in_turtle_by_default(site, accept):
    headers = {"Accept": accept}
    response = site.get("/sparql", headers=headers, timeout=30)
    assert response.status_code == 200 and media(response) == "text/turtle"
    description = Graph().parse(data=response.text, format="turtle")
    endpoint = URIRef(site.url + "/sparql")
    assert (endpoint, SD.endpoint, endpoint) in description
    assert (endpoint, SD.supportedLanguage, SD.SPARQL11Query) in description
    assert (endpoint, SD.feature, SD.UnionDefaultGraph) in description
    assert set(description.objects(endpoint, SD.resultFormat)) == {
        FORMATS[f] for f in ("SPARQL_Results_JSON", "SPARQL_Results_XML", "SPARQL_Results_CSV",
                             "SPARQL_Results_TSV", "Turtle", "N-Triples", "JSON-LD", "RDF_XML")}
    dataset = description.value(endpoint, SD.defaultDataset)
    assert description.value(dataset, SD.defaultGraph) is not None
    named = {str(description.value(g, SD.name))
             for g in description.objects(dataset, SD.namedGraph)}
    assert named == _graph_names_of_the_dataset()
    assert {SOURCE, REFERENCE, VOCAB} <= named


@pytest.mark.parametrize(("accept", "rdflib_format"), [
    ("application/n-triples", "nt"), ("application/ld+json", "json-ld"),
    ("application/rdf+xml", "xml"),
])
def test_service_description_in_every_rdf_format(site, accept, rdflib_format):
    turtle = Graph().parse(data=get(site, accept="text/turtle").text, format="turtle")
    response = get(site, accept=accept)
    assert response.status_code == 200 and media(response) == accept
    other = Graph().parse(data=response.text, format=rdflib_format)
    from rdflib.compare import isomorphic

    assert isomorphic(turtle, other)


# --- the editor, for browsers --------------------------------------------------------

def test_a_browser_gets_the_editor_and_curl_does_not(site):
    page = get(site, accept=BROWSER)
    assert page.status_code == 200 and media(page) == "text/html"
    assert 'id="yasgui"' in page.text
    assert media(get(site, SELECT, YASGUI_SELECT)) == JSON_TYPE
    assert media(get(site, accept="*/*")) == "text/turtle"


def test_editor_lists_saved_queries_and_embeds_data_safely(site):
    from flgraph.query.saved import load_queries

    hostile = 'SELECT * WHERE { ?s ?p "</script><script>alert(1)</script>" }'
    page = get(site, hostile, BROWSER)
    assert page.status_code == 200 and media(page) == "text/html"
    assert "<script>alert(1)" not in page.text
    block = page.text.split('<script type="application/json" id="sparql-data">')[1]
    data = json.loads(block.split("</script>")[0])
    assert data["query"] == hostile and data["run"] is True
    saved = load_queries()
    assert {e["name"] for e in data["examples"]} == set(saved)
    assert all(not e["text"].startswith("#+") for e in data["examples"])
    assert data["prefixes"]["flg"] == "https://w3id.org/flgraph/ontology#"
    assert "https://w3id.org/flgraph/ontology#TypologyListing" in data["terms"]["class"]
    assert "https://w3id.org/flgraph/ontology#iloRegion" in data["terms"]["property"]
    for query in saved.values():
        assert f'data-example="{query.name}"' in page.text
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert "<script>" not in page.text.replace('<script type="application/json"', "")


def test_editor_completes_the_terms_the_data_uses_and_the_ontology_declares(site):
    """Classes and properties read from the dataset file (rdflib, not our code) and from
    the ontology file are all offered."""
    data = Dataset()
    data.parse(DATA, format="trig")
    used_classes = {str(o) for _, _, o, _ in data.quads((None, RDF.type, None, None))
                    if isinstance(o, URIRef)}
    used_properties = {str(p) for _, p, _, _ in data.quads((None, None, None, None))}
    ontology = Graph().parse(ROOT / "ontology" / "flgraph.ttl")
    declared_classes = {str(s) for s in ontology.subjects(RDF.type, OWL.Class)
                        if isinstance(s, URIRef)}
    page = site.get("/sparql", headers={"Accept": "text/html"}).text
    block = re.search(r'<script type="application/json" id="sparql-data">(.*?)</script>',
                      page, re.S).group(1)
    terms = json.loads(block)["terms"]
    assert declared_classes - used_classes  # classes without instances: only declared
    assert used_classes | declared_classes <= set(terms["class"])
    assert used_properties <= set(terms["property"])
    assert "https://w3id.org/flgraph/ontology#TypologyListing" in terms["class"]
