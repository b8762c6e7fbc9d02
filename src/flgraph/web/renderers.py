"""Every output format is a renderer: a result and a media type in, a response out.

Tabular results (SELECT, ASK) and graph results (CONSTRUCT, DESCRIBE) share one path up
to this last step; HTML is rendered by the views themselves.
"""

from __future__ import annotations

from flask import Response

from .. import jsonld, paths
from ..query.answers import (
    GraphResult,
    Result,
    Serialized,
    serialize_graph,
    serialize_results,
    state_truncation,
)
from . import prefer
from .negotiation import jsonld_profile

#: Media types offered for SELECT/ASK, the default first.
TABULAR = {
    "application/sparql-results+json": "json",
    "application/sparql-results+xml": "xml",
    "text/csv": "csv",
    "text/tab-separated-values": "tsv",
}
#: Media types offered for CONSTRUCT/DESCRIBE and resources, the default first.
GRAPH = {
    "text/turtle": "ttl",
    "application/n-triples": "nt",
    "application/ld+json": "jsonld",
    "application/rdf+xml": "rdfxml",
}
CHARSET = {"text/csv", "text/tab-separated-values", "text/turtle", "application/n-triples"}


def offers(result: Result) -> list[str]:
    return list(GRAPH if isinstance(result, GraphResult) else TABULAR)


def content_type(media_type: str) -> str:
    return f"{media_type}; charset=utf-8" if media_type in CHARSET else media_type


def render(result: Result | Serialized, media_type: str) -> Response:
    prefer.refuse_if_cut(result)
    if isinstance(result, Serialized):  # written by the query worker, caps stated in-band
        body = result.body
        if result.fmt == "jsonld":
            body = jsonld.shape(body, paths.ontology_dir() / "flgraph.ttl", jsonld_profile())
        return _response(body, media_type, result.truncated)
    if isinstance(result, GraphResult):
        fmt = GRAPH[media_type]
        body = serialize_graph(result, fmt)
        if fmt == "jsonld":
            body = jsonld.shape(body, paths.ontology_dir() / "flgraph.ttl", jsonld_profile(),
                                len(result.triples))
    else:
        fmt = TABULAR[media_type]
        body = serialize_results(result, fmt)
    if result.truncated:
        body = state_truncation(body, fmt)
    return _response(body, media_type, result.truncated)


def _response(body: bytes, media_type: str, truncated: bool) -> Response:
    response = Response(body, content_type=content_type(media_type))
    if truncated:
        response.headers["X-Flgraph-Truncated"] = "true"
    return prefer.mark(response)
