"""A reader's journey in headless Chromium, as the issue states it: "which countries
reported data collection results, and what did the ILO contribute in Zambia?" — answered
by clicking, with the evidence one click away.

Expected values from the report (data/source/000_2635207760a74e4f.txt): Table 1 lists
Zambia, India and Nepal under Data collection and analysis; Table 2's Zambia row has two
ILO contributions, the first a workshop with the Central Statistical Office (CSO).
"""

from __future__ import annotations

import json

import pytest

from .browsing import open_page, screenshot

pytestmark = pytest.mark.browser


def test_overview_draws_its_charts(browser, server):
    context, page, recorder = open_page(browser, server.url)
    try:
        page.goto(server.url + "/")
        page.wait_for_selector("#chart-matrix svg")
        page.wait_for_selector("#chart-regions svg")
        page.wait_for_selector("#chart-map svg path")
        matrix = page.inner_text("#chart-matrix")
        assert "Zambia" in matrix and "Data collection and analysis" in matrix
        screenshot(page, "journey-1-overview")
        assert recorder.outside(server.url) == [] and recorder.errors == []
    finally:
        context.close()


def test_from_a_saved_query_to_the_evidence(browser, server):
    context, page, recorder = open_page(browser, server.url)
    try:
        # 1. Saved queries → countries by result typology, filtered on a typology
        page.goto(server.url + "/")
        page.click("text=Saved queries")
        page.click("text=Countries by result typology")
        # Table 1 lists India, Nepal and Zambia under data collection and analysis
        page.select_option("select[name=typology]", label="Data collection and analysis (3)")
        page.click("button:has-text('Run')")
        page.wait_for_selector("#results")
        names = set(page.locator("#results tbody td:nth-child(5)").all_inner_texts())
        assert names == {"India", "Nepal", "Zambia"}
        assert "typology=" in page.url  # the state is a shareable URL
        screenshot(page, "journey-2-query")

        # 2. What did the ILO contribute in Zambia? The results chain, by parameter
        page.goto(server.url + "/queries/")
        page.click("text=Results chain of a country")
        page.select_option("select[name=country]",
                           value="https://w3id.org/flgraph/id/country/ZMB")
        page.click("button:has-text('Run')")
        page.wait_for_selector("#results")
        assert "Central Statistical Office (CSO)" in page.inner_text("#results")

        # 3. Follow a result to its resource page, and see its evidence
        page.click("#results a[href='/id/chain/15/ZMB/contribution/1']")
        page.wait_for_selector("mark")
        assert page.url.endswith("/id/chain/15/ZMB/contribution/1")
        body = page.inner_text("body")
        assert "Table 2" in body
        marked = page.locator("mark").first.inner_text()
        assert marked.startswith("The ILO held a workshop with the Central Statistical Office")
        screenshot(page, "journey-3-evidence")
        assert recorder.outside(server.url) == [] and recorder.errors == []
    finally:
        context.close()


def test_run_a_query_in_the_editor(browser, server):
    context, page, recorder = open_page(browser, server.url)
    try:
        page.goto(server.url + "/sparql")
        page.wait_for_selector(".yasqe .CodeMirror")
        page.click("text=Gender-specific results")
        with page.expect_response(lambda r: "/sparql" in r.url and r.request.method == "POST"):
            page.click(".yasqe_queryButton")
        page.wait_for_selector(".yasr table")
        table = page.inner_text(".yasr")
        assert all(country in table for country in ("Zambia", "India", "Brazil"))
        screenshot(page, "journey-4-editor")
        assert recorder.outside(server.url) == []
    finally:
        context.close()


@pytest.mark.parametrize(("name", "drawn"), [
    ("timeline", "November/December 2012"),        # a period the report's text states
    ("table-1", "Data collection and analysis"),    # a typology of Table 1
])
def test_saved_query_charts_draw_from_the_columns_they_name(browser, server, name, drawn):
    context, page, recorder = open_page(browser, server.url)
    try:
        page.goto(f"{server.url}/queries/{name}")
        page.wait_for_selector("#chart svg")
        data = json.loads(page.inner_text("#chart-data"))
        named = {n for v in data["options"].values() for n in (v if isinstance(v, list) else [v])}
        assert set(data["columns"]) == named  # the statements' text stays out of the page
        assert drawn in page.inner_text("#chart")
        assert recorder.outside(server.url) == [] and recorder.errors == []
    finally:
        context.close()
