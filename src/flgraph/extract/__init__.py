"""Report sections (text in the report's layout) → plain records with evidence.

``extract_files`` is the stage's one entry point. It knows the layout of a programme
implementation report section and nothing of RDF. Input that does not fit the layout
raises ``SourceError`` naming the file, the line and what was expected; nothing partial
is returned.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING

from .cells import parse_cell
from .chain_table import read_chain_table
from .consistency import check_indicator
from .errors import SourceError
from .layout import RawOutcome, RawParagraph, RawTable, split_outcomes
from .mentions import statement
from .outputs_table import read_outputs_table
from .records import Evidence, Lesson, Outcome, Paragraph, SourceDocument, TableCaption
from .results_table import read_results_table
from .source import read_source
from .textmap import TextMap

if TYPE_CHECKING:
    from ..reference import Reference

__all__ = ["SourceError", "extract_document", "extract_files", "read_source"]


def extract_files(paths: Iterable[Path], reference: Reference) -> list[Outcome]:
    """Every outcome of every file; an outcome number may appear in one file only."""
    outcomes: list[Outcome] = []
    seen: dict[str, str] = {}
    names: set[str] = set()
    for path in paths:
        doc = read_source(Path(path))
        if doc.name in names:
            raise SourceError(doc.name, 0, "two source files have this name; file names are "
                              "the sources' identifiers")
        names.add(doc.name)
        for outcome in extract_document(doc, reference):
            if outcome.number in seen:
                raise SourceError(doc.name, outcome.evidence.line,
                                  f"outcome {outcome.number} is also in {seen[outcome.number]}")
            seen[outcome.number] = doc.name
            outcomes.append(outcome)
    return outcomes


def extract_document(doc: SourceDocument, reference: Reference) -> list[Outcome]:
    return [_outcome(doc, raw, reference) for raw in split_outcomes(doc)]


def _outcome(doc: SourceDocument, raw: RawOutcome, reference: Reference) -> Outcome:
    # the heading's words, not its Markdown marks ("## … ##")
    heading = TextMap.from_source(raw.heading.text, raw.heading.start).strip("# \t")
    outcome = Outcome(number=raw.number, title=raw.title, source=doc,
                      evidence=Evidence(doc, heading.spans(), section=raw.title))
    for table in raw.tables:
        _read_table(doc, table, outcome, reference)
    for indicator in outcome.indicators:
        check_indicator(indicator, reference)
    for section, lines in _paragraph_groups(raw.paragraphs):
        _read_paragraph(doc, section, lines, outcome, reference)
    return outcome


def _read_table(doc: SourceDocument, table: RawTable, outcome: Outcome,
                reference: Reference) -> None:
    kind = table_kind(doc, table)
    caption = TextMap.from_source(table.caption.text, table.caption.start).strip()
    where = Evidence(doc, caption.spans(), table=f"Table {table.number}")
    outcome.tables.append(TableCaption(table.number, table.title, kind, where))
    if kind == "results":
        indicators, typologies = read_results_table(doc, table, outcome.number, reference)
        known = {i.code for i in outcome.indicators}
        for indicator in indicators:
            if indicator.code in known:
                raise SourceError(doc.name, indicator.evidence.line,
                                  f"indicator {indicator.code} appears in two tables")
        outcome.indicators.extend(indicators)
        outcome.result_typologies.extend(t for t in typologies
                                         if t not in outcome.result_typologies)
    elif kind == "chain":
        outcome.chain_examples.extend(read_chain_table(doc, table, reference))
    else:
        outputs, typologies = read_outputs_table(doc, table, reference)
        outcome.outputs.extend(outputs)
        outcome.output_typologies.extend(t for t in typologies
                                         if t not in outcome.output_typologies)


def table_kind(doc: SourceDocument, table: RawTable) -> str:
    """Which of the layout's three tables this is, by its header or else its caption."""
    first = parse_cell(*table.rows[0].cells[0])
    head = first[0].text.text.lower() if first else ""
    title = table.title.lower()
    if head.startswith("indicator") or "by indicator" in title:
        return "results"
    if head.startswith("country") or "results chain" in title:
        return "chain"
    if "output" in title:
        return "outputs"
    raise SourceError(doc.name, table.caption.number,
                      f"Table {table.number} '{table.title}': not a table of this layout "
                      "(expected results by indicator and typology, a results chain with a "
                      "'Country' column, or outputs by typology)")


def _paragraph_groups(paragraphs: list[RawParagraph]) -> list[tuple[str, list[RawParagraph]]]:
    """Consecutive lines of one section form one paragraph."""
    groups: list[tuple[str, list[RawParagraph]]] = []
    for para in paragraphs:
        if (groups and groups[-1][0] == para.section
                and groups[-1][1][-1].line.number == para.line.number - 1):
            groups[-1][1].append(para)
        else:
            groups.append((para.section, [para]))
    return groups


def _read_paragraph(doc: SourceDocument, section: str, lines: list[RawParagraph],
                    outcome: Outcome, reference: Reference) -> None:
    text = TextMap.empty()
    for para in lines:
        for block in parse_cell(para.line.text, para.line.start):
            text = block.text if not text.text else text.joined(block.text)
    if not text.text:
        return
    base = Evidence(doc, text.spans(), section=section)
    said = statement(text, base, reference)
    if "lesson" in section.lower():
        outcome.lessons.append(Lesson(len(outcome.lessons) + 1, said))
    else:
        outcome.paragraphs.append(Paragraph(section, len(outcome.paragraphs) + 1, said))
