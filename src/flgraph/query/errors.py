"""What can go wrong with a query, and how each failure is answered: one table.

At the bottom of ``query``: the gateway, the service, the worker pools, the web pages, the
SPARQL endpoint and the CLI all import from here and from nothing above it. A new kind
of failure is a class here and a row of ``FAILURES``; the pages' status, the endpoint's,
the CLI's exit code and the name a worker process sends it under all follow from the row.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from ..sparqltext.errors import BindingError
from ..store.base import QuerySyntaxError, StoreError, StoreUnavailable
from .exit_codes import EXIT_FAILED, EXIT_INPUT


class QueryRefused(Exception):
    """The gateway will not run this query (HTTP 400); the message says why."""


class QueryTimeout(Exception):
    """The query ran past its deadline and was stopped (HTTP 503)."""


class QueryTooCostly(QueryTimeout):
    """The query used up its worker's memory or CPU time before its deadline: stopped,
    like a query past its deadline (HTTP 503), whose cost it would have reached."""


class Overloaded(Exception):
    """Too many queries at once (HTTP 429)."""


class ParameterError(ValueError):
    """A parameter value that does not fit its declared type."""


@dataclass(frozen=True)
class Failure:
    """How one kind of failure is answered everywhere.

    ``name`` is what a worker process sends it as (a stable word, not a class name, so
    renaming a class cannot turn a syntax error into a 500); ``cli_prefix`` and
    ``one_line`` keep the CLI's messages as they were (a parser's message spans lines).
    """

    kind: type[Exception]
    name: str
    status: int
    title: str
    exit_code: int
    headers: dict[str, str] = field(default_factory=dict)
    cli_prefix: str = ""
    one_line: bool = False

    def cli_message(self, err: Exception) -> str:
        text = " ".join(str(err).split()) if self.one_line else str(err)
        return self.cli_prefix + text


#: Most specific first (a QueryTooCostly is a QueryTimeout, a QuerySyntaxError a
#: StoreError): the first row whose kind the exception is answers it.
FAILURES: tuple[Failure, ...] = (
    Failure(QuerySyntaxError, "syntax", 400, "Query syntax error", EXIT_INPUT,
            cli_prefix="query syntax: ", one_line=True),
    Failure(QueryRefused, "refused", 400, "Query refused", EXIT_INPUT,
            cli_prefix="query refused: "),
    Failure(ParameterError, "parameter", 400, "Bad parameter", EXIT_INPUT),
    Failure(BindingError, "binding", 400, "Bad parameter", EXIT_INPUT),
    Failure(QueryTooCostly, "too-costly", 503, "Query stopped", EXIT_FAILED,
            {"Retry-After": "5"}),
    Failure(QueryTimeout, "timeout", 503, "Query timed out", EXIT_FAILED,
            {"Retry-After": "5"}),
    Failure(Overloaded, "overloaded", 429, "Too many queries", EXIT_FAILED,
            {"Retry-After": "2"}),
    Failure(StoreUnavailable, "unavailable", 503, "Store unavailable", EXIT_FAILED,
            {"Retry-After": "10"}),
    Failure(StoreError, "store", 500, "Query failed", EXIT_FAILED, one_line=True),
)

QUERY_FAILURES: tuple[type[Exception], ...] = tuple(f.kind for f in FAILURES)
_BY_NAME = {f.name: f for f in FAILURES}


def failure_of(err: BaseException) -> Failure | None:
    """The row that answers ``err``; None when it is not a query's failure."""
    return next((f for f in FAILURES if isinstance(err, f.kind)), None)


def to_wire(err: BaseException) -> tuple[str, str]:
    """A failure as a worker process sends it: its row's name and its message."""
    failure = failure_of(err)
    return (failure.name if failure else "store"), str(err)


def from_wire(name: str, message: str) -> Exception:
    """The exception a worker's ``to_wire`` stands for (a name not in the table, from a
    worker of another version, is a plain store failure)."""
    return _BY_NAME.get(name, _BY_NAME["store"]).kind(message)
