"""``/id/…``: every dataset IRI dereferences, as HTML for people and RDF for programs.

``/id/country/ZMB`` serves ``<base>id/country/ZMB``: its description (resource-
description.rq: outgoing triples with the labels of their objects, incoming triples with
the labels of their subjects, one level of blank nodes) in Turtle, N-Triples, JSON-LD or
RDF/XML by ``Accept`` or by extension (``/id/country/ZMB.ttl``), or as a page showing
the evidence of the fact in the report's own text. An IRI without triples is 404.
"""

from __future__ import annotations

import json
from pathlib import Path

import pyoxigraph as ox
from flask import (
    Blueprint,
    abort,
    make_response,
    render_template,
    request,
)

from .. import paths
from ..query.answers import GraphResult, serialize_graph
from ..query.service import QueryRequest
from ..rdfio import sort_key
from . import citing
from .description import describe
from .evidence import citations
from .indexes import index
from .internal_queries import sparql
from .negotiation import negotiate, not_acceptable
from .renderers import render
from .representations import EXTENSIONS, RDF_MEDIA, add_link_header, alternates, split_extension
from .services import services
from .summary import summary
from .term_names import term_names

bp = Blueprint("resources", __name__)

#: Plain JSON clients get JSON-LD: it is JSON.
_OFFERS = ["text/html", *RDF_MEDIA, "application/json"]


@bp.get("/id/<path:path>")
def resource(path: str):
    if path.endswith("/") and "/" not in path[:-1]:
        # ``/id/country/``: the index of a kind. Routed here, not by a rule of its own: a
        # rule ``/id/<kind>/`` makes the router redirect ``/id/dataset`` to ``/id/dataset/``
        return index(path[:-1])
    links = services().links
    iri = links.iri_for("id/" + path)
    result = _description(iri)
    explicit = request.args.get("format")
    if not result.triples:
        # The exact IRI wins (``id/reference/flgraph.ttl`` is a resource); only then is a
        # known extension a request for a format.
        stem, extension = split_extension(path)
        if extension:
            iri = links.iri_for("id/" + stem)
            result = _description(iri)
            explicit = extension
    if not result.triples:
        abort(404, f"<{iri}> is not described in this dataset")
    media = negotiate(_OFFERS, explicit)
    if media is None:
        return not_acceptable(list(EXTENSIONS.values()))
    local = links.local_path(iri) or "/id/" + path
    if media == "text/html":
        response = make_response(_page(iri, result, alternates(local)))
    else:
        response = render(result, "application/ld+json" if media == "application/json" else media)
    return add_link_header(response, alternates(local))


def _description(iri: str) -> GraphResult:
    try:
        this = ox.NamedNode(iri)
    except ValueError:
        abort(404, "not an IRI of this dataset")
    run = services().query_service.run
    result = run(QueryRequest(sparql("resource-description"), {"this": this}))
    triples = result.triples
    if result.truncated:
        # Others' statements about a hub (the ILO at 2M triples: 11,553 attributions)
        # filled the row limit, and the engine's order may have left out its own: they
        # are asked apart, and the description is said to be cut.
        own = run(QueryRequest(sparql("resource-own"), {"this": this})).triples
        triples = tuple(dict.fromkeys((*own, *triples)))
    # The resource's own triples first, then the others by subject: stable, readable files.
    ordered = sorted(triples, key=lambda t: (t.subject != this, sort_key(
        ox.Quad(t.subject, t.predicate, t.object))))
    return GraphResult(tuple(ordered), result.truncated)


def _page(iri: str, result: GraphResult, formats: list[tuple[str, str, str]]) -> str:
    svc = services()
    evidence = svc.query_service.run(
        QueryRequest(sparql("resource-evidence"), {"this": ox.NamedNode(iri)}))
    resource = describe(iri, result.triples, svc.links,
                        shown=svc.settings.page_links, names=term_names(),
                        named=_observation_names(iri))
    found = citations(evidence.dicts(), _source_dirs(), svc.links)
    return render_template(
        "resource/show.html",
        resource=resource,
        summary=summary(iri, result.triples, svc.links, term_names(),
                        svc.settings.page_links),
        citations=found,
        cite=citing.box(citing.resource_cited(
            resource.label, iri, citing.where(found[0].where) if found else (), citing.card())),
        evidence_truncated=evidence.truncated,
        truncated=result.truncated,
        formats=formats,
        jsonld=json.loads(serialize_graph(_own(iri, result), "jsonld")),
    )


def _observation_names(iri: str) -> dict[str, str]:
    """Names of the data-cube observations the page shows (observation-names.rq)."""
    rows = services().query_service.run(
        QueryRequest(sparql("observation-names"), {"this": ox.NamedNode(iri)})).dicts()
    return {row["node"].value: row["name"].value for row in reversed(rows)}


def _own(iri: str, result: GraphResult) -> GraphResult:
    """What the page embeds as JSON-LD: the resource's own statements and their blank
    nodes'. Statements of others about it stay in the full description (the alternate
    formats): a typology at 2M triples is the object of thousands (1.4 MB of JSON-LD)."""
    this = ox.NamedNode(iri)
    blanks = {t.object for t in result.triples
              if t.subject == this and isinstance(t.object, ox.BlankNode)}
    own = tuple(t for t in result.triples if t.subject == this or t.subject in blanks)
    return GraphResult(own, result.truncated)


def _source_dirs() -> list[Path]:
    """Where the report's text may be: beside the served data file, then the project's."""
    data = services().settings.data
    found = [Path(data).parent / "source"] if data else []
    return [*found, paths.source_dir()]
