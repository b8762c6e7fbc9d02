"""``/id/…``: dataset IRIs dereference as RDF and as pages with the report's evidence.

Expected values are read from the report (data/source/000_2635207760a74e4f.txt): Table 1,
row 15.1, lists Zambia under *Programmes* and under *Data collection and analysis*;
Table 2's Brazil row states the result across a page break ("… the Pastoral" / "Mission
for Migrants of the Catholic Church …") and lists four ILO contributions.
"""

from __future__ import annotations

import html
import json
import re

import pytest
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF, RDFS, SKOS

from ..conftest import make_app

ID = Namespace("https://w3id.org/flgraph/id/")
FLG = Namespace("https://w3id.org/flgraph/ontology#")
PROV = Namespace("http://www.w3.org/ns/prov#")

#: Extension → (media type, rdflib parser).
RDF_FORMATS = {
    "ttl": ("text/turtle", "turtle"),
    "nt": ("application/n-triples", "nt"),
    "jsonld": ("application/ld+json", "json-ld"),
    "rdf": ("application/rdf+xml", "xml"),
}


def parse(response) -> Graph:
    media = response.headers["Content-Type"].split(";")[0]
    parser = next(p for m, p in RDF_FORMATS.values() if m == media)
    return Graph().parse(data=response.content, format=parser)


def labels(graph: Graph, nodes) -> set[str]:
    return {str(graph.value(n, RDFS.label)) for n in nodes}


@pytest.mark.parametrize("ext", list(RDF_FORMATS))
def test_national_result_in_every_format_by_extension(site, ext):
    response = site.get(f"/id/result/15.1/ZMB.{ext}")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith(RDF_FORMATS[ext][0])
    g = parse(response)
    zmb = ID["result/15.1/ZMB"]
    assert (zmb, RDF.type, FLG.NationalResult) in g
    assert (zmb, FLG.country, ID["country/ZMB"]) in g
    assert (zmb, FLG.indicator, ID["indicator/15.1"]) in g
    # Table 1, row 15.1: Zambia under Programmes and under Data collection and analysis.
    typologies = set(g.objects(zmb, FLG.resultTypology))
    assert labels(g, typologies) == {"Programmes", "Data collection and analysis"}
    # Each listing is also there, pointing back (incoming triples).
    assert (ID["result/15.1/ZMB/programmes"], FLG.nationalResult, zmb) in g
    assert (ID["result/15.1/ZMB/data-collection-and-analysis"], FLG.nationalResult, zmb) in g


@pytest.mark.parametrize("ext", list(RDF_FORMATS))
def test_country_by_accept_header(site, ext):
    media = RDF_FORMATS[ext][0]
    response = site.get("/id/country/ZMB", headers={"Accept": media})
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith(media)
    g = parse(response)
    zmb = ID["country/ZMB"]
    assert (zmb, SKOS.prefLabel, Literal("Zambia", lang="en")) in g
    # a code typed by its code system
    assert (zmb, FLG.iso3166Alpha3, Literal("ZMB", datatype=FLG.ISO3166Alpha3Code)) in g
    # Incoming: Zambia's Table 1 result and its Table 2 results-chain example.
    assert (ID["result/15.1/ZMB"], FLG.country, zmb) in g
    assert (ID["chain/15/ZMB"], FLG.country, zmb) in g
    # The labels of linked resources come along, for clients that show names.
    assert (ID["result/15.1/ZMB"], RDFS.label, None) in g


@pytest.mark.parametrize("ext", list(RDF_FORMATS))
def test_brazil_country_result_in_every_format(site, ext):
    g = parse(site.get(f"/id/chain/15/BRA/result/1.{ext}"))
    result = ID["chain/15/BRA/result/1"]
    assert (result, RDF.type, FLG.CountryResult) in g
    assert (result, FLG.country, ID["country/BRA"]) in g
    text = str(g.value(result, FLG.text))
    # The page break is gone from the clean text: one phrase again.
    assert "the Pastoral Mission for Migrants of the Catholic Church" in text
    assert text.endswith("conducted in the state of Mato Grosso.")
    # Table 2, Brazil: four bullets of ILO contribution, all towards this result.
    assert len(set(g.subjects(FLG.contributesTo, result))) == 4


def test_dotted_iris_are_not_extensions(site):
    page = site.get("/id/indicator/15.1", headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert "Indicator 15.1" in page.text
    g = parse(site.get("/id/indicator/15.1.ttl"))
    assert (ID["indicator/15.1"], RDF.type, FLG.Indicator) in g
    # An IRI that itself ends in ".ttl" is a resource; its Turtle is ".ttl.ttl".
    page = site.get("/id/reference/flgraph.ttl", headers={"Accept": "text/html"})
    assert page.status_code == 200 and "<h1>flgraph.ttl</h1>" in page.text
    g = parse(site.get("/id/reference/flgraph.ttl.ttl"))
    assert (ID["reference/flgraph.ttl"], RDF.type, PROV.Entity) in g


def test_html_extension_and_format_parameter(site):
    assert site.get("/id/country/ZMB.html").headers["Content-Type"].startswith("text/html")
    response = site.get("/id/country/ZMB?format=nt")
    assert response.headers["Content-Type"].startswith("application/n-triples")


def test_unknown_iri_is_404(site):
    assert site.get("/id/country/XYZ").status_code == 404
    assert site.get("/id/country/ZMB.csv").status_code == 404  # not a known extension
    assert site.get("/id/nothing/here.ttl").status_code == 404
    assert site.get("/id/not%20an%20iri").status_code == 404
    page = site.get("/id/%3Cscript%3Ealert(1)", headers={"Accept": "text/html"})
    assert page.status_code == 404 and "<script>alert" not in page.text


def test_unacceptable_media_type_is_406(site):
    response = site.get("/id/country/ZMB", headers={"Accept": "text/csv"})
    assert response.status_code == 406
    assert "text/turtle" in response.text
    assert "Accept" in response.headers["Vary"]
    assert site.get("/id/country/ZMB?format=csv").status_code == 406


@pytest.mark.parametrize(("accept", "expected"), [
    ("application/rdf+xml;q=0.5, text/turtle;q=0.9", "text/turtle"),
    ("text/html;q=0.1, application/n-triples", "application/n-triples"),
    ("application/json", "application/ld+json"),
    ("text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8", "text/html"),
    ("*/*", "text/html"),
])
def test_accept_with_q_values(site, accept, expected):
    response = site.get("/id/result/15.1/ZMB", headers={"Accept": accept})
    assert response.status_code == 200
    assert response.headers["Content-Type"].split(";")[0] == expected


def test_vary_and_link_headers(site):
    for accept in ("text/html", "text/turtle"):
        response = site.get("/id/result/15.1/ZMB", headers={"Accept": accept})
        assert "Accept" in [v.strip() for v in response.headers["Vary"].split(",")]
        link = response.headers["Link"]
        for ext, (media, _) in RDF_FORMATS.items():
            assert f'</id/result/15.1/ZMB.{ext}>; rel="alternate"; type="{media}"' in link
    page = site.get("/id/result/15.1/ZMB", headers={"Accept": "text/html"}).text
    assert '<link rel="alternate" type="text/turtle" href="/id/result/15.1/ZMB.ttl"' in page
    assert '<link rel="alternate" type="application/ld+json" href="/id/result/15.1/ZMB.jsonld"' \
        in page


def evidence_blocks(page: str) -> list[str]:
    section = page[page.index('<section id="evidence">'):]
    section = section[:section.index("</section>")]
    return section.split('<div class="evidence">')[1:]


def test_zambia_evidence_is_highlighted_in_the_table_1_row(site):
    page = site.get("/id/result/15.1/ZMB", headers={"Accept": "text/html"}).text
    blocks = evidence_blocks(page)
    assert len(blocks) == 2  # Zambia appears in two typology columns of row 15.1
    for block in blocks:
        assert "table <strong>Table 1</strong>" in block
        assert "row <strong>15.1</strong>" in block
        assert "line <strong>10</strong>" in block
        assert block.count("<mark>") == 1 and "<mark>Zambia</mark>" in block
    text = "\n".join(blocks)
    # The Programmes cell and the Data collection and analysis cell of the report's row.
    assert "Ethiopia, Nigeria, <mark>Zambia</mark>, Nepal Peru Brazil" in text
    assert "Nigeria Jordan Nepal\t<mark>Zambia</mark> India Nepal" in text
    assert "column <strong>Results / Programmes</strong>" in text
    assert "column <strong>Results / Capacity development / Data collection and analysis" in text


def test_brazil_evidence_shows_both_page_break_fragments(site):
    page = site.get("/id/chain/15/BRA/result/1", headers={"Accept": "text/html"}).text
    [block] = evidence_blocks(page)
    assert "table <strong>Table 2</strong>" in block and "row <strong>Brazil</strong>" in block
    marks = re.findall(r"<mark>(.*?)</mark>", block, re.S)
    assert len(marks) == 2
    assert marks[0].startswith("The Integration Action Programme (IAP)")
    assert marks[0].endswith("vocational training schools, the Pastoral")
    assert marks[1].startswith("Mission for Migrants of the Catholic Church")
    # The source's own markup (its <li>, <ul>, <p>) is neither markup nor text on the page:
    # the report's words only.
    excerpt = block[block.index('<pre class="excerpt">'):]
    assert "&lt;" not in excerpt and "<li" not in excerpt and "<p>" not in excerpt
    assert "Mission for Migrants of the Catholic Church and other civil society partners" \
        in excerpt


def test_page_shows_labels_types_and_links(site):
    page = site.get("/id/country/ZMB", headers={"Accept": "text/html"}).text
    assert "<h1>Zambia</h1>" in page
    assert 'href="/ontology#Country"' in page  # the type, on the ontology page
    assert 'href="/id/result/15.1/ZMB"' in page  # incoming, to its local page
    assert 'href="http://www.wikidata.org/entity/Q953"' in page  # external, as it is
    # values read plainly; their language is on hover and in the markup
    assert "@en" not in page and "^^" not in page
    assert '<span class="literal" title="text in language en" lang="en">Zambia</span>' in page
    incoming = page[page.index('<section id="incoming">'):]
    # properties by the ontology's label, their prefixed name on hover
    assert re.search(r'title="flg:country · [^"]+">Member State</a> '
                     r'<span class="muted">\(\d+\)</span>', incoming)


def test_literals_show_their_datatype(site):
    page = site.get("/id/result/15.1/region/africa", headers={"Accept": "text/html"}).text
    # Table 1, row 15.1: "of which 3 in Africa".
    assert '<span class="literal" title="xsd:integer (http://www.w3.org/2001/XMLSchema#integer)"' \
        '>3</span>' in page
    assert "^^xsd:" not in page


def test_page_embeds_its_json_ld(site):
    page = site.get("/id/result/15.1/ZMB", headers={"Accept": "text/html"}).text
    match = re.search(r'<script type="application/ld\+json">(.*?)</script>', page, re.S)
    assert match
    data = json.loads(match.group(1))
    g = Dataset().parse(data=json.dumps(data), format="json-ld")
    assert (ID["result/15.1/ZMB"], FLG.country, ID["country/ZMB"], None) in g
    # its own statements only: what others say of it is in its full description
    country = site.get("/id/country/ZMB", headers={"Accept": "text/html"}).text
    data = re.search(r'<script type="application/ld\+json">(.*?)</script>', country, re.S)
    g = Dataset().parse(data=data.group(1), format="json-ld")
    assert (ID["country/ZMB"], SKOS.prefLabel, Literal("Zambia", lang="en"), None) in g
    assert (ID["result/15.1/ZMB"], FLG.country, ID["country/ZMB"], None) not in g
    full = Dataset().parse(data=site.get("/id/country/ZMB.jsonld").content, format="json-ld")
    assert (ID["result/15.1/ZMB"], FLG.country, ID["country/ZMB"], None) in full


def test_long_lists_show_their_first_values_and_link_to_all(dataset_file):
    """A property with more values than a page lists shows the first ones, how many there
    are, and a query for all of them (at 2M triples a typology has thousands)."""
    app = make_app(dataset_file, FLGRAPH_PAGE_LINKS=2)
    client = app.test_client()
    page = client.get("/id/country/ZMB", headers={"Accept": "text/html"}).get_data(as_text=True)
    incoming = page[page.index('<section id="incoming">'):]
    row = re.search(r'Member State</a> <span class="muted">\((\d+)\)</span></td>\s*<td><ul>'
                    r'(.*?)</ul><p class="more muted">The first 2 of (\d+): '
                    r'<a href="(/sparql\?query=[^"]+)">all of them</a>', incoming, re.S)
    assert row, incoming[:2000]
    total = int(row.group(1))
    assert total == int(row.group(3)) > 2 and row.group(2).count("<li>") == 2
    answer = client.get(html.unescape(row.group(4)),
                        headers={"Accept": "application/sparql-results+json"})
    subjects = {b["subject"]["value"] for b in answer.get_json()["results"]["bindings"]}
    assert len(subjects) == total and ID["result/15.1/ZMB"] in {URIRef(s) for s in subjects}


def test_long_summaries_show_their_first_statements_and_say_how_many(dataset_file):
    """A summary heading with more statements than a page lists shows the first ones and
    how many there are (at 2M triples an indicator lists thousands of member States)."""
    from flgraph.web import create_app

    app = create_app({"TESTING": True, "FLGRAPH_DATA": dataset_file, "FLGRAPH_CACHE": False,
                      "FLGRAPH_PAGE_LINKS": 2})
    page = app.test_client().get("/id/indicator/15.1", headers={"Accept": "text/html"})
    summary = page.get_data(as_text=True).split('<section id="summary">', 1)[1]
    summary = summary.split("</section>", 1)[0]
    # Table 1, row 15.1: six member States under Programmes, the first two Ethiopia, Nigeria
    programmes = summary.split("Member States listed under Programmes (Table 1)</h2>", 1)[1]
    programmes = programmes.split("<h2>", 1)[0]
    assert re.findall(r'<li><a href="/id/country/\w+">(\w+)</a>', programmes) == [
        "Ethiopia", "Nigeria"]
    assert '<p class="more muted">The first 2 of 6;' in programmes


def test_evidence_without_its_source_shows_the_quote(tmp_path, monkeypatch, dataset_file):
    """A source file whose checksum differs (edited since the build) is not used."""
    home = tmp_path / "home"
    (home / "data" / "source").mkdir(parents=True)
    data = home / "data" / "flgraph.trig"
    data.write_bytes(dataset_file.read_bytes())
    original = dataset_file.parent / "source" / "000_2635207760a74e4f.txt"
    edited = original.read_text(encoding="utf-8").replace("Zambia", "Zimbabwe")
    (home / "data" / "source" / original.name).write_text(edited, encoding="utf-8")
    monkeypatch.setenv("FLGRAPH_HOME", str(home))
    app = make_app(data)
    page = app.test_client().get("/id/result/15.1/ZMB", headers={"Accept": "text/html"})
    text = page.get_data(as_text=True)
    assert "<mark>" not in text and "Zimbabwe" not in text
    assert '<blockquote class="quote">Zambia</blockquote>' in text


def test_evidence_cut_by_the_row_limit_says_so(dataset_file):
    """Evidence rows past the row limit are not shown as the complete list."""
    from flgraph.config import Limits

    def page(row_limit: int) -> str:
        app = make_app(dataset_file, FLGRAPH_LIMITS=Limits(row_limit=row_limit))
        response = app.test_client().get("/id/result/15.1/ZMB",
                                         headers={"Accept": "text/html"})
        return response.get_data(as_text=True)

    notice = "more evidence than the row limit"
    assert notice not in page(10_000)
    cut = page(10)  # two evidence nodes, about nine rows each
    assert notice in cut and '<div class="evidence">' in cut


def test_linked_iris_dereference(site):
    """Every local link on a resource page answers 200."""
    page = site.get("/id/result/15.1/ZMB", headers={"Accept": "text/html"}).text
    hrefs = sorted({html.unescape(h) for h in re.findall(r'href="(/id/[^"]+)"', page)})
    assert len(hrefs) >= 6
    for href in hrefs:
        assert site.get(href, headers={"Accept": "text/html"}).status_code == 200, href


def test_description_includes_blank_node_closure(tmp_path):
    data = tmp_path / "bnode.trig"
    data.write_text(
        "@prefix ex: <http://example.org/> .\n"
        "<https://w3id.org/flgraph/id/thing/1> ex:part [ ex:name \"inner\" ] .\n",
        encoding="utf-8")
    app = make_app(data)
    client = app.test_client()
    g = Graph().parse(data=client.get("/id/thing/1.ttl").data, format="turtle")
    [part] = list(g.objects(URIRef(ID["thing/1"]), URIRef("http://example.org/part")))
    assert str(g.value(part, URIRef("http://example.org/name"))) == "inner"
    page = client.get("/id/thing/1", headers={"Accept": "text/html"}).get_data(as_text=True)
    assert '<span class="literal">inner</span>' in page


def test_evidence_is_found_through_derived_resources(site):
    """A Table 1 cube observation is derived from the listing, which cites the cell."""
    page = site.get("/id/cube/table-1/15.1/ZMB/programmes", headers={"Accept": "text/html"})
    [block] = evidence_blocks(page.text)
    assert "column <strong>Results / Programmes</strong>" in block
    assert "Ethiopia, Nigeria, <mark>Zambia</mark>, Nepal Peru Brazil" in block


@pytest.mark.slow  # every page of the dataset, twice: a minute
def test_every_dataset_iri_dereferences(app):
    """Every IRI of the dataset under /id/ (subject or object) has a page and Turtle."""
    import pyoxigraph as ox

    svc = app.extensions["flgraph"]
    terms = {t for q in svc.store.quads() for t in (q.subject, q.object)
             if isinstance(t, ox.NamedNode)}
    paths = sorted(p for p in (svc.links.local_path(t.value) for t in terms)
                   if p and p.startswith("/id/"))
    assert len(paths) > 500
    client = app.test_client()
    for path in paths:
        assert client.get(path, headers={"Accept": "text/html"}).status_code == 200, path
        assert client.get(path, headers={"Accept": "text/turtle"}).status_code == 200, path


def app_on(store, dataset_file, monkeypatch):
    """The site on ``store``, one of the three kinds (memory, Oxigraph on disk, Virtuoso)."""
    if store.name == "sparql":
        spec = f"sparql:{store.endpoint}"
        monkeypatch.setenv("FLGRAPH_SPARQL_MAX_ROWS", str(store.server_max_rows or 0))
    elif getattr(store, "path", None):
        spec = f"oxigraph:{store.path}"
    else:
        spec = "memory"
    return make_app(dataset_file, FLGRAPH_STORE=spec)


@pytest.fixture
def store_app(any_store, dataset_file, monkeypatch):
    return app_on(any_store, dataset_file, monkeypatch)


def test_resource_pages_on_every_store(store_app):
    client = store_app.test_client()
    g = Graph().parse(data=client.get("/id/result/15.1/ZMB.ttl").data, format="turtle")
    zmb = ID["result/15.1/ZMB"]
    assert labels(g, g.objects(zmb, FLG.resultTypology)) == {
        "Programmes", "Data collection and analysis"}  # Table 1, row 15.1
    page = client.get("/id/chain/15/BRA/result/1", headers={"Accept": "text/html"})
    [block] = evidence_blocks(page.get_data(as_text=True))
    assert re.search(r"the Pastoral</mark>.*<mark>Mission for Migrants", block, re.S)
    assert client.get("/id/country/XYZ").status_code == 404


def test_a_hub_keeps_its_own_statements_when_others_fill_the_row_limit(dataset_file):
    """The ILO is the object of every attribution: when those fill the row limit, its
    page and its RDF still hold what it says of itself, and both say they are cut."""
    from flgraph.config import Limits

    data = Dataset()
    data.parse(dataset_file, format="trig")
    ilo = ID["organisation/ilo"]
    own = {(p, o) for _, p, o, _ in data.quads((ilo, None, None, None))}
    name = next(o for p, o in own if p == SKOS.prefLabel)
    assert len(own) >= 5
    app = make_app(dataset_file, FLGRAPH_LIMITS=Limits(row_limit=20))
    client = app.test_client()
    page = client.get("/id/organisation/ilo", headers={"Accept": "text/html"})
    text = page.get_data(as_text=True)
    assert f"<h1>{name}</h1>" in text and "Truncated" in text
    assert "None: this resource is only the object" not in text
    turtle = client.get("/id/organisation/ilo.ttl")
    assert turtle.headers["X-Flgraph-Truncated"] == "true"
    described = {(p, o) for _, p, o in Graph().parse(data=turtle.data, format="turtle")
                 .triples((ilo, None, None))}
    assert own <= described
