"""A page on another origin reads every kind of resource, as linked-data browsers,
notebooks and the JSON-LD playground do: headless Chromium on a page served from a second
port of 127.0.0.1 (another origin) fetches from the live server with ``fetch``, which the
browser lets the script read only if the server's CORS headers allow it.

Expected values from the report (data/source/000_2635207760a74e4f.txt): Zambia (ZMB) is
one of the countries of Table 1; Table 1 lists Zambia, India and Nepal under indicator
15.1's "Data collection and analysis".
"""

from __future__ import annotations

import re
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
import requests

from .browsing import Recorder

PAGE = b"<!doctype html><html><head><title>elsewhere</title></head><body>another site</body></html>"
FETCH = """async ([url, headers]) => {
  try {
    const response = await fetch(url, {headers});
    const body = await response.text();
    return {status: response.status, type: response.headers.get("content-type"),
            link: response.headers.get("link"),
            truncated: response.headers.get("x-flgraph-truncated"), body};
  } catch (err) {
    return {error: String(err)};
  }
}"""
TYPOLOGY = "typology=result-typology/data-collection-and-analysis"
#: each kind of read-only resource, with what the script must be able to read in it
RESOURCES = [
    ("/id/country/ZMB", {"Accept": "application/ld+json"}, "Zambia"),
    ("/id/country/ZMB", {"Accept": "text/turtle", "Prefer": "handling=strict"},
     "Zambia"),  # preflighted: Prefer is not a header a page may send unasked
    ("/id/country/ZMB", {"Accept": 'application/ld+json;profile="http://www.w3.org/ns/'
                                   'json-ld#expanded"'}, "Zambia"),  # preflighted
    ("/context.jsonld", {}, "@context"),
    ("/id/country/ZMB.ttl", {}, "ZMB"),
    ("/ontology", {"Accept": "text/turtle"}, "owl:Ontology"),
    ("/.well-known/void", {"Accept": "text/turtle"}, "void:Dataset"),
    ("/download/ontology.ttl", {}, "owl:Ontology"),
    ("/download/flgraph.nt", {}, "https://w3id.org/flgraph/id/country/ZMB"),
    (f"/queries/countries-by-result-typology.csv?{TYPOLOGY}", {}, "Zambia"),
    (f"/queries/countries-by-result-typology.json?{TYPOLOGY}", {}, "Zambia"),
    ("/validation", {"Accept": "application/json"}, "conforms"),
    ("/sparql?query=ASK%20%7B%20%3Fs%20%3Fp%20%3Fo%20%7D",
     {"Accept": "application/sparql-results+json", "Prefer": "handling=strict"}, "true"),
]


@pytest.fixture(scope="module")
def elsewhere():
    """A page on another origin: a second HTTP server on 127.0.0.1."""
    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # http.server's naming
            self.send_response(200)
            self.send_header("Content-Type", "text/html")
            self.end_headers()
            self.wfile.write(PAGE)

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=httpd.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{httpd.server_port}"
    httpd.shutdown()


@pytest.fixture(scope="module")
def foreign_page(browser, server, elsewhere):
    context = browser.new_context()
    # nothing but the two origins (the page's and the server's) may be reached
    context.route(re.compile(r"^(?!" + re.escape(elsewhere) + "/|" + re.escape(server.url)
                             + "/).*"), lambda route: route.abort())
    page = context.new_page()
    recorder = Recorder(page)
    page.goto(elsewhere + "/")
    yield page, recorder
    context.close()


@pytest.mark.parametrize(("path", "headers", "text"), RESOURCES)
def test_a_page_on_another_origin_reads_each_resource(foreign_page, server, path, headers,
                                                      text):
    page, recorder = foreign_page
    answer = page.evaluate(FETCH, [server.url + path, headers])
    assert "error" not in answer, (answer, recorder.errors[-3:])
    assert answer["status"] == 200 and text in answer["body"]


def test_scripts_can_read_the_link_header_and_flgraphs_own(foreign_page, server):
    page, _ = foreign_page
    document = page.evaluate(FETCH, [server.url + "/id/country/ZMB",
                                     {"Accept": "text/turtle"}])
    assert "rel=\"alternate\"" in document["link"]
    # three rows per quad: more than the row limit of 10,000
    capped = "SELECT * WHERE { ?s ?p ?o VALUES ?copy { 1 2 3 } }"
    answer = page.evaluate(FETCH, [server.url + "/sparql?query=" + requests.utils.quote(capped),
                                   {"Accept": "text/csv"}])
    assert answer["status"] == 200 and answer["truncated"] == "true"


def test_error_answers_expose_retry_after_to_scripts(server):
    # a 429 or 503 is hard to cause on purpose here: the headers say what scripts may read
    response = requests.get(server.url + "/id/no-such-thing", timeout=30,
                            headers={"Origin": "http://elsewhere.example"})
    assert response.status_code == 404
    assert response.headers["Access-Control-Allow-Origin"] == "*"
    exposed = {h.strip().lower() for h in
               response.headers["Access-Control-Expose-Headers"].split(",")}
    assert {"retry-after", "link", "x-flgraph-truncated"} <= exposed
