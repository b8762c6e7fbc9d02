"""What the server writes is inert: parameters and error messages are escaped in HTML and
plain text elsewhere, CSV cells cannot be formulas, every response has an exact
Content-Type and nosniff (and HTML a strict CSP), only http(s) IRIs become links, and a
result cut by the row or byte cap says so in every format — on every store."""

from __future__ import annotations

import csv
import io
import json
import re
from html.parser import HTMLParser

import pyoxigraph as ox
import pytest

from .conftest import ROW_LIMIT, assert_alive, one_line, sparql

BROWSER = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
SCRIPT = "<script>alert(1)</script>"
ATTRIBUTE = "\"' onmouseover=alert(1) x=\""
HTML = "text/html; charset=utf-8"
TEXT = "text/plain; charset=utf-8"


class _Markup(HTMLParser):
    """What a browser would run: event-handler attributes and scripts that are not data
    blocks or files of the site."""

    def __init__(self) -> None:
        super().__init__()
        self.active: list[str] = []

    def handle_starttag(self, tag, attrs):
        names = dict(attrs)
        self.active += [f"{tag} {name}" for name in names if name.lower().startswith("on")]
        if tag == "script" and not names.get("src") and names.get("type") != "application/json":
            self.active.append("inline script")


def _inert(page: str) -> None:
    markup = _Markup()
    markup.feed(page)
    assert markup.active == [], markup.active
    assert SCRIPT not in page


# --- XSS through parameters and error messages ----------------------------------------

@pytest.mark.parametrize("path, params", [
    ("/queries/indicator-by-notation", {"notation": SCRIPT}),
    ("/queries/indicator-by-notation", {"notation": ATTRIBUTE}),
    ("/queries/country-profile", {"country": SCRIPT}),
    ("/queries/country-profile", {"country": f"country/ZMB{ATTRIBUTE}"}),
    ("/queries/contributions-by-ordinal", {"ordinal": SCRIPT}),
    ("/queries/report-day", {"day": SCRIPT}),
    ("/queries/table-1", {SCRIPT: "1"}),
    ("/queries/" + SCRIPT, {}),
    ("/id/" + SCRIPT, {}),
    ("/sparql", {"format": SCRIPT, "query": "ASK {}"}),
])
def test_parameters_and_error_messages_are_escaped_for_browsers(target, path, params):
    page = target.get(path, params=params, headers={"Accept": BROWSER})
    assert page.headers["Content-Type"] == HTML, page.headers
    _inert(page.text)
    assert "default-src 'self'" in page.headers["Content-Security-Policy"]
    as_text = target.get(path, params=params, headers={"Accept": "*/*"})
    if as_text.status_code >= 400:
        assert as_text.headers["Content-Type"] == TEXT
    assert_alive(target)


def test_errors_from_the_endpoint_are_escaped(target):
    bad_type = target.post("/sparql", data=b"ASK {}",
                           headers={"Content-Type": f"text/{SCRIPT}", "Accept": BROWSER})
    assert bad_type.status_code == 415 and bad_type.headers["Content-Type"] == HTML
    _inert(bad_type.text)
    syntax = sparql(target, f"SELECT {SCRIPT} WHERE {{}}")
    assert syntax.status_code == 400 and one_line(syntax)
    editor = sparql(target, f'SELECT * WHERE {{ ?s ?p "{SCRIPT}" }}', BROWSER)
    assert editor.headers["Content-Type"] == HTML
    assert "<script>alert" not in editor.text
    assert_alive(target)


# --- CSV ---------------------------------------------------------------------------------

FORMULAS = ["=HYPERLINK(\"http://example.org\",\"x\")", "+1+cmd|' /C calc'!A0", "-2+3",
            "@SUM(1,1)", "\t=1+1", "\r=1+1", "=1"]


def test_csv_formula_cells_are_neutralised(target):
    values = " ".join(json.dumps(v) for v in FORMULAS)
    query = f"SELECT ?v WHERE {{ VALUES ?v {{ {values} -5 \"-5\" 1.5 }} }}"
    response = sparql(target, query, format="csv")
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    cells = [row[0] for row in csv.reader(io.StringIO(response.text))][1:]
    for cell in cells:
        if cell not in ("-5", "1.5"):
            assert cell.startswith("'"), cells
    assert sorted(cells).count("-5") == 2  # numbers stay numbers
    for name in ("csv", "tsv"):
        page = target.get(f"/queries/indicator-by-notation.{name}",
                          params={"notation": "=1+1"})
        assert page.status_code == 200 and "\n=1+1" not in page.text


# --- headers -----------------------------------------------------------------------------

@pytest.mark.parametrize("path, accept, media", [
    ("/", BROWSER, HTML),
    ("/queries/table-1", BROWSER, HTML),
    ("/queries/table-1.csv", "*/*", "text/csv; charset=utf-8"),
    ("/queries/table-1.json", "*/*", "application/sparql-results+json"),
    ("/id/country/ZMB", BROWSER, HTML),
    ("/id/country/ZMB", "text/turtle", "text/turtle; charset=utf-8"),
    ("/id/country/ZMB", "application/ld+json", "application/ld+json"),
    ("/sparql?query=ASK%7B%7D", "*/*", "application/sparql-results+json"),
    ("/sparql", BROWSER, HTML),
    ("/queries/no-such-query", "*/*", TEXT),
    ("/queries/no-such-query", BROWSER, HTML),
    ("/sparql?query=ASK%7B", "*/*", TEXT),
    ("/sparql?query=ASK%7B%7D&format=png", "*/*", TEXT),
])
def test_security_headers_and_exact_content_types(target, path, accept, media):
    response = target.get(path, headers={"Accept": accept})
    assert response.headers["Content-Type"] == media
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    if media == HTML:
        csp = response.headers["Content-Security-Policy"]
        for directive in ("default-src 'self'", "script-src 'self'", "object-src 'none'",
                          "frame-ancestors 'none'", "base-uri 'none'"):
            assert directive in csp
        assert "unsafe-eval" not in csp and "script-src 'self' 'unsafe-inline'" not in csp


@pytest.mark.parametrize("path", ["/id/country/ZMB", "/queries/country-profile?country="
                                  "country/ZMB", "/queries/external-identifiers", "/"])
def test_only_http_iris_become_links(target, path):
    page = target.get(path, headers={"Accept": BROWSER})
    assert page.status_code == 200
    for href in re.findall(r'(?:href|src|action)\s*=\s*"([^"]*)"', page.text):
        scheme = re.match(r"^([A-Za-z][A-Za-z0-9+.-]*):", href)
        assert scheme is None or scheme.group(1).lower() in ("http", "https"), href


# --- truncation in every format -----------------------------------------------------------

ALL = "SELECT ?s ?p ?o WHERE { ?s ?p ?o }"
ALL_GRAPH = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
LINK = "https://w3id.org/flgraph/ontology#TruncatedResult"


@pytest.mark.parametrize("fmt", ["json", "xml", "csv", "tsv"])
def test_row_cap_is_stated_in_every_results_format(target, fmt):
    response = sparql(target, ALL, format=fmt)
    assert response.status_code == 200
    assert response.headers["X-Flgraph-Truncated"] == "true"
    assert "X-Flgraph-Truncated" in response.headers["Access-Control-Expose-Headers"]
    body = response.content
    if fmt in ("csv", "tsv"):
        rows = list(csv.reader(io.StringIO(response.text), delimiter="," if fmt == "csv"
                               else "\t"))[1:]
    else:
        rows = list(ox.parse_query_results(body, ox.QueryResultsFormat.JSON if fmt == "json"
                                           else ox.QueryResultsFormat.XML))
    assert len(rows) == ROW_LIMIT
    if fmt == "json":
        assert json.loads(body)["head"]["link"] == [LINK]
    if fmt == "xml":
        assert f'<link href="{LINK}"/>'.encode() in body


@pytest.mark.parametrize("fmt, rdf_format", [
    ("turtle", ox.RdfFormat.TURTLE), ("nt", ox.RdfFormat.N_TRIPLES),
    ("json-ld", ox.RdfFormat.JSON_LD), ("rdfxml", ox.RdfFormat.RDF_XML)])
def test_row_cap_is_stated_in_every_graph_format(target, fmt, rdf_format):
    response = sparql(target, ALL_GRAPH, format=fmt)
    assert response.status_code == 200
    assert response.headers["X-Flgraph-Truncated"] == "true"
    assert len(list(ox.parse(response.content, rdf_format))) == ROW_LIMIT
    if fmt in ("turtle", "nt", "rdfxml"):
        assert b"truncated" in response.content[:200]


def test_row_cap_is_stated_on_pages(target):
    page = target.get("/queries/all-triples", headers={"Accept": BROWSER})
    assert page.status_code == 200 and "Truncated" in page.text
    data = target.get("/queries/all-triples.csv")
    assert data.headers["X-Flgraph-Truncated"] == "true"


def test_byte_cap_truncates_a_result_of_huge_literals(target):
    doubling = " ".join(f"BIND (CONCAT(?v{i}, ?v{i}) AS ?v{i + 1})" for i in range(14))
    query = (f'SELECT ?v14 WHERE {{ VALUES ?v0 {{ "{"x" * 1100}" }} {doubling} '
             "VALUES ?n { 1 2 } }")
    response = sparql(target, query, format="csv", timeout=30)
    if response.status_code == 200:  # 2 rows of 18 MB each: over the 16 MiB cap
        assert response.headers["X-Flgraph-Truncated"] == "true"
        assert len(response.content) <= 17 * 1024**2
    else:  # a store may refuse to build such a string at all
        assert response.status_code in (500, 503) and one_line(response)
    assert_alive(target)
