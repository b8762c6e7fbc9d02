"""Run compiled shapes on the loaded store: one SPARQL query per constraint and focus set.

Results mirror pyshacl's, nesting included: an sh:node failure is one result for the
(focus, value) pair, carrying the nested shape's results as details — and pyshacl counts
any nested result, a warning too, as a failure of sh:node. sh:or keeps only its own
result; a member "conforms" unless it has a violation (pyshacl runs with warnings
allowed, so a member whose own severity is Warning or Info always conforms).
"""

from __future__ import annotations

import time
from collections import defaultdict
from dataclasses import dataclass

import pyoxigraph as ox

from . import shapes as sh
from .focus import RDF_TYPE, SUBCLASS, Focus
from .literals import rdflib_term
from .loader import LoadedData
from .messages import Stringifier, format_select_message, generic
from .selects import PreparedSelect, prepare


@dataclass(frozen=True)
class Result:
    severity: str
    focus: object  # a pyoxigraph term
    path: str | None
    value: object | None  # a pyoxigraph term
    message: str
    shape: object
    component: str  # e.g. "MinCountConstraintComponent"
    details: tuple[Result, ...] = ()


@dataclass(frozen=True)
class Timing:
    shape: str
    component: str
    seconds: float
    rows: int


class Engine:
    def __init__(self, shapes: sh.ShapesGraph, data: LoadedData) -> None:
        self.shapes, self.data, self.store = shapes, data, data.store
        self.names = Stringifier(shapes.turtle)
        self.prepared: dict[object, PreparedSelect] = {}
        self.timings: list[Timing] = []
        problems: list[str] = []
        for shape in shapes.shapes.values():  # refuse unsupported queries before running
            for c in shape.constraints:
                if isinstance(c, sh.Select):
                    try:
                        self.prepared[c.node] = prepare(c)
                    except sh.UnsupportedShapes as err:
                        problems += err.problems
        if problems:
            raise sh.UnsupportedShapes(problems)

    def run(self) -> list[Result]:
        """The top-level results of every shape that has targets."""
        out: list[Result] = []
        for shape in self.shapes.targeted():
            focus = Focus(classes=self._with_subclasses(shape.targets))
            for results in self.evaluate(shape, focus).values():
                out += results
        return out

    def _with_subclasses(self, classes: tuple[str, ...]) -> tuple[str, ...]:
        found: set[str] = set()
        for c in classes:
            rows = self.store.query(f"SELECT DISTINCT ?c WHERE {{ ?c {SUBCLASS}* <{c}> }}")
            found |= {r["c"].value for r in rows if isinstance(r["c"], ox.NamedNode)}
        return tuple(sorted(found | set(classes)))

    def evaluate(self, shape: sh.Shape, focus: Focus) -> dict[object, list[Result]]:
        """A shape's results on each focus node of ``focus`` (that has any)."""
        by_focus: dict[object, list[Result]] = defaultdict(list)
        for c in shape.constraints:
            for result in self._constraint(shape, c, focus):
                by_focus[result.focus].append(result)
        for p in shape.properties:
            for node, results in self.evaluate(self.shapes[p], focus).items():
                by_focus[node] += results
        return by_focus

    # constraints --------------------------------------------------------------------------

    def _constraint(self, shape: sh.Shape, c, focus: Focus) -> list[Result]:
        method = {sh.MinCount: self._min_count, sh.MaxCount: self._max_count,
                  sh.Class: self._class, sh.HasValue: self._has_value, sh.Node: self._node,
                  sh.Or: self._or, sh.Select: self._select}.get(type(c), self._value_check)
        return method(shape, c, focus)

    def _min_count(self, shape, c: sh.MinCount, focus: Focus) -> list[Result]:
        if c.n == 0:
            return []
        if c.n == 1:
            query = (f"SELECT ?this WHERE {{ {focus.pattern()} "
                     f"FILTER NOT EXISTS {{ ?this <{shape.path}> ?_v }} }}")
        else:
            query = (f"SELECT ?this WHERE {{ {focus.pattern()} OPTIONAL {{ ?this <{shape.path}> "
                     f"?_v }} }} GROUP BY ?this HAVING (COUNT(DISTINCT ?_v) < {c.n})")
        return [self._result(shape, c, row["this"], None)
                for row in self._query(query, shape, c)]

    def _max_count(self, shape, c: sh.MaxCount, focus: Focus) -> list[Result]:
        query = (f"SELECT ?this WHERE {{ {focus.pattern()} ?this <{shape.path}> ?_v }} "
                 f"GROUP BY ?this HAVING (COUNT(DISTINCT ?_v) > {c.n})")
        return [self._result(shape, c, row["this"], None)
                for row in self._query(query, shape, c)]

    def _class(self, shape, c: sh.Class, focus: Focus) -> list[Result]:
        # MINUS, not FILTER NOT EXISTS: Oxigraph runs the path inside EXISTS per row from
        # the class's end; the anti-join reads the class's instances once.
        instances = f"MINUS {{ ?value {RDF_TYPE}/{SUBCLASS}* <{c.iri}> }}"
        if shape.is_property:
            query = (f"SELECT DISTINCT ?this ?value WHERE {{ {focus.pattern()} "
                     f"?this <{shape.path}> ?value . {instances} }}")
        else:
            query = (f"SELECT DISTINCT ?this ?value WHERE {{ {focus.pattern()} "
                     f"BIND (?this AS ?value) {instances} }}")
        return [self._result(shape, c, row["this"], row["value"])
                for row in self._query(query, shape, c)]

    def _has_value(self, shape, c: sh.HasValue, focus: Focus) -> list[Result]:
        query = (f"SELECT ?this WHERE {{ {focus.pattern()} "
                 f"MINUS {{ ?this <{shape.path}> {c.term} }} }}")
        return [self._result(shape, c, row["this"], None)
                for row in self._query(query, shape, c)]

    def _value_check(self, shape, c, focus: Focus) -> list[Result]:
        """sh:datatype, sh:pattern, sh:minInclusive, sh:lessThan: decided at load time;
        here only: which failing subjects are focus nodes of this shape."""
        failures = self.data.failures.get(id(c), [])
        if not failures:
            return []
        members = self._members(focus, {s for s, _ in failures}, shape, c)
        return [self._result(shape, c, s, o) for s, o in failures if s in members]

    def _node(self, shape, c: sh.Node, focus: Focus) -> list[Result]:
        inner = focus.values(shape.path) if shape.is_property else focus
        nested = {v: rs for v, rs in self.evaluate(self.shapes[c.shape], inner).items() if rs}
        if not nested:
            return []
        return [self._result(shape, c, f, v, details=tuple(nested[v]))
                for f, v in self._pairs(shape, c, focus, nested)]

    def _or(self, shape, c: sh.Or, focus: Focus) -> list[Result]:
        inner = focus.values(shape.path) if shape.is_property else focus
        failing: set | None = None
        for member in c.members:
            m = self.shapes[member]
            if m.severity in ("Warning", "Info"):
                return []  # pyshacl lets a shape of allowed severity conform always
            fails = {v for v, rs in self.evaluate(m, inner).items()
                     if any(r.severity == "Violation" for r in rs)}
            failing = fails if failing is None else failing & fails
            if not failing:
                return []
        return [self._result(shape, c, f, v) for f, v in self._pairs(shape, c, focus, failing)]

    def _select(self, shape, c: sh.Select, focus: Focus) -> list[Result]:
        prepared = self.prepared[c.node]
        query = prepared.query(focus.pattern())
        start = time.perf_counter()
        solutions = self.store.query(query)
        variables, rows = [v.value for v in solutions.variables], list(solutions)
        self.timings.append(Timing(str(shape.id), _component(c), time.perf_counter() - start,
                                   len(rows)))
        names = list(prepared.projection) or variables
        template = (c.messages or shape.messages or ("",))[0]
        out, seen = [], set()
        for row in rows:
            bound = {n: row[n] for n in names if row[n] is not None}
            this = bound.pop("this")
            path, value = bound.pop("path", None), bound.pop("value", None)
            key = (this, path, value, tuple(bound.items()))
            if key in seen:  # pyshacl drops repeated rows of one focus node
                continue
            seen.add(key)
            value = value if value is not None else this  # a node shape's value: the focus
            fdict = {n: str(rdflib_term(t)) for n, t in bound.items()}
            fdict.update(this=str(rdflib_term(this)), **(
                {"path": str(rdflib_term(path))} if path is not None else {}),
                value=str(rdflib_term(value)))
            out.append(Result(shape.severity, this, path.value if path is not None else None,
                              value, format_select_message(template, fdict), shape.id,
                              "SPARQLConstraintComponent"))
        return out

    # helpers ------------------------------------------------------------------------------

    def _result(self, shape, c, focus, value, details: tuple = ()) -> Result:
        if shape.messages:
            message = shape.messages[0]
        else:
            message = generic(c, shape, self.names, focus, value)
        return Result(shape.severity, focus, shape.path, value, message, shape.id,
                      _component(c), details)

    def _pairs(self, shape, c, focus: Focus, values) -> list[tuple]:
        """(focus, value) pairs of a property shape whose value is in ``values``; for a
        node shape the value is the focus node itself."""
        if not shape.is_property:
            return [(v, v) for v in values]
        if any(isinstance(v, ox.BlankNode) for v in values):
            query = (f"SELECT DISTINCT ?this ?value WHERE {{ {focus.pattern()} "
                     f"?this <{shape.path}> ?value }}")
            return [(r["this"], r["value"]) for r in self._query(query, shape, c)
                    if r["value"] in values]
        query = (f"SELECT DISTINCT ?this ?value WHERE {{ VALUES ?value {{ "
                 f"{' '.join(str(v) for v in values)} }} ?this <{shape.path}> ?value . "
                 f"{focus.pattern()} }}")
        return [(r["this"], r["value"]) for r in self._query(query, shape, c)]

    def _members(self, focus: Focus, subjects: set, shape, c) -> set:
        if any(isinstance(s, ox.BlankNode) for s in subjects):
            query = f"SELECT ?this WHERE {{ {focus.pattern()} }}"
            return {r["this"] for r in self._query(query, shape, c)} & subjects
        query = (f"SELECT ?this WHERE {{ VALUES ?this {{ {' '.join(map(str, subjects))} }} "
                 f"{focus.pattern()} }}")
        return {r["this"] for r in self._query(query, shape, c)}

    def _query(self, query: str, shape, c) -> list:
        start = time.perf_counter()
        rows = list(self.store.query(query))
        self.timings.append(Timing(str(shape.id), _component(c), time.perf_counter() - start,
                                   len(rows)))
        return rows


def _component(c) -> str:
    name = {sh.Select: "SPARQL", sh.Or: "Or", sh.Node: "Node"}.get(type(c), type(c).__name__)
    return f"{name}ConstraintComponent"
