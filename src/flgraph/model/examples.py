"""Table 2: results-chain examples, ILO contributions and country results."""

from __future__ import annotations

from rdflib import Literal, URIRef

from ..extract.records import ChainExample
from .context import Context
from .statements import add_statement
from .terms import FLG, PROV, RDF


def add_example(ctx: Context, outcome_number: str, outcome: URIRef,
                example: ChainExample) -> URIRef:
    node = ctx.iri.chain_example(outcome_number, example.iso3)
    name = ctx.reference.country(example.iso3).name
    ctx.add(node, RDF.type, FLG.ResultsChainExample)
    ctx.label(node, f"Results chain: {name} (outcome {outcome_number})")
    ctx.add(node, FLG.outcome, outcome)
    ctx.add(node, FLG.country, ctx.iri.country(example.iso3))
    ctx.text(node, FLG.writtenAs, example.country_written)
    if example.gender_specific is not None:
        ctx.add(node, FLG.genderSpecific, Literal(example.gender_specific))
    ctx.derived(node, example.evidence)
    results = []
    for k, said in enumerate(example.results, start=1):
        result = ctx.iri.country_result(outcome_number, example.iso3, k)
        add_statement(ctx, result, FLG.CountryResult, said, f"Result in {name} ({k})",
                      "result-actor", k)
        ctx.add(result, FLG.country, ctx.iri.country(example.iso3))
        ctx.add(node, FLG.countryResult, result)
        results.append(result)
    for k, said in enumerate(example.contributions, start=1):
        contribution = ctx.iri.contribution(outcome_number, example.iso3, k)
        add_statement(ctx, contribution, FLG.Contribution, said,
                      f"ILO contribution in {name} ({k})", "contribution-partner", k)
        ctx.add(contribution, FLG.country, ctx.iri.country(example.iso3))
        ctx.add(contribution, PROV.wasAttributedTo, ctx.iri.ilo())
        ctx.add(node, FLG.contribution, contribution)
        for result in results:
            ctx.add(contribution, FLG.contributesTo, result)
    return node
