"""Result messages worded as pyshacl words them.

A constraint's own sh:message wins (pyshacl copies the shape's message onto every result
of the shape). Without one, pyshacl writes a generic message that names nodes the way
rdflib prints them: prefixed names from the shapes file for shapes-graph terms, from a
fresh rdflib graph's default prefixes for data terms. rdflib is loaded only when such a
message is needed.
"""

from __future__ import annotations

import re
from functools import cached_property

import pyoxigraph as ox

from . import shapes as sh
from .literals import rdflib_term
from .shapes import UnsupportedShapes


def format_select_message(message: str, bound_vars: dict) -> str:
    """As pyshacl's ConstraintComponent._format_sparql_based_result_message: each
    ``{?name}`` / ``{$name}`` replaced by ``str()`` of the rdflib term, in order."""
    for var, val in bound_vars.items():
        message = re.sub(f"{{[?$]{var}}}", str(val), message)
    return message


class Stringifier:
    """pyshacl's ``stringify_node`` for IRIs and literals (blank nodes are refused)."""

    def __init__(self, shapes_turtle: bytes) -> None:
        self._turtle = shapes_turtle

    @cached_property
    def _shapes_names(self):
        from rdflib import Graph

        return _with_sh(Graph().parse(data=self._turtle, format="turtle").namespace_manager)

    @cached_property
    def _data_names(self):
        from rdflib import Graph

        return _with_sh(Graph().namespace_manager)

    def shapes_node(self, node) -> str:
        return self._node(node, self._shapes_names)

    def data_node(self, node) -> str:
        return self._node(node, self._data_names)

    def _node(self, node, names) -> str:
        if isinstance(node, ox.BlankNode):
            raise UnsupportedShapes([f"a generic message naming the blank node {node}"])
        term = rdflib_term(node)
        if isinstance(node, ox.Literal):
            return _literal(term, names)
        try:
            return term.n3(namespace_manager=names)
        except Exception:  # as pyshacl: fall back to the plain IRI
            return str(term)


def _with_sh(names):
    from rdflib import SH

    names.bind("sh", SH, override=False, replace=False)
    return names


def _literal(term, names) -> str:
    """As pyshacl.rdfutil.stringify.stringify_literal."""
    value = None if term.value is None else str(term.value)
    lexical = str(term)
    if value is not None:
        at = value.find(" object at 0x")
        if at > 0:
            value = value[:at]
    text = f'"{lexical}" = {value}' if value is not None and value != lexical else f'"{lexical}"'
    lang = f", lang={term.language}" if term.language else ""
    datatype = ""
    if term.datatype:
        datatype = ", datatype=" + term.datatype.n3(namespace_manager=names)
    return f"Literal({text}{lang}{datatype})"


def generic(c: sh.Constraint, shape: sh.Shape, names: Stringifier, focus, value) -> str:
    """pyshacl's make_generic_messages for each constraint component we run."""
    path = names.shapes_node(ox.NamedNode(shape.path)) if shape.path else None
    node = names.shapes_node
    if isinstance(c, sh.MinCount):
        return f"Less than {c.n} values on {names.data_node(focus)}->{path}"
    if isinstance(c, sh.MaxCount):
        return f"More than {c.n} values on {names.data_node(focus)}->{path}"
    if isinstance(c, sh.Datatype):
        return f"Value is not Literal with datatype {node(ox.NamedNode(c.iri))}"
    if isinstance(c, sh.Pattern):
        if len(c.all_regexes) < 2:
            return f"Value does not match pattern '{c.regex}'"
        return "Value does not match every pattern in ('{}')".format("', '".join(c.all_regexes))
    if isinstance(c, sh.Class):
        if len(c.all_classes) < 2:
            return f"Value does not have class {node(ox.NamedNode(c.iri))}"
        listed = ", ".join(node(ox.NamedNode(x)) for x in c.all_classes)
        return f"Value class is not in classes ({listed})"
    if isinstance(c, sh.HasValue):
        the_set = [node(t) for t in c.all_terms]
        return (f"Node {names.data_node(focus)}->{path} does not contain a value in the set: "
                f"{the_set}")
    if isinstance(c, sh.MinInclusive):
        if len(c.all_bounds) < 2:
            return f"Value is not >= {node(c.bound)}"
        return "Value is not >= in ({})".format(", ".join(node(b) for b in c.all_bounds))
    if isinstance(c, sh.LessThan):
        return (f"Value of {names.data_node(focus)}->{node(ox.NamedNode(c.iri))} <= "
                f"{names.data_node(value)}")
    if isinstance(c, sh.Node):
        if len(c.all_shapes) < 2:
            text = f"Value does not conform to Shape {node(c.shape)}."
        else:
            text = "Value must conform to every Shape in ('{}').".format(
                "', '".join(node(s) for s in c.all_shapes))
        return text + " See details for more information."
    if isinstance(c, sh.Or):
        members = " , ".join(node(m) for m in c.members)
        return f"Node {names.data_node(value)} must conform to one or more shapes in {members}"
    return ""  # sh:sparql without a message: pyshacl reports none
