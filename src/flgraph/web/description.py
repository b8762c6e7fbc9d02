"""A resource's description (triples) as a page shows it: label, types, and its links out
and in, grouped by property with the labels of what they point to.

Terms become ``Shown`` values: text to read, where a link goes (only http(s) IRIs ever
get one — dataset IRIs to this site's pages, others as they are; a ``javascript:`` IRI
stays inert text), the language or datatype of a literal. Escaping is the template's
job (autoescape), never done or undone here.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import pyoxigraph as ox

from .. import namespaces as ns
from ..query.answers import compact
from .links import Links

#: Label properties in order of preference.
LABELS = (ns.SKOS + "prefLabel", ns.RDFS + "label", ns.DCTERMS + "title")
TYPE = ns.RDF + "type"
DERIVED_FROM = ns.PROV + "wasDerivedFrom"
#: What pages call the SKOS terms the data reuses: their rdfs:label in the SKOS RDF
#: schema (http://www.w3.org/2004/02/skos/core.rdf), where the ontology has none of its
#: own; other reused terms read as their local name in words ("was derived from").
REUSED_NAMES = {ns.SKOS + "prefLabel": "preferred label",
                ns.SKOS + "altLabel": "alternative label",
                ns.SKOS + "exactMatch": "has exact match",
                ns.SKOS + "broader": "has broader",
                ns.SKOS + "inScheme": "is in scheme",
                ns.SKOS + "topConceptOf": "is top concept in scheme"}
_PLAIN = (ns.XSD + "string", ns.RDF + "langString")
_ENDS = {ns.TIME + "hasBeginning": "Beginning", ns.TIME + "hasEnd": "End"}


@dataclass(frozen=True)
class Shown:
    text: str
    kind: str  # iri | literal | bnode
    href: str | None = None
    iri: str | None = None  # the full IRI, shown on hover
    lang: str | None = None
    datatype: str | None = None  # compact datatype of a typed literal
    datatype_iri: str | None = None
    curie: str | None = None  # a property's prefixed name, as a query writes it
    details: tuple[tuple[Shown, Shown], ...] = ()  # a blank node's own properties


@dataclass(frozen=True)
class Group:
    predicate: Shown
    values: tuple[Shown, ...]  # the first ``shown`` of them, in reading order
    count: int  # all of them

    @property
    def cut(self) -> bool:
        return self.count > len(self.values)


@dataclass(frozen=True)
class Description:
    iri: str
    label: str  # the page's title: distinct from any other page's
    types: tuple[Shown, ...]
    outgoing: tuple[Group, ...]
    incoming: tuple[Group, ...]


def describe(iri: str, triples: Iterable[ox.Triple], links: Links,
             shown: int | None = None, names: dict[str, str] | None = None,
             named: dict[str, str] | None = None) -> Description:
    """``shown``: at most so many values of a property on the page (a hub such as a
    typology has thousands of listings pointing to it at 2M triples); None: all.
    ``names``: what the ontology calls its classes and properties (their labels).
    ``named``: names of resources that have no label (IRI → name), read from the data
    (a data-cube observation is named from what it records)."""
    triples = list(triples)
    this = ox.NamedNode(iri)
    labels = {ox.NamedNode(node): name for node, name in (named or {}).items()}
    labels.update(_labels(triples))
    show = _Shower(labels, links, triples, names or {})
    outgoing = [t for t in triples if t.subject == this]
    incoming = [t for t in triples if t.object == this and t.subject != this]
    types = sorted((show(t.object) for t in outgoing if t.predicate.value == TYPE),
                   key=_order)
    return Description(
        iri=iri,
        label=_title(this, labels, outgoing, incoming, types),
        types=tuple(types),
        outgoing=_groups(((t.predicate, t.object) for t in outgoing), show, shown),
        incoming=_groups(((t.predicate, t.subject) for t in incoming), show, shown),
    )


def _title(this: ox.NamedNode, labels: dict, outgoing: list, incoming: list,
           types: list[Shown]) -> str:
    """The page's title in words: the resource's label; a piece of evidence is "Evidence
    for" what was read from it; a resource labelled as a thing it links to (an
    involvement, by its organisation's name) says what kind of thing it is."""
    kind = types[0].text if types else ""
    label = labels.get(this)
    if label is None:
        derived = sorted({labels[t.subject] for t in incoming
                          if t.predicate.value == DERIVED_FROM and t.subject in labels})
        if derived:
            more = f" and {len(derived) - 1} more" if len(derived) > 1 else ""
            return f"Evidence for {derived[0]}{more}"
        ends = sorted(f"{_ENDS[t.predicate.value]} of {labels[t.subject]}" for t in incoming
                      if t.predicate.value in _ENDS and t.subject in labels)
        if ends:  # a period's beginning or end: "Beginning of 2013 - 2016"
            return ends[0]
        name = readable(this.value)
        return name[:1].upper() + name[1:]
    if kind and any(labels.get(t.object) == label for t in outgoing
                    if t.predicate.value != TYPE):
        return f"{label} ({kind[:1].lower() + kind[1:]})"
    return label


def _labels(triples: list[ox.Triple]) -> dict:
    """The best label of each node: English or untagged first, then any language."""
    best: dict = {}
    for t in triples:
        if t.predicate.value not in LABELS or not isinstance(t.object, ox.Literal):
            continue
        rank = (LABELS.index(t.predicate.value),
                0 if t.object.language in (None, "en") else 1, t.object.value)
        if t.subject not in best or rank < best[t.subject][0]:
            best[t.subject] = (rank, t.object.value)
    return {node: text for node, (_, text) in best.items()}


class _Shower:
    def __init__(self, labels: dict, links: Links, triples: list[ox.Triple],
                 names: dict[str, str]) -> None:
        self.labels = labels
        self.links = links
        self.triples = triples
        self.names = names

    def __call__(self, term, depth: int = 0) -> Shown:
        if isinstance(term, ox.NamedNode):
            text = (self.labels.get(term) or self.names.get(term.value)
                    or REUSED_NAMES.get(term.value) or _vocabulary_term(term.value)
                    or readable(term.value))
            return Shown(text, "iri", self.links.href(term.value), term.value)
        if isinstance(term, ox.BlankNode):
            details = () if depth else tuple(
                (self(t.predicate, 1), self(t.object, 1)) for t in self.triples
                if t.subject == term)
            return Shown(f"_:{term.value}", "bnode", details=details)
        datatype = term.datatype.value if term.datatype else None
        if term.language or datatype in _PLAIN:
            return Shown(term.value, "literal", lang=term.language or None)
        return Shown(term.value, "literal", datatype=compact(term.datatype).strip("<>"),
                     datatype_iri=datatype)

    def predicate(self, term: ox.NamedNode) -> Shown:
        """Properties by the ontology's label ("ILO region"), else their own name in words
        ("was derived from"); the prefixed name a query would use is on hover."""
        name = (self.names.get(term.value) or REUSED_NAMES.get(term.value)
                or words(term.value))
        return Shown(name[:1].upper() + name[1:], "iri", self.links.href(term.value), term.value,
                     curie=compact(term).strip("<>"))


def readable(iri: str) -> str:
    """A name for a dataset resource without a label, from its IRI's natural keys
    (``id/evidence/<source>/1111-1143`` → "characters 1111–1143 of 000_….txt"; others
    "cube: table-1 · 15.1 · NPL"), so that no page shows a prefixed name as a label;
    other IRIs by their prefixed name."""
    if not iri.startswith(ns.ID):
        return compact(ox.NamedNode(iri)).strip("<>")
    kind, *keys = iri[len(ns.ID):].split("/")
    if kind == "evidence" and len(keys) >= 2:
        span = keys[-1].replace("-", "–")
        what = "selected characters" if "selector" in keys else "characters"
        return f"{what} {span} of source {keys[0]}"
    return f"{kind.replace('-', ' ')}: {' · '.join(keys)}" if keys else kind.replace("-", " ")


def _vocabulary_term(iri: str) -> str | None:
    """A term of a vocabulary the data reuses (org:Organization, skos:Concept), in words."""
    if iri.startswith(ns.ID) or not any(
            iri.startswith(space) and iri != space for space in ns.PREFIXES.values()):
        return None
    return words(iri)


def words(iri: str) -> str:
    """A term's local name as words: ``wasDerivedFrom`` → "was derived from"."""
    local = iri.rstrip("/#").rsplit("#", 1)[-1].rsplit("/", 1)[-1]
    parts, word = [], ""
    for char in local:
        if char.isupper() and word and not word[-1].isupper():
            parts.append(word)
            word = ""
        word += char
    parts.append(word)
    return " ".join(w if w.isupper() and len(w) > 1 else w.lower() for w in parts if w)


def _groups(pairs: Iterable[tuple], show: _Shower, shown: int | None) -> tuple[Group, ...]:
    by_predicate: dict = {}
    for predicate, value in pairs:
        by_predicate.setdefault(predicate, []).append(value)
    groups = [Group(show.predicate(p),
                    tuple(sorted((show(v) for v in values), key=_order)[:shown]), len(values))
              for p, values in by_predicate.items()]
    return tuple(sorted(groups, key=lambda g: (_predicate_rank(g.predicate.iri),
                                               g.predicate.text.lower())))


def _predicate_rank(iri: str | None) -> int:
    """Type first, labels next, then everything else by name."""
    if iri == TYPE:
        return 0
    return 1 if iri in LABELS else 2


def _order(shown: Shown) -> tuple:
    return (shown.text.lower(), shown.iri or "", shown.lang or "", shown.datatype or "")
