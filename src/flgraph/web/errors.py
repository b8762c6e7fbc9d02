"""Errors as responses: a short page for browsers, plain text for everything else; the
client's mistakes are 4xx with the reason, an unreachable store a 503, never a trace."""

from __future__ import annotations

from flask import Flask, render_template, request
from werkzeug.exceptions import HTTPException

from ..query.errors import QUERY_FAILURES, failure_of


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


#: The query failures pages and the SPARQL endpoint answer (query.errors.FAILURES).
QUERY_ERRORS = QUERY_FAILURES


def query_error(err: Exception) -> tuple[int, str, dict]:
    """Status, title and headers of a query's failure, from the one table."""
    failure = failure_of(err)
    if failure is None:
        raise err
    return failure.status, failure.title, dict(failure.headers)


def register(app: Flask) -> None:
    def answer(err: Exception):
        status, title, headers = query_error(err)
        return error_response(status, title, str(err), headers)

    for kind in QUERY_ERRORS:
        app.register_error_handler(kind, answer)

    @app.errorhandler(HTTPException)
    def http_error(err):
        # the exception's own headers (a 405's Allow, RFC 9110 §15.5.6), not its type
        headers = {name: value for name, value in err.get_headers()
                   if name.lower() != "content-type"}
        return error_response(err.code or 500, err.name, err.description or "", headers)
