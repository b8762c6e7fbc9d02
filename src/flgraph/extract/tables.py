"""Rows and cells of a captioned table, with page-break continuations merged.

A row continued across a page break appears as a further row with an empty first cell,
usually after a blank line, its sentences cut mid-phrase ("the Pastoral" … "Mission for
Migrants …"). Merging is per column: an empty continuation cell keeps the main value; a
fragment that does not end a sentence is joined to the next one as one phrase.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .cells import Block, cell_text, parse_cell
from .errors import SourceError
from .layout import RawRow, RawTable
from .records import Evidence, SourceDocument, Span
from .textmap import TextMap

#: A fragment ending like this closes its sentence; anything else runs on after a break.
_SENTENCE_END = re.compile(r"[.!?:;)\]\"'”’]$")


@dataclass
class Cell:
    blocks: list[Block]
    lines: list[int] = field(default_factory=list)

    @property
    def text(self) -> TextMap:
        return cell_text(self.blocks)

    @property
    def empty(self) -> bool:
        return not self.blocks

    def spans(self) -> tuple[Span, ...]:
        return tuple(s for block in self.blocks for s in block.text.spans())


@dataclass
class Row:
    cells: list[Cell]
    first_line: int
    continued: bool = False  # a page-break continuation was merged into it


def read_cells(row: RawRow, width: int, doc: SourceDocument, table: RawTable) -> list[Cell]:
    """The row's cells, padded to ``width``; a non-empty cell beyond it is an error."""
    raw = row.cells
    extra = [text for text, _ in raw[width:] if text.strip()]
    if extra:
        raise SourceError(doc.name, row.line.number,
                          f"Table {table.number}: row has {len(raw)} cells, the header has "
                          f"{width}; unexpected '{extra[0][:40]}'")
    cells = [Cell(parse_cell(text, offset), [row.line.number]) for text, offset in raw[:width]]
    return cells + [Cell([], [row.line.number]) for _ in range(width - len(cells))]


def group_rows(raw_rows: list[RawRow], width: int, doc: SourceDocument,
               table: RawTable) -> list[Row]:
    """Data rows with their continuation rows (empty first cell) merged in."""
    rows: list[Row] = []
    for raw in raw_rows:
        cells = read_cells(raw, width, doc, table)
        if cells[0].empty and rows:
            _merge_into(rows[-1], cells)
            continue
        if cells[0].empty:
            raise SourceError(doc.name, raw.line.number,
                              f"Table {table.number}: the first row has an empty first cell; "
                              "expected a row key (indicator, country or typology)")
        rows.append(Row(cells, raw.line.number))
    return rows


def _merge_into(row: Row, cells: list[Cell]) -> None:
    row.continued = True
    for main, more in zip(row.cells, cells, strict=True):
        if more.empty:
            continue  # an empty cell in the continuation never overwrites the main value
        main.blocks = merge_blocks(main.blocks, more.blocks)
        main.lines.extend(more.lines)


def merge_blocks(main: list[Block], more: list[Block]) -> list[Block]:
    """Blocks of a cell followed by its continuation, a cut phrase joined into one."""
    if not main:
        return list(more)
    last, first = main[-1], more[0]
    if runs_on(last.text.text, first.text.text):
        joined = Block(last.kind, last.text.joined(first.text))
        return [*main[:-1], joined, *more[1:]]
    return [*main, *more]


def runs_on(before: str, after: str) -> bool:
    """Whether ``after`` continues the phrase that ``before`` left unfinished."""
    if not _SENTENCE_END.search(before):
        return True
    return after[:1].islower()


def evidence(doc: SourceDocument, table: RawTable, cell: Cell, row: str | None,
             column: str | None, spans: tuple[Span, ...] | None = None) -> Evidence:
    return Evidence(source=doc, spans=spans if spans is not None else cell.spans(),
                    table=f"Table {table.number}", row=row, column=column)
