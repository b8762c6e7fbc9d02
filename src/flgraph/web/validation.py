"""``/validation``: the SHACL report of the data this site serves.

The store's own quads are validated (not the file they came from: what SPARQL users get
is what is checked), against ontology/shapes.ttl, with flgraph.validation.validate. pyshacl takes a
fifth of a second to import and validation is a full pass over the data, so both happen
on the first request and the report is kept for the dataset version. pyshacl, the
reference, checks data of up to ``FLGRAPH_REFERENCE_VALIDATION`` quads (100,000 by
default); larger data is checked by flgraph's own engine (the shapes as SPARQL on
Oxigraph), which gives the same findings (bench/validation.py, 200k and 2M triples,
as built and mutated): at 2M triples pyshacl takes 12 minutes and 5 GB, longer than a
web process may take to answer, the other engine 30 s and 2 GB. The page names the
engine. People get a page (counts by severity, each finding linked to its focus node);
programs get the findings as JSON or the SHACL report graph as Turtle, by ``?format=``
or ``Accept``.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass

import pyoxigraph as ox
from flask import Blueprint, Response, render_template, request

from ..query.answers import compact
from ..validation.validate import SEVERITIES, Finding, ValidationReport
from . import whole_dataset
from .memo import per_version
from .negotiation import negotiate, not_acceptable, vary
from .services import services

bp = Blueprint("validation", __name__)

_OFFERS = ["text/html", "application/json", "text/turtle"]
_FORMATS = {"html": "text/html", "json": "application/json", "turtle": "text/turtle",
            "ttl": "text/turtle"}


@bp.get("/validation")
def report():
    name = request.args.get("format")
    if name is not None and name.lower() not in _FORMATS:
        return not_acceptable(_OFFERS, "format is one of: html, json, turtle")
    media = _FORMATS[name.lower()] if name else negotiate(_OFFERS)
    if media is None:
        return not_acceptable(_OFFERS)
    result, engine = per_version("validation", _validate)
    if media == "application/json":
        response = Response(result.json(), content_type="application/json")
    elif media == "text/turtle":
        response = Response(result.turtle, content_type="text/turtle; charset=utf-8")
    else:
        response = Response(_page(result, engine), content_type="text/html; charset=utf-8")
    return vary(response, "Accept")


#: Engines as the page names them.
ENGINE_NAMES = {"pyshacl": "pyshacl", "fast": "flgraph's SPARQL engine for SHACL"}


def _validate() -> tuple[ValidationReport, str]:
    limit = services().settings.reference_validation
    return whole_dataset.run(whole_dataset.validate_store, limit)


@dataclass(frozen=True)
class Row:
    """A finding as the page shows it."""

    severity: str
    focus: str
    focus_iri: str
    focus_href: str | None
    path: str | None
    path_href: str | None
    value: str | None
    message: str


def _page(result: ValidationReport, engine: str) -> str:
    links = services().links
    rows = [_row(f, links) for f in result.findings]
    # Many findings share one constraint (a systematic fault): say so once, up front.
    by_constraint = Counter((r.severity, r.path or "", r.message) for r in rows)
    return render_template(
        "validation/report.html",
        report=result,
        engine=ENGINE_NAMES[engine],
        counts=[(s, result.count(s)) for s in SEVERITIES],
        constraints=sorted(by_constraint.items(), key=lambda kv: (
            SEVERITIES.index(kv[0][0]) if kv[0][0] in SEVERITIES else 9, -kv[1], kv[0])),
        rows=rows,
        formats=[("?format=json", "application/json", "JSON"),
                 ("?format=turtle", "text/turtle", "SHACL report (Turtle)")],
    )


def _row(f: Finding, links) -> Row:
    return Row(severity=f.severity, focus=_short(f.focus) or "", focus_iri=f.focus,
               focus_href=links.href(f.focus),
               path=_short(f.path), path_href=links.href(f.path) if f.path else None,
               value=f.value if f.value != f.focus else None, message=f.message)


def _short(iri: str | None) -> str | None:
    if iri is None:
        return None
    try:
        return compact(ox.NamedNode(iri)).strip("<>")
    except ValueError:  # not an IRI: a blank node or a complex path
        return iri
