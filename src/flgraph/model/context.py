"""What every model function needs: the graph it writes to, the IRI minter, the reference
data and the typology schemes. One object passed explicitly, no globals."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rdflib import Graph, Literal, URIRef

from ..extract.records import Evidence
from .iri import Minter
from .terms import FLG, OA, PROV, RDF, RDFS
from .vocab import Vocabulary

if TYPE_CHECKING:
    from ..reference import Reference


@dataclass
class Context:
    graph: Graph  # the named graph of the source being modelled
    iri: Minter
    reference: Reference
    vocab: Vocabulary
    #: Where things several sources may name (organisations, publications) are described:
    #: once for the whole dataset, so the union of the source graphs holds one copy of each
    #: description, not one per source naming it (copies multiply the rows of every join).
    shared: Graph | None = None
    described_shared: bool = False  # whether this source described anything in ``shared``
    _evidence: dict[tuple, URIRef] = field(default_factory=dict)

    def add(self, s: URIRef, p: URIRef, o) -> None:
        if o is not None:
            self.graph.add((s, p, o))

    def describe(self, s: URIRef, p: URIRef, o) -> None:
        """A triple of a shared resource's own description (its name, kind, country…).

        Each naming of the resource stays in the source's graph, with its evidence."""
        if o is None:
            return
        if self.shared is None:
            self.graph.add((s, p, o))
        else:
            self.shared.add((s, p, o))
            self.described_shared = True

    def text(self, s: URIRef, p: URIRef, value: str | None) -> None:
        if value:
            self.graph.add((s, p, Literal(value, lang="en")))

    def label(self, s: URIRef, value: str) -> None:
        self.graph.add((s, RDFS.label, Literal(value, lang="en")))

    def derived(self, node: URIRef, evidence: Evidence) -> URIRef:
        """``node prov:wasDerivedFrom`` its evidence node, created once per span set."""
        ev = self.evidence(evidence)
        self.graph.add((node, PROV.wasDerivedFrom, ev))
        return ev

    def evidence(self, evidence: Evidence) -> URIRef:
        spans = evidence.spans
        key = (evidence.source.name, spans)
        if key in self._evidence:
            return self._evidence[key]
        node = self.iri.evidence(evidence.source.name, [(s.start, s.end) for s in spans])
        self._evidence[key] = node
        g = self.graph
        g.add((node, RDF.type, FLG.Evidence))
        g.add((node, OA.hasSource, self.iri.source(evidence.source.name)))
        g.add((node, FLG.line, Literal(evidence.line)))
        g.add((node, FLG.quote, Literal(evidence.quote)))
        for attribute, prop in (("table", FLG.table), ("row", FLG.row),
                                ("column", FLG.column), ("section", FLG.section)):
            value = getattr(evidence, attribute)
            if value:
                g.add((node, prop, Literal(value)))
        for k, (span, line) in enumerate(zip(spans, evidence.lines, strict=True), start=1):
            selector = self.iri.selector(node, span.start, span.end)
            g.add((node, OA.hasSelector, selector))
            g.add((selector, RDF.type, OA.TextPositionSelector))
            # the parts' order (the report's reading order) and each part's own line
            g.add((selector, FLG.ordinal, Literal(k)))
            g.add((selector, FLG.line, Literal(line)))
            # xsd:integer, not Web Annotation's xsd:nonNegativeInteger: stores (Oxigraph,
            # Virtuoso) normalise integer subtypes to xsd:integer, and the dataset must read
            # the same in its file, its store and its dumps. Shapes check the sign.
            g.add((selector, OA.start, Literal(span.start)))
            g.add((selector, OA.end, Literal(span.end)))
        return node
