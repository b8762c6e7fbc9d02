"""The SKOS schemes of ontology/vocab/ and the look-up of table labels in them.

Typologies are read from table headers. A label the scheme knows (by preferred or
alternative label, case-insensitively) maps to its concept; an unknown one becomes a new
concept of the scheme, so a report section with another column still builds, and the
new concept carries the evidence of the header that introduced it.
"""

from __future__ import annotations

from pathlib import Path

from rdflib import Graph, Literal, URIRef

from .. import paths
from .terms import FLG, RDF, RDFS, SKOS

RESULT_SCHEME = "result-typology"
OUTPUT_SCHEME = "output-typology"
ROLE_SCHEME = "organisation-role"


class Vocabulary:
    def __init__(self, graph: Graph) -> None:
        self.graph = graph
        self._by_label: dict[tuple[URIRef, str], URIRef] = {}
        for concept, scheme in graph.subject_objects(SKOS.inScheme):
            for prop in (SKOS.prefLabel, SKOS.altLabel):
                for label in graph.objects(concept, prop):
                    self._by_label[(scheme, _key(str(label)))] = concept

    def concept(self, scheme: URIRef, label: str) -> URIRef | None:
        return self._by_label.get((scheme, _key(label)))

    def add_concept(self, scheme: URIRef, concept: URIRef, label: str, kind: URIRef,
                    broader: URIRef | None) -> Graph:
        """A concept for a label the scheme lacks; returns its triples."""
        g = Graph()
        g.add((concept, RDF.type, SKOS.Concept))
        g.add((concept, RDF.type, kind))
        g.add((concept, SKOS.inScheme, scheme))
        g.add((concept, SKOS.prefLabel, Literal(label, lang="en")))
        g.add((concept, RDFS.label, Literal(label, lang="en")))
        g.add((concept, SKOS.definition,
               Literal(f"Typology “{label}”, as a table of the report names it; not in the "
                       "curated scheme.", lang="en")))
        if broader is not None:
            g.add((concept, SKOS.broader, broader))
            g.add((broader, SKOS.narrower, concept))
        else:
            g.add((concept, SKOS.topConceptOf, scheme))
            g.add((scheme, SKOS.hasTopConcept, concept))
        self._by_label[(scheme, _key(label))] = concept
        return g


def _key(label: str) -> str:
    return " ".join(label.lower().split())


def load_vocabulary(directory: Path | None = None) -> Vocabulary:
    graph = Graph()
    for path in sorted((directory or paths.ontology_dir() / "vocab").glob("*.ttl")):
        graph.parse(path, format="turtle")
    return Vocabulary(graph)


__all__ = ["FLG", "OUTPUT_SCHEME", "RESULT_SCHEME", "ROLE_SCHEME", "Vocabulary",
           "load_vocabulary"]
