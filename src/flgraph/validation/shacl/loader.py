"""Load a dataset into the store the validator queries, deciding literal checks on the way.

The data graph is the union of the dataset's graphs, as pyshacl sees it: a set of
triples. The store holds each triple once, in its default graph — querying named graphs
through ``use_default_graph_as_union`` would count a triple repeated in two graphs twice,
and sh:select aggregates (COUNT, SUM) would then disagree with pyshacl. Literals are
stored with rdflib's normalised lexical form, the form pyshacl's graph holds.

Value checks that depend on a literal's exact form (sh:datatype, sh:pattern,
sh:minInclusive, sh:lessThan) are decided in the same single pass, on the input's own
terms, once per distinct value (see ``literals``).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

import pyoxigraph as ox

from . import literals as lit
from . import shapes as sh

#: Literals of these datatypes are stored as they come: rdflib leaves them alone.
PLAIN_DATATYPES = {lit.XSD_STRING, lit.RDF_LANGSTRING}


@dataclass
class LoadedData:
    store: ox.Store
    semantics: lit.LiteralSemantics
    #: per value constraint (by id): the (subject, value) pairs whose value fails it,
    #: with one entry per failing pair for sh:lessThan (pyshacl reports each pair)
    failures: dict[int, list[tuple]] = field(default_factory=dict)
    triples: int = 0


def load(quads: Iterable, shapes: sh.ShapesGraph,
         semantics: lit.LiteralSemantics | None = None) -> LoadedData:
    """One pass over ``quads`` (pyoxigraph quads or triples): fill a fresh in-memory store
    and decide every literal-level check of ``shapes``."""
    semantics = semantics or lit.LiteralSemantics()
    checks = _ValueChecks(shapes, semantics)
    store = ox.Store()
    store.bulk_extend(_triples(quads, semantics, checks))
    return LoadedData(store, semantics, checks.finish(), len(store))


def _triples(quads: Iterable, semantics: lit.LiteralSemantics, checks: _ValueChecks):
    literal, quad = ox.Literal, ox.Quad
    by_path = checks.by_path
    for q in quads:
        s, p, o = q.subject, q.predicate, q.object
        seen = by_path.get(p.value)
        if seen is not None:
            seen(s, o)
        if type(o) is literal and o.datatype.value not in PLAIN_DATATYPES:
            o = semantics.normalize(o)
        yield quad(s, p, o)


class _ValueChecks:
    """The literal-level constraints of the shapes, grouped by the predicate they read."""

    def __init__(self, shapes: sh.ShapesGraph, semantics: lit.LiteralSemantics) -> None:
        self.semantics = semantics
        self.per_value: dict[str, list[_PerValue]] = defaultdict(list)
        self.pairs: dict[str, list[tuple[_LessThan, bool]]] = defaultdict(list)
        for shape, c in _value_constraints(shapes):
            if isinstance(c, sh.LessThan):
                check = _LessThan(id(c), semantics)
                self.pairs[shape.path].append((check, True))
                self.pairs[c.iri].append((check, False))
            else:
                self.per_value[shape.path].append(_PerValue(id(c), c, semantics))
        self.by_path = {p: self._seer(p) for p in set(self.per_value) | set(self.pairs)}

    def _seer(self, path: str):
        per_value, pairs = self.per_value.get(path, []), self.pairs.get(path, [])

        def seen(s, o) -> None:
            for check in per_value:
                check.see(s, o)
            for check, is_value in pairs:
                check.see(s, o, is_value)
        return seen

    def finish(self) -> dict[int, list[tuple]]:
        checks = [c for cs in self.per_value.values() for c in cs]
        checks += [c for cs in self.pairs.values() for c, is_value in cs if is_value]
        return {c.key: c.failures() for c in checks}


class _PerValue:
    """sh:datatype, sh:pattern or sh:minInclusive: a verdict per value, memoised."""

    def __init__(self, key: int, c, semantics: lit.LiteralSemantics) -> None:
        self.key, self.semantics = key, semantics
        self.failing: dict[tuple, tuple] = {}
        self.verdicts: dict = {}
        if isinstance(c, sh.Datatype):
            self.fast = lambda o: lit.datatype_fast(o, c.iri)
            self.slow = lambda v: lit.datatype_ok(v, c.iri)
        elif isinstance(c, sh.Pattern):
            regex = lit.compiled(c.regex)

            def fast(o):
                text = lit.pattern_text(o)
                return None if text is None else bool(regex.match(text) or regex.search(text))
            self.fast = fast
            self.slow = lambda v: lit.pattern_ok(v, c.regex)
        else:
            bound = lit.integer_value(c.bound)

            def fast(o):
                value = lit.integer_value(o)
                return None if value is None or bound is None else value >= bound
            self.fast = fast
            self.slow = lambda v: lit.min_inclusive_ok(v, c.bound)

    def see(self, s, o) -> None:
        ok = self.fast(o)
        if ok is None:
            ok = self.verdicts.get(o)
            if ok is None:
                ok = self.verdicts[o] = self.slow(self.semantics.rdflib(o))
        if not ok:
            # one finding per node of rdflib's graph: literals equal once normalised merge
            key = (s, self.semantics.normalize(o) if type(o) is ox.Literal else o)
            self.failing.setdefault(key, (s, o))

    def failures(self) -> list[tuple]:
        return list(self.failing.values())


class _LessThan:
    """sh:lessThan: every value against every other value of the same subject."""

    def __init__(self, key: int, semantics: lit.LiteralSemantics) -> None:
        self.key, self.semantics = key, semantics
        self.by_subject: dict = defaultdict(lambda: ([], []))

    def see(self, s, o, is_value: bool) -> None:
        self.by_subject[s][0 if is_value else 1].append(o)

    def failures(self) -> list[tuple]:
        out = []
        for s, (values, others) in self.by_subject.items():
            values, others = self._distinct(values), self._distinct(others)
            if len(values) == 1 and len(others) == 1:
                a, b = lit.digits_value(values[0]), lit.digits_value(others[0])
                if a and b and a[0] == b[0]:  # the common case, without rdflib
                    if a[1] >= b[1]:
                        out.append((s, values[0]))
                    continue
            pairs = [(v, self.semantics.rdflib(v)) for v in values]
            other_pairs = [(w, self.semantics.rdflib(w)) for w in others]
            out += [(s, v) for v in lit.less_than_failures(pairs, other_pairs)]
        return out

    def _distinct(self, terms: list) -> list:
        """One term per rdflib node: rdflib's graph merges literals equal once normalised."""
        if len(terms) == 1:
            return terms
        kept: dict = {}
        for t in terms:
            kept.setdefault(self.semantics.normalize(t) if type(t) is ox.Literal else t, t)
        return list(kept.values())


def _value_constraints(shapes: sh.ShapesGraph):
    for path_constraints in shapes.value_paths.values():
        yield from path_constraints
