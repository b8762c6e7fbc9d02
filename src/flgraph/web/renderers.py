"""Every output format is a renderer: a result and a media type in, a response out.

Tabular results (SELECT, ASK) and graph results (CONSTRUCT, DESCRIBE) share one path up
to this last step; HTML is rendered by the views themselves.
"""

from __future__ import annotations

from flask import Response

from .. import jsonld, paths
from .. import namespaces as ns
from ..results import serialize_graph, serialize_results
from ..store import GraphResult, Result
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


def render(result: Result, media_type: str) -> Response:
    prefer.refuse_if_cut(result)
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
    response = Response(body, content_type=content_type(media_type))
    if result.truncated:
        response.headers["X-Flgraph-Truncated"] = "true"
    return prefer.mark(response)


#: Where a result cut by the row or byte cap says so in its own body: a link in the head
#: of SPARQL JSON and XML results (the place the formats give to metadata about a
#: result), a comment in Turtle, N-Triples and RDF/XML. CSV, TSV and JSON-LD have no
#: such place that every reader skips: they say it by the X-Flgraph-Truncated header,
#: which every format carries.
TRUNCATED_LINK = ns.FLG + "TruncatedResult"
TRUNCATED_NOTE = "truncated: the result has more than the row or size limit allows"


def state_truncation(body: bytes, fmt: str) -> bytes:
    """``body`` with the truncation stated in-band, where ``fmt`` allows it."""
    if fmt == "json":
        return body.replace(b'{"head": {', b'{"head": {"link": ["%s"], ' % TRUNCATED_LINK.encode(),
                            1)
    if fmt == "xml":
        return body.replace(b"</head>", b'<link href="%s"/></head>' % TRUNCATED_LINK.encode(), 1)
    if fmt in ("ttl", "nt"):
        return b"# %s\n" % TRUNCATED_NOTE.encode() + body
    if fmt == "rdfxml":
        declaration, newline, rest = body.partition(b"?>")
        if newline:
            return declaration + b"?>\n<!-- %s -->" % TRUNCATED_NOTE.encode() + rest
    return body
