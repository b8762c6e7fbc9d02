"""``/validation``: the SHACL report of the served data, for people and programs."""

from __future__ import annotations

import html
import json
import re

import pytest
from rdflib import Graph, Literal, Namespace
from rdflib.namespace import RDF

from ..conftest import make_app

SH = Namespace("http://www.w3.org/ns/shacl#")

#: A member State without a name or codes, and a listing under a typology that is not
#: in the result typology scheme: what the shapes must catch.
INVALID = """
@prefix flg: <https://w3id.org/flgraph/ontology#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
<https://w3id.org/flgraph/id/graph/test> {
  <https://w3id.org/flgraph/id/country/XXX> a flg:Country ;
      flg:iso3166Alpha3 "xx" .
}
"""


def counts(page: str) -> dict[str, int]:
    return {label: int(n) for n, label in re.findall(
        r'<div class="card sev-\w+"><div class="n">(\d+)</div>(\w+?)s?</div>', page)}


def test_page_and_json_tell_the_same(site):
    page = site.get("/validation", headers={"Accept": "text/html"})
    assert page.status_code == 200 and "Accept" in page.headers["Vary"]
    data = site.get("/validation", headers={"Accept": "application/json"}).json()
    assert set(data["counts"]) == {"Violation", "Warning", "Info"}
    assert counts(page.text) == {k.lower(): v for k, v in data["counts"].items()}
    findings = page.text[page.text.find('id="findings"'):]
    rows = re.findall(r'<tr>\s*<td class="sev-(\w+)">', findings)
    assert len(rows) == len(data["findings"])
    # The summary by constraint adds up to the same findings.
    summary = page.text[page.text.find('id="constraints"'):page.text.find('id="findings"')]
    assert sum(int(n) for n in re.findall(r'<td class="num">(\d+)</td>', summary)) == len(rows)
    verdict = "conforms" if data["conforms"] else "does not conform"
    assert f"The served data {verdict}" in page.text


def test_turtle_is_a_shacl_report(site):
    response = site.get("/validation?format=turtle")
    assert response.headers["Content-Type"].startswith("text/turtle")
    g = Graph().parse(data=response.content, format="turtle")
    [report] = g.subjects(RDF.type, SH.ValidationReport)
    data = site.get("/validation?format=json").json()
    assert g.value(report, SH.conforms) == Literal(
        not any(f["severity"] == "Violation" for f in data["findings"]))


def test_unknown_format_is_406(site):
    assert site.get("/validation?format=csv").status_code == 406
    assert site.get("/validation", headers={"Accept": "text/csv"}).status_code == 406


def test_served_data_conforms(site):
    page = site.get("/validation", headers={"Accept": "text/html"}).text
    assert "The served data conforms to the" in page
    assert counts(page)["violation"] == 0


@pytest.mark.parametrize(("reference_up_to", "engine"), [
    (100_000, "pyshacl"),
    (1, "flgraph's SPARQL engine for SHACL"),  # as for data of more quads than allowed
])
def test_findings_link_to_their_focus_nodes(tmp_path, reference_up_to, engine):
    data = tmp_path / "invalid.trig"
    data.write_text(INVALID, encoding="utf-8")
    app = make_app(data, FLGRAPH_REFERENCE_VALIDATION=reference_up_to)
    client = app.test_client()
    page = client.get("/validation", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert f"Checked by {engine}." in html.unescape(page)
    assert "The served data does not conform" in page
    text = html.unescape(page)
    assert "A member State has a name." in text  # fls:CountryShape, skos:prefLabel
    assert '<a href="/id/country/XXX" title="https://w3id.org/flgraph/id/country/XXX">' \
        'id:country/XXX</a>' in page
    assert "<td>xx</td>" in page  # the offending value
    data = json.loads(client.get("/validation?format=json").data)
    assert data["conforms"] is False and data["counts"]["Violation"] >= 2
    assert counts(page)["violation"] == data["counts"]["Violation"]
