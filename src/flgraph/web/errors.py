"""Errors as responses: a short page for browsers, plain text for everything else; the
client's mistakes are 4xx with the reason, an unreachable store a 503, never a trace."""

from __future__ import annotations

from flask import Flask, render_template, request
from werkzeug.exceptions import HTTPException

from ..query.saved import ParameterError
from ..query.service import Overloaded, QueryRefused, QueryTimeout, QueryTooCostly
from ..store import QuerySyntaxError, StoreError, StoreUnavailable


def wants_html() -> bool:
    """Browsers name text/html; ``*/*`` alone (curl, scripts) gets plain text."""
    accept = request.accept_mimetypes
    named = max((q for value, q in accept if value in ("text/html", "application/xhtml+xml")),
                default=0)
    return named > 0 and named >= accept.quality("text/plain")


def error_response(status: int, title: str, message: str, headers: dict | None = None):
    if wants_html():
        body = render_template("error.html", status=status, title=title, message=message)
        return body, status, {"Content-Type": "text/html; charset=utf-8", **(headers or {})}
    return f"{title}: {message}\n", status, {"Content-Type": "text/plain; charset=utf-8",
                                              **(headers or {})}


#: How each failure of a query is answered, most specific first (a QueryTooCostly is a
#: QueryTimeout): status, title, headers. Pages and the SPARQL endpoint both answer from it.
QUERY_ERRORS = ((QuerySyntaxError, 400, "Query syntax error", {}),
                (QueryRefused, 400, "Query refused", {}),
                (ParameterError, 400, "Bad parameter", {}),
                (QueryTooCostly, 503, "Query stopped", {"Retry-After": "5"}),
                (QueryTimeout, 503, "Query timed out", {"Retry-After": "5"}),
                (Overloaded, 429, "Too many queries", {"Retry-After": "2"}),
                (StoreUnavailable, 503, "Store unavailable", {"Retry-After": "10"}),
                (StoreError, 500, "Query failed", {}))


def query_error(err: Exception) -> tuple[int, str, dict]:
    """Status, title and headers of a query's failure (``err`` is one of QUERY_ERRORS)."""
    for kind, status, title, headers in QUERY_ERRORS:
        if isinstance(err, kind):
            return status, title, headers
    raise err


def register(app: Flask) -> None:
    def answer(err: Exception):
        status, title, headers = query_error(err)
        return error_response(status, title, str(err), headers)

    for kind in {kind for kind, *_ in QUERY_ERRORS}:
        app.register_error_handler(kind, answer)

    @app.errorhandler(HTTPException)
    def http_error(err):
        # the exception's own headers (a 405's Allow, RFC 9110 §15.5.6), not its type
        headers = {name: value for name, value in err.get_headers()
                   if name.lower() != "content-type"}
        return error_response(err.code or 500, err.name, err.description or "", headers)
