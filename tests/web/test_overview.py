"""``/``: what the dataset is, with numbers read from the report."""

from __future__ import annotations

import json
import re


def embedded_json(html: str, element_id: str) -> dict:
    match = re.search(rf'<script type="application/json" id="{element_id}">(.*?)</script>', html,
                      re.S)
    assert match, element_id
    return json.loads(match.group(1))


def test_overview_counts(site):
    html = site.get("/").text
    cards = dict((label.strip(), int(n)) for n, label in re.findall(
        r'<div class="n">(\d+)</div>([^<]+)</div>', html))
    assert cards["member States with results"] == 8     # Table 1, 15.1
    assert cards["indicator"] == 1
    assert cards["results-chain examples"] == 3         # Zambia, India, Brazil
    assert cards["ILO outputs"] == 6                    # Table 3
    assert cards["lessons learned"] == 4
    assert cards["triples"] > 4000


def test_overview_chart_data_is_table_1(site):
    data = embedded_json(site.get("/").text, "overview-data")
    matrix = data["matrix"]
    i, j = matrix["columns"].index("countryName"), matrix["columns"].index("typologyLabel")
    pairs = {(r[i], r[j]) for r in matrix["rows"]}
    assert ("Zambia", "Data collection and analysis") in pairs
    assert ("Jordan", "Regulatory/Legal framework") in pairs
    assert len(pairs) == 20  # 6 + 6 + 2 + 3 + 3 listings in the report's Table 1
    regions = data["regions"]
    k, t = regions["columns"].index("regionLabel"), regions["columns"].index("target")
    assert {r[k]: r[t] for r in regions["rows"]}["Europe and Central Asia"] == "2"


def test_overview_links_to_everything(site):
    html = site.get("/").text
    for href in ("/queries/", "/sparql", "/ontology", "/validation", "/download/",
                 "/.well-known/void", "/id/outcome/15", "/queries/country-profile"):
        assert f'href="{href}' in html, href


def test_pages_load_no_asset_from_elsewhere(site):
    html = site.get("/").text
    sources = re.findall(r'(?:src|href)="([^"]+)"', html)
    assert all(not s.startswith(("http://", "https://", "//")) for s in sources), sources
    for asset in [s for s in sources if s.startswith("/static/")]:
        assert site.get(asset).status_code == 200, asset
