"""Blocks of report text and what they mention: quantities, periods, organisations,
publications. Each mention is a node with its own evidence, linked from its statement."""

from __future__ import annotations

from rdflib import Literal, URIRef

from ..extract.records import OrganisationMention, Period, PublicationMention, Quantity, Statement
from .context import Context
from .links import add_links
from .named import add_named, publication_iri
from .terms import DCTERMS, FLG, ORG, RDF, RDFS, SCHEMA, SKOS, TIME, XSD


def add_statement(ctx: Context, node: URIRef, kind: URIRef, said: Statement, label: str,
                  role: str, ordinal: int | None = None) -> None:
    ctx.add(node, RDF.type, kind)
    ctx.label(node, label)
    ctx.text(node, FLG.text, said.text)
    if ordinal is not None:
        ctx.add(node, FLG.ordinal, Literal(ordinal))
    ctx.derived(node, said.evidence)
    for quantity in said.quantities:
        ctx.add(node, FLG.quantity, _quantity(ctx, node, quantity))
    for period in said.periods:
        ctx.add(node, FLG.period, _period(ctx, node, period))
    for mention in said.organisations:
        ctx.add(node, FLG.involvement, _involvement(ctx, node, mention, role))
    for publication in said.publications:
        ctx.add(node, FLG.publication, _publication(ctx, node, publication))
        ctx.add(node, FLG.citation, _citation(ctx, node, publication))
    add_named(ctx, node, said)
    add_links(ctx, node, said)


def _quantity(ctx: Context, statement: URIRef, q: Quantity) -> URIRef:
    node = ctx.iri.quantity(q.evidence.source.name, q.evidence.spans[0].start)
    ctx.add(node, RDF.type, SCHEMA.QuantitativeValue)
    ctx.label(node, q.phrase)
    ctx.add(node, SCHEMA.value, Literal(q.value))
    ctx.add(node, SCHEMA.unitText, Literal(q.unit, lang="en"))
    if q.qualifier:
        ctx.add(node, FLG.qualifier, Literal(q.qualifier, lang="en"))
    ctx.add(node, FLG.phrase, Literal(q.phrase, lang="en"))
    ctx.add(node, FLG.quantityKind, ctx.iri.quantity_kind(q.kind))
    ctx.add(node, FLG.statement, statement)
    ctx.derived(node, q.evidence)
    return node


def _period(ctx: Context, statement: URIRef, p: Period) -> URIRef:
    node = ctx.iri.period(p.evidence.source.name, p.evidence.spans[0].start)
    ctx.add(node, RDF.type, TIME.ProperInterval)
    ctx.label(node, p.phrase)
    ctx.add(node, FLG.phrase, Literal(p.phrase, lang="en"))
    ctx.add(node, FLG.statement, statement)
    for prop, value, suffix in ((TIME.hasBeginning, p.start, "beginning"),
                                (TIME.hasEnd, p.end, "end")):
        instant = URIRef(f"{node}/{suffix}")
        ctx.add(node, prop, instant)
        ctx.add(instant, RDF.type, TIME.Instant)
        ctx.add(instant, *_xsd_date(value))
    ctx.derived(node, p.evidence)
    return node


def _xsd_date(value: str) -> tuple[URIRef, Literal]:
    """OWL-Time's property for the precision the report gives: year, month or day."""
    if len(value) == 4:
        return TIME.inXSDgYear, Literal(value, datatype=XSD.gYear)
    if len(value) == 7:
        return TIME.inXSDgYearMonth, Literal(value, datatype=XSD.gYearMonth)
    return TIME.inXSDDate, Literal(value, datatype=XSD.date)


def _involvement(ctx: Context, statement: URIRef, m: OrganisationMention, role: str) -> URIRef:
    organisation = ctx.iri.organisation(m.name, m.country)
    ctx.describe(organisation, RDF.type, ORG.Organization)
    ctx.describe(organisation, SKOS.prefLabel, Literal(m.name, lang="en"))
    ctx.describe(organisation, RDFS.label, Literal(m.name, lang="en"))
    if m.acronym:
        ctx.describe(organisation, SKOS.altLabel, Literal(m.acronym, lang="en"))
    ctx.describe(organisation, FLG.organisationKind, Literal(m.kind, lang="en"))
    if m.country:
        ctx.describe(organisation, FLG.country, ctx.iri.country(m.country))
    if m.part_of:
        ctx.describe(organisation, ORG.subOrganizationOf,
                     ctx.iri.organisation(m.part_of, m.part_of_country))
    if m.established:
        # the statement says it came into being; it took no action in it
        ctx.add(statement, FLG.establishes, organisation)
        role = "established"
    node = ctx.iri.involvement(m.evidence.source.name, m.evidence.spans[0].start)
    ctx.add(node, RDF.type, FLG.Involvement)
    ctx.label(node, m.name)
    ctx.add(node, FLG.organisation, organisation)
    ctx.add(node, FLG.role, ctx.iri.role(role))
    ctx.add(node, FLG.statement, statement)
    ctx.derived(node, m.evidence)
    ctx.derived(organisation, m.evidence)
    return node


def _publication(ctx: Context, statement: URIRef, p: PublicationMention) -> URIRef:
    node = publication_iri(ctx, p)
    ctx.describe(node, RDF.type, FLG.Publication)
    if p.described_at is None:
        ctx.describe(node, DCTERMS.title, Literal(p.title, lang="en"))
    else:  # no title is invented: it is known by the words that describe it
        ctx.describe(node, DCTERMS.description,
                     Literal("Described, not named, by the report", lang="en"))
        ctx.describe(node, SKOS.prefLabel, Literal(p.title, lang="en"))
    ctx.describe(node, RDFS.label, Literal(p.title, lang="en"))
    ctx.describe(node, FLG.publicationKind, Literal(p.kind, lang="en"))
    if p.year:
        ctx.describe(node, DCTERMS.issued, Literal(p.year, datatype=XSD.gYear))
    if p.by_ilo:
        ctx.describe(node, DCTERMS.publisher, ctx.iri.ilo())
    ctx.add(node, FLG.statement, statement)
    ctx.derived(node, p.evidence)
    return node


def _citation(ctx: Context, statement: URIRef, p: PublicationMention) -> URIRef:
    """One naming of a publication: which statement names it, and where.

    A publication named in two statements has two statements and two evidence nodes;
    linked straight to the publication they could not be paired again (each statement
    would meet both evidences). The citation keeps each pair, as an involvement does for
    an organisation."""
    node = ctx.iri.citation(p.evidence.source.name, p.evidence.spans[0].start)
    ctx.add(node, RDF.type, FLG.Citation)
    ctx.label(node, p.title)
    ctx.add(node, FLG.publication, publication_iri(ctx, p))
    ctx.add(node, FLG.statement, statement)
    ctx.derived(node, p.evidence)
    return node
