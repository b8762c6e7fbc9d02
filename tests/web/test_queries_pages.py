"""``/queries/`` and ``/queries/<name>``: forms, results with links and evidence, formats
by Accept and by extension, honest status lines, shareable URLs."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from flgraph.queries import load_queries

ZAMBIA = "https://w3id.org/flgraph/id/country/ZMB"


def test_index_lists_every_saved_query_with_title_and_tags(server):
    html = server.get("/queries/").text
    for query in load_queries().values():
        assert f'href="/queries/{query.name}"' in html
        assert query.title in html.replace("&#39;", "'")
    assert "<span>table-1</span>" in html


def test_parameter_drop_down_filled_from_the_graph(server):
    html = server.get("/queries/country-profile", params={"country": ZAMBIA}).text
    options = re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', html)
    labels = {label for _, _, label in options}
    assert {"Zambia", "Brazil", "Jordan"} <= labels
    assert len(options) == 187                     # every member State of the reference data
    assert [label for _, sel, label in options if sel] == ["Zambia"]


def test_results_link_to_resources_and_evidence(server):
    html = server.get("/queries/results-chain", params={"country": "country/ZMB"}).text
    assert 'href="/id/chain/15/ZMB/contribution/1"' in html
    evidence = re.findall(r'class="evidence-link" href="([^"]+)"', html)
    assert len(evidence) == 2 and all(e.startswith("/id/evidence/") for e in evidence)
    assert "The ILO held a workshop with the Central Statistical Office (CSO)" in html


def test_status_line_is_honest(server):
    html = server.get("/queries/results-chain").text
    status = re.search(r'<p class="status" id="status">(.*?)</p>', html, re.S).group(1)
    assert re.search(r"9 rows in [\d.]+ ms", status)  # 2 + 3 + 4 contributions
    assert "Complete." in status


def test_pagination_is_a_url(server):
    page2 = server.get("/queries/results-chain", params={"page": 2, "page_size": 4}).text
    assert "page 2 of 3" in page2
    assert 'rel="prev"' in page2 and 'rel="next"' in page2
    assert "showing 5–8" in page2


@pytest.mark.parametrize(("how", "media"), [
    ({"headers": {"Accept": "text/csv"}}, "text/csv"),
    ({"headers": {"Accept": "text/tab-separated-values"}}, "text/tab-separated-values"),
    ({"headers": {"Accept": "application/sparql-results+json"}}, "application/sparql-results+json"),
    ({"headers": {"Accept": "application/sparql-results+xml"}}, "application/sparql-results+xml"),
    ({"headers": {"Accept": "text/html;q=0.5, text/csv;q=0.9"}}, "text/csv"),
    ({"params": {"format": "json"}}, "application/sparql-results+json"),
])
def test_formats_by_accept(server, how, media):
    response = server.get("/queries/table-1", **how)
    assert response.status_code == 200
    assert response.headers["Content-Type"].split(";")[0] == media
    assert "Accept" in [v.strip() for v in response.headers["Vary"].split(",")]


def test_csv_by_extension_with_a_parameter(server):
    response = server.get("/queries/results-chain.csv", params={"country": "country/ZMB"})
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [r["countryName"] for r in rows] == ["Zambia", "Zambia"]
    assert rows[0]["evidence"].startswith("https://w3id.org/flgraph/id/evidence/")


def test_json_by_extension(server):
    data = server.get("/queries/gender-specific-results.json").json()
    countries = {b["countryName"]["value"] for b in data["results"]["bindings"]}
    assert countries == {"Zambia", "India", "Brazil"}


def test_unacceptable_type_is_406(server):
    response = server.get("/queries/table-1", headers={"Accept": "image/png"})
    assert response.status_code == 406


def test_bad_parameter_is_400_with_reason(server):
    response = server.get("/queries/country-profile", params={"country": "javascript:alert(1)"},
                          headers={"Accept": "text/plain"})
    assert response.status_code == 400
    assert "must be an http(s) IRI" in response.text
    assert server.get("/queries/country-profile").status_code == 400  # required


def test_iri_of_another_class_is_400(server):
    response = server.get("/queries/country-profile", params={"country": "country/XYZ"},
                          headers={"Accept": "text/csv"})
    assert response.status_code == 400
    assert "is not a flg:Country of this dataset" in response.text


def test_unknown_query_is_404(server):
    assert server.get("/queries/no-such-query").status_code == 404


def test_page_shows_sparql_and_ready_to_paste_snippets(server):
    html = server.get("/queries/country-profile", params={"country": "country/ZMB"}).text
    assert "SELECT ?country ?aspect ?value ?valueLabel ?evidence" in html
    assert "curl -H &#39;Accept: text/csv&#39;" in html
    assert "/queries/country-profile.csv?country=country%2FZMB" in html
    assert "VALUES (?country) { (&lt;https://w3id.org/flgraph/id/country/ZMB&gt;) }" in html


def test_sparqlwrapper_snippet_runs_against_the_endpoint(server):
    """The Python snippet of a page is ready to paste: run it and get the same rows."""
    import html as html_lib

    page = server.get("/queries/results-chain", params={"country": "country/ZMB"}).text
    blocks = re.findall(r"<pre><code>(.*?)</code></pre>", page, re.S)
    snippet = html_lib.unescape(blocks[-1])
    assert snippet.startswith("from SPARQLWrapper import SPARQLWrapper, JSON")
    printed = io.StringIO()
    exec(compile(snippet, "snippet", "exec"), {"print": lambda row: printed.write(
        json.dumps(row) + "\n")})
    rows = [json.loads(line) for line in printed.getvalue().splitlines()]
    assert [r["countryName"] for r in rows] == ["Zambia", "Zambia"]
