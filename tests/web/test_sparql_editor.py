"""The SPARQL editor in headless Chromium: a saved query loads and runs, a typed query
gets the graph's own prefixes and terms, results show as a table, the page keeps to the
site's Content-Security-Policy, and no request leaves 127.0.0.1.

Expected rows from the report (data/source/000_2635207760a74e4f.txt), Table 1, indicator
15.1: "Data collection and analysis" lists Zambia, India and Nepal.
"""

from __future__ import annotations

import re
from pathlib import Path
from urllib.parse import quote

import pytest

from tests.conftest import ROOT, require

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = ROOT / "tests" / "artifacts"
SELECT = """PREFIX flg: <https://w3id.org/flgraph/ontology#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
SELECT ?name WHERE {
  ?listing a flg:TypologyListing ;
           flg:indicator/skos:notation "15.1" ;
           flg:resultTypology/skos:prefLabel "Data collection and analysis"@en ;
           flg:country/skos:prefLabel ?name .
}"""

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def browser():
    require(CHROMIUM.is_file(), "Chromium at /usr/bin/chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    require(sync_playwright is not None, "the playwright package")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


class Recorder:
    """Every request the page makes, and every console error (CSP violations show here)."""

    def __init__(self, page) -> None:
        self.urls: list[str] = []
        self.errors: list[str] = []
        page.on("request", lambda r: self.urls.append(r.url))
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        page.on("pageerror", lambda e: self.errors.append(str(e)))

    def check(self, server) -> None:
        outside = [u for u in self.urls if not u.startswith(server.url + "/")
                   and not u.startswith("data:")]
        assert outside == [], outside
        assert self.errors == []
        assert any(u.startswith(server.url + "/sparql") for u in self.urls)


@pytest.fixture
def page(browser, server):
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    # Anything not for our server is refused before it leaves the browser, and recorded.
    context.route(re.compile(r"^(?!" + re.escape(server.url) + r"/).*"),
                  lambda route: route.abort())
    page = context.new_page()
    recorder = Recorder(page)
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
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "sparql-editor.png"), full_page=True)
    recorder.check(server)


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
    recorder.check(server)


def test_query_in_the_address_opens_and_runs(browser, server):
    context = browser.new_context()
    page = context.new_page()
    recorder = Recorder(page)
    page.goto(f"{server.url}/sparql?query={quote(SELECT)}")
    cells = table_cells(page)
    assert any("Zambia" in c for c in cells)
    recorder.check(server)
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
    recorder.check(server)
