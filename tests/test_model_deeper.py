"""What the graph makes of the things the report names: each a resource with its
evidence, modelled so as not to mislead. Expected values were read by hand from
data/source/000_2635207760a74e4f.txt."""

from __future__ import annotations

import pyoxigraph as ox
import pytest

from .conftest import DATA

PREFIXES = """
PREFIX flg: <https://w3id.org/flgraph/ontology#>
PREFIX org: <http://www.w3.org/ns/org#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX skos: <http://www.w3.org/2004/02/skos/core#>
PREFIX id: <https://w3id.org/flgraph/id/>
"""
ID = "https://w3id.org/flgraph/id/"


@pytest.fixture(scope="module")
def store():
    s = ox.Store()
    s.bulk_load(path=str(DATA), format=ox.RdfFormat.TRIG)
    return s


def select(store, text: str) -> list[dict[str, str]]:
    result = store.query(PREFIXES + text, use_default_graph_as_union=True)
    names = [v.value for v in result.variables]
    return [{n: row[n].value for n in names if row[n] is not None} for row in result]


def test_the_office_is_the_secretariat_not_another_name_of_the_organization(store):
    rows = select(store, """SELECT ?alt WHERE { ?ilo skos:exactMatch
        <http://www.wikidata.org/entity/Q54129> ; skos:altLabel ?alt }""")
    assert {r["alt"] for r in rows} == {"ILO"}
    [office] = select(store, """SELECT ?office ?name WHERE { ?office org:unitOf ?ilo ;
        skos:prefLabel ?name ; skos:altLabel "the Office"@en .
        ?ilo skos:altLabel "ILO"@en }""")
    assert office["name"] == "International Labour Office"


def test_an_organisation_the_text_says_was_established(store):
    # India's result: "a Central Cell on Migrant Workers at the National level (MoLE) were
    # established"
    rows = select(store, """SELECT ?result ?name ?parent WHERE { ?result flg:establishes ?o .
        ?o skos:prefLabel ?name ; org:subOrganizationOf/skos:prefLabel ?parent }""")
    assert [(r["result"], r["name"], r["parent"]) for r in rows] == [
        (ID + "chain/15/IND/result/1", "Central Cell on Migrant Workers",
         "Ministry of Labour and Employment")]


def test_every_editorial_link_is_marked_where_it_stands(store):
    links = select(store, """SELECT ?s ?p ?o WHERE {
        GRAPH id:graph\\/editorial { ?s ?p ?o FILTER(?p != rdf:type && ?p != rdf:subject &&
          ?p != rdf:predicate && ?p != rdf:object &&
          ?p != <http://www.w3.org/2000/01/rdf-schema#label>) } }""")
    assert links  # the outcome's related SDG target 8.7
    for link in links:
        marks = select(store, f"""SELECT ?mark WHERE {{ ?mark a flg:EditorialStatement ;
            rdf:subject <{link['s']}> ; rdf:predicate <{link['p']}> ;
            rdf:object <{link['o']}> }}""")
        assert len(marks) == 1
