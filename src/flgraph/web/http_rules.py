"""HTTP rules kept before the app sees a request (RFC 9110), whatever server is in front.

- ``Range`` is honoured only as RFC 9110 §14.2 allows: on GET, in bytes; a range in any
  other unit, or on another method, is ignored (the whole answer, 200), where Werkzeug
  answered 416 to a unit it does not know.
- A request target longer than ``MAX_TARGET`` bytes is answered 414 here, in the site's
  own words and headers, with the way out: the SPARQL protocol's POST, which has no such
  limit in the URL. The gateway's cap on a query's text (20,000 bytes, three bytes a
  character once percent-encoded) fits within it, so every query the gateway would take
  can be sent by GET. (granian, built on hyper, answers a target over 65,534 bytes with
  its own empty 414 before the app sees it.)
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

MAX_TARGET = 60 * 1024
SECURITY_HEADERS = [("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", "same-origin"),
                    ("Content-Security-Policy", "default-src 'none'")]
TOO_LONG = (f"URI too long: the request URL is longer than {MAX_TARGET:,} bytes; send a "
            "SPARQL query by POST instead (body: the query, Content-Type: "
            "application/sparql-query; or a form with 'query')\n").encode()


def wrap(app: Callable) -> Callable:
    """``app`` behind the rules above."""

    def rules(environ: dict[str, Any], start_response: Callable) -> Iterable[bytes]:
        if len(environ.get("PATH_INFO", "")) + len(environ.get("QUERY_STRING", "")) \
                > MAX_TARGET:
            start_response("414 URI Too Long", [
                ("Content-Type", "text/plain; charset=utf-8"),
                ("Content-Length", str(len(TOO_LONG))), *SECURITY_HEADERS])
            return [TOO_LONG]
        ranges = environ.get("HTTP_RANGE")
        if ranges is not None and (environ.get("REQUEST_METHOD") != "GET" or not ranges
                                   .strip().lower().startswith("bytes=")):
            del environ["HTTP_RANGE"]
        return app(environ, start_response)

    return rules
