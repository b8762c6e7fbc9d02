"""An outcome and its Table 1: indicators, targets, reported results with regional
breakdowns, national results and the typology listings they are made of."""

from __future__ import annotations

from rdflib import Literal, URIRef

from ..extract.records import CountStatement, Indicator, Outcome, Typology
from .context import Context
from .named import add_named
from .terms import DCTERMS, FLG, RDF, SKOS
from .vocab import RESULT_SCHEME


def add_outcome(ctx: Context, outcome: Outcome) -> URIRef:
    node = ctx.iri.outcome(outcome.number)
    ctx.add(node, RDF.type, FLG.Outcome)
    ctx.label(node, f"Outcome {outcome.number}: {outcome.title}")
    ctx.add(node, SKOS.notation, Literal(outcome.number))
    ctx.text(node, DCTERMS.title, outcome.title)
    ctx.add(node, FLG.source, ctx.iri.source(outcome.source.name))
    ctx.derived(node, outcome.evidence)
    for indicator in outcome.indicators:
        ctx.add(node, FLG.indicator, add_indicator(ctx, node, indicator))
    return node


def add_indicator(ctx: Context, outcome: URIRef, indicator: Indicator) -> URIRef:
    node = ctx.iri.indicator(indicator.code)
    ctx.add(node, RDF.type, FLG.Indicator)
    ctx.label(node, f"Indicator {indicator.code}")
    ctx.add(node, SKOS.notation, Literal(indicator.code))
    ctx.text(node, FLG.text, indicator.statement.text)
    ctx.add(node, FLG.outcome, outcome)
    ctx.derived(node, indicator.statement.evidence)
    add_named(ctx, node, indicator.statement)
    if indicator.target:
        target = ctx.iri.target(indicator.code)
        _count(ctx, target, FLG.Target, indicator.target, f"Target of indicator {indicator.code}")
        ctx.add(target, FLG.indicator, node)
        ctx.add(node, FLG.target, target)
    if indicator.result:
        result = ctx.iri.reported_result(indicator.code)
        _count(ctx, result, FLG.ReportedResult, indicator.result,
               f"Reported result of indicator {indicator.code}")
        ctx.add(result, FLG.indicator, node)
        ctx.add(node, FLG.reportedResult, result)
    for iso3 in indicator.countries:
        ctx.add(node, FLG.nationalResult, _national_result(ctx, node, indicator, iso3))
    return node


def _count(ctx: Context, node: URIRef, kind: URIRef, count: CountStatement, label: str) -> None:
    ctx.add(node, RDF.type, kind)
    ctx.label(node, label)
    ctx.text(node, FLG.text, count.text)
    if count.total is not None:
        ctx.add(node, FLG.memberStateCount, Literal(count.total))
    ctx.text(node, FLG.unit, count.unit)
    ctx.derived(node, count.evidence)
    for part in count.breakdown:
        region_count = ctx.iri.regional_count(node, part.region)
        region = ctx.reference.region_by_slug(part.region)
        ctx.add(node, FLG.regionalCount, region_count)
        ctx.add(region_count, RDF.type, FLG.RegionalCount)
        ctx.label(region_count, f"{label}: {region.label}")
        ctx.add(region_count, FLG.region, ctx.iri.region(part.region))
        ctx.add(region_count, FLG["count"], Literal(part.count))
        ctx.text(region_count, FLG.writtenAs, part.region_text)
        ctx.derived(region_count, part.evidence)


def _national_result(ctx: Context, indicator_node: URIRef, indicator: Indicator,
                     iso3: str) -> URIRef:
    node = ctx.iri.national_result(indicator.code, iso3)
    country = ctx.reference.country(iso3)
    ctx.add(node, RDF.type, FLG.NationalResult)
    ctx.label(node, f"{country.name}: indicator {indicator.code}")
    ctx.add(node, FLG.indicator, indicator_node)
    ctx.add(node, FLG.country, ctx.iri.country(iso3))
    for listing in indicator.listings:
        if listing.iso3 != iso3:
            continue
        typology = result_typology(ctx, listing.typology)
        item = ctx.iri.listing(indicator.code, iso3, listing.typology.label)
        ctx.add(node, FLG.resultTypology, typology)
        ctx.add(node, FLG.listing, item)
        ctx.add(item, RDF.type, FLG.TypologyListing)
        ctx.label(item, f"{country.name}: {listing.typology.label} (indicator {indicator.code})")
        ctx.add(item, FLG.nationalResult, node)
        ctx.add(item, FLG.resultTypology, typology)
        ctx.add(item, FLG.country, ctx.iri.country(iso3))
        ctx.add(item, FLG.indicator, indicator_node)
        ctx.text(item, FLG.writtenAs, listing.written)
        ctx.derived(item, listing.evidence)
        ctx.derived(node, listing.evidence)
    return node


def result_typology(ctx: Context, typology: Typology) -> URIRef:
    """The concept of a Table 1 column, added to the scheme if the curated one lacks it."""
    scheme = ctx.iri.scheme(RESULT_SCHEME)
    concept = ctx.vocab.concept(scheme, typology.label)
    if concept is not None:
        return concept
    broader = result_typology(ctx, Typology(typology.parent)) if typology.parent else None
    concept = ctx.iri.result_typology(typology.label)
    for triple in ctx.vocab.add_concept(scheme, concept, typology.label, FLG.ResultTypology,
                                        broader):
        ctx.graph.add(triple)
    return concept
