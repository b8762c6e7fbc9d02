"""Reference data as RDF: member States, ILO regions and the ILO itself.

Countries are flgraph's own hub resources, linked out with skos:exactMatch (Wikidata,
GeoNames, the EU country authority), never owl:sameAs: those resources describe the
country under other authorities' terms, which we do not want merged into ours.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rdflib import Graph, Literal, URIRef

from .. import namespaces as ns
from .iri import Minter
from .terms import DCTERMS, FLG, ORG, PROV, RDF, RDFS, SKOS

if TYPE_CHECKING:
    from ..reference import Reference

REGION_SCHEME = "ilo-region"


def add_reference(g: Graph, iri: Minter, reference: Reference, table: URIRef) -> None:
    _add_regions(g, iri, reference)
    for country in reference.countries:
        node = iri.country(country.iso3)
        g.add((node, RDF.type, FLG.Country))
        # stated, not inferred: a listing's shape asks for this class, and a store or a
        # validator may see the data without the ontology
        g.add((node, RDF.type, FLG.CountryOrTerritory))
        g.add((node, RDFS.label, Literal(country.name, lang="en")))
        g.add((node, SKOS.prefLabel, Literal(country.name, lang="en")))
        for alias in country.aliases:
            if alias != country.name:
                g.add((node, SKOS.altLabel, Literal(alias, lang="en")))
        _add_codes(g, node, country)
        if country.region:
            g.add((node, FLG.iloRegion, iri.region(country.region)))
        for match in _external(country):
            g.add((node, SKOS.exactMatch, match))
        g.add((node, PROV.wasDerivedFrom, table))
    _add_ilo(g, iri)


def add_territories(g: Graph, iri: Minter, territories: list, table: URIRef) -> None:
    """Places a section lists that are not member States, each as what it is: a territory
    (or a country outside the ILO) under its ISO 3166-1 code, with no ILO region."""
    for territory in territories:
        node = iri.country(territory.iso3)
        g.add((node, RDF.type, FLG.Territory))
        g.add((node, RDF.type, FLG.CountryOrTerritory))
        g.add((node, RDFS.label, Literal(territory.name, lang="en")))
        g.add((node, SKOS.prefLabel, Literal(territory.name, lang="en")))
        for alias in territory.aliases:
            g.add((node, SKOS.altLabel, Literal(alias, lang="en")))
        _add_codes(g, node, territory)
        g.add((node, PROV.wasDerivedFrom, table))


#: Each code system's datatype (SKOS: a notation is typed by its notation system), so a
#: code says which system it is from: "076"^^flg:M49Code is Brazil, "076" alone nothing.
CODE_DATATYPES = {"iso2": (FLG.iso3166Alpha2, FLG.ISO3166Alpha2Code),
                  "iso3": (FLG.iso3166Alpha3, FLG.ISO3166Alpha3Code),
                  "m49": (FLG.m49, FLG.M49Code)}


def _add_codes(g: Graph, node: URIRef, place) -> None:
    for field_name, (predicate, datatype) in CODE_DATATYPES.items():
        g.add((node, predicate, Literal(getattr(place, field_name), datatype=datatype)))


def _external(country) -> list[URIRef]:
    """Authorities' IRIs for a country. The EU authority keys countries by ISO alpha-3."""
    out = [URIRef(ns.EU_COUNTRY + country.iso3)]
    if country.wikidata:
        out.append(URIRef(ns.WIKIDATA + country.wikidata))
    if country.geonames:
        out.append(URIRef(f"{ns.GEONAMES}{country.geonames}/"))
    return out


def _add_regions(g: Graph, iri: Minter, reference: Reference) -> None:
    scheme = iri.scheme(REGION_SCHEME)
    g.add((scheme, RDF.type, SKOS.ConceptScheme))
    g.add((scheme, RDFS.label, Literal("ILO regions", lang="en")))
    g.add((scheme, SKOS.prefLabel, Literal("ILO regions", lang="en")))
    for region in reference.regions:
        node = iri.region(region.slug)
        g.add((node, RDF.type, FLG.Region))
        g.add((node, RDF.type, SKOS.Concept))
        g.add((node, SKOS.inScheme, scheme))
        g.add((node, SKOS.topConceptOf, scheme))
        g.add((scheme, SKOS.hasTopConcept, node))
        g.add((node, RDFS.label, Literal(region.label, lang="en")))
        g.add((node, SKOS.prefLabel, Literal(region.label, lang="en")))
        for alt in region.alt_labels:
            g.add((node, SKOS.altLabel, Literal(alt, lang="en")))
        if region.wikidata:
            g.add((node, SKOS.exactMatch, URIRef(ns.WIKIDATA + region.wikidata)))


def _add_ilo(g: Graph, iri: Minter) -> None:
    ilo = iri.ilo()
    g.add((ilo, RDF.type, ORG.Organization))
    g.add((ilo, RDFS.label, Literal("International Labour Organization", lang="en")))
    g.add((ilo, SKOS.prefLabel, Literal("International Labour Organization", lang="en")))
    g.add((ilo, SKOS.altLabel, Literal("ILO", lang="en")))
    g.add((ilo, SKOS.exactMatch, URIRef(ns.WIKIDATA + "Q54129")))
    g.add((ilo, DCTERMS.description,
           Literal("The organisation whose programme implementation report this is; "
                   "provider of every ILO contribution and output.", lang="en")))
    # "the Office" of the report (Table 2: "outputs delivered by the Office") is the
    # International Labour Office, the Organization's secretariat: a unit of the ILO with
    # names of its own, not another name of the Organization.
    office = iri.ilo_office()
    g.add((office, RDF.type, ORG.OrganizationalUnit))
    g.add((office, RDF.type, ORG.Organization))
    g.add((office, RDFS.label, Literal("International Labour Office", lang="en")))
    g.add((office, SKOS.prefLabel, Literal("International Labour Office", lang="en")))
    g.add((office, SKOS.altLabel, Literal("the Office", lang="en")))
    g.add((office, ORG.unitOf, ilo))
    g.add((ilo, ORG.hasUnit, office))
    g.add((office, DCTERMS.description,
           Literal("The permanent secretariat of the International Labour Organization; "
                   "the report's \"Office\", which delivered the outputs.", lang="en")))
