"""The query gateway: what may run on a public, read-only endpoint.

Checked before any engine sees the query:

1. the text — its size and its nesting depth (an engine's recursive parser can be
   crashed by a query nested a few thousand levels deep);
2. the parsed query, not the text — escapes such as ``\\u0053ERVICE`` are decoded by the
   parser, so keyword filters on the text would be bypassable. Only SELECT, ASK,
   CONSTRUCT and DESCRIBE; no SERVICE (the engines would make outbound requests); no
   FROM / FROM NAMED of a graph the store does not hold (never fetched); bounded numbers
   of triple patterns, unions, subqueries and path operators; no extension functions.

A refusal is ``QueryRefused`` with the reason, which the web layer answers with 400.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection
from dataclasses import dataclass
from functools import lru_cache

from . import namespaces as ns
from .service import Limits, QueryRefused
from .store import QuerySyntaxError

FORMS = {"SelectQuery": "SELECT", "AskQuery": "ASK", "ConstructQuery": "CONSTRUCT",
         "DescribeQuery": "DESCRIBE"}


@dataclass(frozen=True)
class Shape:
    """What the gateway learned of a query: its form and what it is made of."""

    form: str
    graphs: tuple[str, ...]  # IRIs named in FROM / FROM NAMED
    patterns: int
    unions: int
    subqueries: int
    paths: int
    services: int
    functions: tuple[str, ...]  # IRIs of non-builtin functions called


def check_query(text: str, limits: Limits, graphs: Collection[str] | None = None) -> Shape:
    """The query's shape if it may run; ``QueryRefused`` or ``QuerySyntaxError`` if not.

    ``graphs`` are the store's graph names; FROM of anything else is refused.
    """
    size = len(text.encode("utf-8"))
    if size > limits.max_query_bytes:
        raise QueryRefused(f"query is {size} bytes; the limit is {limits.max_query_bytes}")
    depth = nesting_depth(text)
    if depth > limits.max_nesting:
        raise QueryRefused(f"query nests {depth} levels deep; the limit is {limits.max_nesting}")
    shape = query_shape(text)
    _check_shape(shape, limits, graphs)
    return shape


def _check_shape(shape: Shape, limits: Limits, graphs: Collection[str] | None) -> None:
    if shape.services:
        raise QueryRefused("SERVICE is not allowed: this endpoint makes no outbound requests")
    if graphs is not None:
        foreign = [g for g in shape.graphs if g not in graphs]
        if foreign:
            raise QueryRefused(f"FROM <{foreign[0]}>: not a graph of this dataset (graphs are "
                               "never fetched)")
    for name, count, limit in (("triple patterns", shape.patterns, limits.max_patterns),
                               ("UNIONs", shape.unions, limits.max_unions),
                               ("subqueries", shape.subqueries, limits.max_subqueries),
                               ("property path operators", shape.paths, limits.max_paths)):
        if count > limit:
            raise QueryRefused(f"query has {count} {name}; the limit is {limit}")
    if shape.functions:
        raise QueryRefused(f"extension function <{shape.functions[0]}> is not supported")


def nesting_depth(text: str) -> int:
    """Deepest nesting of (), {} and [] outside strings, IRIs and comments."""
    depth = deepest = 0
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "#":
            nl = text.find("\n", i)
            i = n if nl < 0 else nl
        elif ch in "\"'":
            long = text.startswith(ch * 3, i)
            i = _string_end(text, i, ch * 3 if long else ch)
        elif ch == "<" and _IRI.match(text, i):
            i = _IRI.match(text, i).end() - 1
        elif ch in "({[":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in ")}]":
            depth = max(0, depth - 1)
        i += 1
    return deepest


_IRI = re.compile(r"<[^<>\"{}|^`\\\s]{0,4096}>")


def _string_end(text: str, start: int, quote: str) -> int:
    i = start + len(quote)
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text.startswith(quote, i):
            return i + len(quote) - 1
        if len(quote) == 1 and text[i] == "\n":
            return i
        i += 1
    return len(text)


@lru_cache(maxsize=1024)
def query_shape(text: str) -> Shape:
    """Parse with rdflib's SPARQL parser (it decodes escapes first) and walk the algebra.

    Cached by text: repeated queries — the common case — are parsed once.
    """
    from pyparsing import ParseException
    from rdflib.plugins.sparql.algebra import translateQuery
    from rdflib.plugins.sparql.parser import parseQuery, parseUpdate

    try:
        query = translateQuery(parseQuery(text))
    except ParseException as err:
        try:
            parseUpdate(text)
        except Exception:
            raise QuerySyntaxError(_parse_message(err)) from None
        raise QueryRefused("updates are not accepted: this endpoint is read-only") from None
    except RecursionError:
        raise QueryRefused("query nests too deeply to be read") from None
    except Exception as err:
        raise QuerySyntaxError(f"cannot read the query: {err}") from None
    return _shape(query.algebra)


def _parse_message(err) -> str:
    near = err.line[max(0, err.col - 1):][:30].strip()
    where = f"line {err.lineno}, column {err.col}"
    return f"syntax error at {where}" + (f" near '{near}'" if near else " (unexpected end)")


def _shape(algebra) -> Shape:
    from rdflib.paths import Path
    from rdflib.plugins.sparql.parserutils import CompValue

    names: Counter[str] = Counter()
    functions: list[str] = []
    patterns = paths = 0
    stack = [algebra]
    while stack:
        node = stack.pop()
        if isinstance(node, CompValue):
            names[node.name] += 1
            if node.name == "Function" and not str(node.iri).startswith(ns.XSD):
                functions.append(str(node.iri))
            if node.name == "BGP":
                patterns += len(node.triples)
            stack.extend(node.values())
        elif isinstance(node, list | tuple):
            stack.extend(node)
        elif isinstance(node, Path):
            paths += _path_size(node)
    form = FORMS.get(algebra.name)
    if form is None:
        raise QueryRefused(f"{algebra.name} is not a query this endpoint runs")
    graphs = tuple(str(d.get("default") or d.get("named"))
                   for d in algebra.get("datasetClause") or ())
    return Shape(form=form, graphs=graphs, patterns=patterns, unions=names["Union"],
                 subqueries=names["SelectQuery"] - 1 if form == "SELECT" else names[
                     "SelectQuery"], paths=paths, services=names["ServiceGraphPattern"],
                 functions=tuple(functions))


def _path_size(path) -> int:
    """Operators in a property path: sequences, alternatives, inverses, repetitions."""
    from rdflib.paths import AlternativePath, InvPath, MulPath, NegatedPath, SequencePath

    if isinstance(path, SequencePath | AlternativePath):
        return 1 + sum(_path_size(p) for p in path.args)
    if isinstance(path, InvPath | MulPath):
        return 1 + _path_size(path.path)
    if isinstance(path, NegatedPath):
        return 1
    return 0
