"""Table 2: the results chain, country by country.

Columns are found by their header labels: "Country", "ILO contribution …", "Results …",
"Gender-specific". Each list item of the contribution cell is one ILO contribution; each
paragraph of the result cell one result statement. The gender mark "√" means yes; an
empty cell means the report does not say (unknown, not "no").
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .errors import SourceError
from .headers import header_paths
from .layout import RawTable
from .mentions import statement
from .records import ChainExample, SourceDocument
from .tables import Row, evidence, group_rows

if TYPE_CHECKING:
    from ..reference import Reference

_YES = {"√", "✓", "✔", "☑", "x", "X", "yes", "Yes", "YES"}
_NO = {"no", "No", "NO"}
_COLUMNS = {
    "country": ("country",),
    "contribution": ("ilo contribution", "contribution", "ilo output"),
    "result": ("result",),
    "gender": ("gender",),
}


def read_chain_table(doc: SourceDocument, table: RawTable,
                     reference: Reference) -> list[ChainExample]:
    width = len(table.rows[0].cells)  # the header's width
    labels = [" / ".join(p) for p in header_paths(table.rows[:1], width)]
    columns = _columns(doc, table, labels)
    rows = group_rows(table.rows[1:], width, doc, table)
    examples = [_example(doc, table, row, columns, labels, reference) for row in rows]
    seen: set[str] = set()
    for example in examples:
        if example.iso3 in seen:
            raise SourceError(doc.name, example.evidence.line,
                              f"Table {table.number}: {example.country_written} has two rows")
        seen.add(example.iso3)
    return examples


def _columns(doc: SourceDocument, table: RawTable, labels: list[str]) -> dict[str, int]:
    found: dict[str, int] = {}
    for key, prefixes in _COLUMNS.items():
        col = next((c for c, label in enumerate(labels)
                    if label.lower().startswith(prefixes)), None)
        if col is None and key != "gender":
            raise SourceError(doc.name, table.rows[0].line.number,
                              f"Table {table.number}: no '{prefixes[0]}' column in the header "
                              f"(found: {', '.join(label for label in labels if label)})")
        if col is not None:
            found[key] = col
    return found


def _example(doc: SourceDocument, table: RawTable, row: Row, columns: dict[str, int],
             labels: list[str], reference: Reference) -> ChainExample:
    country_cell = row.cells[columns["country"]]
    written = country_cell.text.text
    country = reference.lookup_country(written)
    if country is None:
        raise SourceError(doc.name, row.first_line,
                          f"Table {table.number}: '{written}' is not a country the gazetteer "
                          "knows (data/reference/countries.csv)")
    iso3 = country.iso3

    def statements(key: str):
        col = columns[key]
        cell = row.cells[col]
        base = evidence(doc, table, cell, written, labels[col])
        return tuple(statement(block.text, base, reference, iso3, by_office=key == "contribution")
                     for block in cell.blocks)

    return ChainExample(
        iso3=iso3,
        country_written=written,
        contributions=statements("contribution"),
        results=statements("result"),
        gender_specific=_gender(doc, table, row, columns, written),
        evidence=evidence(doc, table, country_cell, written, None,
                          tuple(s for cell in row.cells for s in cell.spans())),
    )


def _gender(doc: SourceDocument, table: RawTable, row: Row, columns: dict[str, int],
            country: str) -> bool | None:
    if "gender" not in columns:
        return None
    mark = row.cells[columns["gender"]].text.text.strip()
    if not mark:
        return None
    if mark in _YES:
        return True
    if mark in _NO:
        return False
    raise SourceError(doc.name, row.first_line,
                      f"Table {table.number}, {country}: gender-specific cell holds '{mark}'; "
                      "expected '√' or nothing")
