"""Citations on the site: the served data's card (version, date, licence, the report it
comes from), read once per data version, and the Cite box of resource and query pages.

Every page's footer names the version (a context processor), so a reader can always tell
which data a page shows. The citations themselves are written by flgraph.citation.
"""

from __future__ import annotations

from collections.abc import Iterable

from flask import Flask

from .. import citation
from ..query.errors import Overloaded, QueryTimeout, StoreError
from ..query.service import QueryRequest
from .internal_queries import sparql
from .memo import per_version
from .services import services

#: How each fact of an evidence node reads in "where in the report"
_WHERE = {"table": "{}", "row": "row {}", "column": "column “{}”", "section": "section “{}”",
          "line": "line {}"}


def card() -> citation.DatasetCard:
    """The served data's card (an empty one for data built without a version)."""
    return per_version("dataset-card", _read_card)


def _read_card() -> citation.DatasetCard:
    result = services().query_service.run(QueryRequest(sparql("dataset-card")))
    return citation.card_from_rows(result.dicts())


def where(evidence_where: Iterable[tuple[str, str]]) -> tuple[str, ...]:
    """An evidence node's table, row, column, section and line as citation locators."""
    return tuple(_WHERE[what].format(value) for what, value in evidence_where
                 if what in _WHERE)


def resource_cited(label: str, iri: str, located: tuple[str, ...],
                   the_card: citation.DatasetCard) -> citation.Cited:
    """A resource as cited; the dataset's own node (``id/dataset``, labelled "flgraph")
    is cited by the dataset's full title, as its landing page cites it."""
    title = the_card.title if iri.endswith("/id/dataset") else label
    return citation.Cited(title, iri, located)


def box(cited: citation.Cited) -> dict[str, str]:
    """The Cite box's texts: every citation format of ``cited``, once per data version
    (citeproc-py takes tens of milliseconds to render one APA reference: bench/citations.py)."""
    return per_version(("cite", cited.title, cited.url, cited.where),
                       lambda: citation.every_format(card(), cited))


def init_app(app: Flask) -> None:
    """Give every template the card (``dataset_card``) for its footer."""

    @app.context_processor
    def _dataset_card():
        try:
            return {"dataset_card": card()}
        except (StoreError, QueryTimeout, Overloaded):  # the store down or busy: no version
            return {"dataset_card": citation.DatasetCard()}
