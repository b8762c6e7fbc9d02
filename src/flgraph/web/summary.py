"""What a resource page says first, in the report's words, before its RDF description.

A member State's page reads its country profile (the saved query ``country-profile``,
through the query service like any page): the typologies it is listed under per
indicator, its results chain as the report tells it (the ILO's contributions in order,
then the country's result, then the gender mark), outputs scoped to it, organisations
named, and its region — each statement with its evidence.

An indicator, an outcome, an organisation, a publication and a results-chain example
each have a query of their own (``sparql/summary-<kind>.rq``, one row per statement:
its heading, words, link and evidence), so what a page says of them is read from the
data on every store, in the report's order. A Table 1 listing, and the data-cube
observation made from it, are told from their own description. Anything else read from
the report opens with its own text (``flg:text``, a title or a definition), what it is
(its country, place, language…) and where the report names it (``summary-named.rq``).
A piece of evidence is its quote, shown by the page's evidence section.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

import pyoxigraph as ox

from .. import namespaces as ns
from ..query.service import QueryRequest
from .description import words
from .internal_queries import sparql
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
    statements: tuple[Statement, ...]  # the first ``shown`` of them
    count: int = 0  # all of them, when more than are shown

    @property
    def cut(self) -> bool:
        return self.count > len(self.statements)


@dataclass(frozen=True)
class Summary:
    sections: tuple[Section, ...]
    links: tuple[tuple[str, str], ...] = ()  # (text, href): where to read on


def summary(iri: str, triples, links: Links, names: dict[str, str] | None = None,
            shown: int | None = None) -> Summary | None:
    """The summary of the resource ``iri``, or None when there is nothing to say in words.
    ``names``: the ontology's names of its properties, for what a thing is. ``shown``: at
    most so many statements under a heading (an indicator at 2M triples lists thousands
    of member States); None: all."""
    found = _summary(ox.NamedNode(iri), triples, links, names or {})
    if found is None or shown is None:
        return found
    return replace(found, sections=tuple(
        Section(s.heading, s.statements[:shown], len(s.statements)) for s in found.sections))


def _summary(this: ox.NamedNode, triples, links: Links, names: dict[str, str]
             ) -> Summary | None:
    types = {t.object.value for t in triples if t.subject == this
             and t.predicate.value == ns.RDF + "type"}
    if ns.FLG + "Country" in types:
        return _country(this, links)
    kind = next((_KINDS[t] for t in sorted(types) if t in _KINDS), None)
    if kind is not None:
        query, reading = kind
        return _nonempty(Summary(_sections(_rows(query, this), links), reading))
    if types & _LISTINGS:
        return _listing(this, triples, links)
    own = _own_words(this, triples, links)
    return _nonempty(Summary((*own, *_facts(this, triples, links, names),
                              *_sections(_rows("summary-named", this), links))))


#: The kinds with a summary query of their own, and where a reader reads on.
_KINDS = {
    ns.FLG + "Indicator": ("summary-indicator", (
        ("Table 1 reconstructed", "/queries/table-1"),
        ("Target versus result by region", "/queries/target-vs-result-by-region"))),
    ns.FLG + "Outcome": ("summary-outcome", (
        ("Table 1 reconstructed", "/queries/table-1"),
        ("Lessons learned", "/queries/lessons-learned"))),
    ns.ORG + "Organization": ("summary-organisation", (
        ("Organisations and their roles", "/queries/organisations"),)),
    ns.ORG + "OrganizationalUnit": ("summary-organisation", (
        ("Organisations and their roles", "/queries/organisations"),)),
    ns.FLG + "Publication": ("summary-publication", (
        ("Publications", "/queries/publications"),)),
    ns.FLG + "ResultsChainExample": ("summary-chain", (
        ("Results chains, as a table", "/queries/results-chain"),)),
}
_LISTINGS = {ns.FLG + "TypologyListing", ns.QB + "Observation"}
#: What a thing read from the report is, as its summary says it before where it is named.
_FACTS = (ns.FLG + "about", ns.FLG + "country", ns.FLG + "indicator", ns.FLG + "listing",
          ns.FLG + "region", ns.FLG + "count", ns.SCHEMA + "containedInPlace",
          ns.SCHEMA + "location", ns.DCTERMS + "language", ns.DCTERMS + "subject",
          ns.FLG + "placeType", ns.FLG + "format", ns.SKOS + "altLabel", ns.DCTERMS + "date",
          ns.DCTERMS + "isPartOf", ns.RDF + "subject", ns.DCTERMS + "description",
          ns.DCTERMS + "bibliographicCitation")


def _nonempty(found: Summary) -> Summary | None:
    return found if found.sections else None


def _rows(query: str, this: ox.NamedNode) -> list[dict]:
    request = QueryRequest(sparql(query), {"this": this})
    return services().query_service.run(request).dicts()


def _sections(rows: list[dict], links: Links) -> tuple[Section, ...]:
    """Rows of a summary query (?section ?text ?value ?evidence, and the words ?quote
    that follow the text in quotation marks) as sections, each where its first statement
    comes and each statement once (an evidence of several spans gives a row per span)."""
    sections: dict[str, dict[Statement, None]] = {}
    for row in rows:
        value, evidence = row.get("value"), row.get("evidence")
        quote = row.get("quote")
        statement = Statement(
            row["text"].value + (f" “{quote.value}”" if quote is not None else ""),
            links.href(value.value) if isinstance(value, ox.NamedNode) else None,
            links.href(evidence.value) if isinstance(evidence, ox.NamedNode) else None)
        sections.setdefault(row["section"].value, {})[statement] = None
    return tuple(Section(h, tuple(s)) for h, s in sections.items())


_LABELS = (ns.SKOS + "prefLabel", ns.RDFS + "label")


def _labels(triples) -> dict:
    """Each node's label, skos:prefLabel before rdfs:label."""
    return {t.subject: t.object.value for t in reversed(triples)
            if t.predicate.value in _LABELS and isinstance(t.object, ox.Literal)}


def _read_from(this: ox.NamedNode, triples, links: Links) -> str | None:
    """The page of the (first) evidence the thing was read from, if it was."""
    evidence = sorted(t.object.value for t in triples if t.subject == this
                      and t.predicate.value == ns.PROV + "wasDerivedFrom")
    return links.href(evidence[0]) if evidence else None


def _listing(this: ox.NamedNode, triples, links: Links) -> Summary | None:
    """A Table 1 listing, or the observation made from it: "Nepal is listed under
    Programmes (indicator 15.1) in Table 1", from its own description."""
    own = {t.predicate.value: t.object for t in triples if t.subject == this}
    labels = _labels(triples)
    country, typology, indicator = (own.get(ns.FLG + k) for k in
                                    ("country", "resultTypology", "indicator"))
    if not all(isinstance(v, ox.NamedNode) and v in labels
               for v in (country, typology, indicator)):
        return None
    source = own.get(ns.PROV + "wasDerivedFrom")
    written = own.get(ns.FLG + "writtenAs")
    text = (f"{labels[country]} is listed under “{labels[typology]}” "
            f"({labels[indicator][:1].lower()}{labels[indicator][1:]}) in Table 1"
            + (f", written “{written.value}”." if isinstance(written, ox.Literal) else "."))
    statements = [Statement(text, links.href(country.value),
                            links.href(source.value) if source is not None else None),
                  Statement(labels[indicator], links.href(indicator.value), None),
                  Statement(f"Typology: {labels[typology]}", links.href(typology.value), None)]
    return Summary((Section("What Table 1 says", tuple(statements)),),
                   (("Table 1 reconstructed", "/queries/table-1"),))


def _facts(this: ox.NamedNode, triples, links: Links, names: dict[str, str]
           ) -> tuple[Section, ...]:
    """What a thing is, as its own statements say: its country, place, languages…, each
    with the evidence the thing was read from."""
    labels = _labels(triples)
    read_from = _read_from(this, triples, links)
    found, seen = [], set()
    for prop in _FACTS:
        for value in sorted((t.object for t in triples
                             if t.subject == this and t.predicate.value == prop),
                            key=lambda v: labels.get(v, v.value)):
            shown = labels.get(value) if isinstance(value, ox.NamedNode) else value.value
            if shown is None or value in seen:  # a place's country is its container too
                continue
            seen.add(value)
            href = links.href(value.value) if isinstance(value, ox.NamedNode) else None
            found.append(Statement(_fact(prop, shown, names), href, read_from))
    return (Section("What it is", tuple(found)),) if found else ()


def _fact(prop: str, shown: str, names: dict[str, str]) -> str:
    """One fact in words: "Also called IAP", "Language: English", a description as is."""
    if prop in (ns.DCTERMS + "description", ns.DCTERMS + "bibliographicCitation"):
        return shown
    if prop == ns.SKOS + "altLabel":
        return f"Also called {shown}"
    name = names.get(prop) or words(prop)
    return f"{name[:1].upper()}{name[1:]}: {shown}"


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


def _own_words(this: ox.NamedNode, triples, links: Links) -> tuple[Section, ...]:
    """The report's words for a thing read from it (its text, or its title); a definition
    the dataset gives a term of its own is a definition, not the report's words."""
    own = {t.predicate.value: t.object for t in triples if t.subject == this
           and t.predicate.value in _OWN_WORDS and isinstance(t.object, ox.Literal)}
    read_from = _read_from(this, triples, links)
    if read_from is None:  # not read from the report: a title is the page's name already
        own.pop(ns.DCTERMS + "title", None)
    found = next((p for p in _OWN_WORDS if p in own), None)
    if found is None:
        return ()
    heading = "Definition" if found == ns.SKOS + "definition" else "In the report's words"
    return (Section(heading, (Statement(own[found].value, None, read_from),)),)
