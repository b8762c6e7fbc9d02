"""A reader's journeys in headless Chromium, clicking as a person does: from the overview
to a member State in two clicks, from a heat-map cell to the evidence of its listing, from
the map to a country's page, and Brazil's results chain read in the report's order.

Expected values from the report (data/source/000_2635207760a74e4f.txt): Table 1 lists
Nepal under four typologies and Zambia under Programmes and Data collection and analysis;
Table 2's Brazil row has four ILO contributions (the fourth after a page break) and one
result, whose end ("More than 400 victims …") also follows the break.
"""

from __future__ import annotations

import pytest

from flgraph.query.saved import load_queries

from .browsing import open_page, screenshot

pytestmark = pytest.mark.browser


def click_chart_point(page, selector: str, value: list[str]) -> None:
    """Click the point of an ECharts chart that draws ``value`` (its category names)."""
    x, y = page.evaluate(
        """([selector, value]) => {
             const chart = echarts.getInstanceByDom(document.querySelector(selector));
             const option = chart.getOption();
             const xs = option.xAxis[0].data, ys = option.yAxis[0].data;
             return chart.convertToPixel({seriesIndex: 0},
                                         [xs.indexOf(value[0]), ys.indexOf(value[1])]);
           }""", [selector, value])
    box = page.locator(selector).bounding_box()
    page.mouse.click(box["x"] + x, box["y"] + y)


def test_from_the_overview_to_nepal_in_two_clicks(browser, server):
    context, page, recorder = open_page(browser, server.url)
    try:
        page.goto(server.url + "/")
        page.click("a[href='/id/country/']")
        page.click("#members a:text-is('Nepal')")
        page.wait_for_selector("#summary")
        assert page.url.endswith("/id/country/NPL")
        summary = page.inner_text("#summary")
        # Table 1, row 15.1: Nepal under four typologies; its region Asia and the Pacific
        for typology in ("Policies and strategies", "Programmes", "Institutional capacity",
                         "Data collection and analysis"):
            assert typology in summary
        assert "Asia and the Pacific" in summary
        assert recorder.outside(server.url) == [] and recorder.errors == []
    finally:
        context.close()


def test_from_a_heat_map_cell_to_the_evidence_of_its_listing(browser, server):
    context, page, recorder = open_page(browser, server.url)
    try:
        page.goto(server.url + "/")
        page.wait_for_selector("#chart-matrix svg")
        page.wait_for_function("() => window.echarts && echarts.getInstanceByDom("
                               "document.querySelector('#chart-matrix'))")
        with page.expect_navigation():
            click_chart_point(page, "#chart-matrix", ["Zambia", "Data collection and analysis"])
        assert page.url.endswith("/id/result/15.1/ZMB/data-collection-and-analysis")
        page.wait_for_selector("#evidence mark")
        evidence = page.inner_text("#evidence")
        assert "Table 1" in evidence
        assert page.locator("#evidence mark").first.inner_text() == "Zambia"
        assert recorder.errors == []
    finally:
        context.close()


def test_the_map_leads_to_a_country_and_says_nothing_undefined(browser, server):
    context, page, recorder = open_page(browser, server.url)
    try:
        page.goto(server.url + "/")
        page.wait_for_selector("#chart-map svg path")
        page.wait_for_function("() => echarts.getInstanceByDom("
                               "document.querySelector('#chart-map'))")
        # a country without results: no tooltip text at all, never "undefined"
        box = page.locator("#chart-map").bounding_box()
        page.mouse.move(box["x"] + box["width"] * 0.2, box["y"] + box["height"] * 0.3)
        assert "undefined" not in page.inner_text("#chart-map")
        assert "typologies listed" in page.inner_text("#chart-map")  # the legend
        # the map as a list, with the same links
        page.click("#map-table summary")
        with page.expect_navigation():
            page.click("#map-table a:text-is('Zambia')")
        assert page.url.endswith("/id/country/ZMB")
        assert recorder.errors == []
    finally:
        context.close()


def test_brazils_results_chain_reads_as_one_story(browser, server):
    context, page, recorder = open_page(browser, server.url)
    try:
        page.goto(server.url + "/queries/results-chain?country=Brazil")
        page.wait_for_selector("#results")
        texts = page.locator("#results tbody td:nth-child(7)").all_inner_texts()
        parts = page.locator("#results tbody td:nth-child(4)").all_inner_texts()
        assert parts == ["ILO contribution"] * 4 + ["Country result"]
        assert texts[0].startswith("The Integration Action Programme (IAP) project was")
        assert texts[2] == ("In the planning, the ILO helped the IAP to establish goals, "
                            "outcomes and indicators.")  # joined across the page break
        assert texts[3].startswith("ILO technically supported the systematization")
        assert texts[4].startswith("The Integration Action Programme (IAP) which benefits")
        assert texts[4].endswith("in the pilot phase conducted in the state of Mato Grosso.")
        screenshot(page, "reader-brazil-results-chain")
        assert recorder.errors == []
    finally:
        context.close()


@pytest.mark.parametrize("name", sorted(load_queries()))
def test_every_saved_query_page_opens_in_a_browser_without_parameters(browser, server, name):
    context, page, recorder = open_page(browser, server.url)
    try:
        response = page.goto(f"{server.url}/queries/{name}")
        assert response.status == 200
        assert page.locator("#prompt, #status").count() == 1
        assert "Bad parameter" not in page.inner_text("main")
        assert recorder.errors == []
    finally:
        context.close()
