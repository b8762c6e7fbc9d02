"""``/queries/`` and ``/queries/<name>``: forms, results with links and evidence, formats
by Accept and by extension, honest status lines, shareable URLs."""

from __future__ import annotations

import csv
import io
import json
import re

import pytest

from flgraph.query.saved import load_queries

ID = "https://w3id.org/flgraph/id/"
ZAMBIA = ID + "country/ZMB"


def test_index_lists_every_saved_query_with_title_and_tags(site):
    html = site.get("/queries/").text
    for query in load_queries().values():
        assert f'href="/queries/{query.name}"' in html
        assert query.title in html.replace("&#39;", "'")
    assert "<span>table-1</span>" in html


def test_parameter_drop_down_filled_from_the_graph(site):
    html = site.get("/queries/country-profile", params={"country": ZAMBIA}).text
    options = re.findall(r'<option value="([^"]*)"( selected)?>([^<(]*)', html)
    labels = {label.strip() for _, _, label in options}
    assert {"Zambia", "Brazil", "Jordan"} <= labels
    assert len(options) == 187                     # every member State of the reference data
    assert [label.strip() for _, sel, label in options if sel] == ["Zambia"]


def options_of(html: str) -> list[tuple[str, str]]:
    """A drop-down's options as (label, what follows it in brackets or '')."""
    return [(label.strip(), count or "") for label, count in
            re.findall(r'<option value="[^"]+"[^>]*>([^<(]*)(?:\(([^)]*)\))?</option>', html)]


def test_drop_down_puts_values_with_answers_first_with_their_number(site):
    options = options_of(site.get("/queries/results-chain").text)
    # Table 2 of the report: Brazil, India and Zambia, with 4, 3 and 2 contributions
    # (Brazil's fourth on the page-break continuation line) and a result each, each a row
    # with evidence
    assert options[:3] == [("Brazil", "5"), ("India", "4"), ("Zambia", "3")]
    assert ("Nepal", "none") in options[3:]


def test_a_value_without_answers_says_so(site):
    html = site.get("/queries/results-chain", params={"country": "Nepal"}).text
    # Nepal is in Table 1 but not among Table 2's examples (Zambia, India, Brazil)
    assert '<p class="empty" id="empty">Nepal has no results-chain example in the report.</p>' \
        in html


@pytest.mark.parametrize("name", sorted(load_queries()))
def test_every_saved_query_page_opens_without_parameters(site, name):
    response = site.get(f"/queries/{name}", headers={"Accept": "text/html"})
    assert response.status_code == 200
    query = load_queries()[name]
    required = [p for p in query.params if not p.optional and not p.default]
    if required:
        assert '<p class="prompt" id="prompt">' in response.text
        assert f"<strong>{required[0].name}</strong>" in response.text
        assert f'name="{required[0].name}"' in response.text  # its form
    else:
        assert '<p class="status" id="status">' in response.text


def test_machine_formats_without_a_required_parameter_say_where_its_values_are(site):
    for how in ({"headers": {"Accept": "text/csv"}}, {"path": ".json"}):
        response = site.get("/queries/country-profile" + how.get("path", ""),
                            headers=how.get("headers"))
        assert response.status_code == 400
        assert "parameter 'country' is required" in response.text
        assert f"listed on {site.url}/queries/country-profile" in response.text


@pytest.mark.parametrize("value", [
    "https://w3id.org/flgraph/id/country/NPL", "id:country/NPL", "country/NPL",
    "NPL", "NP", "524", "nepal", "NEPAL", " Nepal ", "Federal Democratic Republic of Nepal"])
def test_a_country_is_accepted_in_every_form_the_site_shows(site, value):
    response = site.get("/queries/country-profile.csv", params={"country": value})
    assert response.status_code == 200, response.text
    rows = list(csv.DictReader(io.StringIO(response.text)))
    # Nepal: ISO 3166 alpha-3 NPL, alpha-2 NP, UN M49 524, in the ILO region Asia and the
    # Pacific (the report's "Asia")
    assert {r["country"] for r in rows} == {"https://w3id.org/flgraph/id/country/NPL"}
    assert {r["valueLabel"] for r in rows} >= {"NPL", "524", "Asia and the Pacific"}


def test_a_typology_is_accepted_by_its_label_in_any_case(site):
    response = site.get("/queries/countries-by-result-typology.csv",
                        params={"typology": "data collection and analysis"})
    # Table 1, column "Data collection and analysis": India, Nepal, Zambia
    names = {row["countryName"] for row in csv.DictReader(io.StringIO(response.text))}
    assert names == {"India", "Nepal", "Zambia"}


def test_a_value_that_names_nothing_lists_the_closest(site):
    response = site.get("/queries/country-profile", params={"country": "Nepl"},
                        headers={"Accept": "text/plain"})
    assert response.status_code == 400
    assert "no country of this dataset is named 'Nepl'; closest: Nepal" in response.text


def test_results_link_to_resources_and_evidence(site):
    html = site.get("/queries/results-chain", params={"country": "country/ZMB"}).text
    assert 'href="/id/chain/15/ZMB/contribution/1"' in html
    evidence = re.findall(r'class="evidence-link" href="([^"]+)"', html)
    assert len(evidence) == 3 and all(e.startswith("/id/evidence/") for e in evidence)
    assert "The ILO held a workshop with the Central Statistical Office (CSO)" in html


def test_status_line_is_honest(site):
    html = site.get("/queries/results-chain").text
    status = re.search(r'<p class="status" id="status">(.*?)</p>', html, re.S).group(1)
    assert re.search(r"12 rows in [\d.]+ ms", status)  # 2 + 3 + 4 contributions, 3 results
    assert "Complete." in status


def test_pagination_is_a_url(site):
    page2 = site.get("/queries/results-chain", params={"page": 2, "page_size": 4}).text
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
def test_formats_by_accept(site, how, media):
    response = site.get("/queries/table-1", **how)
    assert response.status_code == 200
    assert response.headers["Content-Type"].split(";")[0] == media
    assert "Accept" in [v.strip() for v in response.headers["Vary"].split(",")]


def test_csv_by_extension_with_a_parameter(site):
    response = site.get("/queries/results-chain.csv", params={"country": "country/ZMB"})
    assert response.headers["Content-Type"] == "text/csv; charset=utf-8"
    rows = list(csv.DictReader(io.StringIO(response.text)))
    assert [r["countryName"] for r in rows] == ["Zambia", "Zambia", "Zambia"]
    assert rows[0]["evidence"].startswith("https://w3id.org/flgraph/id/evidence/")


def test_json_by_extension(site):
    data = site.get("/queries/gender-specific-results.json").json()
    countries = {b["countryName"]["value"] for b in data["results"]["bindings"]}
    assert countries == {"Zambia", "India", "Brazil"}


def test_unacceptable_type_is_406(site):
    response = site.get("/queries/table-1", headers={"Accept": "image/png"})
    assert response.status_code == 406


def test_bad_parameter_is_400_with_reason(site):
    response = site.get("/queries/country-profile", params={"country": "javascript:alert(1)"},
                        headers={"Accept": "text/plain"})
    assert response.status_code == 400
    assert "no country of this dataset is named 'javascript:alert(1)'" in response.text


def test_iri_of_another_class_is_400(site):
    response = site.get("/queries/country-profile", params={"country": ID + "region/africa"},
                        headers={"Accept": "text/csv"})
    assert response.status_code == 400
    assert "is not a flg:Country of this dataset" in response.text


def test_unknown_query_is_404(site):
    assert site.get("/queries/no-such-query").status_code == 404


def test_page_shows_sparql_and_ready_to_paste_snippets(site):
    html = site.get("/queries/country-profile", params={"country": "country/ZMB"}).text
    assert "SELECT ?country ?aspect ?value ?valueLabel ?evidence" in html
    assert "curl -H &#39;Accept: text/csv&#39;" in html
    assert "/queries/country-profile.csv?country=country%2FZMB" in html
    assert "VALUES (?country) { (&lt;https://w3id.org/flgraph/id/country/ZMB&gt;) }" in html


def test_sparqlwrapper_snippet_runs_against_the_endpoint(server):
    """The Python snippet of a page is ready to paste: run it and get the same rows."""
    import html as html_lib

    page = server.get("/queries/results-chain", params={"country": "country/ZMB"}).text
    blocks = re.findall(r"<pre[^>]*><code>(.*?)</code></pre>", page, re.S)
    snippet = html_lib.unescape(blocks[-1])
    assert snippet.startswith("from SPARQLWrapper import SPARQLWrapper, JSON")
    printed = io.StringIO()
    exec(compile(snippet, "snippet", "exec"), {"print": lambda row: printed.write(
        json.dumps(row) + "\n")})
    rows = [json.loads(line) for line in printed.getvalue().splitlines()]
    assert [r["countryName"] for r in rows] == ["Zambia", "Zambia", "Zambia"]
