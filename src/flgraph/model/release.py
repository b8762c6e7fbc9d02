"""The dataset as a whole (``id/dataset``): its version, date, licence and rights, its
creator and publisher.

Added by the build after the rest of the data is written, since the version carries the
content hash of that data. The licence covers what this project made — the graph's
structure, identifiers and links; the rights statement says so and that the report's
text stays the ILO's, so no open licence is ever claimed for it.
"""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef

from ..release import Release
from .iri import Minter
from .terms import DCTERMS, FLG, OWL, PROV, RDF, RDFS, SCHEMA, XSD

DCAT_DATASET = URIRef("http://www.w3.org/ns/dcat#Dataset")


def add_release(g: Graph, iri: Minter, release: Release, *, version: str, digest: str,
                date: str, sources: list[URIRef], reports: list[URIRef],
                activity: URIRef | None) -> URIRef:
    dataset = iri.dataset()
    # dcat:Dataset only: schema:Dataset names the data sets the report itself names (the
    # landing page gives search engines their schema.org description of this one)
    g.add((dataset, RDF.type, DCAT_DATASET))
    g.add((dataset, RDFS.label, Literal("flgraph", lang="en")))
    g.add((dataset, DCTERMS.hasVersion, Literal(version)))
    g.add((dataset, OWL.versionInfo, Literal(version)))
    g.add((dataset, SCHEMA.version, Literal(version)))
    g.add((dataset, FLG.sha256, Literal(digest)))
    g.add((dataset, DCTERMS.issued, Literal(date, datatype=XSD.date)))
    g.add((dataset, DCTERMS.license, URIRef(release.licence)))
    g.add((dataset, SCHEMA.license, URIRef(release.licence)))
    g.add((dataset, DCTERMS.rights, Literal(release.rights, lang="en")))
    project = add_project(g, iri)
    for predicate in (DCTERMS.creator, DCTERMS.publisher, SCHEMA.creator, SCHEMA.publisher):
        g.add((dataset, predicate, project))
    for source in sources:
        g.add((dataset, DCTERMS.source, source))
    for report in reports:
        g.add((dataset, PROV.hadPrimarySource, report))
    if activity is not None:
        g.add((dataset, PROV.wasGeneratedBy, activity))
    return dataset


def add_project(g: Graph, iri: Minter) -> URIRef:
    """The project that makes and publishes the dataset: an organisation with a name, as
    catalogues expect (DCAT, schema.org: creator and publisher are agents, not strings).

    The project, not the ILO: the ILO published the report (the report's own
    ``dcterms:publisher``, from its imprint page), not this graph of it, and claims
    nothing in it; the release number is the project's (data/release.yaml). The node is
    described once, in the ontology (ontology/flgraph.ttl, whose creator and publisher
    it is too): described here as well, its triples would sit in two graphs of the
    dataset, and outside the data the version's hash covers."""
    return iri.project()
