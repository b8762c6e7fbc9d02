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
- SPARQL JSON, the endpoint's default, is written directly: the detour through XML
  cost a look-up's answer more than its query (bench/RESULTS.md, 2026-12-07). The
  engine's JSON has no spaces, and a solution that binds a variable begins with
  ``},{"`` and the first character of a variable's name, which no text can imitate (a
  quote inside a string is escaped; a string's own closing quote is followed by ``}``
  or ``,``). Solutions that bind nothing (``{}``) are told from nothing, so they are
  counted as an upper bound; an answer that may then hold more than ``limit`` is
  asked again and written through XML (``again``).
- Graph results are written as N-Triples first (one triple a line, newlines escaped),
  cut at a line, then converted.

The result says whether it was cut, and says so in-band (``results.state_truncation``).
"""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Callable

import pyoxigraph as ox

from ..rdfio import FILE_PREFIXES
from ..rdfio import FORMATS as RDF_FORMATS
from .results import _FORMULA_START, _NUMBER, _OX_RESULTS, Serialized, state_truncation

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
                    max_bytes: int, again: Callable[[], ox.QuerySolutions] | None = None
                    ) -> Serialized:
    """``answer`` in ``fmt`` within ``limit`` solutions and ``max_bytes``; ``again``
    asks the query anew (for JSON, when its solutions could not be counted)."""
    if fmt == "json" and again is not None and (limit is None or limit > 0):
        written = _write_json(answer, limit, max_bytes)
        if written is not None:
            return written
        answer = again()
    writer = _write_capped(answer, ox.QueryResultsFormat.XML, _RESULT, limit, max_bytes)
    xml = bytes(writer.buffer)
    if writer.cut:
        xml = _close_after_last_result(xml, max_bytes - _ROOM_AFTER_CUT)
    body = xml if fmt == "xml" else _convert_results(xml, fmt)
    return _finish("select", fmt, body, writer.cut)


#: Bytes kept free below the cap for what a cut answer gains: the closing tags and the
#: truncation link in its head (``state_truncation``). Without it an answer cut right
#: after a solution ending at the cap came out 33 bytes over 16 MiB.
_ROOM_AFTER_CUT = 256


def _close_after_last_result(xml: bytes, up_to: int | None = None) -> bytes:
    """The document up to the last whole solution that ends by ``up_to``, closed."""
    end = xml.rfind(b"</result>", 0, None if up_to is None else up_to - len(b"</result>"))
    if end < 0:
        head = xml.find(b"<results>")
        return xml[: head + len(b"<results>")] + _CLOSE
    return xml[: end + len(b"</result>")] + _CLOSE


_SOLUTION = b'},{"'  # where a solution that binds a variable begins (then a name)
_NOT_A_NAME = b"},"  # what follows a string's closing quote instead
_EMPTY_SOLUTION = b"{}"
_BINDINGS = b'"bindings":['
_CLOSE_JSON = b"]}}"


class _JsonCappedWriter(_CappedWriter):
    """A capped writer for the engine's SPARQL JSON: it counts the solutions as they
    come (see the module's docstring) and stops before the (``max_items`` + 1)-th, or
    when solutions that bind nothing make the count uncertain (``unsure``)."""

    def __init__(self, max_bytes: int, max_items: int) -> None:
        super().__init__(max_bytes, None, max_items)
        self.at_limit = self.unsure = False
        self.empties = 0
        self._next = 0  # where to look for the next solution's start

    def write(self, chunk) -> int:
        if self.cut:
            raise _Full
        grown_from = len(self.buffer)
        self.buffer += chunk
        self.empties += self.buffer.count(_EMPTY_SOLUTION, max(0, grown_from - 1))
        self._count()
        if not self.cut and self.empties and self.items + 1 + self.empties > self.max_items:
            self.unsure = self.cut = True
        if len(self.buffer) > self.max_bytes:
            self.cut = True
        if self.cut:
            raise _Full
        return len(chunk)

    def _count(self) -> None:
        buffer = self.buffer
        while True:
            found = buffer.find(_SOLUTION, self._next)
            if found < 0:
                self._next = max(self._next, len(buffer) - len(_SOLUTION) + 1)
                return
            after = found + len(_SOLUTION)
            if after >= len(buffer):  # the name's first character is still to come
                self._next = found
                return
            self._next = found + 1
            if buffer[after] in _NOT_A_NAME:
                continue  # a string that ended with '},{'
            self.items += 1
            if self.items >= self.max_items:  # the (limit + 1)-th solution begins here
                self.unsure = self.empties > 0
                del buffer[found + 1:]
                self.at_limit = self.cut = True
                return


def _write_json(answer: ox.QuerySolutions, limit: int | None,
                max_bytes: int) -> Serialized | None:
    """``answer`` as SPARQL JSON written by the engine, within ``limit`` solutions and
    ``max_bytes``; None when its solutions could not be counted (then asked again)."""
    writer = _JsonCappedWriter(max_bytes, limit if limit is not None else 2**62)
    try:
        answer.serialize(writer, format=ox.QueryResultsFormat.JSON)
    except _Full:
        pass
    except OSError:
        if not writer.cut:
            raise
    if writer.unsure:
        return None
    body = bytes(writer.buffer)
    room = max_bytes - _ROOM_AFTER_CUT
    if writer.at_limit and len(body) + len(_CLOSE_JSON) <= room:
        body += _CLOSE_JSON  # it ends with the limit-th solution
    elif writer.cut:
        body = _close_json_after_last_solution(body, room)
    return _finish("select", "json", body, writer.cut)


def _close_json_after_last_solution(body: bytes, up_to: int) -> bytes:
    """The document up to the last whole solution that ends by ``up_to``, closed."""
    end = up_to - len(_CLOSE_JSON)
    while (found := body.rfind(_SOLUTION, 0, end)) >= 0:
        after = found + len(_SOLUTION)
        if after < len(body) and body[after] not in _NOT_A_NAME:
            return body[: found + 1] + _CLOSE_JSON
        end = found + len(_SOLUTION) - 1
    start = body.find(_BINDINGS)
    return body[: start + len(_BINDINGS)] + _CLOSE_JSON


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
