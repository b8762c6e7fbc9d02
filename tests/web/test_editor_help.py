"""The SPARQL editor helps when a query goes wrong: its share link opens the same query in
a fresh browser, a syntax error names the line and column of the user's own text, and a
query that answers nothing because it names a class or property the dataset does not use
says so, with the closest terms the dataset has.
"""

from __future__ import annotations

import pytest

from .browsing import open_page

pytestmark = pytest.mark.browser

TYPO = """PREFIX flg: <https://w3id.org/flgraph/ontology#>
SELECT ?country WHERE {
  ?country a flg:Countryy .
}"""
BROKEN = """PREFIX flg: <https://w3id.org/flgraph/ontology#>
SELECT ?country WHERE {
  ?country a flg:Country
  ?oops }"""


def editor(browser, server, path="/sparql"):
    context, page, recorder = open_page(browser, server.url)
    page.goto(server.url + path)
    page.wait_for_selector(".yasqe .CodeMirror")
    page.wait_for_function("() => window.flgraphEditor")
    return context, page, recorder


def run(page, server, text: str) -> None:
    page.evaluate("q => void flgraphEditor.getTab().setQuery(q)", text)
    with page.expect_response(lambda r: r.url.startswith(server.url + "/sparql")):
        page.click(".yasqe_queryButton")


def test_the_share_link_opens_the_query_in_a_fresh_browser(browser, server):
    context, page, _ = editor(browser, server)
    try:
        page.evaluate("q => void flgraphEditor.getTab().setQuery(q)", TYPO)
        page.click(".yasqe_share")
        link = page.locator(".yasqe_sharePopup input, .yasqe_sharePopup textarea").first
        shared = link.input_value()
    finally:
        context.close()
    assert shared.startswith(server.url + "/sparql")
    context, page, recorder = open_page(browser, server.url)  # a new context: no storage
    try:
        page.goto(shared)
        page.wait_for_function("() => window.flgraphEditor")
        assert page.evaluate("flgraphEditor.getTab().getYasqe().getValue()") == TYPO
        assert recorder.errors == []
    finally:
        context.close()


def test_a_syntax_error_names_the_line_and_column_of_the_query(browser, server):
    context, page, _ = editor(browser, server)
    try:
        run(page, server, BROKEN)
        page.wait_for_selector(".yasr .errorResult")
        error = page.inner_text(".yasr .errorResult")
        # line 4 of the text as typed ("  ?oops }"), column 3: where ?oops begins
        assert "line 4, column 3" in error
    finally:
        context.close()


def test_an_empty_answer_naming_an_unknown_class_suggests_the_closest(browser, server):
    context, page, recorder = editor(browser, server)
    try:
        run(page, server, TYPO)
        page.wait_for_function("() => document.getElementById('editor-hint').textContent")
        assert page.inner_text("#editor-hint") == (
            "flg:Countryy is not used in this dataset; did you mean flg:Country?")
        run(page, server, TYPO.replace("Countryy", "Country"))  # an answer: no hint
        page.wait_for_function("() => !document.getElementById('editor-hint').textContent")
        assert recorder.errors == []
    finally:
        context.close()
