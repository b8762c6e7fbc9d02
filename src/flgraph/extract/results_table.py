"""Table 1: results by indicator and typology.

Header rows come first (everything above the first row that starts with an indicator
code). Columns are found by their header labels, not their positions: "Indicator…",
"Target…", and under "Result…" a "Total…" column and one column per result typology.
Each typology cell lists countries with no reliable delimiter; the gazetteer segments it,
and a name it does not know is an error, never dropped.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .counts import parse_count
from .errors import SourceError
from .headers import header_paths
from .layout import RawTable
from .mentions import statement
from .records import CountryListing, Indicator, SourceDocument, Typology
from .tables import Cell, Row, evidence, group_rows

if TYPE_CHECKING:
    from ..reference import Reference

_CODE = re.compile(r"^\s*(?P<outcome>\d+)\.(?P<number>\d+)\.?(?=\s|$)\s*")


@dataclass(frozen=True)
class Columns:
    indicator: int
    target: int | None
    total: int | None
    typologies: dict[int, Typology]
    labels: list[str]


def read_results_table(doc: SourceDocument, table: RawTable, outcome: str,
                       reference: Reference) -> tuple[list[Indicator], list[Typology]]:
    """Indicators of ``outcome`` with target, reported result and country listings."""
    first_data = next((k for k, row in enumerate(table.rows) if _CODE.match(row.cells[0][0])),
                      None)
    if first_data is None:
        raise SourceError(doc.name, table.caption.number,
                          f"Table {table.number}: no indicator rows; expected rows starting "
                          f"with an indicator code such as '{outcome}.1'")
    if first_data == 0:
        raise SourceError(doc.name, table.rows[0].line.number,
                          f"Table {table.number}: expected header rows (Indicators, Target, "
                          "Results …) above the first indicator row")
    width = max(len(row.cells) for row in table.rows[:first_data])  # the header's width
    columns = _columns(doc, table, header_paths(table.rows[:first_data], width))
    rows = group_rows(table.rows[first_data:], width, doc, table)
    indicators = [_indicator(doc, table, row, columns, outcome, reference) for row in rows]
    _check_unique(doc, table, indicators)
    return indicators, list(dict.fromkeys(columns.typologies.values()))


def _columns(doc: SourceDocument, table: RawTable, paths: list[tuple[str, ...]]) -> Columns:
    def find(test) -> int | None:
        return next((c for c, path in enumerate(paths) if path and test(path)), None)

    indicator = find(lambda p: p[0].lower().startswith("indicator"))
    if indicator is None:
        raise SourceError(doc.name, table.rows[0].line.number,
                          f"Table {table.number}: no 'Indicators' column in the header")
    target = find(lambda p: p[0].lower().startswith("target"))
    total = find(lambda p: p[0].lower().startswith("result") and p[-1].lower().startswith("total"))
    typologies = {
        c: Typology(label=path[-1], parent=path[-2] if len(path) > 2 else None)
        for c, path in enumerate(paths)
        if path and path[0].lower().startswith("result") and c != total and len(path) > 1
    }
    if not typologies:
        raise SourceError(doc.name, table.rows[0].line.number,
                          f"Table {table.number}: no typology columns under 'Results' in the "
                          "header")
    return Columns(indicator, target, total, typologies, [" / ".join(p) for p in paths])


def _indicator(doc: SourceDocument, table: RawTable, row: Row, columns: Columns, outcome: str,
               reference: Reference) -> Indicator:
    head = row.cells[columns.indicator]
    text = head.text
    code = _CODE.match(text.text)
    if code is None:
        raise SourceError(doc.name, row.first_line,
                          f"Table {table.number}: expected an indicator code such as "
                          f"'{outcome}.1' at the start of the row")
    key = f"{code['outcome']}.{code['number']}"
    if code["outcome"] != outcome:
        raise SourceError(doc.name, row.first_line,
                          f"Table {table.number}: indicator {key} does not belong to outcome "
                          f"{outcome}")
    label = columns.labels[columns.indicator]
    body = text.slice(code.end(), len(text))
    return Indicator(
        code=key,
        statement=statement(body, evidence(doc, table, head, key, label), reference,
                            cited=text),
        target=_count(doc, table, row, columns.target, key, columns, reference),
        result=_count(doc, table, row, columns.total, key, columns, reference),
        listings=tuple(_listings(doc, table, row, columns, key, reference)),
        evidence=evidence(doc, table, head, key, None,
                          tuple(s for cell in row.cells for s in cell.spans())),
    )


def _count(doc, table, row: Row, column: int | None, key: str, columns: Columns,
           reference: Reference):
    if column is None or row.cells[column].empty:
        return None
    cell = row.cells[column]
    return parse_count(cell.text, evidence(doc, table, cell, key, columns.labels[column]),
                       reference)


def _listings(doc: SourceDocument, table: RawTable, row: Row, columns: Columns, key: str,
              reference: Reference):
    for column, typology in columns.typologies.items():
        cell: Cell = row.cells[column]
        if cell.empty:
            continue  # no country reported under this typology
        text = cell.text
        matches, unmatched = reference.match_countries(text.text)
        if unmatched:
            bad = unmatched[0]
            raise SourceError(doc.name, doc.line_of(text.spans(bad.start, bad.end)[0].start),
                              f"Table {table.number}, indicator {key}, column "
                              f"'{typology.label}': '{bad.text}' is not a country the "
                              "gazetteer knows (data/reference/countries.csv)")
        seen = set()
        for match in matches:
            if match.country.iso3 in seen:
                continue
            seen.add(match.country.iso3)
            yield CountryListing(
                iso3=match.country.iso3, typology=typology, written=match.text,
                evidence=evidence(doc, table, cell, key, columns.labels[column],
                                  text.spans(match.start, match.end)))


def _check_unique(doc: SourceDocument, table: RawTable, indicators: list[Indicator]) -> None:
    seen: set[str] = set()
    for indicator in indicators:
        if indicator.code in seen:
            raise SourceError(doc.name, indicator.evidence.line,
                              f"Table {table.number}: indicator {indicator.code} appears twice")
        seen.add(indicator.code)
