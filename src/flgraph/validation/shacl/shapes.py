"""The shapes graph as plain Python objects, read generically from Turtle.

The fast validator compiles shapes into SPARQL; it must never skip a check silently. So
this module accepts exactly the SHACL features it knows how to run with pyshacl's meaning
and lists every other feature it finds in one ``UnsupportedShapes`` error.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph as ox

from ... import namespaces as ns

Term = ox.NamedNode | ox.BlankNode | ox.Literal

SEVERITIES = {ns.SH + "Violation": "Violation", ns.SH + "Warning": "Warning",
              ns.SH + "Info": "Info"}

#: Parameters of a shape this engine runs; anything else in the sh: namespace is refused.
SHAPE_PARAMETERS = {
    "targetClass", "property", "path", "minCount", "maxCount", "datatype", "class",
    "pattern", "hasValue", "minInclusive", "lessThan", "node", "or", "message", "severity",
    "sparql",
}
SPARQL_PARAMETERS = {"select", "prefixes", "message"}
DECLARATION_PARAMETERS = {"declare", "prefix", "namespace"}
SHAPE_TYPES = {ns.SH + "NodeShape", ns.SH + "PropertyShape", ns.SH + "SPARQLConstraint"}
#: Parameters that pyshacl reads only on property shapes, or that we only run there.
VALUE_PARAMETERS = ("minCount", "maxCount", "datatype", "pattern", "hasValue",
                    "minInclusive", "lessThan")
RDF_FIRST, RDF_REST, RDF_NIL = ns.RDF + "first", ns.RDF + "rest", ns.RDF + "nil"
CLASS_TYPES = {ns.RDFS + "Class", ns.OWL + "Class"}


class UnsupportedShapes(Exception):
    """The shapes use SHACL features the fast validator does not run (listed)."""

    def __init__(self, problems: list[str]) -> None:
        self.problems = sorted(set(problems))
        super().__init__("the fast validator does not support: " + "; ".join(self.problems))


# Constraints ------------------------------------------------------------------------------

@dataclass(frozen=True)
class MinCount:
    n: int


@dataclass(frozen=True)
class MaxCount:
    n: int


@dataclass(frozen=True)
class Datatype:
    iri: str


@dataclass(frozen=True)
class Pattern:
    regex: str
    all_regexes: tuple[str, ...]  # pyshacl's generic message names every pattern


@dataclass(frozen=True)
class Class:
    iri: str
    all_classes: tuple[str, ...]


@dataclass(frozen=True)
class HasValue:
    term: ox.NamedNode
    all_terms: tuple[ox.NamedNode, ...]


@dataclass(frozen=True)
class MinInclusive:
    bound: ox.Literal
    all_bounds: tuple[ox.Literal, ...]


@dataclass(frozen=True)
class LessThan:
    iri: str


@dataclass(frozen=True)
class Node:
    shape: Term
    all_shapes: tuple[Term, ...]


@dataclass(frozen=True)
class Or:
    members: tuple[Term, ...]


@dataclass(frozen=True)
class Select:
    """A SHACL-SPARQL constraint: its sh:select text, prefixes and messages."""

    node: Term
    text: str
    prefixes: tuple[tuple[str, str], ...]
    messages: tuple[str, ...]


Constraint = (MinCount | MaxCount | Datatype | Pattern | Class | HasValue | MinInclusive
              | LessThan | Node | Or | Select)


@dataclass(frozen=True)
class Shape:
    id: Term
    path: str | None  # a property shape's predicate; None for a node shape
    severity: str
    messages: tuple[str, ...]
    targets: tuple[str, ...]
    constraints: tuple[Constraint, ...]
    properties: tuple[Term, ...]

    @property
    def is_property(self) -> bool:
        return self.path is not None


@dataclass
class ShapesGraph:
    shapes: dict[Term, Shape]
    turtle: bytes  # the source text: generic messages need rdflib's prefix rendering
    value_paths: dict[str, list[tuple[Shape, Constraint]]] = field(default_factory=dict)

    def targeted(self) -> list[Shape]:
        return [s for s in self.shapes.values() if s.targets]

    def __getitem__(self, node: Term) -> Shape:
        return self.shapes[node]


# Reading ------------------------------------------------------------------------------------

def load_shapes(path: Path) -> ShapesGraph:
    """Read a Turtle shapes file; raise ``UnsupportedShapes`` listing what we cannot run."""
    turtle = path.read_bytes()
    return _Reader(list(ox.parse(turtle, ox.RdfFormat.TURTLE)), turtle).read()


class _Reader:
    def __init__(self, triples: list, turtle: bytes) -> None:
        self.turtle = turtle
        self.out: dict[Term, dict[str, list[Term]]] = defaultdict(lambda: defaultdict(list))
        for t in triples:
            self.out[t.subject][t.predicate.value].append(t.object)
        self.triples = triples
        self.problems: list[str] = []

    def read(self) -> ShapesGraph:
        shape_nodes = self._shape_nodes()
        self._check_vocabulary(shape_nodes)
        shapes = {node: self._shape(node) for node in shape_nodes}
        for shape in shapes.values():
            self._check_references(shape, shapes)
        if self.problems:
            raise UnsupportedShapes(self.problems)
        graph = ShapesGraph(shapes, self.turtle)
        for shape in shapes.values():
            for c in shape.constraints:
                if isinstance(c, Datatype | Pattern | MinInclusive | LessThan):
                    graph.value_paths.setdefault(shape.path, []).append((shape, c))
        return graph

    # which nodes are shapes, and is every sh: term one we run?

    def _shape_nodes(self) -> list[Term]:
        nodes = set()
        for s, props in self.out.items():
            types = {t.value for t in props.get(ns.RDF + "type", [])}
            if types & {ns.SH + "NodeShape", ns.SH + "PropertyShape"} or any(
                    p in props for p in (ns.SH + "targetClass", ns.SH + "path")):
                nodes.add(s)
            for p in ("property", "node"):
                nodes.update(props.get(ns.SH + p, []))
            for lst in props.get(ns.SH + "or", []):
                nodes.update(self._list(lst))
        return sorted(nodes, key=str)

    def _check_vocabulary(self, shape_nodes: list[Term]) -> None:
        shapes = set(shape_nodes)
        sparqls = {o for s in shapes for o in self.out[s].get(ns.SH + "sparql", [])}
        declarations = {o for props in self.out.values() for o in props.get(ns.SH + "declare", [])}
        for t in self.triples:
            p = t.predicate.value
            if p == ns.RDF + "type" and t.object.value.startswith(ns.SH):
                if t.object.value not in SHAPE_TYPES:
                    self.problems.append(f"rdf:type sh:{t.object.value[len(ns.SH):]}")
                continue
            if p == ns.RDF + "type" and t.object.value in CLASS_TYPES and t.subject in shapes:
                self.problems.append(f"implicit class target on {t.subject}")
            if not p.startswith(ns.SH):
                continue
            name = p[len(ns.SH):]
            allowed = ((t.subject in shapes and name in SHAPE_PARAMETERS)
                       or (t.subject in sparqls and name in SPARQL_PARAMETERS)
                       or (t.subject in declarations and name in {"prefix", "namespace"})
                       or name == "declare")
            if not allowed:
                self.problems.append(f"sh:{name} (on {t.subject})")

    # one shape

    def _shape(self, node: Term) -> Shape:
        props = self.out[node]
        path = self._single(node, "path")
        if path is not None and not isinstance(path, ox.NamedNode):
            self.problems.append(f"sh:path that is not an IRI (complex paths) on {node}")
            path = None
        severity = self._severity(node)
        messages = self._messages(node, props.get(ns.SH + "message", []))
        targets = tuple(t.value for t in props.get(ns.SH + "targetClass", []))
        constraints = self._constraints(node, props, path is not None)
        properties = tuple(props.get(ns.SH + "property", []))
        if path is not None and properties:
            self.problems.append(f"sh:property on a property shape ({node})")
        shape = Shape(node, path.value if path else None, severity, messages, targets,
                      tuple(constraints), properties)
        n_sparql_messages = sum(len(c.messages) for c in constraints if isinstance(c, Select))
        if messages and n_sparql_messages:
            self.problems.append(f"a shape message beside sh:sparql messages on {node} "
                                 "(pyshacl reports both, so the message is ambiguous)")
        return shape

    def _constraints(self, node: Term, props, is_property: bool) -> list[Constraint]:
        sh = ns.SH
        out: list[Constraint] = []
        if not is_property:
            for name in VALUE_PARAMETERS:
                if sh + name in props:
                    self.problems.append(f"sh:{name} on a node shape ({node})")
        for name, kind in (("minCount", MinCount), ("maxCount", MaxCount)):
            value = self._single(node, name)
            if value is not None:
                if not (isinstance(value, ox.Literal) and value.datatype.value == ns.XSD + "integer"
                        and value.value.isdigit()):
                    self.problems.append(f"sh:{name} that is not a non-negative xsd:integer")
                else:
                    out.append(kind(int(value.value)))
        datatype = self._single(node, "datatype")
        if datatype is not None:
            out.append(Datatype(datatype.value))
        patterns = props.get(sh + "pattern", [])
        regexes = tuple(p.value for p in patterns if isinstance(p, ox.Literal))
        if len(regexes) != len(patterns):
            self.problems.append(f"sh:pattern that is not a literal on {node}")
        out += [Pattern(r, regexes) for r in regexes]
        classes = tuple(c.value for c in props.get(sh + "class", []))
        out += [Class(c, classes) for c in classes]
        values = tuple(props.get(sh + "hasValue", []))
        if any(not isinstance(v, ox.NamedNode) for v in values):
            self.problems.append(f"sh:hasValue with a literal or blank node on {node}")
        out += [HasValue(v, values) for v in values]
        bounds = tuple(props.get(sh + "minInclusive", []))
        if any(not isinstance(b, ox.Literal) for b in bounds):
            self.problems.append(f"sh:minInclusive that is not a literal on {node}")
        out += [MinInclusive(b, bounds) for b in bounds]
        for other in props.get(sh + "lessThan", []):
            if not isinstance(other, ox.NamedNode):
                self.problems.append(f"sh:lessThan that is not an IRI on {node}")
            else:
                out.append(LessThan(other.value))
        shapes = tuple(props.get(sh + "node", []))
        out += [Node(s, shapes) for s in shapes]
        out += [Or(tuple(self._list(lst))) for lst in props.get(sh + "or", [])]
        for sparql in props.get(sh + "sparql", []):
            if is_property:
                self.problems.append(f"sh:sparql on a property shape ({node})")
            out.append(self._select(sparql))
        return out

    def _select(self, node: Term) -> Select:
        props = self.out[node]
        selects = props.get(ns.SH + "select", [])
        if len(selects) != 1 or not isinstance(selects[0], ox.Literal):
            self.problems.append(f"sh:sparql without exactly one sh:select string ({node})")
            return Select(node, "", (), ())
        messages = self._messages(node, props.get(ns.SH + "message", []))
        prefixes: dict[str, str] = {}
        for declaration in self._declarations(props.get(ns.SH + "prefixes", [])):
            d = self.out[declaration]
            prefix, namespace = d.get(ns.SH + "prefix", []), d.get(ns.SH + "namespace", [])
            if len(prefix) != 1 or len(namespace) != 1:
                self.problems.append(f"sh:declare {declaration} without one prefix and namespace")
                continue
            prefixes[prefix[0].value] = namespace[0].value
        return Select(node, selects[0].value, tuple(sorted(prefixes.items())), messages)

    def _declarations(self, prefix_nodes: list[Term]) -> set[Term]:
        """pyshacl's reading of sh:prefixes: an ontology's own sh:declare, or else every
        ontology's declarations plus the node's own."""
        ontology = ns.OWL + "Ontology"
        ontologies = {s for s, props in self.out.items()
                      if any(t.value == ontology for t in props.get(ns.RDF + "type", []))}
        everywhere = {d for o in ontologies for d in self.out[o].get(ns.SH + "declare", [])}
        found: set[Term] = set()
        for node in prefix_nodes:
            own = set(self.out[node].get(ns.SH + "declare", []))
            found |= own if own and node in ontologies else everywhere | own
        return found

    # small readers

    def _single(self, node: Term, name: str) -> Term | None:
        values = self.out[node].get(ns.SH + name, [])
        if len(values) > 1:
            self.problems.append(f"more than one sh:{name} on {node}")
        return values[0] if values else None

    def _severity(self, node: Term) -> str:
        value = self._single(node, "severity")
        if value is None:
            return "Violation"
        if value.value not in SEVERITIES:
            self.problems.append(f"custom severity {value} on {node}")
            return "Violation"
        return SEVERITIES[value.value]

    def _messages(self, node: Term, values: list[Term]) -> tuple[str, ...]:
        if len(values) > 1:
            self.problems.append(f"more than one sh:message on {node} (pyshacl reports all of "
                                 "them and a finding keeps an arbitrary one)")
        if any(not isinstance(v, ox.Literal) for v in values):
            self.problems.append(f"sh:message that is not a literal on {node}")
        return tuple(v.value for v in values[:1] if isinstance(v, ox.Literal))

    def _list(self, head: Term) -> list[Term]:
        items, node, seen = [], head, set()
        while not (isinstance(node, ox.NamedNode) and node.value == RDF_NIL):
            first, rest = self.out[node].get(RDF_FIRST, []), self.out[node].get(RDF_REST, [])
            if len(first) != 1 or len(rest) != 1 or node in seen:
                self.problems.append(f"malformed RDF list at {node}")
                return items
            seen.add(node)
            items.append(first[0])
            node = rest[0]
        return items

    def _check_references(self, shape: Shape, shapes: dict[Term, Shape]) -> None:
        for c in shape.constraints:
            targets = (c.all_shapes if isinstance(c, Node) else c.members if isinstance(c, Or)
                       else ())
            for t in targets:
                if t not in shapes:
                    self.problems.append(f"{t} is used as a shape but is not one")
                elif shapes[t].is_property:
                    kind = "sh:node" if isinstance(c, Node) else "sh:or"
                    self.problems.append(f"{kind} naming the property shape {t}")
        for p in shape.properties:
            if p not in shapes or not shapes[p].is_property:
                self.problems.append(f"sh:property naming {p}, which is not a property shape")
