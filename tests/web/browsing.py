"""Headless Chromium for page tests: Debian's browser driven by Playwright (never a
downloaded one), every request recorded, anything not for our server refused."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from ..conftest import ROOT, require

CHROMIUM = Path("/usr/bin/chromium")
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
ARTIFACTS = ROOT / "tests" / "artifacts"


@pytest.fixture(scope="module")
def browser():
    require(CHROMIUM.is_file(), "Chromium at /usr/bin/chromium")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        sync_playwright = None
    require(sync_playwright is not None, "the playwright Python package")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=ARGS)
        yield chromium
        chromium.close()


class Recorder:
    """Every request a page makes, every console error (CSP violations show there), every
    dialog (an alert would mean a script ran)."""

    def __init__(self, page) -> None:
        self.urls: list[str] = []
        self.errors: list[str] = []
        self.dialogs: list[str] = []
        page.on("request", lambda r: self.urls.append(r.url))
        page.on("console", lambda m: self.errors.append(m.text) if m.type == "error" else None)
        # with the stack, so that an error seen once can be found in the scripts
        page.on("pageerror", lambda e: self.errors.append(f"{e}\n{e.stack or ''}".strip()))
        page.on("dialog", lambda d: (self.dialogs.append(d.message), d.dismiss()))

    def outside(self, base: str) -> list[str]:
        return [u for u in self.urls if not u.startswith(base + "/") and not u.startswith("data:")]


def open_page(browser, base: str, viewport=(1280, 900)):
    """A new page whose requests to anywhere but ``base`` are refused (and recorded)."""
    context = browser.new_context(viewport={"width": viewport[0], "height": viewport[1]})
    context.route(re.compile(r"^(?!" + re.escape(base) + r"/).*"), lambda route: route.abort())
    page = context.new_page()
    return context, page, Recorder(page)


def screenshot(page, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
