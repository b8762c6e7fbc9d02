"""Spreadsheet-safe downloads on a live server: each saved query as XLSX (openpyxl reads
codes as text and counts as numbers) and as CSV with CSVW metadata that a CSVW reader
(the csvw package) validates and reads back with the right types."""

from __future__ import annotations

import io
import re

import openpyxl
import pytest
import requests
from csvw import CSVW
from testbed.expected import EXPECTED

from flgraph.query.saved import load_queries
from flgraph.release import read_release

from ..conftest import DATA, start_server, stop_server

QUERIES = sorted(load_queries())


def params(name: str) -> dict:
    return EXPECTED[name][0].params if name in EXPECTED else {}


def workbook(site, name: str, **query):
    response = site.get(f"/queries/{name}.xlsx", params=query or params(name))
    assert response.status_code == 200, name
    assert response.headers["Content-Type"] == (
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    return openpyxl.load_workbook(io.BytesIO(response.content))


def column(sheet, title: str) -> list:
    header = [c.value for c in sheet[1]]
    index = header.index(title) + 1
    return [sheet.cell(row=r, column=index) for r in range(2, sheet.max_row + 1)]


def read_csvw(server, tmp_path, name: str, **query) -> list[dict]:
    """The CSV read by a CSVW reader through the metadata its Link header names (which
    gives the CSV's own URL: the reader fetches it from the server)."""
    csv = server.get(f"/queries/{name}.csv", params=query or params(name))
    link = csv.headers["Link"]
    described = re.search(r'<([^>]+)>; rel="describedby"', link).group(1)
    assert f"/queries/{name}.csv-metadata.json" in described
    metadata = requests.get(described, timeout=30)
    assert metadata.headers["Content-Type"] == "application/csvm+json"
    (tmp_path / f"{name}.csv-metadata.json").write_bytes(metadata.content)
    document = metadata.json()  # where the table came from, and on what terms
    assert document["dc:license"] == {"@id": read_release().licence}
    assert "Protocol 2 of the Universal Copyright Convention" in document["dc:rights"]
    assert "ISBN 978-92-2-127735-4" in document["dc:source"]
    assert document["schema:version"] == csv.headers["X-Flgraph-Version"]
    reader = CSVW(str(tmp_path / f"{name}.csv-metadata.json"), validate=True)
    assert reader.is_valid, reader.warnings
    (table,) = reader.tables
    return [dict(row) for row in table.iterdicts()]


@pytest.mark.parametrize("name", QUERIES)
def test_every_saved_query_as_xlsx_with_an_about_sheet(site, name):
    book = workbook(site, name)
    assert book.sheetnames == ["Answer", "About"]
    about = {row[0].value: row[1].value for row in book["About"].iter_rows()}
    assert about["Title"].startswith(load_queries()[name].title)
    assert about["Data version"].startswith("0.1.0+")  # data/release.yaml's number
    assert "ILO programme implementation 2012–13" in about["Cite as"]
    assert "Protocol 2 of the Universal Copyright Convention" in about["Rights"]
    assert about["SPARQL"] == load_queries()[name].text


@pytest.mark.parametrize("name", QUERIES)
def test_every_saved_query_csv_reads_back_through_its_csvw_metadata(server, tmp_path, name):
    rows = read_csvw(server, tmp_path, name)
    csv_lines = server.get(f"/queries/{name}.csv", params=params(name)).text.splitlines()
    assert len(rows) == len(csv_lines) - 1  # every row, the header apart


def test_table_1_keeps_indicator_codes_as_text_and_counts_as_numbers(server, tmp_path):
    sheet = workbook(server, "table-1")["Answer"]
    # Table 1 of the report: indicator 15.1; its typology columns list 3, 2, 3… countries
    codes = column(sheet, "Indicator code")
    assert {c.value for c in codes} == {"15.1"} and all(c.data_type == "s" for c in codes)
    counts = column(sheet, "Country count")
    assert all(isinstance(c.value, int) for c in counts)
    data_collection = next(r for r in read_csvw(server, tmp_path, "table-1")
                           if r["typologyLabel"] == "Data collection and analysis")
    # Zambia, India, Nepal under "Data collection and analysis" in the report's Table 1
    assert data_collection["indicatorCode"] == "15.1" and data_collection["countryCount"] == 3


def test_m49_codes_keep_their_leading_zero(server, tmp_path):
    sheet = workbook(server, "external-identifiers")["Answer"]
    names = [c.value for c in column(sheet, "Name")]
    m49 = column(sheet, "M49")
    brazil = m49[names.index("Brazil")]  # Brazil's M49 code is 076 (UN M49)
    assert brazil.value == "076" and brazil.data_type == "s"
    by_name = {r["name"]: r for r in read_csvw(server, tmp_path, "external-identifiers")}
    assert by_name["Brazil"]["m49"] == "076"


def test_evidence_is_a_hyperlink_and_long_text_wraps(site):
    sheet = workbook(site, "results-chain")["Answer"]
    evidence = [c for c in column(sheet, "Evidence") if c.value]
    assert evidence and all(c.hyperlink and "/id/evidence/" in c.hyperlink.target
                            for c in evidence)
    texts = [c for r in sheet.iter_rows(min_row=2) for c in r
             if isinstance(c.value, str) and len(c.value) > 60]
    assert texts and all(c.alignment.wrap_text for c in texts)


@pytest.fixture(scope="module")
def namibia_server(tmp_path_factory):
    """The committed data plus one listing of Namibia (a test fixture, not a fact of the
    report): Namibia's ISO code NA is what pandas and spreadsheets read as missing."""
    folder = tmp_path_factory.mktemp("namibia")
    data = folder / "flgraph.trig"
    listing = ("<https://w3id.org/flgraph/id/graph/test-fixture> {\n"
               "  <https://w3id.org/flgraph/id/test/NAM> a "
               "<https://w3id.org/flgraph/ontology#TypologyListing> ;\n"
               "    <https://w3id.org/flgraph/ontology#country> "
               "<https://w3id.org/flgraph/id/country/NAM> .\n}\n")
    data.write_text(DATA.read_text(encoding="utf-8") + listing, encoding="utf-8")
    live = start_server("--data", str(data))
    yield live
    stop_server(live)


def test_namibias_code_na_stays_text(namibia_server, tmp_path):
    sheet = workbook(namibia_server, "external-identifiers")["Answer"]
    names = [c.value for c in column(sheet, "Name")]
    iso2 = column(sheet, "Iso2")[names.index("Namibia")]
    assert iso2.value == "NA" and iso2.data_type == "s"
    m49 = column(sheet, "M49")[names.index("Namibia")]
    assert m49.value == "516" and m49.data_type == "s"  # UN M49 code of Namibia
    by_name = {r["name"]: r for r in read_csvw(namibia_server, tmp_path, "external-identifiers")}
    assert by_name["Namibia"]["iso2"] == "NA" and by_name["Namibia"]["m49"] == "516"
