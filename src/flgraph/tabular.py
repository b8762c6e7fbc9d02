"""A saved query's answer as a spreadsheet-safe table: CSVW metadata for its CSV and an
XLSX workbook.

Opened as a spreadsheet, a CSV loses its codes: ``15.1`` becomes a number (a date in
some locales), the M49 code ``076`` becomes ``76``, and pandas reads Namibia's ``NA``
as missing. The CSVW metadata (W3C *Metadata Vocabulary for Tabular Data*) states each
column's datatype — codes stay strings, counts are integers — so CSVW-aware tools read
them right; the workbook, written by XlsxWriter, stores codes as text and numbers as
numbers. Both say where the answer came from: the query, its parameters, the data's
version, the citation and the rights.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import pyoxigraph as ox

from . import namespaces as ns
from .store.base import SelectResult

XLSX_MEDIA = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
CSVW_MEDIA = "application/csvm+json"
#: RDF datatypes whose values are numbers, with their CSVW datatype
NUMERIC = {ns.XSD + name: name for name in (
    "integer", "decimal", "double", "float", "int", "long", "short", "nonNegativeInteger",
    "positiveInteger", "nonPositiveInteger", "negativeInteger")}
#: Other RDF datatypes a CSVW reader can type
OTHER_TYPES = {ns.XSD + "boolean": "boolean", ns.XSD + "date": "date",
               ns.XSD + "dateTime": "datetime", ns.XSD + "gYear": "gYear"}
WRAP_AT = 60  # characters: longer texts are wrapped in a column this wide
MAX_LINKS = 60_000  # Excel keeps at most 65,530 hyperlinks a sheet; the rest stay text


@dataclass(frozen=True)
class About:
    """Where a table came from, for its metadata and its About sheet."""

    title: str
    description: str
    url: str  # the answer's shareable URL
    query: str  # the SPARQL text
    parameters: Mapping[str, str] = field(default_factory=dict)
    version: str = ""
    date: str = ""  # ISO date of the data
    truncated: bool = False  # the answer was cut by the row or size limit
    citation: str = ""  # plain-text citation
    source: str = ""  # the report's reference
    licence: str = ""
    rights: str = ""


def column_title(variable: str) -> str:
    """``countryName`` → ``Country name``; ``m49`` stays ``M49``."""
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", variable.replace("_", " ")).split()
    text = " ".join(w if w.isupper() else w.lower() for w in words)
    return text[:1].upper() + text[1:]


def column_type(result: SelectResult, index: int) -> str:
    """The CSVW datatype of a column: a number or other type when all its literals have
    it, ``anyURI`` for IRIs, otherwise ``string`` (codes such as ``076`` included)."""
    kinds = set()
    for row in result.rows:
        term = row[index]
        if term is None:
            continue
        if isinstance(term, ox.NamedNode):
            kinds.add("anyURI")
        elif isinstance(term, ox.Literal) and not term.language:
            kinds.add(NUMERIC.get(term.datatype.value)
                      or OTHER_TYPES.get(term.datatype.value) or "string")
        else:
            kinds.add("string")
    return kinds.pop() if len(kinds) == 1 else "string"


def csvw_metadata(result: SelectResult, csv_url: str, about: About) -> dict:
    """The CSVW metadata document of the answer's CSV (``csv_url``, relative to it)."""
    columns = [{"name": _column_name(v), "titles": v, "dc:description": column_title(v),
                "datatype": column_type(result, i), "required": False}
               for i, v in enumerate(result.variables)]
    document = {
        "@context": ["http://www.w3.org/ns/csvw", {"@language": "en"}],
        "url": csv_url,
        "dc:title": about.title,
        "dc:description": about.description,
        "dc:source": about.source,
        "dc:rights": about.rights,
        "schema:version": about.version,
        "dc:issued": {"@value": about.date, "@type": "xsd:date"} if about.date else "",
        "rdfs:seeAlso": {"@id": about.url},
        "dialect": {"header": True, "encoding": "utf-8"},
        "tableSchema": {"columns": columns},
    }
    if about.licence:
        document["dc:license"] = {"@id": about.licence}
    return {k: v for k, v in document.items() if v != ""}


def _column_name(variable: str) -> str:
    """A CSVW column name (a URI-template variable name: letters, digits, _)."""
    return re.sub(r"[^A-Za-z0-9_]", "_", variable)


def workbook(result: SelectResult, about: About, evidence: str = "evidence") -> bytes:
    """The answer as an XLSX workbook: a sheet of the answer and an About sheet. The same
    answer and data give the same bytes (the workbook's date is the data's date)."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_numbers": False,
                                        "strings_to_formulas": False,
                                        "strings_to_urls": False})
    created = datetime.fromisoformat(about.date) if about.date else datetime(2000, 1, 1)
    book.set_properties({"title": about.title, "subject": about.description,
                         "comments": about.citation, "created": created})
    styles = _Styles(book)
    _answer_sheet(book.add_worksheet("Answer"), result, styles, evidence)
    _about_sheet(book.add_worksheet("About"), about, styles)
    book.close()
    return buffer.getvalue()


class _Styles:
    def __init__(self, book) -> None:
        self.header = book.add_format({"bold": True, "bg_color": "#F4F6FA", "text_wrap": True,
                                       "valign": "top"})
        self.text = book.add_format({"num_format": "@", "valign": "top"})
        self.wrapped = book.add_format({"num_format": "@", "text_wrap": True, "valign": "top"})
        self.number = book.add_format({"valign": "top"})
        self.link = book.add_format({"font_color": "#1F5FBF", "underline": 1, "valign": "top"})


def _answer_sheet(sheet, result: SelectResult, styles: _Styles, evidence: str) -> None:
    sheet.freeze_panes(1, 0)
    links = 0
    for col, variable in enumerate(result.variables):
        sheet.write_string(0, col, column_title(variable), styles.header)
        widths = [len(variable)] + [len(t.value) for t in (r[col] for r in result.rows) if t]
        wide = max(widths) > WRAP_AT
        sheet.set_column(col, col, WRAP_AT if wide else min(max(widths) + 2, WRAP_AT),
                         styles.wrapped if wide else styles.text)
    for r, row in enumerate(result.rows, start=1):
        for col, term in enumerate(row):
            if term is None:
                continue
            if isinstance(term, ox.NamedNode) and links < MAX_LINKS and len(term.value) < 2000:
                label = "evidence" if result.variables[col] == evidence else term.value
                sheet.write_url(r, col, term.value, styles.link, string=label)
                links += 1
            elif isinstance(term, ox.Literal) and term.datatype.value in NUMERIC:
                _write_number(sheet, r, col, term.value, styles)
            else:
                wrapped = len(term.value) > WRAP_AT
                sheet.write_string(r, col, term.value, styles.wrapped if wrapped else styles.text)


def _write_number(sheet, row: int, col: int, value: str, styles: _Styles) -> None:
    try:
        number = float(value)
    except ValueError:  # an ill-typed literal: kept as it was written
        sheet.write_string(row, col, value, styles.text)
        return
    sheet.write_number(row, col, int(number) if number.is_integer() else number, styles.number)


def _about_sheet(sheet, about: About, styles: _Styles) -> None:
    sheet.set_column(0, 0, 18, styles.header)
    sheet.set_column(1, 1, 100, styles.wrapped)
    rows: Sequence[tuple[str, str]] = [
        ("Title", about.title), ("Description", about.description),
        ("Address", about.url),
        *((f"Parameter {k}", v) for k, v in about.parameters.items()),
        ("Data version", about.version), ("Data date", about.date),
        ("Truncated", "yes: the answer has more rows than the limit; refine the query"
                      if about.truncated else ""),
        ("Cite as", about.citation), ("Source", about.source),
        ("Licence", about.licence), ("Rights", about.rights), ("SPARQL", about.query)]
    for r, (what, value) in enumerate((w, v) for w, v in rows if v):
        sheet.write_string(r, 0, what, styles.header)
        sheet.write_string(r, 1, value, styles.wrapped)
