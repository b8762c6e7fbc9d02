"""Query results in every format a client asks for.

SELECT and ASK results become the SPARQL 1.1 JSON structure first; XML, CSV and TSV are
produced from it by pyoxigraph's own results serialisers, so each format is written by
a conforming library rather than by us. Graph results (CONSTRUCT, DESCRIBE) are written
by pyoxigraph's RDF serialisers.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

import pyoxigraph as ox

from .. import namespaces as ns
from ..formats import RESULTS, of_kind
from ..rdfio import FILE_PREFIXES
from ..rdfio import FORMATS as RDF_FORMATS
from .base import AskResult, GraphResult, Result, SelectResult, Term

XSD_STRING = ns.XSD + "string"


_OX_RESULTS = {name: f.engine for name, f in of_kind(RESULTS).items()}


def term_json(term: Term) -> dict[str, str]:
    if isinstance(term, ox.NamedNode):
        return {"type": "uri", "value": term.value}
    if isinstance(term, ox.BlankNode):
        return {"type": "bnode", "value": term.value}
    out = {"type": "literal", "value": term.value}
    if term.language:
        out["xml:lang"] = term.language
    elif term.datatype.value != XSD_STRING:
        out["datatype"] = term.datatype.value
    return out


def sparql_json(result: SelectResult | AskResult) -> dict:
    if isinstance(result, AskResult):
        return {"head": {}, "boolean": result.value}
    return {
        "head": {"vars": list(result.variables)},
        "results": {"bindings": [
            {var: term_json(term) for var, term in zip(result.variables, row, strict=True)
             if term is not None}
            for row in result.rows
        ]},
    }


def serialize_results(result: SelectResult | AskResult, fmt: str) -> bytes:
    """SELECT/ASK results as json, xml, csv or tsv.

    CSV is what spreadsheets open, and a cell starting with ``=``, ``+``, ``-`` or ``@``
    is a formula to them: anyone who can put such a value in a result (a crafted query
    link is enough) could make a spreadsheet run it. Those cells get a leading ``'``
    (OWASP's advice); plain numbers are left alone. TSV writes literals in quotes and
    needs nothing.
    """
    structure = sparql_json(result)
    if fmt == "csv" and isinstance(result, SelectResult):
        _neutralise_formulas(structure)
    data = json.dumps(structure, ensure_ascii=False).encode("utf-8")
    if fmt == "json":
        return data
    parsed = ox.parse_query_results(data, ox.QueryResultsFormat.JSON)
    return parsed.serialize(format=_OX_RESULTS[fmt])


_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_NUMBER = re.compile(r"^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$")


def _neutralise_formulas(structure: dict) -> None:
    for binding in structure["results"]["bindings"]:
        for term in binding.values():
            value = term["value"]
            if value.startswith(_FORMULA_START) and not _NUMBER.match(value):
                term["value"] = "'" + value


def serialize_graph(result: GraphResult, fmt: str) -> bytes:
    """CONSTRUCT/DESCRIBE results as ttl, nt, jsonld or rdfxml."""
    rdf = RDF_FORMATS[fmt]
    prefixes = FILE_PREFIXES if fmt in ("ttl", "rdfxml") else None
    return ox.serialize(list(result.triples), format=rdf.rdf_format, prefixes=prefixes)


def serialize(result: Result, fmt: str) -> bytes:
    if isinstance(result, GraphResult):
        return serialize_graph(result, fmt)
    return serialize_results(result, fmt)


#: Where a result cut by the row or byte cap says so in its own body: a link in the head
#: of SPARQL JSON and XML results (the place the formats give to metadata about a
#: result), a comment in Turtle, N-Triples and RDF/XML. CSV, TSV and JSON-LD have no
#: such place that every reader skips: they say it by the X-Flgraph-Truncated header,
#: which every format carries.
TRUNCATED_LINK = ns.FLG + "TruncatedResult"
TRUNCATED_NOTE = "truncated: the result has more than the row or size limit allows"


def state_truncation(body: bytes, fmt: str) -> bytes:
    """``body`` with the truncation stated in-band, where ``fmt`` allows it."""
    if fmt == "json":  # written by Python (with spaces) or by the engine (without)
        link = b'"link": ["%s"], ' % TRUNCATED_LINK.encode()
        if body.startswith(b'{"head":{'):
            return b'{"head":{' + link.replace(b", ", b",") + body[len(b'{"head":{'):]
        return body.replace(b'{"head": {', b'{"head": {' + link, 1)
    if fmt == "xml":
        return body.replace(b"</head>", b'<link href="%s"/></head>' % TRUNCATED_LINK.encode(), 1)
    if fmt in ("ttl", "nt"):
        return b"# %s\n" % TRUNCATED_NOTE.encode() + body
    if fmt == "rdfxml":
        declaration, newline, rest = body.partition(b"?>")
        if newline:
            return declaration + b"?>\n<!-- %s -->" % TRUNCATED_NOTE.encode() + rest
    return body


@dataclass(frozen=True)
class Serialized:
    """An answer already written in its format, as the query worker sends it: bytes,
    not rows, with the cut (if any) stated in the body as ``state_truncation`` does."""

    kind: str  # select | ask | graph
    fmt: str
    body: bytes
    truncated: bool


def serialize_capped(result: Result, formats: tuple[str | None, str | None],
                     max_bytes: int) -> Serialized | Result:
    """``result`` written in its format (``formats``: for SELECT/ASK, for CONSTRUCT/
    DESCRIBE), in at most ``max_bytes``: rows are dropped until the body fits, and the
    body says it was cut. The caps on the terms' text do not bound the body (a SELECT of
    200 BINDs repeats every term 200 times in markup: 97 MB of XML), this does.

    Where no format is given for the result's kind, the result is returned as it is."""
    graph = isinstance(result, GraphResult)
    fmt = formats[1] if graph else formats[0]
    if fmt is None:
        return result
    kind = "graph" if graph else "ask" if isinstance(result, AskResult) else "select"
    body = _written(result, fmt)
    while len(body) > max_bytes and _size(result):
        items = _size(result)
        keep = min(items - 1, int(items * max_bytes / len(body) * 0.95))
        result = _first(result, max(keep, 0))
        body = _written(result, fmt)
    return Serialized(kind, fmt, body, result.truncated)


def _written(result: Result, fmt: str) -> bytes:
    body = serialize(result, fmt)
    return state_truncation(body, fmt) if result.truncated else body


def _size(result: Result) -> int:
    if isinstance(result, SelectResult):
        return len(result.rows)
    return len(result.triples) if isinstance(result, GraphResult) else 0


def _first(result: Result, keep: int) -> Result:
    if isinstance(result, SelectResult):
        return SelectResult(result.variables, result.rows[:keep], True)
    return GraphResult(result.triples[:keep], True)


def compact(term: Term | None, prefixes: dict[str, str] | None = None) -> str:
    """A short human form: prefixed names for IRIs, the lexical form for literals."""
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        for prefix, namespace in (prefixes or ns.PREFIXES).items():
            if term.value.startswith(namespace) and len(term.value) > len(namespace):
                return f"{prefix}:{term.value[len(namespace):]}"
        return f"<{term.value}>"
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return term.value


def text_table(result: Result, max_width: int = 60) -> str:
    """A plain-text table for terminals."""
    if isinstance(result, AskResult):
        return "true" if result.value else "false"
    if isinstance(result, GraphResult):
        return serialize_graph(result, "ttl").decode("utf-8")
    rows = [[_clip(compact(t), max_width) for t in row] for row in result.rows]
    widths = [max([len(v)] + [len(r[k]) for r in rows]) for k, v in enumerate(result.variables)]
    def line(cells):
        return "  ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)).rstrip()

    out = [line(result.variables), line(["-" * w for w in widths])]
    out += [line(r) for r in rows]
    note = f"{len(rows)} row{'s' if len(rows) != 1 else ''}"
    if result.truncated:
        note += " (truncated)"
    return "\n".join([*out, note])


def _clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"
