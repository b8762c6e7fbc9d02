"""An RDF Data Cube view of Table 1, derived from the typology listings.

The canonical facts are the listings; the cube restates them for Data Cube tools (one
observation per indicator × member State × typology listed) in a graph of its own, each
observation derived from its listing.
"""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef

from ..extract.records import Outcome
from .context import Context
from .iri import Minter
from .outcomes import result_typology
from .terms import FLG, PROV, QB, RDF, RDFS


def add_cube(g: Graph, ctx: Context, outcomes: list[Outcome]) -> URIRef:
    iri: Minter = ctx.iri
    dataset = iri.cube("table-1")
    g.add((dataset, RDF.type, QB.DataSet))
    g.add((dataset, RDFS.label, Literal("Results by indicator and typology (Table 1)",
                                        lang="en")))
    g.add((dataset, QB.structure, FLG.table1Structure))
    for outcome in outcomes:
        for indicator in outcome.indicators:
            for listing in indicator.listings:
                obs = iri.observation(indicator.code, listing.iso3, listing.typology.label)
                g.add((obs, RDF.type, QB.Observation))
                g.add((obs, QB.dataSet, dataset))
                g.add((obs, FLG.indicator, iri.indicator(indicator.code)))
                g.add((obs, FLG.country, iri.country(listing.iso3)))
                g.add((obs, FLG.resultTypology, result_typology(ctx, listing.typology)))
                g.add((obs, FLG.listed, Literal(True)))
                g.add((obs, PROV.wasDerivedFrom,
                       iri.listing(indicator.code, listing.iso3, listing.typology.label)))
    return dataset
