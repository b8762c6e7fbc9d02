"""Engine results as the project's findings and as a SHACL validation report graph."""

from __future__ import annotations

from collections.abc import Iterator

import pyoxigraph as ox

from ... import namespaces as ns
from ..findings import Finding, with_details
from .engine import Result
from .literals import LiteralSemantics

SH = ns.SH
RDF_TYPE = ox.NamedNode(ns.RDF + "type")


def flatten(results: list[Result]) -> Iterator[Result]:
    """Every result and, depth first, the results nested in it (pyshacl's sh:detail)."""
    for r in results:
        yield r
        yield from flatten(list(r.details))


def findings(results: list[Result], semantics: LiteralSemantics) -> list[Finding]:
    """The report's results, not those nested in them (sh:detail): SHACL counts only the
    former as results, as pyshacl and Jena report them."""
    return [Finding(severity=r.severity, focus=semantics.render(r.focus), path=r.path,
                    value=None if r.value is None else semantics.render(r.value),
                    message=with_details(r.message, sorted(d.message for d in
                                                           flatten(list(r.details)))),
                    shape=r.shape.value,
                    component=r.component)
            for r in results]


def turtle(results: list[Result], conforms: bool) -> str:
    """The sh:ValidationReport graph, results nested through sh:detail as pyshacl does."""
    triples: list[ox.Triple] = []
    report = ox.BlankNode()
    triples += [ox.Triple(report, RDF_TYPE, ox.NamedNode(SH + "ValidationReport")),
                ox.Triple(report, _sh("conforms"), ox.Literal(conforms))]
    for r in results:
        triples.append(ox.Triple(report, _sh("result"), _result(r, triples)))
    data = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes={"sh": SH})
    return data.decode()


def _result(r: Result, triples: list) -> ox.BlankNode:
    node = ox.BlankNode()
    add = [(RDF_TYPE, ox.NamedNode(SH + "ValidationResult")),
           (_sh("focusNode"), r.focus),
           (_sh("resultMessage"), ox.Literal(r.message)),
           (_sh("resultSeverity"), ox.NamedNode(SH + r.severity)),
           (_sh("sourceShape"), r.shape),
           (_sh("sourceConstraintComponent"), ox.NamedNode(SH + r.component))]
    if r.path is not None:
        add.append((_sh("resultPath"), ox.NamedNode(r.path)))
    if r.value is not None:
        add.append((_sh("value"), r.value))
    add += [(_sh("detail"), _result(d, triples)) for d in r.details]
    triples += [ox.Triple(node, p, o) for p, o in add]
    return node


def _sh(name: str) -> ox.NamedNode:
    return ox.NamedNode(SH + name)
