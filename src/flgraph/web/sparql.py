"""``/sparql``: the SPARQL 1.1 Protocol endpoint (queries only), and an editor for browsers.

The view turns a protocol request into a ``QueryRequest`` and a result into a response;
checking, running and serialising belong to the gateway, the query service and the
renderers. Decisions a client can observe:

- **Read-only.** An update through an update door (``update=`` in a POSTed form, a body
  of ``application/sparql-update``) is 403 Forbidden: understood, never performed. An
  ``update=`` in a GET is 400 (the protocol only defines updates by POST). An update sent
  in ``query`` is 400 from the gateway: it is not a query.
- **Graph parameters** (``default-graph-uri``, ``named-graph-uri``, repeatable) choose
  among the graphs this store holds. An IRI it does not hold is an *empty* graph: never
  fetched, and the W3C protocol tests expect a query naming an unknown default graph
  (``ASK {}`` over ``data0.rdf``) to succeed. With neither parameter the default graph
  is the union of all graphs and every graph is a named graph.
- **Bad requests** give a one-line reason: two ``query`` parameters, an empty query or a
  body that is not UTF-8 are 400; a POST body of another media type (or none) and a
  charset other than UTF-8 are 415; PUT, DELETE and PATCH are 405.
- **Formats** by ``format``/``output``/``results`` (the names SPARQLWrapper and others
  send: ``json``, ``xml``, ``turtle``, … read according to the query form, so ``xml``
  is RDF/XML for a CONSTRUCT) or else by ``Accept`` with q-values; 406 lists the
  offers. Every answer carries ``Vary: Accept`` (and, as every answer of the site,
  ``Access-Control-Allow-Origin: *``: web/cors.py).
- **BASE**: queries are parsed with the endpoint's public IRI (``<base>sparql``) as
  their base, so relative IRIs resolve instead of failing.
- **HTML** (the editor) only when ``text/html`` is named in ``Accept`` and ranks at least
  as high as every data format, or ``format=html``: browsers get the editor, while curl's
  ``*/*`` gets data (a service description when there is no query).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import parse_qsl

from flask import Blueprint, Response, render_template, request, url_for
from werkzeug.exceptions import HTTPException

from .. import formats
from .. import namespaces as ns
from ..describe.service_description import describe
from ..query.answers import GraphResult
from ..query.errors import Overloaded, QueryRefused, QueryTimeout, StoreError
from ..query.service import QueryRequest
from . import negotiation
from .clients import client_group
from .dataset_stats import dataset_stats
from .errors import QUERY_ERRORS, query_error
from .internal_queries import sparql as internal_sparql
from .memo import per_version
from .renderers import GRAPH, TABULAR, render
from .services import services

bp = Blueprint("sparql", __name__)

QUERY_TYPE = "application/sparql-query"
FORM_TYPE = "application/x-www-form-urlencoded"
UPDATE_TYPE = "application/sparql-update"
FORMAT_PARAMS = ("format", "output", "results")
HTML_TYPES = ("text/html", "application/xhtml+xml")
MAX_PARAMS = 200  # far more than any client sends; bounds the work of parsing

#: ``format=`` names read by the kind of result: ``xml`` and ``json`` differ by form.
TABULAR_NAMES = formats.endpoint_names(formats.RESULTS)
GRAPH_NAMES = formats.endpoint_names(formats.RDF)


class ProtocolError(Exception):
    """A request the protocol does not allow; ``status`` and a one-line reason."""

    def __init__(self, status: int, message: str, headers: dict | None = None) -> None:
        super().__init__(message)
        self.status = status
        self.headers = headers or {}


@dataclass(frozen=True)
class Operation:
    """What a protocol request asks: a query (None: none given), its dataset, formats."""

    query: str | None
    default_graphs: tuple[str, ...] = ()
    named_graphs: tuple[str, ...] = ()
    formats: tuple[str, ...] = ()


@bp.route("/sparql", methods=["GET", "POST", "OPTIONS", "PUT", "DELETE", "PATCH"])
def endpoint():
    if request.method == "OPTIONS":
        return _preflight()
    if request.method not in ("GET", "HEAD", "POST"):
        raise ProtocolError(405, f"{request.method} is not allowed: send queries by GET or POST",
                            {"Allow": "GET, HEAD, POST, OPTIONS"})
    operation = read_operation()
    html = _wants_html(operation.formats)
    if operation.query is None:
        if request.method == "POST":
            raise ProtocolError(400, "no query: POST a 'query' form field or an "
                                f"{QUERY_TYPE} body")
        return _editor(None) if html else _service_description(operation.formats)
    if html:
        return _editor(operation.query)
    service = services().query_service
    # The form decides the offers; reading it first answers 406 before any work is done.
    # When the text alone does not tell (the parser in the query worker decides), the
    # format is negotiated once the result's kind is known.
    form = service.query_form(operation.query)
    formats = None  # the answer is written where it runs, in the negotiated format
    if form is not None:
        graph = form in ("CONSTRUCT", "DESCRIBE")
        media = _negotiate(graph, operation)
        formats = (None, GRAPH[media]) if graph else (TABULAR[media], None)
    default, named = _dataset(operation)
    result = service.run(QueryRequest(operation.query, default_graphs=default,
                                      named_graphs=named, public=True, base=_base(),
                                      client=client_group(request.remote_addr),
                                      formats=formats))
    if form is None:
        media = _negotiate(isinstance(result, GraphResult), operation)
    return render(result, media)


def _negotiate(graph: bool, operation: Operation) -> str:
    return _choose(list(GRAPH if graph else TABULAR), operation.formats, graph)


def _base() -> str:
    """The service's BASE, so relative IRIs (``<s>``) resolve as the
    protocol allows ("a service-defined BASE URI, which MAY be the service endpoint").

    The endpoint's public IRI under the configured base, not the request's Host: the
    same query means the same thing whatever address it came through. A BASE in the
    query itself still applies to what follows it.
    """
    return f"{services().base}sparql"


def read_operation() -> Operation:
    """The operation of a GET, a form POST or a direct POST; ProtocolError otherwise."""
    params = _pairs(request.query_string)
    names = {name for name, _ in params}
    if request.method in ("GET", "HEAD"):
        if "update" in names:
            raise ProtocolError(400, "updates are only defined for POST, and this endpoint "
                                "is read-only: it runs queries only")
        return _operation(params, _single(params, "query"))
    _check_charset()
    if request.mimetype == UPDATE_TYPE:
        raise _read_only()
    if request.mimetype == FORM_TYPE:
        params += _pairs(request.get_data(cache=True))
        if any(name == "update" for name, _ in params):
            raise _read_only()
        return _operation(params, _single(params, "query"))
    if request.mimetype == QUERY_TYPE:
        if "query" in names:
            raise ProtocolError(400, "two queries: one in the body and one in the URL")
        if "update" in names:
            raise _read_only()
        return _operation(params, _utf8(request.get_data(cache=True)))
    given = f"'{request.mimetype}'" if request.mimetype else "no Content-Type"
    raise ProtocolError(415, f"cannot read a POST body with {given}: send {FORM_TYPE} "
                        f"(query=…) or {QUERY_TYPE}")


def _operation(params: list[tuple[str, str]], query: str | None) -> Operation:
    if query is not None and not query.strip():
        raise ProtocolError(400, "the query is empty")

    def values(name: str) -> tuple[str, ...]:
        return tuple(value.strip() for key, value in params if key == name)

    return Operation(query, values("default-graph-uri"), values("named-graph-uri"),
                     tuple(v for name in FORMAT_PARAMS for v in values(name) if v))


def _pairs(raw: bytes) -> list[tuple[str, str]]:
    """URL-encoded pairs, strictly UTF-8: Werkzeug would replace bad bytes silently."""
    try:
        return parse_qsl(raw.decode("utf-8"), keep_blank_values=True, encoding="utf-8",
                         errors="strict", max_num_fields=MAX_PARAMS)
    except UnicodeDecodeError:
        raise ProtocolError(400, "the parameters are not UTF-8 text") from None
    except ValueError:
        raise ProtocolError(400, f"more than {MAX_PARAMS} parameters") from None


def _single(params: list[tuple[str, str]], name: str) -> str | None:
    found = [value for key, value in params if key == name]
    if len(found) > 1:
        raise ProtocolError(400, f"{len(found)} '{name}' parameters: send exactly one")
    return found[0] if found else None


def _utf8(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        raise ProtocolError(400, "the query is not UTF-8 text") from None


def _check_charset() -> None:
    charset = request.mimetype_params.get("charset", "utf-8").lower()
    if charset not in ("utf-8", "utf8"):
        raise ProtocolError(415, f"charset {charset} is not accepted: send UTF-8")


def _read_only() -> ProtocolError:
    return ProtocolError(403, "SPARQL Update is not accepted: this endpoint is read-only")


def _dataset(operation: Operation) -> tuple[tuple[str, ...] | None, tuple[str, ...] | None]:
    """The protocol dataset, restricted to graphs the store holds (others are empty).

    Naming either kind of graph defines the whole dataset, as FROM / FROM NAMED do: a
    request with only ``named-graph-uri`` has an empty default graph.
    """
    if not operation.default_graphs and not operation.named_graphs:
        return None, None
    held = services().query_service.graph_names()
    return (tuple(g for g in operation.default_graphs if g in held),
            tuple(g for g in operation.named_graphs if g in held))


def _choose(offers: list[str], formats: tuple[str, ...], graph: bool) -> str:
    """The media type to answer with; 406 when neither the parameters nor Accept fit."""
    explicit = None
    for value in formats:
        media = _format_name(value, graph)
        if media in offers:
            explicit = media
            break
    if formats and explicit is None:
        raise _not_acceptable(offers, f"format {formats[0]!r}")
    media = negotiation.negotiate(offers, explicit)
    if media is None:
        raise _not_acceptable(offers, f"Accept: {request.headers.get('Accept', '')}")
    return media


def _format_name(value: str, graph: bool) -> str | None:
    value = value.strip().lower()
    names = GRAPH_NAMES if graph else TABULAR_NAMES
    if value in names:
        return names[value]
    return negotiation.from_name(value) if "/" in value else None


def _not_acceptable(offers: list[str], asked: str) -> ProtocolError:
    return ProtocolError(406, f"cannot answer {asked}; offered: {', '.join(offers)}")


def _wants_html(formats: tuple[str, ...]) -> bool:
    """True for browsers: text/html named (not a wildcard) and ranked first, or format=html."""
    if formats:
        return formats[0].strip().lower() in ("html", "text/html")
    accept = request.accept_mimetypes
    named = max((q for value, q in accept if value in HTML_TYPES), default=0)
    if named <= 0:
        return False
    data = max(accept.quality(media) for media in (*TABULAR, *GRAPH, *negotiation.SYNONYMS))
    return named >= data


def _service_description(formats: tuple[str, ...]) -> Response:
    svc = services()
    offers = list(GRAPH)
    media = _choose(offers, formats, graph=True)
    endpoint_iri = url_for("sparql.endpoint", _external=True)
    result = describe(endpoint_iri, svc.query_service.graph_names(), [*TABULAR, *GRAPH])
    return render(result, media)


def _editor(query: str | None) -> Response:
    """The editor page: YASGUI against this endpoint, fed by data in a JSON block."""
    svc = services()
    examples = [{"name": q.name, "title": q.title, "description": q.description,
                 "text": _without_header(q.text)} for q in svc.queries.values()]
    data = {"endpoint": url_for("sparql.endpoint"), "query": query, "run": query is not None,
            "prefixes": ns.PREFIXES, "examples": examples, "terms": _vocabulary()}
    html = render_template("sparql/editor.html", data=data, examples=examples,
                           endpoint_url=url_for("sparql.endpoint", _external=True),
                           prefixes=ns.PREFIXES)
    return Response(html, content_type="text/html; charset=utf-8")


def _without_header(text: str) -> str:
    """A saved query as a user would type it: its ``#+`` metadata lines dropped."""
    return "\n".join(line for line in text.splitlines() if not line.startswith("#+")).strip()


def _vocabulary() -> dict[str, list[str]]:
    """Classes and properties for completion: those the data uses, from the dataset
    statistics (kept per version and shared with /ontology and the VoID description; a
    query of its own scanned the store again: 4.4 s at 2M triples on disk), and those the
    ontology declares (so a term is offered even before data uses it)."""
    try:
        return per_version("editor-vocabulary", _terms)
    except (StoreError, QueryRefused, QueryTimeout, Overloaded):
        return {"class": [], "property": []}  # the editor works without completion


def _terms() -> dict[str, list[str]]:
    stats = dataset_stats()
    declared = services().query_service.run(QueryRequest(internal_sparql("editor-vocabulary")))
    terms = {"class": set(stats.classes), "property": set(stats.properties)}
    for term, kind in declared.rows:
        terms[kind.value].add(term.value)
    return {kind: sorted(values) for kind, values in terms.items()}


def _preflight() -> Response:
    """An empty answer; its CORS headers are written by web/cors.py, as every answer's."""
    return Response(status=204)


@bp.after_request
def _protocol_headers(response: Response) -> Response:
    return negotiation.vary(response, "Accept")


@bp.errorhandler(ProtocolError)
def _protocol_error(err: ProtocolError):
    return _error(err.status, str(err), err.headers)


def _query_error(err: Exception):
    """A query's failure with the site's status and title (query.errors.FAILURES), in one
    line of text."""
    status, title, headers = query_error(err)
    return _error(status, f"{title}: {err}", headers)


for _kind in QUERY_ERRORS:
    bp.register_error_handler(_kind, _query_error)


@bp.errorhandler(HTTPException)
def _http_error(err: HTTPException):
    return _error(err.code or 500, err.description or err.name, {})


def _error(status: int, message: str, headers: dict):
    """One line of plain text; the site's error page only for a browser."""
    message = " ".join(message.split())
    if _wants_html(()):
        body = render_template("error.html", status=status, title="SPARQL endpoint",
                               message=message)
        return body, status, {"Content-Type": "text/html; charset=utf-8", **headers}
    return f"{message}\n", status, {"Content-Type": "text/plain; charset=utf-8", **headers}

