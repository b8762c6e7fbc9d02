"""The fast SHACL validator: the shapes compiled to SPARQL and run on an Oxigraph store.

pyshacl stays the reference (``flgraph.validation.validate``); this engine gives the same findings
for the SHACL features ``ontology/shapes.ttl`` uses — and refuses, listing them, shapes
that use anything else (``UnsupportedShapes``), so that no check is ever skipped.

    validator = FastValidator(Path("ontology/shapes.ttl"))
    outcome = validator.validate(quads)  # .findings, .turtle (the report graph), .timings

The work: ``shapes`` reads the shapes graph; ``loader`` fills a store with the data graph
and decides literal-level checks; ``engine`` runs one SPARQL query per constraint over all
focus nodes (``focus``), sh:select constraints through ``selects``; ``messages`` words
results as pyshacl does; ``report`` turns them into findings and a report graph.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from . import report
from .engine import Engine, Timing
from .literals import LiteralSemantics, ShaclRuntimeError
from .loader import LoadedData, load
from .shapes import ShapesGraph, UnsupportedShapes, load_shapes

__all__ = ["FastValidator", "Outcome", "ShaclRuntimeError", "UnsupportedShapes",
           "validator_for"]


@dataclass
class Outcome:
    findings: list  # flgraph.validation.validate.Finding, unsorted
    turtle: str
    timings: list[Timing] = field(default_factory=list)
    load_seconds: float = 0.0
    triples: int = 0


class FastValidator:
    """Shapes compiled once; ``validate`` any number of datasets with them."""

    def __init__(self, shapes: Path) -> None:
        self.shapes: ShapesGraph = load_shapes(shapes)
        Engine(self.shapes, LoadedData(ox.Store(), LiteralSemantics()))  # check sh:selects

    def validate(self, quads: Iterable) -> Outcome:
        """Validate pyoxigraph quads (or triples): the union of their graphs."""
        return self._run(quads, LiteralSemantics())

    def validate_rdflib(self, graph) -> Outcome:
        """Validate an rdflib ``Graph`` or ``Dataset`` (the union of its graphs), judging
        literals by its own rdflib terms as pyshacl does."""
        from ...rdfio import oxigraph_term

        semantics = LiteralSemantics()

        def quads():
            for s, p, o, *_ in (graph.quads((None, None, None, None))
                                if hasattr(graph, "quads") else graph):
                term = oxigraph_term(o)
                if isinstance(term, ox.Literal):
                    semantics.keep(term, o)
                yield ox.Triple(oxigraph_term(s), oxigraph_term(p), term)
        return self._run(quads(), semantics)

    def _run(self, quads: Iterable, semantics: LiteralSemantics) -> Outcome:
        import time

        start = time.perf_counter()
        data = load(quads, self.shapes, semantics)
        loaded = time.perf_counter() - start
        engine = Engine(self.shapes, data)
        results = engine.run()
        findings = report.findings(results, semantics)
        conforms = not any(f.severity == "Violation" for f in findings)
        return Outcome(findings, report.turtle(results, conforms), engine.timings, loaded,
                       data.triples)


@lru_cache(maxsize=4)
def validator_for(shapes: Path) -> FastValidator:
    """A compiled validator per shapes file (compiling takes a few milliseconds)."""
    return FastValidator(shapes)
