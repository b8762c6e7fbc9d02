"""Searching in headless Chromium as a reader would: the box in the header, highlighted
snippets, a facet, the next page, and every state a URL that can be shared.

Expected values from the report (data/source/000_2635207760a74e4f.txt): "survey" is in
Zambia's two ILO contributions and its result (Table 2), in Table 3's policy advice
output and in the third lesson learned.
"""

from __future__ import annotations

import pytest

from tests.web.browsing import open_page, screenshot

from .searching import search_json

pytestmark = pytest.mark.browser


def test_header_box_highlights_and_facets(browser, server):
    search_json(server, {"q": "survey"})  # the index is ready
    context, page, recorder = open_page(browser, server.url)
    try:
        page.goto(server.url + "/queries/")
        page.fill("header.site input[name=q]", "surveys")
        page.press("header.site input[name=q]", "Enter")
        page.wait_for_selector("#search-total")
        assert page.inner_text("#search-total").startswith("5 things found")
        marked = page.locator(".search-hits mark").all_inner_texts()
        assert {m.lower() for m in marked} <= {"survey", "surveys"} and marked
        assert "q=surveys" in page.url
        screenshot(page, "search-1-results")
        page.click("#facet-section a:has-text('Table 2')")
        page.wait_for_selector("#facet-section a.selected")
        titles = page.locator(".search-hits .hit-title").all_inner_texts()
        assert sorted(titles) == ["ILO contribution in Zambia (1)",
                                  "ILO contribution in Zambia (2)", "Result in Zambia (1)"]
        assert "section=Table+2" in page.url  # the state is a shareable URL
        shared = page.url
        page.goto(server.url + "/")
        page.goto(shared)
        assert len(page.locator(".search-hits .hit").all()) == 3
        page.click(".search-hits .hit >> nth=0 >> a.evidence")
        page.wait_for_load_state()
        assert "/id/evidence/" in page.url
        assert recorder.outside(server.url) == [] and recorder.errors == []
    finally:
        context.close()


def test_paging_through_hits(browser, server):
    total = search_json(server, {"q": "labour"})["total"]
    assert total > 20  # "labour" is in most texts of the report
    context, page, recorder = open_page(browser, server.url)
    try:
        page.goto(server.url + "/search?q=labour")
        first = page.locator(".search-hits .hit-title").all_inner_texts()
        assert len(first) == 20
        page.click(".pages a[rel=next]")
        page.wait_for_selector(".pages a[rel=prev]")
        second = page.locator(".search-hits .hit-title").all_inner_texts()
        assert len(second) == total - 20 and not set(first) & set(second)
        assert "page=2" in page.url
        screenshot(page, "search-2-page-2")
        assert recorder.outside(server.url) == [] and recorder.errors == []
    finally:
        context.close()
