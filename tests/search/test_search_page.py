"""/search as a reader and a program see it (the app in process; the live server's
searches are in test_search_live.py), and ``flgraph search``."""

from __future__ import annotations

import json
import time

import pytest

from tests.conftest import DATA, make_app
from tests.helpers import run_cli

HTML = {"Accept": "text/html"}


def ready(client, url: str, **kwargs):
    """The answer once the index is there (503 while it is being prepared)."""
    deadline = time.monotonic() + 30
    while (response := client.get(url, **kwargs)).status_code == 503:
        assert time.monotonic() < deadline
        time.sleep(0.1)
    return response


@pytest.fixture(scope="module")
def search_client():
    return make_app(DATA, FLGRAPH_CACHE=True).test_client()


def test_every_page_has_the_search_box(search_client):
    for path in ("/", "/queries/", "/ontology", "/search"):
        page = search_client.get(path, headers=HTML).text
        assert '<form class="site-search" action="/search" method="get"' in page
        assert 'name="q"' in page


def test_results_page_links_things_and_evidence(search_client):
    page = ready(search_client, "/search?q=bonded", headers=HTML).text
    # Table 2, India's first ILO contribution: "...the root causes of <bonded> labour"
    assert "1 thing found" in page
    assert 'href="/id/chain/15/IND/contribution/1"' in page
    assert "root causes of <mark>bonded</mark> labour" in page
    assert 'href="/id/evidence/000_2635207760a74e4f/' in page
    assert 'id="facet-country"' in page and ">India</a>" in page


def test_facet_links_keep_the_search_and_toggle(search_client):
    page = ready(search_client, "/search?q=survey", headers=HTML).text
    assert 'href="/search?q=survey&amp;section=Table+2"' in page
    narrowed = ready(search_client, "/search?q=survey&section=Table+2", headers=HTML).text
    # Zambia's two contributions and its result (Table 2)
    assert "3 things found" in narrowed
    assert 'class="selected" aria-current="true">Table 2</a>' in narrowed
    assert 'href="/search?q=survey"' in narrowed  # selecting it again clears it


def test_json_by_extension_and_by_accept(search_client):
    by_extension = ready(search_client, "/search.json?q=bonded").json
    by_accept = ready(search_client, "/search?q=bonded",
                      headers={"Accept": "application/json"}).json
    assert by_extension == by_accept
    assert by_extension["total"] == 1 and by_extension["pages"] == 1


def test_paging(search_client):
    # "labour" is in far more than one page of things (Table 1's indicator, every
    # results-chain row, the lessons, the outputs, the ministries of labour)
    first = ready(search_client, "/search.json?q=labour").json
    assert first["total"] > 20 and len(first["hits"]) == 20 and first["pages"] >= 2
    second = ready(search_client, "/search.json?q=labour&page=2").json
    assert len(second["hits"]) == first["total"] - 20
    assert not {h["iri"] for h in first["hits"]} & {h["iri"] for h in second["hits"]}
    page = ready(search_client, "/search?q=labour&page=2", headers=HTML).text
    assert 'rel="prev" href="/search?q=labour"' in page


@pytest.mark.parametrize(("url", "status", "reason"), [
    ("/search.json?q=", 400, "type a word"),
    ("/search.json?q=NOT+survey", 400, "not only what to leave out"),
    ("/search.json?q=" + "x" * 201, 400, "at most 200"),
    ("/search.json?q=survey&page=0", 400, "page must be"),
    ("/search.json?q=survey&page=26", 400, "page must be"),
    ("/search.json?q=survey&page=x", 400, "page must be"),
])
def test_bad_searches_are_400_with_a_reason(search_client, url, status, reason):
    response = ready(search_client, url)
    assert response.status_code == status and reason in response.json["message"]


def test_an_empty_search_is_the_form(search_client):
    page = search_client.get("/search", headers=HTML)
    assert page.status_code == 200 and 'id="search-q"' in page.text


def test_markup_in_the_data_or_the_query_is_text(tmp_path):
    data = tmp_path / "flgraph.trig"
    data.write_text(DATA.read_text(encoding="utf-8").replace(
        "bird's eye view", "bird's eye <img src=x onerror=alert(1)> view"), encoding="utf-8")
    client = make_app(data, FLGRAPH_CACHE=True).test_client()
    page = ready(client, "/search?q=bird+%3Cscript%3E", headers=HTML).text
    assert "<script>" not in page and "bird &lt;script&gt;" in page
    page = ready(client, "/search?q=eye", headers=HTML).text
    assert "<img" not in page
    assert "<mark>eye</mark> &lt;img src" in page  # the snippet, escaped


def test_cli_search_table_and_json():
    result = run_cli("search", "Cote d'Ivoire")
    assert result.exit_code == 0
    # the reference table's Côte d'Ivoire, found without its accent
    assert result.stdout.splitlines()[1].startswith("  1. Côte d'Ivoire (country)")
    answer = json.loads(run_cli("search", "MoLE", "--format", "json").stdout)
    # India's Ministry of Labour and Employment (MoLE), then the result that names it
    assert [h["title"] for h in answer["hits"]] == ["Ministry of Labour and Employment",
                                                    "Result in India (1)"]


def test_cli_bad_search_is_exit_2():
    result = run_cli("search", "NOT survey")
    assert result.exit_code == 2
    assert result.stderr.startswith("flgraph: error: search: say what to find")
