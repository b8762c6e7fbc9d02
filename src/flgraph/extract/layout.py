"""The report section's layout: outcome headings, sub-sections, captioned tables, paragraphs.

A section is Markdown-like text: ``## Outcome N: title`` opens an outcome; further ``##``
headings (``## Lessons learned``) belong to it until the next outcome heading; a bold
caption ``**Table N: title**`` opens a table whose rows are tab-separated lines, possibly
interrupted by blank lines (page breaks) and stray separator rows.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .errors import SourceError
from .records import SourceDocument
from .source import Line, split_lines

_HEADING = re.compile(r"^(#{1,6})\s+(?P<text>.*?)\s*#*\s*$")
_OUTCOME = re.compile(r"^Outcome\s+(?P<number>\d+)\s*[:.\-–—]\s*(?P<title>\S.*)$", re.I)
_CAPTION = re.compile(r"^\*\*\s*Table\s+(?P<number>[\w.]+)\s*[:.\-–—]\s*(?P<title>.+?)\s*\*\*$",
                      re.I)
_SEPARATOR = re.compile(r"^[\s\-|:=_]*-{2,}[\s\-|:=_]*$")


@dataclass
class RawRow:
    line: Line
    after_blank: bool  # a blank line precedes it: the sign of a page break

    @property
    def cells(self) -> list[tuple[str, int]]:
        return self.line.cells


@dataclass
class RawTable:
    number: str
    title: str
    caption: Line
    section: str
    rows: list[RawRow] = field(default_factory=list)


@dataclass
class RawParagraph:
    section: str  # the heading above it: the outcome title or "Lessons learned"
    line: Line


@dataclass
class RawOutcome:
    number: str
    title: str
    heading: Line
    tables: list[RawTable] = field(default_factory=list)
    paragraphs: list[RawParagraph] = field(default_factory=list)


def split_outcomes(doc: SourceDocument) -> list[RawOutcome]:
    """The outcomes of a section file, each with its tables and paragraphs in order."""
    outcomes: list[RawOutcome] = []
    section = ""
    table: RawTable | None = None
    blank = False
    for line in split_lines(doc):
        stripped = line.text.strip()
        if table is not None and _continues_table(line):
            if "\t" in line.text and not _SEPARATOR.match(stripped):
                table.rows.append(RawRow(line, after_blank=blank))
            blank = not stripped
            continue
        if table is not None:
            _check_not_empty(doc, table)
            table = None
        blank = not stripped
        if not stripped:
            continue
        heading = _HEADING.match(stripped)
        if heading:
            section = heading["text"]
            outcome = _OUTCOME.match(section)
            if outcome:
                outcomes.append(RawOutcome(outcome["number"], outcome["title"].strip(), line))
            continue
        current = _current(doc, outcomes, line)
        caption = _CAPTION.match(stripped)
        if caption:
            table = RawTable(caption["number"], caption["title"], line, section)
            current.tables.append(table)
        elif "\t" in line.text:
            raise SourceError(doc.name, line.number, "a table row outside a table: expected a "
                              "bold caption '**Table N: title**' above it")
        elif not _SEPARATOR.match(stripped):
            current.paragraphs.append(RawParagraph(section, line))
    if table is not None:
        _check_not_empty(doc, table)
    if not outcomes:
        raise SourceError(doc.name, 1, "no outcome heading: expected a line "
                          "'## Outcome N: title'")
    return outcomes


def _continues_table(line: Line) -> bool:
    """Rows, blank lines (page breaks) and separator rows keep a table open."""
    stripped = line.text.strip()
    return not stripped or "\t" in line.text or bool(_SEPARATOR.match(stripped))


def _current(doc: SourceDocument, outcomes: list[RawOutcome], line: Line) -> RawOutcome:
    if not outcomes:
        raise SourceError(doc.name, line.number, "content before the first outcome heading: "
                          "expected '## Outcome N: title' first")
    return outcomes[-1]


def _check_not_empty(doc: SourceDocument, table: RawTable) -> None:
    if not any(row.line.text.replace("\t", "").strip() for row in table.rows):
        raise SourceError(doc.name, table.caption.number,
                          f"Table {table.number} has no rows: expected tab-separated rows "
                          "below its caption")
