"""Table 3 outputs, lessons learned and other running text of an outcome."""

from __future__ import annotations

from rdflib import URIRef

from ..extract.records import Lesson, Output, Paragraph, Typology
from .context import Context
from .statements import add_statement
from .terms import FLG, PROV
from .vocab import OUTPUT_SCHEME


def add_output(ctx: Context, outcome_number: str, outcome: URIRef, output: Output) -> URIRef:
    node = ctx.iri.output(outcome_number, output.typology.label, output.ordinal)
    add_statement(ctx, node, FLG.Output, output.statement,
                  f"{output.typology.label} output {output.ordinal} (outcome {outcome_number})",
                  "output-subject", output.ordinal)
    ctx.add(node, FLG.outputTypology, output_typology(ctx, output.typology))
    ctx.add(node, FLG.outcome, outcome)
    ctx.add(node, PROV.wasAttributedTo, ctx.iri.ilo())
    if output.scope:
        scope = output.scope
        place = (ctx.iri.country(scope.code) if scope.kind == "country"
                 else ctx.iri.region(scope.code))
        ctx.add(node, FLG.scope, place)
        ctx.text(node, FLG.writtenAs, scope.written)
    ctx.add(outcome, FLG.output, node)
    return node


def output_typology(ctx: Context, typology: Typology) -> URIRef:
    scheme = ctx.iri.scheme(OUTPUT_SCHEME)
    concept = ctx.vocab.concept(scheme, typology.label)
    if concept is not None:
        return concept
    concept = ctx.iri.output_typology(typology.label)
    for triple in ctx.vocab.add_concept(scheme, concept, typology.label, FLG.OutputTypology,
                                        None):
        ctx.graph.add(triple)
    return concept


def add_lesson(ctx: Context, outcome_number: str, outcome: URIRef, lesson: Lesson) -> URIRef:
    node = ctx.iri.lesson(outcome_number, lesson.ordinal)
    add_statement(ctx, node, FLG.Lesson, lesson.statement,
                  f"Lesson learned {lesson.ordinal} (outcome {outcome_number})", "mentioned",
                  lesson.ordinal)
    ctx.add(node, FLG.outcome, outcome)
    ctx.add(outcome, FLG.lesson, node)
    return node


def add_paragraph(ctx: Context, outcome_number: str, outcome: URIRef,
                  paragraph: Paragraph) -> URIRef:
    node = ctx.iri.paragraph(outcome_number, paragraph.ordinal)
    add_statement(ctx, node, FLG.Paragraph, paragraph.statement,
                  f"{paragraph.section}, paragraph {paragraph.ordinal}", "mentioned",
                  paragraph.ordinal)
    ctx.add(node, FLG.outcome, outcome)
    ctx.add(outcome, FLG.paragraph, node)
    return node
