"""``Prefer: handling=strict`` (RFC 7240 §4.4): a client that cannot tell a cut answer
from a complete one (CSV and TSV have no place to say so but a header, which pandas,
rdflib and most SPARQL clients never read) asks for an error instead of a cut answer.

Without the preference a result over the row or size limit is cut, and says so (see
results.state_truncation); with it, such a result is a 422 with the reason, and
every answer of a data format says it applied the preference (``Preference-Applied``).
"""

from __future__ import annotations

from flask import Response, request
from werkzeug.exceptions import HTTPException

from ..query.answers import Result
from .negotiation import vary

STRICT = "handling=strict"


class IncompleteAnswer(HTTPException):
    """The answer exceeds the endpoint's limits and the client asked for none cut."""

    code = 422
    description = ("the answer has more rows or bytes than this endpoint sends at once, and "
                   "Prefer: handling=strict asks for no cut answer: narrow the query, or "
                   "page through it with LIMIT and OFFSET")


def strict() -> bool:
    """Whether the request prefers strict handling (preferences are case-insensitive
    tokens, comma-separated, possibly over several Prefer headers)."""
    tokens = (token.split(";")[0].strip().lower().replace(" ", "")
              for header in request.headers.getlist("Prefer") for token in header.split(","))
    return STRICT in tokens


def refuse_if_cut(result: Result) -> None:
    if result.truncated and strict():
        raise IncompleteAnswer()


def mark(response: Response) -> Response:
    """``Preference-Applied`` where the preference was honoured; answers vary on it."""
    if strict():
        response.headers["Preference-Applied"] = STRICT
    return vary(response, "Prefer")
