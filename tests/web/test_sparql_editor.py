"""The SPARQL editor in headless Chromium: a saved query loads and runs, a typed query
gets the graph's own prefixes and terms, results show as a table, the page keeps to the
site's Content-Security-Policy, and no request leaves 127.0.0.1.

Expected rows from the report (data/source/000_2635207760a74e4f.txt), Table 1, indicator
15.1: "Data collection and analysis" lists Zambia, India and Nepal.
"""

from __future__ import annotations

from urllib.parse import quote

import pytest

from .browsing import open_page, screenshot

SELECT = """PREFIX flg: <https://w3id.org/flgraph/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?name WHERE {
  ?listing a flg:TypologyListing ;
           flg:indicator/skos:notation "15.1" ;
           flg:resultTypology/skos:prefLabel "Data collection and analysis"@en ;
           flg:country/skos:prefLabel ?name .
}"""

pytestmark = pytest.mark.browser


def check(recorder, server) -> None:
    """Nothing left 127.0.0.1, no console error, and the page did query the endpoint."""
    assert recorder.outside(server.url) == []
    assert recorder.errors == []
    assert any(u.startswith(server.url + "/sparql") for u in recorder.urls)


@pytest.fixture
def page(browser, server):
    context, page, recorder = open_page(browser, server.url)
    page.goto(server.url + "/sparql")
    page.wait_for_selector(".yasqe .CodeMirror")
    yield page, recorder
    context.close()


def table_cells(page) -> list[str]:
    page.wait_for_selector(".yasr table.dataTable tbody td", timeout=20_000)
    return page.locator(".yasr table.dataTable tbody td").all_inner_texts()


def test_saved_query_loads_runs_and_shows_a_table(page, server):
    page, recorder = page
    page.click("button[data-example='countries-by-result-typology']")
    editor_text = page.evaluate("flgraphEditor.getTab().getYasqe().getValue()")
    assert "flg:TypologyListing" in editor_text and "#+" not in editor_text
    with page.expect_response(lambda r: r.url.startswith(server.url + "/sparql")) as answer:
        page.click(".yasqe_queryButton")
    assert answer.value.status == 200
    cells = table_cells(page)
    assert any("Zambia" in c for c in cells)
    screenshot(page, "sparql-editor")
    check(recorder, server)


def test_typed_query_completes_from_the_graph_and_runs(page, server):
    page, recorder = page
    page.evaluate("void flgraphEditor.getTab().setQuery('')")
    page.click(".yasqe .CodeMirror")
    page.keyboard.type("SELECT * WHERE { ?listing a flg:")
    page.keyboard.type("TypologyL")
    value = page.evaluate("flgraphEditor.getTab().getYasqe().getValue()")
    # Typing an undeclared prefix adds its declaration, from flgraph's own prefixes.
    assert "PREFIX flg: <https://w3id.org/flgraph/ontology#>" in value
    page.keyboard.press("Control+Space")
    page.wait_for_selector(".CodeMirror-hints li")
    assert "flg:TypologyListing" in page.locator(".CodeMirror-hints li").all_inner_texts()
    page.keyboard.press("Escape")

    page.evaluate("q => void flgraphEditor.getTab().setQuery(q)", SELECT)
    page.click(".yasqe_queryButton")
    cells = table_cells(page)
    # One column of names: the three countries of the report's column, nothing else.
    names = {c.split('"')[1] if '"' in c else c for c in cells if not c.strip().isdigit()}
    assert names == {"India", "Nepal", "Zambia"}
    check(recorder, server)


def test_query_in_the_address_opens_and_runs(browser, server):
    context, page, recorder = open_page(browser, server.url)
    page.goto(f"{server.url}/sparql?query={quote(SELECT)}")
    cells = table_cells(page)
    assert any("Zambia" in c for c in cells)
    check(recorder, server)
    context.close()


def test_a_hostile_literal_is_text_and_cannot_run_script(page, server):
    """Markup in a result literal shows as text and runs nothing. The vendored table code
    (yasgui.min.js) still parses the cell text as HTML in a transient element: Chromium
    reports the ``onerror`` attribute to the page's CSP (script-src 'self'), which would
    block it even if the element lived long enough to fire."""
    page, recorder = page
    payload = "<img src=x onerror=\"document.title='pwned'\">"
    query = 'SELECT ?x WHERE { BIND("' + payload.replace('"', '\\"') + '" AS ?x) }'
    page.evaluate("q => void flgraphEditor.getTab().setQuery(q)", query)
    page.click(".yasqe_queryButton")
    assert any(payload in cell for cell in table_cells(page))
    assert page.title() != "pwned"
    assert page.locator(".yasr img").count() == 0
    blocked = [e for e in recorder.errors if "Content Security Policy" in e]
    recorder.errors = [e for e in recorder.errors if e not in blocked]
    check(recorder, server)
