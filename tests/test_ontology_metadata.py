"""The ontology describes itself as ontology catalogues expect (LOV, FOOPS!), and defines
every term of its namespace that the data, the shapes, the saved and internal queries and
the site's code use.

Read with rdflib from the files, not through the code under test.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, URIRef
from rdflib.namespace import DCTERMS, OWL, RDF, RDFS, SKOS, Namespace

from tests.conftest import DATA, ROOT

FLG = "https://w3id.org/flgraph/ontology#"
ONTOLOGY = URIRef("https://w3id.org/flgraph/ontology")
VANN = Namespace("http://purl.org/vocab/vann/")
XSD_DATE = URIRef("http://www.w3.org/2001/XMLSchema#date")
ONTOLOGY_FILE = ROOT / "ontology" / "flgraph.ttl"


@pytest.fixture(scope="module")
def ontology() -> Graph:
    return Graph().parse(ONTOLOGY_FILE, format="turtle")


def test_the_ontology_header_has_what_catalogues_ask_for(ontology):
    for predicate in (DCTERMS.title, DCTERMS.description, DCTERMS.creator,
                      DCTERMS.publisher, DCTERMS.license, OWL.versionIRI, OWL.versionInfo):
        assert ontology.value(ONTOLOGY, predicate) is not None, predicate
    for predicate in (DCTERMS.created, DCTERMS.modified):
        assert ontology.value(ONTOLOGY, predicate).datatype == XSD_DATE, predicate
    assert ontology.value(ONTOLOGY, VANN.preferredNamespacePrefix) == Literal("flg")
    assert ontology.value(ONTOLOGY, VANN.preferredNamespaceUri) == Literal(FLG)
    version = ontology.value(ONTOLOGY, OWL.versionInfo)
    assert str(ontology.value(ONTOLOGY, OWL.versionIRI)).endswith("/" + str(version))


def test_every_term_has_a_label_a_definition_and_its_ontology(ontology):
    terms = {s for s in ontology.subjects() if str(s).startswith(FLG)}
    assert len(terms) > 80
    for term in sorted(terms):
        assert ontology.value(term, RDFS.label) is not None, term
        assert ontology.value(term, SKOS.definition) is not None, term
        assert ontology.value(term, RDFS.isDefinedBy) == ONTOLOGY, term
        assert ontology.value(term, RDF.type) is not None, term


def _terms_in_graph(graph) -> set[str]:
    found = set()
    for triple in graph:
        for term in triple:
            if isinstance(term, Literal):
                term = term.datatype  # a literal's value is no term; its datatype is
            if isinstance(term, URIRef):
                found.add(str(term))
    return {t for t in found if t.startswith(FLG)}


def _terms_in_query_text(text: str) -> set[str]:
    """Terms a SPARQL text names: ``<…ontology#X>`` and ``p:X`` for every prefix ``p``
    declared as the ontology's namespace."""
    found = set(re.findall(r"<" + re.escape(FLG) + r"([A-Za-z_][\w-]*)>", text))
    for prefix in re.findall(r"PREFIX\s+([\w-]*):\s*<" + re.escape(FLG) + ">", text, re.I):
        found |= set(re.findall(rf"(?<![\w:<]){prefix}:([A-Za-z_][\w-]*)", text))
    return {FLG + name for name in found}


def _terms_in_python(text: str) -> set[str]:
    return {FLG + name for name in
            re.findall(r'\bFLG(?:\.|\s*\+\s*")([A-Za-z_]\w*)', text)}


def _files(*patterns: str) -> list[Path]:
    return [p for pattern in patterns for p in ROOT.glob(pattern) if ".venv" not in p.parts]


def test_every_term_the_data_and_the_site_use_is_defined(ontology):
    defined = {str(s) for s in ontology.subjects() if str(s).startswith(FLG)}
    data = Dataset()
    data.parse(DATA, format="trig")
    used = {"data/flgraph.trig": _terms_in_graph(data),
            "ontology/shapes.ttl": _terms_in_graph(Graph().parse(ROOT / "ontology" /
                                                                 "shapes.ttl"))}
    for path in _files("queries/*.rq", "src/flgraph/**/*.rq"):
        used[str(path.relative_to(ROOT))] = _terms_in_query_text(path.read_text())
    for path in _files("src/flgraph/**/*.py"):
        used[str(path.relative_to(ROOT))] = _terms_in_python(path.read_text())
    assert sum(map(len, used.values())) > 100  # the readers above found the terms
    undefined = {where: sorted(terms - defined) for where, terms in used.items()
                 if terms - defined}
    assert undefined == {}


def test_the_site_s_truncation_link_is_a_defined_term(ontology):
    # the link a cut SPARQL JSON/XML result carries (web/renderers.py)
    term = URIRef(FLG + "TruncatedResult")
    assert (term, RDF.type, OWL.Class) in ontology


PROJECT = URIRef("https://w3id.org/flgraph/id/project")
FOAF = Namespace("http://xmlns.com/foaf/0.1/")
SCHEMA = Namespace("https://schema.org/")
DATASET = URIRef("https://w3id.org/flgraph/id/dataset")


def _is_named_organisation(graph, node) -> bool:
    return ({FOAF.Organization, SCHEMA.Organization} <= set(graph.objects(node, RDF.type))
            and graph.value(node, FOAF.name) is not None
            and graph.value(node, SCHEMA.name) is not None)


def test_the_ontology_names_its_creator_and_publisher_as_organisations(ontology):
    for predicate in (DCTERMS.creator, DCTERMS.publisher):
        agent = ontology.value(ONTOLOGY, predicate)
        assert agent == PROJECT, predicate
        assert _is_named_organisation(ontology, agent)


def test_the_dataset_names_its_creator_and_publisher_and_the_reports():
    data = Dataset(default_union=True).parse(DATA, format="trig")
    for predicate in (DCTERMS.creator, DCTERMS.publisher, SCHEMA.creator, SCHEMA.publisher):
        [agent] = {o for _, _, o, _ in data.quads((DATASET, predicate, None, None))}
        assert agent == PROJECT and _is_named_organisation(data, agent), predicate
    # the report's imprint: published by the International Labour Office, of the ILO
    [report] = {o for _, _, o, _ in data.quads((DATASET, URIRef(
        "http://www.w3.org/ns/prov#hadPrimarySource"), None, None))}
    [publisher] = {o for _, _, o, _ in data.quads((report, DCTERMS.publisher, None, None))}
    names = {str(o) for _, _, o, _ in data.quads((publisher, RDFS.label, None, None))}
    assert names == {"International Labour Organization"}
