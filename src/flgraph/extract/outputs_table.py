"""Table 3: the most significant outputs, one row per output typology.

The first cell names the output typology, the second lists outputs. An output may start
with its scope: "Nigeria: …" (a country), "Regional Arab States: …" (a region).
"""

from __future__ import annotations

import re
from typing import TYPE_CHECKING

from .cells import Block
from .errors import SourceError
from .layout import RawTable
from .mentions import statement
from .records import Output, Scope, SourceDocument, Typology
from .tables import evidence, group_rows
from .textmap import TextMap

if TYPE_CHECKING:
    from ..reference import Reference

_PREFIX = re.compile(r"^(?P<prefix>[^:\"“”()]{2,80}?)\s*:\s+(?=\S)")
_REGIONAL = re.compile(r"^(?:regional|region)\s*[:\-–]?\s*", re.I)


def read_outputs_table(doc: SourceDocument, table: RawTable, reference: Reference
                       ) -> tuple[list[Output], list[Typology]]:
    width = max(len(row.cells) for row in table.rows)
    if width < 2:
        raise SourceError(doc.name, table.rows[0].line.number,
                          f"Table {table.number}: expected two columns (output typology, "
                          "outputs)")
    outputs: list[Output] = []
    typologies: list[Typology] = []
    for row in group_rows(table.rows, width, doc, table):
        typology = Typology(label=row.cells[0].text.text)
        if typology in typologies:
            raise SourceError(doc.name, row.first_line,
                              f"Table {table.number}: typology '{typology.label}' appears twice")
        typologies.append(typology)
        cell = row.cells[1]
        base = evidence(doc, table, cell, typology.label, None)  # the table has no header
        for ordinal, block in enumerate(cell.blocks, start=1):
            outputs.append(_output(block, typology, ordinal, base, reference))
    return outputs, typologies


def _output(block: Block, typology: Typology, ordinal: int, base, reference: Reference) -> Output:
    text = block.text
    scope, body = _scope(text, reference)
    country = scope.code if scope and scope.kind == "country" else None
    return Output(typology=typology, ordinal=ordinal, scope=scope,
                  statement=statement(body if scope else text, base, reference, country,
                                      cited=text, by_office=True))


def _scope(text: TextMap, reference: Reference) -> tuple[Scope | None, TextMap]:
    """The scope prefix of an output, if the words before the colon name a place."""
    match = _PREFIX.match(text.text)
    if not match:
        return None, text
    prefix = match["prefix"].strip()
    body = text.slice(match.end(), len(text))
    country = reference.lookup_country(prefix)
    if country:
        return Scope("country", country.iso3, prefix), body
    region = reference.lookup_region(_REGIONAL.sub("", prefix))
    if region:
        return Scope("region", region.slug, prefix), body
    return None, text
