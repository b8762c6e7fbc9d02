"""The Cite box and the landing page in headless Chromium: a reader opens a format, clicks
its copy button and has the citation on the clipboard; a browser asking for the
dataset's description gets a page to read, with its rights and version."""

from __future__ import annotations

import json

import pytest
from playwright.sync_api import expect

from .browsing import open_page, screenshot

pytestmark = pytest.mark.browser


def copy(page, fmt: str, label: str) -> str:
    """Open the format, click its copy button; what the clipboard then holds."""
    if not page.locator(f"button[data-copy='cite-{fmt}']").is_visible():
        page.click(f"#cite summary:has-text('{label}')")
    page.click(f"button[data-copy='cite-{fmt}']")
    expect(page.locator(f"button[data-copy='cite-{fmt}'] + .copied")).to_have_text("Copied.")
    return page.evaluate("navigator.clipboard.readText()")


@pytest.mark.parametrize(("path", "formats"), [
    ("/id/result/15.1/ZMB/programmes", [("bibtex", "BibTeX"), ("text", "Text (APA)")]),
    ("/queries/table-1", [("csl-json", "CSL-JSON"), ("ris", "RIS")]),
])
def test_copy_buttons_put_the_citation_on_the_clipboard(browser, server, path, formats):
    context, page, recorder = open_page(browser, server.url)
    context.grant_permissions(["clipboard-read", "clipboard-write"], origin=server.url)
    try:
        page.goto(server.url + path)
        for fmt, label in formats:
            copied = copy(page, fmt, label)
            assert copied == page.inner_text(f"#cite-{fmt}")
            assert "0.1.0+" in copied  # the data version, data/release.yaml's number first
        if path.startswith("/queries/"):
            assert json.loads(copy(page, "csl-json", "CSL-JSON"))[0]["URL"] == page.url
        screenshot(page, "cite-box" + path.replace("/", "-"))
        assert recorder.outside(server.url) == [] and recorder.errors == []
    finally:
        context.close()


def test_a_browser_asking_for_the_dataset_description_gets_the_landing_page(browser, server):
    context, page, recorder = open_page(browser, server.url)
    try:
        page.goto(server.url + "/")
        page.click("footer >> text=Dataset description, licence and how to cite")
        assert page.url == server.url + "/dataset"
        page.goto(server.url + "/.well-known/void")
        assert page.title().startswith("Dataset")
        version = page.inner_text("#data-version")
        assert version.startswith("0.1.0+")
        rights = page.inner_text("#rights")
        assert "Protocol 2 of the Universal Copyright Convention" in rights
        assert "creativecommons.org/licenses/by/4.0" in rights
        assert "ILO programme implementation 2012–13" in page.inner_text("main")
        blocks = page.locator("script[type='application/ld+json']").all_text_contents()
        assert json.loads(blocks[0])["version"] == version
        assert page.locator("#distributions a[href$='/download/ontology.ttl']").count() == 1
        screenshot(page, "landing-page")
        assert recorder.outside(server.url) == [] and recorder.errors == []
    finally:
        context.close()
