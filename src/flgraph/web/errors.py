"""Errors as responses: a short page for browsers, plain text for everything else; the
client's mistakes are 4xx with the reason, an unreachable store a 503, never a trace."""

from __future__ import annotations

from flask import Flask, render_template, request
from werkzeug.exceptions import HTTPException

from ..queries import ParameterError
from ..service import Overloaded, QueryRefused, QueryTimeout, QueryTooCostly
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


def register(app: Flask) -> None:
    @app.errorhandler(QuerySyntaxError)
    def syntax(err):
        return error_response(400, "Query syntax error", str(err))

    @app.errorhandler(QueryRefused)
    def refused(err):
        return error_response(400, "Query refused", str(err))

    @app.errorhandler(ParameterError)
    def bad_parameter(err):
        return error_response(400, "Bad parameter", str(err))

    @app.errorhandler(QueryTimeout)
    def timeout(err):
        title = "Query stopped" if isinstance(err, QueryTooCostly) else "Query timed out"
        return error_response(503, title, str(err), {"Retry-After": "5"})

    @app.errorhandler(Overloaded)
    def overloaded(err):
        return error_response(429, "Too many queries", str(err), {"Retry-After": "2"})

    @app.errorhandler(StoreUnavailable)
    def unavailable(err):
        return error_response(503, "Store unavailable", str(err), {"Retry-After": "10"})

    @app.errorhandler(StoreError)
    def store_error(err):
        return error_response(500, "Query failed", str(err))

    @app.errorhandler(HTTPException)
    def http_error(err):
        return error_response(err.code or 500, err.name, err.description or "")
