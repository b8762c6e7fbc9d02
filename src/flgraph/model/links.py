"""What a statement attributes to the programmes, surveys, tools, events and publications
it names: a date or period, or the part an organisation (the ILO included) or a kind of
actor takes in it.

Each is a ``flg:Attribution`` in the source's graph, with the words that say it as its
evidence ("The Government of Zambia implemented its first National Labour Force Survey"),
the statement it is in, and the thing (``flg:about``). A date links to the period node
the statement already describes (``flg:period``; ``flg:launchedIn`` where the text says
the thing was launched or initiated then); a part links to the organisation or kind of
actor and a role of the organisation role scheme. The thing also links to each of its
attributions (``flg:attribution``), so that "when and by whom" is one step from it.

What a publication is about is described with it (``dcterms:subject``): the subject named
right after its quoted title, or inside the description of an untitled one.
"""

from __future__ import annotations

import re

from rdflib import URIRef

from ..extract.records import InitiativeMention, Statement, ThingLink
from .context import Context
from .named import initiative_iri, publication_iri
from .terms import DCTERMS, FLG, RDF

#: Between a quoted title and the subject named after it: '" on ', '” about '.
_AFTER_TITLE = re.compile(r"[\"”]?\s+(?:on|about)\s+")
#: Said of an attribution to the ILO that the sentence does not name it in.
IMPLIED = ("The Office's by the table's definition of the statement (outputs delivered by "
           "the Office); the sentence names no one else who did it.")


def add_links(ctx: Context, statement: URIRef, said: Statement) -> None:
    for link in said.links:
        _attribution(ctx, statement, link)
    _publication_subjects(ctx, said)


def thing_iri(ctx: Context, thing) -> URIRef:
    if isinstance(thing, InitiativeMention):
        return initiative_iri(ctx, thing)
    return publication_iri(ctx, thing)


def _attribution(ctx: Context, statement: URIRef, link: ThingLink) -> URIRef:
    source = link.evidence.source.name
    thing = thing_iri(ctx, link.thing)
    other = link.period or link.organisation or link.actor_type
    other_start = (other.evidence.spans[0].start if other is not None
                   else link.evidence.spans[0].start)
    node = ctx.iri.attribution(source, link.thing.evidence.spans[0].start, other_start)
    ctx.add(node, RDF.type, FLG.Attribution)
    ctx.add(node, FLG.about, thing)
    ctx.add(node, FLG.statement, statement)
    ctx.add(thing, FLG.attribution, node)
    if link.period is not None:
        period = ctx.iri.period(source, link.period.evidence.spans[0].start)
        prop = FLG.launchedIn if link.relation == "launched" else FLG.period
        ctx.add(node, prop, period)
        ctx.label(node, f"{_name(link)}: {link.period.phrase}")
    else:
        ctx.add(node, FLG.role, ctx.iri.role(link.relation))
        if link.actor_type is not None:
            ctx.add(node, FLG.organisationType, ctx.iri.organisation_type(link.actor_type.label))
            who = link.actor_type.label
        elif link.organisation is not None:
            ctx.add(node, FLG.organisation,
                    ctx.iri.organisation(link.organisation.name, link.organisation.country))
            who = link.organisation.name
        else:
            ctx.add(node, FLG.organisation, ctx.iri.ilo())
            who = "ILO"
            if link.implied:
                ctx.text(node, DCTERMS.description, IMPLIED)
        ctx.label(node, f"{_name(link)}: {who} ({link.relation})")
    ctx.derived(node, link.evidence)
    return node


def _name(link: ThingLink) -> str:
    return getattr(link.thing, "name", None) or link.thing.title


def _publication_subjects(ctx: Context, said: Statement) -> None:
    """What a publication is about, as the statement says: a subject named right after
    its quoted title ('"Tricked and Trapped Study" on Human Trafficking in the Middle
    East'), or inside the description of an untitled one ("… to provide … with the
    methodology and steps needed to replicate the program")."""
    text = said.evidence.source.text if said.evidence.source else ""
    for publication in said.publications:
        spans = publication.evidence.spans
        if not spans:
            continue
        first, last = spans[0], spans[-1]
        described = publication.described_at is not None
        if described and first.start != publication.described_at:
            continue  # "this publication": a later naming
        for subject in said.subjects:
            at = subject.evidence.spans[0]
            inside = described and first.start <= at.start and at.end <= last.end
            after_title = (not described
                           and _AFTER_TITLE.fullmatch(text[last.end : at.start]) is not None)
            if inside or after_title:
                ctx.describe(publication_iri(ctx, publication), DCTERMS.subject,
                             ctx.iri.subject(subject.label))


__all__ = ["add_links", "thing_iri"]
