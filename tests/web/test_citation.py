"""Cite boxes, versions and the landing page (the site in process): every kind of resource
page and every saved-query page carries a citation in four formats, each readable by
the tools that consume it (bibtexparser, the CSL-JSON schema, a RIS record)."""

from __future__ import annotations

import hashlib
import html
import json
import re
from urllib.parse import unquote

import bibtexparser
import jsonschema
import pytest
from rdflib import Graph
from rdflib.namespace import DCTERMS
from testbed.expected import EXPECTED, ID

from flgraph.query.saved import load_queries
from flgraph.release import read_release

from ..conftest import ROOT
from ..helpers import run_cli

CSL_SCHEMA = json.loads((ROOT / "tests" / "data" / "csl" / "csl-data.json").read_text())
#: one resource of each kind the site describes
RESOURCES = ["outcome/15", "indicator/15.1", "country/ZMB", "result/15.1/ZMB",
             "result/15.1/ZMB/programmes", "region/africa", "source/000_2635207760a74e4f",
             "report/ilo-programme-implementation-2012-13", "dataset", "organisation/ilo",
             "result-typology/programmes"]


def cite_texts(page: str) -> dict[str, str]:
    """The Cite box's four texts, as a reader would copy them."""
    found = dict(re.findall(r'<pre id="cite-([a-z-]+)" class="cite-text">(.*?)</pre>', page,
                            re.S))
    return {fmt: html.unescape(text) for fmt, text in found.items()}


@pytest.fixture(scope="module")
def version(site) -> str:
    g = Graph().parse(data=site.get("/.well-known/void").content, format="turtle")
    (value,) = set(g.objects(None, DCTERMS.hasVersion))
    return str(value)


def check_citation(texts: dict[str, str], url: str, version: str) -> dict:
    assert set(texts) == {"text", "bibtex", "ris", "csl-json"}
    library = bibtexparser.parse_string(texts["bibtex"])
    assert not library.failed_blocks
    (entry,) = library.entries
    assert entry["url"] == url
    assert entry["version"] == version
    items = json.loads(texts["csl-json"])
    jsonschema.validate(items, CSL_SCHEMA)
    (item,) = items
    assert item["URL"] == url and item["version"] == version and item["type"] == "dataset"
    assert texts["ris"].startswith("TY  - DATA\n") and texts["ris"].rstrip().endswith("ER  -")
    assert f"UR  - {url}\n" in texts["ris"]
    assert url in texts["text"] and version in texts["text"]
    # every citation names the report the data comes from (its imprint page)
    for text in (texts["text"], item["note"], entry["note"]):
        assert "ILO programme implementation 2012–13" in text
        assert "ISBN 978-92-2-127735-4" in text
    return item


@pytest.mark.parametrize("path", RESOURCES)
def test_every_resource_page_has_a_cite_box_that_tools_read(site, version, path):
    response = site.get("/id/" + path, headers={"Accept": "text/html"})
    assert response.status_code == 200
    check_citation(cite_texts(response.text), ID + path, version)


def test_a_cited_listing_says_where_in_the_report_it_stands(site, version):
    # Table 1 of the report lists Zambia under "Programmes" in the row of indicator 15.1
    page = site.get("/id/result/15.1/ZMB/programmes", headers={"Accept": "text/html"}).text
    item = check_citation(cite_texts(page), ID + "result/15.1/ZMB/programmes", version)
    assert "Outcome 15, Table 1, row 15.1" in item["note"]


@pytest.mark.parametrize("name", sorted(load_queries()))
def test_every_saved_query_page_has_a_cite_box_and_the_version(site, version, name):
    params = EXPECTED[name][0].params if name in EXPECTED else {}
    response = site.get(f"/queries/{name}", params=params)
    assert response.status_code == 200
    assert f"Data version {version}" in response.text
    assert response.headers["X-Flgraph-Version"] == version
    url = unquote(response.url)  # the shareable URL: the query and its parameters
    texts = {fmt: unquote(text) for fmt, text in cite_texts(response.text).items()}
    item = check_citation(texts, url, version)
    assert item["title"].startswith(load_queries()[name].title)


def test_every_machine_format_names_the_version(site, version):
    for ext in ("csv", "tsv", "json", "xml", "xlsx"):
        response = site.get(f"/queries/table-1.{ext}")
        assert response.status_code == 200, ext
        assert response.headers["X-Flgraph-Version"] == version, ext
        assert f'<{site.url}/dataset>; rel="collection"' in response.headers["Link"], ext


def test_every_page_footer_names_the_version(site, version):
    for path in ("/", "/queries/", "/sparql", "/ontology", "/download/", "/dataset"):
        page = site.get(path, headers={"Accept": "text/html"}).text
        assert f"Data version <strong>{version}</strong>" in page, path


def test_the_landing_page_is_what_browsers_get_and_machines_get_turtle(site, version):
    for path in ("/dataset", "/.well-known/void"):
        page = site.get(path, headers={"Accept": "text/html,application/xhtml+xml,"
                                                   "application/xml;q=0.9,*/*;q=0.8"})
        assert page.headers["Content-Type"].startswith("text/html"), path
        assert version in page.text
        assert 'id="rights"' in page.text and "Protocol 2 of the Universal Copyright" in page.text
        check_citation(cite_texts(page.text), ID + "dataset", version)
        # /.well-known/void stays Turtle for clients that name nothing in particular;
        # /dataset is the page, and gives Turtle to those that ask for it
        for accept in ("text/turtle", *(("*/*", None) if "void" in path else ())):
            headers = {"Accept": accept} if accept else {}
            machine = site.get(path, headers=headers)
            assert machine.headers["Content-Type"].startswith("text/turtle"), (path, accept)
            Graph().parse(data=machine.content, format="turtle")
        assert site.get(path, headers={"Accept": "application/ld+json"}).headers[
            "Content-Type"].startswith("application/ld+json")


def test_the_landing_page_embeds_a_schema_org_dataset(site, version):
    page = site.get("/dataset", headers={"Accept": "text/html"}).text
    (block,) = re.findall(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    dataset = json.loads(block)
    assert dataset["@type"] == "Dataset" and dataset["version"] == version
    assert dataset["license"] == read_release().licence
    assert "Protocol 2 of the Universal Copyright Convention" in dataset["copyrightNotice"]
    (report,) = dataset["isBasedOn"]
    assert report["name"] == "ILO programme implementation 2012–13"
    ontology = next(d for d in dataset["distribution"] if d["contentUrl"].endswith(
        "/download/ontology.ttl"))
    body = site.get("/download/ontology.ttl").content
    assert int(ontology["contentSize"]) == len(body)
    assert ontology["sha256"] == hashlib.sha256(body).hexdigest()
    assert dataset["@id"] == ID + "dataset"


def test_release_history_is_listed(site):
    page = site.get("/dataset", headers={"Accept": "text/html"}).text
    for entry in read_release().history:
        assert f"<strong>{entry.version}</strong> ({entry.date})" in page


@pytest.mark.parametrize(("target", "page", "params"), [
    ("id/result/15.1/ZMB/programmes", "/id/result/15.1/ZMB/programmes", {}),
    ("https://w3id.org/flgraph/id/country/BRA", "/id/country/BRA", {}),
    ("countries-by-result-typology", "/queries/countries-by-result-typology",
     {"typology": "result-typology/programmes"}),
])
@pytest.mark.parametrize("fmt", ["text", "bibtex", "ris", "csl-json"])
def test_flgraph_cite_prints_what_the_cite_box_shows(site, target, page, params, fmt):
    box = cite_texts(site.get(page, params=params, headers={"Accept": "text/html"}).text)
    args = ["cite", target, "--format", fmt, "--site", site.url + "/"]
    for name, value in params.items():
        args += ["--param", f"{name}={value}"]
    result = run_cli(*args)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.strip() == box[fmt].strip()


def test_flgraph_cite_refuses_what_it_does_not_know():
    result = run_cli("cite", "no-such-thing")
    assert result.exit_code == 2
    assert "no saved query is named 'no-such-thing'" in result.stderr
