"""Result terms as table cells for HTML: text to show, where it links, what it is.

Only http(s) IRIs become links (dataset IRIs to this site's pages); anything else — a
``javascript:`` IRI, a blank node — is shown as inert text. Escaping is the template's
job (autoescape), never done or undone here.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

from .. import namespaces as ns
from ..query.answers import SelectResult, compact
from .links import Links

_NUMERIC = {ns.XSD + t for t in ("integer", "decimal", "double", "float", "int", "long",
                                 "nonNegativeInteger", "positiveInteger", "short")}


@dataclass(frozen=True)
class Cell:
    text: str
    kind: str = "empty"  # iri | literal | bnode | empty
    href: str | None = None
    title: str | None = None  # full IRI or datatype, shown on hover
    numeric: bool = False
    lang: str | None = None


def cell(term, links: Links) -> Cell:
    if term is None:
        return Cell("")
    if isinstance(term, ox.NamedNode):
        return Cell(compact(term).strip("<>"), "iri", links.href(term.value), term.value)
    if isinstance(term, ox.BlankNode):
        return Cell(f"_:{term.value}", "bnode")
    datatype = term.datatype.value if term.datatype else None
    return Cell(term.value, "literal", None, datatype if datatype != ns.XSD + "string" else None,
                numeric=datatype in _NUMERIC,
                lang=term.language if term.language != "en" else None)  # English is the default


def table(result: SelectResult, links: Links, rows: range | None = None) -> list[list[Cell]]:
    chosen = result.rows if rows is None else result.rows[rows.start:rows.stop]
    return [[cell(term, links) for term in row] for row in chosen]


def lexical_rows(result: SelectResult, columns: list[int] | None = None,
                 ) -> list[list[str | None]]:
    """Plain values for charts (JSON embedded in the page), of the given columns or all."""
    if columns is None:
        return [[None if t is None else t.value for t in row] for row in result.rows]
    return [[None if row[i] is None else row[i].value for i in columns] for row in result.rows]
