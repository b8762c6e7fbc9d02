"""Every output format is a renderer: a result and a media type in, a response out.

Tabular results (SELECT, ASK) and graph results (CONSTRUCT, DESCRIBE) share one path up
to this last step; HTML is rendered by the views themselves.
"""

from __future__ import annotations

from flask import Response

from .. import formats, jsonld, paths
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

#: Media types offered for SELECT/ASK and for CONSTRUCT/DESCRIBE and resources, each
#: to its short name, the default first; the types whose content type names UTF-8.
TABULAR, GRAPH, CHARSET = formats.TABULAR, formats.GRAPH, formats.CHARSET


def offers(result: Result) -> list[str]:
    return list(GRAPH if isinstance(result, GraphResult) else TABULAR)


content_type = formats.content_type


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
