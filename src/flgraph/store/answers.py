"""Answers written by the engine itself, under the row cap and the byte cap.

Building rows as Python objects and writing them from Python cost more than the query
for most answers, and without bound for large ones: a SELECT of 200 ``BIND``s over the
report's 4,875 triples took 2.4 s to become rows and 3–5 s more to write (16 MB). Here
pyoxigraph writes the answer in Rust, into a writer that counts and stops:

- SELECT results are written as SPARQL XML first, where every solution opens with
  ``<result>`` (text cannot hold a raw ``<``): the writer stops at the (limit + 1)-th
  solution or at ``max_bytes``, and the document is closed after the last whole
  solution. Other formats are converted from that document, still in Rust; CSV cells
  that a spreadsheet would run as formulas are then neutralised (results.py says why).
- Graph results are written as N-Triples first (one triple a line, newlines escaped),
  cut at a line, then converted.

The result says whether it was cut, and says so in-band (``results.state_truncation``).
"""

from __future__ import annotations

import csv
import io
import re

import pyoxigraph as ox

from ..rdfio import FILE_PREFIXES
from ..rdfio import FORMATS as RDF_FORMATS
from ..results import _FORMULA_START, _NUMBER, _OX_RESULTS, Serialized, state_truncation

_RESULT = b"<result>"
_CLOSE = b"</results></sparql>"
#: a cell that may start with a formula character (a quick look before parsing the CSV)
_CELL_STARTING_A_FORMULA = re.compile(r'(?:^|[,\n])"?[=+\-@\t\r]')


class _Full(Exception):
    """The writer has what it may hold."""


class _CappedWriter:
    """A binary file for pyoxigraph that keeps at most ``max_bytes`` and stops at the
    ``max_items``-th occurrence of ``marker`` (None: counts nothing)."""

    def __init__(self, max_bytes: int, marker: bytes | None, max_items: int) -> None:
        self.buffer = bytearray()
        self.max_bytes, self.marker, self.max_items = max_bytes, marker, max_items
        self.items = 0
        self.cut = False

    def write(self, chunk) -> int:
        if self.cut:
            raise _Full
        start = max(0, len(self.buffer) - len(self.marker or b"") + 1)
        self.buffer += chunk
        if self.marker is not None:
            self._count_from(start)
        if len(self.buffer) > self.max_bytes:
            self.cut = True
        if self.cut:
            raise _Full
        return len(chunk)

    def _count_from(self, start: int) -> None:
        while True:
            found = self.buffer.find(self.marker, start)
            if found < 0:
                return
            self.items += 1
            if self.items > self.max_items:  # one solution more than the cap: stop before it
                del self.buffer[found:]
                self.cut = True
                return
            start = found + 1

    def flush(self) -> None:
        pass


def _write_capped(answer, fmt, unit: bytes, limit: int | None,
                  max_bytes: int) -> _CappedWriter:
    """The engine writes ``answer`` in ``fmt`` into a writer that stops it past ``limit``
    units (results, lines) or ``max_bytes``; the writer holds what was written."""
    writer = _CappedWriter(max_bytes, unit, limit if limit is not None else 2**62)
    try:
        answer.serialize(writer, format=fmt)
    except _Full:
        pass
    except OSError:
        if not writer.cut:
            raise
    return writer


def write_solutions(answer: ox.QuerySolutions, fmt: str, limit: int | None,
                    max_bytes: int) -> Serialized:
    writer = _write_capped(answer, ox.QueryResultsFormat.XML, _RESULT, limit, max_bytes)
    xml = bytes(writer.buffer)
    if writer.cut:
        xml = _close_after_last_result(xml, max_bytes)
    body = xml if fmt == "xml" else _convert_results(xml, fmt)
    return _finish("select", fmt, body, writer.cut)


#: Room kept under the byte cap for the closing tags and the truncation link.
_TAIL_ROOM = len(_CLOSE) + 256


def _close_after_last_result(xml: bytes, max_bytes: int) -> bytes:
    """The document up to the last whole solution that ends within ``max_bytes`` (the
    engine writes in chunks: the one that passed the cap may hold whole solutions past
    it), closed."""
    end = xml.rfind(b"</result>", 0, max(0, max_bytes - _TAIL_ROOM))
    if end < 0:
        head = xml.find(b"<results>")
        return xml[: head + len(b"<results>")] + _CLOSE
    return xml[: end + len(b"</result>")] + _CLOSE


def _convert_results(xml: bytes, fmt: str) -> bytes:
    solutions = ox.parse_query_results(xml, ox.QueryResultsFormat.XML)
    body = solutions.serialize(format=_OX_RESULTS[fmt])
    return _neutralise_formulas(body) if fmt == "csv" else body


def _neutralise_formulas(body: bytes) -> bytes:
    """CSV cells starting with ``=``, ``+``, ``-`` or ``@`` (not numbers) get a ``'``."""
    text = body.decode("utf-8")
    if not _CELL_STARTING_A_FORMULA.search(text):
        return body
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    for number, row in enumerate(csv.reader(io.StringIO(text, newline=""))):
        writer.writerow(row if number == 0 else [_neutral(cell) for cell in row])
    return out.getvalue().encode("utf-8")


def _neutral(cell: str) -> str:
    return "'" + cell if cell.startswith(_FORMULA_START) and not _NUMBER.match(cell) else cell


def write_boolean(answer: ox.QueryBoolean, fmt: str) -> Serialized:
    return Serialized("ask", fmt, answer.serialize(format=_OX_RESULTS[fmt]), False)


def write_triples(answer: ox.QueryTriples, fmt: str, limit: int | None,
                  max_bytes: int) -> Serialized:
    writer = _write_capped(answer, ox.RdfFormat.N_TRIPLES, b"\n", limit, max_bytes)
    lines = bytes(writer.buffer)
    if writer.cut:
        lines = lines[: lines.rfind(b"\n") + 1]
    if fmt == "nt":
        body = lines
    else:
        rdf = RDF_FORMATS[fmt]
        prefixes = FILE_PREFIXES if fmt in ("ttl", "rdfxml") else None
        body = ox.serialize(ox.parse(lines, ox.RdfFormat.N_TRIPLES), format=rdf.rdf_format,
                            prefixes=prefixes)
    return _finish("graph", fmt, body, writer.cut)


def _finish(kind: str, fmt: str, body: bytes, cut: bool) -> Serialized:
    return Serialized(kind, fmt, state_truncation(body, fmt) if cut else body, cut)
