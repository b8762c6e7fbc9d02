"""Things a statement names besides organisations and publications: ILO instruments,
places below country level, programmes, strategies, surveys, tools, data sets and
events, actors named in lower case (organisation types), and languages.

Each is a resource described once for the dataset (``ctx.describe``), derived from the
evidence of every naming. Each naming is a ``flg:Mention`` in the source's graph that
pairs the statement with the thing and the exact characters that name it, as a citation
does for a publication; the statement also links to the thing directly, by a property
that says how it names it.
"""

from __future__ import annotations

from rdflib import Literal, URIRef

from .. import namespaces as ns
from ..extract.records import (
    ActorTypeMention,
    ConventionMention,
    Evidence,
    InitiativeMention,
    LanguageMention,
    PlaceMention,
    PublicationMention,
    Statement,
    SubjectMention,
)
from .context import Context
from .iri import instrument_code
from .terms import DCTERMS, FLG, RDF, RDFS, SCHEMA, SKOS, XSD

#: The classes of each kind of initiative: ours, under the W3C/schema.org class it is.
INITIATIVE_CLASSES = {
    "programme": (FLG.Programme, SCHEMA.Project),
    "strategy": (FLG.Strategy, SCHEMA.Project),
    "survey": (FLG.Survey,),
    "tool": (FLG.Tool, SCHEMA.LearningResource),
    "dataset": (SCHEMA.Dataset,),
    "event": (SCHEMA.Event,),
    "agreement": (FLG.Agreement, SCHEMA.CreativeWork),
}
ACTOR_RELATIONS = {"partner": FLG.partnerType, "beneficiary": FLG.beneficiary,
                   "participant": FLG.participantType, "actor": FLG.actorType}


def add_named(ctx: Context, statement: URIRef, said: Statement) -> None:
    places = {p.name: (_place(ctx, statement, p), p.country) for p in said.places}
    instruments = [(c, _instrument(ctx, statement, c)) for c in said.conventions]
    for initiative in said.initiatives:
        _initiative(ctx, statement, initiative, places, instruments)
    for actor in said.actor_types:
        _actor_type(ctx, statement, actor)
    for subject in said.subjects:
        _subject(ctx, statement, subject)


def _mention(ctx: Context, statement: URIRef, thing: URIRef, label: str,
             evidence: Evidence) -> None:
    node = ctx.iri.mention(evidence.source.name, evidence.spans[0].start)
    ctx.add(node, RDF.type, FLG.Mention)
    ctx.label(node, label)
    ctx.add(node, FLG.about, thing)
    ctx.add(node, FLG.statement, statement)
    ctx.derived(node, evidence)
    ctx.derived(thing, evidence)


def _describe_label(ctx: Context, node: URIRef, label: str) -> None:
    ctx.describe(node, RDFS.label, Literal(label, lang="en"))
    ctx.describe(node, SKOS.prefLabel, Literal(label, lang="en"))


def _instrument(ctx: Context, statement: URIRef, c: ConventionMention) -> URIRef:
    node = ctx.iri.instrument(c.kind, c.number, c.title)
    ctx.describe(node, RDF.type, FLG.Instrument)
    # one name for all its namings: "Convention No. 188" where the text gives a number
    # (the form the report's own references take), else the title as written; every
    # other way the text writes it is an alternative name
    label = f"{c.kind.capitalize()} No. {c.number}" if c.number is not None else c.written
    _describe_label(ctx, node, label)
    if c.written != label:
        ctx.describe(node, SKOS.altLabel, Literal(c.written, lang="en"))
    ctx.describe(node, FLG.instrumentKind, Literal(c.kind, lang="en"))
    if c.title:
        ctx.describe(node, DCTERMS.title, Literal(c.title, lang="en"))
    if c.year:
        ctx.describe(node, DCTERMS.date, Literal(c.year, datatype=XSD.gYear))
    if c.number is not None:
        code = instrument_code(c.kind, c.number)
        ctx.describe(node, FLG.instrumentNumber, Literal(c.number))
        ctx.describe(node, SKOS.notation, Literal(code))
        # only from a number the text gives: the page NORMLEX keeps under that code
        ctx.describe(node, SKOS.exactMatch, URIRef(ns.NORMLEX_INSTRUMENT + code))
    ctx.add(statement, FLG.instrument, node)
    _mention(ctx, statement, node, c.written, c.evidence)
    return node


def _place(ctx: Context, statement: URIRef, p: PlaceMention) -> URIRef:
    country = ctx.iri.country(p.country)
    if p.kind == "subdivision" and p.code:
        node = ctx.iri.subdivision(p.code)
        ctx.describe(node, RDF.type, SCHEMA.AdministrativeArea)
        ctx.describe(node, FLG.iso3166_2, Literal(p.code))
        ctx.describe(node, SKOS.notation, Literal(p.code))
        if p.subdivision_type:
            ctx.describe(node, FLG.placeType, Literal(p.subdivision_type, lang="en"))
    else:
        node = ctx.iri.city(p.country, p.name)
        ctx.describe(node, RDF.type, SCHEMA.City)
    ctx.describe(node, RDF.type, FLG.Place)
    _describe_label(ctx, node, p.name)
    ctx.describe(node, SCHEMA.containedInPlace, country)
    ctx.describe(node, FLG.country, country)
    ctx.add(statement, FLG.place, node)
    _mention(ctx, statement, node, p.name, p.evidence)
    return node


def initiative_iri(ctx: Context, m: InitiativeMention) -> URIRef:
    """A named thing by its kind, country and name; a described one by where it is."""
    if m.named:
        return ctx.iri.initiative(m.kind, m.name, m.country)
    return ctx.iri.described(m.kind, m.evidence.source.name, m.evidence.spans[0].start)


def _initiative(ctx: Context, statement: URIRef, m: InitiativeMention,
                places: dict[str, tuple[URIRef, str]], instruments: list) -> URIRef:
    node = initiative_iri(ctx, m)
    for cls in INITIATIVE_CLASSES[m.kind]:
        ctx.describe(node, RDF.type, cls)
    ctx.describe(node, FLG.initiativeKind, Literal(m.kind, lang="en"))
    _describe_label(ctx, node, m.name)
    if not m.named:
        ctx.describe(node, DCTERMS.description,
                     Literal("Described, not named, by the report", lang="en"))
    if m.acronym:
        ctx.describe(node, SKOS.altLabel, Literal(m.acronym, lang="en"))
    if m.country:
        ctx.describe(node, FLG.country, ctx.iri.country(m.country))
    if m.venue and m.venue in places:
        venue, venue_country = places[m.venue]
        ctx.describe(node, SCHEMA.location, venue)
        if not m.country:  # "a tripartite conference in Amman, Jordan": the venue's country
            ctx.describe(node, FLG.country, ctx.iri.country(venue_country))
    if m.format:
        ctx.describe(node, FLG["format"], Literal(m.format))
    span = m.evidence.spans
    for convention, instrument in instruments:
        inside = convention.evidence.spans[0]
        if span and span[0].start <= inside.start and inside.end <= span[-1].end:
            ctx.describe(node, DCTERMS.subject, instrument)  # "… Forum for the Promotion
            # of the Work in Fishing Convention": the convention is what it is about
    for language in m.languages:
        ctx.describe(node, DCTERMS.language, _language(ctx, statement, language))
    ctx.add(statement, FLG.initiative, node)
    _mention(ctx, statement, node, m.name, m.evidence)
    return node


def _language(ctx: Context, statement: URIRef, lang: LanguageMention) -> URIRef:
    node = ctx.iri.language(lang.iso639_3)
    ctx.describe(node, RDF.type, DCTERMS.LinguisticSystem)
    _describe_label(ctx, node, lang.name)
    ctx.describe(node, FLG.iso639_3, Literal(lang.iso639_3))
    ctx.describe(node, SKOS.notation, Literal(lang.iso639_3))
    if lang.iso639_1:
        ctx.describe(node, FLG.iso639_1, Literal(lang.iso639_1))
    ctx.describe(node, SKOS.exactMatch, URIRef(ns.LEXVO_ISO639_3 + lang.iso639_3))
    _mention(ctx, statement, node, lang.name, lang.evidence)
    return node


def _actor_type(ctx: Context, statement: URIRef, a: ActorTypeMention) -> URIRef:
    node = ctx.iri.organisation_type(a.label)
    ctx.describe(node, RDF.type, FLG.OrganisationType)
    ctx.describe(node, RDF.type, SKOS.Concept)
    ctx.describe(node, SKOS.inScheme, ctx.iri.scheme("organisation-type"))
    _describe_label(ctx, node, a.label)
    ctx.add(statement, ACTOR_RELATIONS[a.relation], node)
    _mention(ctx, statement, node, a.label, a.evidence)
    return node


def _subject(ctx: Context, statement: URIRef, s: SubjectMention) -> URIRef:
    node = ctx.iri.subject(s.label)
    ctx.describe(node, RDF.type, SKOS.Concept)
    ctx.describe(node, SKOS.inScheme, ctx.iri.scheme("subject"))
    _describe_label(ctx, node, s.label)
    ctx.add(statement, DCTERMS.subject, node)
    _mention(ctx, statement, node, s.label, s.evidence)
    return node


def publication_iri(ctx: Context, p: PublicationMention) -> URIRef:
    """A titled publication by its title; an untitled one by where it is described."""
    if p.described_at is not None:
        return ctx.iri.described("publication", p.evidence.source.name, p.described_at)
    return ctx.iri.publication(p.title)
