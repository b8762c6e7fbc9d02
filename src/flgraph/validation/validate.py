"""SHACL validation of a dataset against ontology/shapes.ttl.

pyshacl is the reference validator. It checks the union of the dataset's graphs: the
typology schemes and reference data are part of what the shapes look at. Only
violations make a dataset invalid; warnings and infos are reported.

``engine="fast"`` runs the same shapes compiled to SPARQL on Oxigraph (``validation.shacl``):
the same findings, over ten times faster from 200k triples on (bench/validation.py); it
refuses shapes that use SHACL features it does not run. ``flgraph build`` keeps pyshacl:
the report validates in under a second with it, and the build's verdict then comes
from the reference itself.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path

from .. import namespaces as ns
from .. import paths
from .findings import SEVERITIES, Finding, ValidationReport, with_details

ENGINES = ("pyshacl", "fast")


def shapes_file() -> Path:
    return paths.ontology_dir() / "shapes.ttl"


def validate_quads(quads: Iterable, shapes: Path | None = None,
                   engine: str = "pyshacl") -> ValidationReport:
    """Validate pyoxigraph quads (a loaded dataset) as one union graph."""
    if _engine(engine) == "fast":
        return _fast(shapes).validate(quads)
    from rdflib import Graph

    from ..rdfio import _rdflib_term

    data = Graph()
    for q in quads:
        data.add((_rdflib_term(q.subject), _rdflib_term(q.predicate), _rdflib_term(q.object)))
    return validate_graph(data, shapes)


def validate_dataset(dataset, shapes: Path | None = None,
                     engine: str = "pyshacl") -> ValidationReport:
    """Validate an rdflib ``Dataset`` as the union of its graphs."""
    if _engine(engine) == "fast":
        return _fast(shapes).validate_rdflib(dataset)
    from rdflib import Graph

    data = Graph()
    for s, p, o, _ in dataset.quads((None, None, None, None)):
        data.add((s, p, o))
    return validate_graph(data, shapes)


def validate_graph(data, shapes: Path | None = None,
                   engine: str = "pyshacl") -> ValidationReport:
    """Validate an rdflib ``Graph``."""
    if _engine(engine) == "fast":
        return _fast(shapes).validate_rdflib(data)
    import pyshacl
    from rdflib import Graph

    shapes_graph = Graph().parse(shapes or shapes_file(), format="turtle")
    _, report, _ = pyshacl.validate(data, shacl_graph=shapes_graph, advanced=True,
                                    allow_warnings=True, inference="none")
    return _report(_findings(report), report.serialize(format="turtle"))


def _report(findings: Iterable[Finding], turtle: str) -> ValidationReport:
    ordered = tuple(sorted(findings, key=_order))
    conforms = not any(f.severity == "Violation" for f in ordered)
    return ValidationReport(conforms, ordered, turtle)


def _engine(name: str) -> str:
    if name not in ENGINES:
        raise ValueError(f"unknown validation engine '{name}' (choose from: "
                         f"{', '.join(ENGINES)})")
    return name


class _FastEngine:
    """``flgraph.validation.shacl`` behind the same report type as pyshacl."""

    def __init__(self, shapes: Path) -> None:
        from .shacl import validator_for

        self.validator = validator_for(shapes.resolve())

    def validate(self, quads: Iterable) -> ValidationReport:
        outcome = self.validator.validate(quads)
        return _report(outcome.findings, outcome.turtle)

    def validate_rdflib(self, graph) -> ValidationReport:
        outcome = self.validator.validate_rdflib(graph)
        return _report(outcome.findings, outcome.turtle)


def _fast(shapes: Path | None) -> _FastEngine:
    return _FastEngine(shapes or shapes_file())


def _findings(report) -> Iterable[Finding]:
    from rdflib import RDF, Namespace

    SH = Namespace(ns.SH)
    # the report's own results only: a result nested in another through sh:detail (the
    # value's failures against a nested shape) is not a result of the report (SHACL
    # §3.6.2), and counting it made 15 + 1 of what Jena and pyshacl report as 13 + 1
    top_level = (result for report_node in report.subjects(RDF.type, SH.ValidationReport)
                 for result in report.objects(report_node, SH.result))
    for result in top_level:
        def one(prop, result=result):
            value = report.value(result, prop)
            return None if value is None else str(value)

        yield Finding(
            severity=one(SH.resultSeverity).rsplit("#", 1)[-1],
            focus=one(SH.focusNode) or "",
            path=one(SH.resultPath),
            value=one(SH.value),
            message=with_details(one(SH.resultMessage) or "",
                                 sorted(_detail_messages(report, result, SH))),
            shape=one(SH.sourceShape),
            component=(one(SH.sourceConstraintComponent) or "").rsplit("#", 1)[-1] or None,
        )


def _detail_messages(report, result, SH) -> Iterable[str]:
    for detail in report.objects(result, SH.detail):
        yield from _detail_messages(report, detail, SH)
        message = report.value(detail, SH.resultMessage)
        if message is not None:
            yield str(message)


def _order(f: Finding) -> tuple:
    return (SEVERITIES.index(f.severity) if f.severity in SEVERITIES else 9, f.focus,
            f.path or "", f.message, f.value or "")
