"""What a resource page says first, in the report's words, before its RDF description.

A member State's page reads its country profile (the saved query ``country-profile``,
through the query service like any page): the typologies it is listed under per
indicator, its results chain as the report tells it (the ILO's contributions in order,
then the country's result, then the gender mark), outputs scoped to it, organisations
named, and its region — each statement with its evidence. Any other resource read from
the report opens with its own text (``flg:text``, a title or a definition); a piece of
evidence is its quote, shown by the page's evidence section.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from .. import namespaces as ns
from ..query.service import QueryRequest
from .links import Links
from .services import services

#: The properties that hold a resource's own words, in order of preference.
_OWN_WORDS = (ns.FLG + "text", ns.DCTERMS + "title", ns.SKOS + "definition")
#: Headings of the country profile's aspects, as a reader asks; reference codes stay in
#: the data view below.
_HEADINGS = {"ILO contribution": "What the ILO contributed",
             "country result": "What the country did",
             "gender-specific": "Gender",
             "output scoped to the country": "ILO outputs for this member State",
             "organisation": "Organisations named",
             "ILO region": "ILO region"}
_TYPOLOGY = "result typology (indicator "


@dataclass(frozen=True)
class Statement:
    text: str
    href: str | None  # the thing's own page
    evidence: str | None  # its evidence's page


@dataclass(frozen=True)
class Section:
    heading: str
    statements: tuple[Statement, ...]


@dataclass(frozen=True)
class Summary:
    sections: tuple[Section, ...]
    links: tuple[tuple[str, str], ...] = ()  # (text, href): where to read on


def summary(iri: str, triples, links: Links) -> Summary | None:
    """The summary of the resource ``iri``, or None when there is nothing to say in words."""
    this = ox.NamedNode(iri)
    types = {t.object.value for t in triples if t.subject == this
             and t.predicate.value == ns.RDF + "type"}
    if ns.FLG + "Country" in types:
        return _country(this, links)
    return _own_words(this, triples, links)


def _country(country: ox.NamedNode, links: Links) -> Summary:
    saved = services().queries.get("country-profile")
    if saved is None:
        return Summary(())
    rows = services().query_service.run(QueryRequest(saved.text, {"country": country})).dicts()
    sections: dict[str, list[Statement]] = {}
    for row in rows:
        aspect = row["aspect"].value
        heading = (f"Its results in Table 1, by typology (indicator {aspect[len(_TYPOLOGY):-1]})"
                   if aspect.startswith(_TYPOLOGY) else _HEADINGS.get(aspect))
        if heading is None:
            continue
        value, evidence = row.get("value"), row.get("evidence")
        text = row["valueLabel"].value
        sections.setdefault(heading, []).append(Statement(
            "Gender-specific, as the report marks it" if aspect == "gender-specific" else text,
            links.href(value.value) if isinstance(value, ox.NamedNode) else None,
            links.href(evidence.value) if evidence is not None else None))
    code = country.value.rsplit("/", 1)[-1]
    reading = (("Country profile (the same, as a table to download)",
                f"/queries/country-profile?country={code}"),
               ("Results chain", f"/queries/results-chain?country={code}"))
    return Summary(tuple(Section(h, tuple(s)) for h, s in sections.items()), reading)


def _own_words(this: ox.NamedNode, triples, links: Links) -> Summary | None:
    own = {t.predicate.value: t.object for t in triples if t.subject == this
           and t.predicate.value in _OWN_WORDS and isinstance(t.object, ox.Literal)}
    words = next((own[p].value for p in _OWN_WORDS if p in own), None)
    if words is None:
        return None
    evidence = sorted(t.object.value for t in triples if t.subject == this
                      and t.predicate.value == ns.PROV + "wasDerivedFrom")
    href = links.href(evidence[0]) if evidence else None
    return Summary((Section("In the report's words", (Statement(words, None, href),)),))
