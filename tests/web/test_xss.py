"""Data is never markup: literals and IRIs crafted to break out of HTML stay inert on
every page of the linked-data, ontology, validation and download areas — in the HTML
text, in attributes, in the JSON-LD block, and in a real browser."""

from __future__ import annotations

import hashlib
import json
import re
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef

from ..conftest import make_app, start_server, stop_server
from ..in_process import InProcessSite
from .browsing import open_page, screenshot

P1 = "<script>alert(1)</script>"
P2 = "</script><script>alert(2)</script>"
P3 = "javascript:alert(3)"
ID = "https://w3id.org/flgraph/id/xss/"
SOURCE_TEXT = f"A report line {P1} and a cell {P2} end.\n"
SPAN = (SOURCE_TEXT.index(P1), SOURCE_TEXT.index(P2) + len(P2))

DATA = """
@prefix ex: <http://example.org/> .
@prefix flg: <https://w3id.org/flgraph/ontology#> .
@prefix oa: <http://www.w3.org/ns/oa#> .
@prefix prov: <http://www.w3.org/ns/prov#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
<https://w3id.org/flgraph/id/graph/xss> {
  <{id}one> a flg:Country ;
      rdfs:label {p1} ;
      skos:prefLabel {p2}@en ;
      flg:iso3166Alpha3 {p2} ;
      rdfs:seeAlso <{p3}> ;
      ex:typed "7"^^<{p3}> ;
      prov:wasDerivedFrom <{id}evidence> .
  <{p3}> a flg:Country ;
      rdfs:label "{p3}" ;
      ex:points <{id}one> .
  <{id}two> rdfs:label "{p3}" ;
      ex:link <{p3}> ;
      ex:text {p1} .
  <{id}evidence> a flg:Evidence ;
      oa:hasSource <{id}source> ;
      oa:hasSelector <{id}evidence/selector> ;
      flg:table {p2} ;
      flg:line 1 ;
      flg:quote {p1} .
  <{id}evidence/selector> a oa:TextPositionSelector ;
      oa:start "{start}"^^xsd:nonNegativeInteger ;
      oa:end "{end}"^^xsd:nonNegativeInteger .
  <{id}source> a flg:SourceDocument ;
      rdfs:label "evil.txt" ;
      flg:sha256 "{sha}" .
}
"""

RESOURCE_PAGES = ["/id/xss/one", "/id/xss/two", "/id/xss/evidence", "/id/xss/source"]
OTHER_PAGES = ["/ontology", "/shapes", "/validation", "/download/"]


def _turtle_string(value: str) -> str:
    return json.dumps(value)  # a JSON string is a valid Turtle string for these values


@pytest.fixture(scope="module")
def evil_data(tmp_path_factory) -> Path:
    """The hostile dataset, its source text beside it."""
    folder = tmp_path_factory.mktemp("xss")
    (folder / "source").mkdir()
    (folder / "source" / "evil.txt").write_text(SOURCE_TEXT, encoding="utf-8")
    data = folder / "evil.trig"
    data.write_text(DATA.replace("{id}", ID).replace("{p1}", _turtle_string(P1))
                    .replace("{p2}", _turtle_string(P2)).replace("{p3}", P3)
                    .replace("{start}", str(SPAN[0])).replace("{end}", str(SPAN[1]))
                    .replace("{sha}", hashlib.sha256(SOURCE_TEXT.encode()).hexdigest()),
                    encoding="utf-8")
    return data


@pytest.fixture(scope="module")
def evil_site(evil_data):
    """The hostile data in process, for the tests that ask for a page and read it."""
    return InProcessSite(make_app(evil_data, FLGRAPH_CACHE=True))


@pytest.fixture(scope="module")
def evil_server(evil_data):
    """The hostile data served by ``flgraph serve``, for the browser."""
    live = start_server("--data", str(evil_data))
    yield live
    stop_server(live)


def html_page(server, path: str) -> str:
    response = server.get(path, headers={"Accept": "text/html"})
    assert response.status_code == 200, path
    assert response.headers["Content-Type"].startswith("text/html")
    return response.text


def assert_inert(page: str, path: str) -> None:
    assert "<script>alert" not in page, path
    assert "</script><script>" not in page, path
    assert not re.search(r'(href|src|action)\s*=\s*["\']?\s*javascript:', page, re.I), path
    scripts = re.findall(r"<script\b[^>]*>", page)
    assert all("src=" in s or "application/ld+json" in s or "application/json" in s
               for s in scripts), (path, scripts)


@pytest.mark.parametrize("path", RESOURCE_PAGES + OTHER_PAGES)
def test_payloads_never_become_markup(evil_site, path):
    assert_inert(html_page(evil_site, path), path)


def test_resource_page_shows_payloads_as_text(evil_site):
    page = html_page(evil_site, "/id/xss/one")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt;" in page
    # The javascript: IRI is shown, never linked; its label too.
    assert re.search(r'<span class="iri" title="javascript:alert\(3\)">javascript:alert\(3\)'
                     r"</span>", page)
    # a datatype, on hover only
    assert '<span class="literal" title="javascript:alert(3) (javascript:alert(3))">7</span>' \
        in page
    # Incoming from the javascript: subject, also inert.
    incoming = page[page.index('<section id="incoming">'):]
    assert '<span class="iri" title="javascript:alert(3)">' in incoming


def test_evidence_from_a_hostile_source_is_escaped(evil_site):
    page = html_page(evil_site, "/id/xss/one")
    # the source's markup is read as HTML and dropped: the report's words only, as text
    assert "<mark>alert(1) and a cell alert(2)</mark>" in page
    assert "table <strong>&lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt;</strong>" in page


def test_json_ld_block_cannot_be_closed_by_data(evil_site):
    page = html_page(evil_site, "/id/xss/one")
    blocks = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert len(blocks) == 1  # the payload's </script> did not end it early
    assert "\\u003c/script\\u003e" in blocks[0]
    g = Dataset().parse(data=json.dumps(json.loads(blocks[0])), format="json-ld")
    subject = URIRef(ID + "one")
    assert (subject, URIRef("http://www.w3.org/2000/01/rdf-schema#label"), Literal(P1),
            None) in g


def test_validation_lists_hostile_values_escaped(evil_site):
    page = html_page(evil_site, "/validation")
    assert "&lt;/script&gt;&lt;script&gt;alert(2)&lt;/script&gt;" in page  # a bad ISO code
    assert re.search(r"<td>javascript:alert\(3\)</td>", page)  # a focus node, not a link


def test_void_and_dumps_are_not_html(evil_site):
    """Dumps stay data even for a browser; the dataset description gives browsers its
    landing page, which is HTML under the site's script policy."""
    landing = evil_site.get("/.well-known/void", headers={"Accept": "text/html, */*;q=0.1"})
    assert landing.headers["Content-Type"].startswith("text/html")
    assert "script-src 'self'" in landing.headers["Content-Security-Policy"]
    for path in ("/download/flgraph.ttl", "/id/xss/one.ttl"):
        response = evil_site.get(path, headers={"Accept": "text/html, */*;q=0.1"})
        assert response.status_code == 200, path
        assert not response.headers["Content-Type"].startswith("text/html"), path
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        Graph().parse(data=response.content, format="turtle")


@pytest.mark.browser
def test_browser_runs_no_injected_script(browser, evil_server):
    """Headless Chromium loads every page: no dialog opens, no request leaves the site."""
    context, page, recorder = open_page(browser, evil_server.url)
    try:
        for path in RESOURCE_PAGES + OTHER_PAGES:
            page.goto(evil_server.url + path, wait_until="load")
            page.wait_for_timeout(200)  # let any injected script run
            screenshot(page, "xss-" + (path.strip("/").replace("/", "-") or "index"))
            assert page.locator('a[href^="javascript:" i]').count() == 0, path
            injected = page.evaluate(
                "[...document.scripts].filter(s => !s.src && !/json/.test(s.type)).length")
            assert injected == 0, path
    finally:
        context.close()
    assert recorder.dialogs == []
    assert recorder.outside(evil_server.url) == []
