"""The ontology's names of its terms, as pages show them ("ILO region", not
``flg:iloRegion``)."""

from __future__ import annotations

from ..query.service import QueryRequest
from .internal_queries import sparql
from .memo import per_version
from .services import services


def term_names() -> dict[str, str]:
    """The ontology's labels of its classes and properties, once per data version."""
    def read() -> dict[str, str]:
        rows = services().query_service.run(QueryRequest(sparql("term-names"))).rows
        return {term.value: label.value for term, label in reversed(rows)}  # first wins
    return per_version("term-names", read)
