"""``/ontology`` and ``/shapes``: every term documented under its own anchor, the files
served as they are, and usage counts read from the data.

Counts expected from the report: Table 1 lists 8 member States under indicator 15.1
(8 national results); Table 2 gives 3 country examples (Zambia, India, Brazil); the
lessons-learned section has 4 paragraphs.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Namespace, URIRef
from rdflib.namespace import OWL, RDF, RDFS, SKOS

ROOT = Path(__file__).resolve().parents[2]
ONTOLOGY = ROOT / "ontology" / "flgraph.ttl"
SHAPES = ROOT / "ontology" / "shapes.ttl"
FLG = "https://w3id.org/flgraph/ontology#"


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY, format="turtle")


@pytest.fixture(scope="module")
def page(site) -> str:
    response = site.get("/ontology", headers={"Accept": "text/html"})
    assert response.status_code == 200
    return response.text


def term_section(page: str, name: str) -> str:
    match = re.search(rf'<section class="term" id="{re.escape(name)}">(.*?)</section>', page,
                      re.S)
    assert match, f"no section for {name}"
    return match.group(1)


def test_every_class_is_documented_with_its_definition(ontology, page):
    classes = sorted(str(c) for c in ontology.subjects(RDF.type, OWL.Class)
                     if str(c).startswith(FLG))
    # 25 of the report, the site's TruncatedResult, and 14 for what the text names:
    # QuantityKind, EditorialStatement, Instrument, Place, Programme, Strategy, Survey, Tool,
    # Agreement, OrganisationType, Mention, CountryOrTerritory, Territory, Attribution
    assert len(classes) == 40
    for iri in classes:
        section = html.unescape(term_section(page, iri[len(FLG):]))
        node = URIRef(iri)
        assert str(ontology.value(node, SKOS.definition)) in section, iri
        assert str(ontology.value(node, RDFS.label)) in section, iri


def test_every_property_is_documented(ontology, page):
    for kind in (OWL.ObjectProperty, OWL.DatatypeProperty):
        for prop in ontology.subjects(RDF.type, kind):
            section = html.unescape(term_section(page, str(prop)[len(FLG):]))
            assert str(ontology.value(prop, SKOS.definition)) in section, prop


def test_superclasses_link_to_their_anchors(page):
    section = term_section(page, "Contribution")
    assert 'subclass of' in section and 'href="/ontology#Statement"' in section
    section = term_section(page, "Country")
    assert 'href="http://purl.org/dc/terms/Location"' in section


def test_usage_counts_come_from_the_data(page):
    def usage(name: str) -> str:
        return re.search(r'<span class="usage">([^<]+)</span>', term_section(page, name)).group(1)

    assert usage("NationalResult") == "8 instances"
    assert usage("ResultsChainExample") == "3 instances"
    assert usage("Lesson") == "4 instances"
    assert usage("Indicator") == "1 instance"
    assert re.fullmatch(r"\d+ triples", usage("country"))


def test_ontology_iris_land_on_their_anchors(site, page):
    """``…/ontology#NationalResult`` as linked from a resource page is an anchor here."""
    resource = site.get("/id/result/15.1/ZMB", headers={"Accept": "text/html"}).text
    assert 'href="/ontology#NationalResult"' in resource
    assert 'id="NationalResult"' in page


def test_turtle_is_the_file_itself(site):
    data = ONTOLOGY.read_bytes()
    by_accept = site.get("/ontology", headers={"Accept": "text/turtle"})
    assert by_accept.headers["Content-Type"].startswith("text/turtle")
    assert by_accept.content == data
    assert site.get("/ontology.ttl").content == data
    assert "Accept" in by_accept.headers["Vary"]
    assert '</ontology.jsonld>; rel="alternate"; type="application/ld+json"' in \
        by_accept.headers["Link"]


@pytest.mark.parametrize(("ext", "parser"), [("nt", "nt"), ("jsonld", "json-ld"),
                                             ("rdf", "xml")])
def test_other_formats_hold_the_same_triples(site, ontology, ext, parser):
    response = site.get(f"/ontology.{ext}")
    assert response.status_code == 200
    g = Dataset().parse(data=response.content, format=parser)
    assert len(g) == len(ontology)


def test_version_iri_serves_the_current_version(site, ontology):
    [version] = ontology.objects(None, OWL.versionInfo)
    assert site.get(f"/ontology/{version}.ttl").content == ONTOLOGY.read_bytes()
    assert site.get("/ontology/0.0.0-never").status_code == 404


def test_unacceptable_is_406(site):
    assert site.get("/ontology", headers={"Accept": "text/csv"}).status_code == 406
    assert site.get("/ontology.csv").status_code == 404


def test_shapes_served_as_file_and_page(site):
    assert site.get("/shapes.ttl").content == SHAPES.read_bytes()
    assert site.get("/shapes", headers={"Accept": "text/turtle"}).content == SHAPES.read_bytes()
    page = site.get("/shapes", headers={"Accept": "text/html"}).text
    shapes = Graph().parse(SHAPES, format="turtle")
    sh = Namespace("http://www.w3.org/ns/shacl#")
    names = {str(s).rsplit("#", 1)[1] for kind in (sh.NodeShape, sh.PropertyShape)
             for s in shapes.subjects(RDF.type, kind)
             if str(s).startswith("https://w3id.org/flgraph/shapes#")}
    assert len(names) > 20
    for name in names:
        assert f'id="{name}"' in page, name
    country = page[page.index('id="CountryShape"'):]
    country = country[:country.index("</section>")]
    assert 'href="/ontology#Country"' in country
    assert "A member State has a name." in country
