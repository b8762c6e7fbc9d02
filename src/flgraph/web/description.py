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
from ..results import compact
from .links import Links

#: Label properties in order of preference.
LABELS = (ns.SKOS + "prefLabel", ns.RDFS + "label")
TYPE = ns.RDF + "type"
_PLAIN = (ns.XSD + "string", ns.RDF + "langString")


@dataclass(frozen=True)
class Shown:
    text: str
    kind: str  # iri | literal | bnode
    href: str | None = None
    iri: str | None = None  # the full IRI, shown on hover
    lang: str | None = None
    datatype: str | None = None  # compact datatype of a typed literal
    datatype_iri: str | None = None
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
    label: str
    types: tuple[Shown, ...]
    outgoing: tuple[Group, ...]
    incoming: tuple[Group, ...]


def describe(iri: str, triples: Iterable[ox.Triple], links: Links,
             shown: int | None = None) -> Description:
    """``shown``: at most so many values of a property on the page (a hub such as a
    typology has thousands of listings pointing to it at 2M triples); None: all."""
    triples = list(triples)
    this = ox.NamedNode(iri)
    labels = _labels(triples)
    show = _Shower(labels, links, triples)
    outgoing = [t for t in triples if t.subject == this]
    incoming = [t for t in triples if t.object == this and t.subject != this]
    types = sorted((show(t.object) for t in outgoing if t.predicate.value == TYPE),
                   key=_order)
    return Description(
        iri=iri,
        label=labels.get(this) or compact(this).strip("<>"),
        types=tuple(types),
        outgoing=_groups(((t.predicate, t.object) for t in outgoing), show, shown),
        incoming=_groups(((t.predicate, t.subject) for t in incoming), show, shown),
    )


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
    def __init__(self, labels: dict, links: Links, triples: list[ox.Triple]) -> None:
        self.labels = labels
        self.links = links
        self.triples = triples

    def __call__(self, term, depth: int = 0) -> Shown:
        if isinstance(term, ox.NamedNode):
            text = self.labels.get(term) or compact(term).strip("<>")
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
        """Properties by their prefixed names, which readers of the data will type."""
        return Shown(compact(term).strip("<>"), "iri", self.links.href(term.value), term.value)


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
