"""Every kind of page passes axe-core's WCAG 2.1 A and AA rules, at desktop width and on
a phone (390 px), where the page is no wider than the screen (tables scroll in their own
box); a skip link leads past the header.

axe-core comes from the npm registry (.ci/run installs it into the git-ignored .ci/npm/,
pinned), so the repository carries no third-party minified code; it is injected into each
page by the test, past the site's Content-Security-Policy, which would refuse it.
"""

from __future__ import annotations

import re

import pytest

from ..conftest import ROOT, require
from .browsing import screenshot

pytestmark = pytest.mark.browser

AXE = ROOT / ".ci" / "npm" / "node_modules" / "axe-core" / "axe.min.js"
WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
PHONE = (390, 844)
DESKTOP = (1280, 900)
#: One page of each kind a reader reaches.
PAGES = ["/", "/queries/", "/queries/country-profile", "/queries/results-chain?country=BRA",
         "/queries/table-1", "/queries/target-vs-result-by-region", "/id/country/NPL",
         "/id/country/", "/id/evidence/000_2635207760a74e4f/1078-1298", "/id/chain/15/BRA",
         "/id/organisation/ilo", "/sparql", "/ontology", "/validation", "/download/",
         # the summaries of the other kinds of resource pages
         "/id/indicator/15.1", "/id/outcome/15", "/id/organisation/BRA/ministry-of-labour",
         "/id/publication/caught-at-sea-forced-labour-and-trafficking-in-fisheries",
         "/id/result/15.1/NPL/programmes", "/id/cube/table-1/15.1/NPL/programmes",
         "/id/programme/BRA/integration-action-programme", "/id/place/JOR/amman",
         "/id/output/15/capacity-building/1", "/id/lesson/15/1"]


@pytest.fixture(scope="module")
def axe_script() -> str:
    require(AXE.is_file(), f"axe-core at {AXE} (installed by .ci/run)")
    return AXE.read_text(encoding="utf-8")


def open_checked(browser, base: str, viewport):
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]},
                                  bypass_csp=True)
    context.route(re.compile(r"^(?!" + re.escape(base) + r"/).*"), lambda route: route.abort())
    return context, context.new_page()


def violations(page, axe_script: str) -> list[str]:
    page.add_script_tag(content=axe_script)
    found = page.evaluate("""async (tags) => {
        const result = await axe.run(document, {runOnly: {type: "tag", values: tags}});
        return result.violations.map(v => v.id + ": " + v.help + " — " +
            v.nodes.slice(0, 3).map(n => n.target.join(" ")).join(", "));
    }""", WCAG_AA)
    return found


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
@pytest.mark.parametrize("path", PAGES)
def test_every_page_passes_axe_wcag_21_aa(browser, server, axe_script, path, viewport):
    context, page = open_checked(browser, server.url, viewport)
    try:
        page.goto(server.url + path)
        page.wait_for_load_state("networkidle")
        found = violations(page, axe_script)
        assert found == [], "\n".join([path, *found])
        if viewport == PHONE:
            width = page.evaluate("document.documentElement.scrollWidth")
            if width > PHONE[0]:
                screenshot(page, "phone" + re.sub(r"\W+", "-", path))
            assert width <= PHONE[0], f"{path} is {width} px wide on a 390 px phone"
    finally:
        context.close()


def test_a_skip_link_leads_past_the_header(browser, server):
    context, page = open_checked(browser, server.url, DESKTOP)
    try:
        page.goto(server.url + "/queries/")
        page.keyboard.press("Tab")
        focused = page.evaluate("[document.activeElement.textContent.trim(),"
                                " document.activeElement.getAttribute('href')]")
        assert focused == ["Skip to content", "#content"]
        page.keyboard.press("Enter")
        page.keyboard.press("Tab")
        inside = page.evaluate("!!document.activeElement.closest('main')")
        assert inside
    finally:
        context.close()


def test_the_sparql_editor_is_named_leaves_the_focus_alone_and_can_be_left(browser, server):
    context, page = open_checked(browser, server.url, DESKTOP)
    try:
        page.goto(server.url + "/sparql?query=ASK%20%7B%7D")  # a shared link, too
        page.wait_for_selector(".CodeMirror")
        page.wait_for_function("() => window.flgraphEditor")
        assert page.evaluate("!document.getElementById('yasgui')"
                             ".contains(document.activeElement)")  # no focus on load
        name = page.evaluate("""() => {
            const input = document.querySelector('#yasgui .CodeMirror textarea');
            return document.getElementById(input.getAttribute('aria-labelledby')).textContent;
        }""")
        assert "Your SPARQL query" in name
        page.click("#yasgui .CodeMirror")
        assert page.evaluate("document.getElementById('yasgui').contains(document.activeElement)")
        page.keyboard.press("Tab")  # Tab alone stays: it indents
        assert page.evaluate("document.getElementById('yasgui').contains(document.activeElement)")
        page.keyboard.press("Escape")
        page.keyboard.press("Tab")
        assert not page.evaluate(
            "document.getElementById('yasgui').contains(document.activeElement)")
        assert page.evaluate("document.activeElement.dataset.example")  # the next control
    finally:
        context.close()
