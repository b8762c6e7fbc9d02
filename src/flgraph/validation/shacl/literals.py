"""Literal checks with pyshacl's exact meaning, decided on the terms pyshacl would see.

pyshacl judges literals through rdflib: ``Literal(lexical, datatype=...)`` normalises the
lexical form ("05"→"5", "1"^^xsd:boolean→"true"), marks ill-typed values, and Python's
``re`` and rdflib's comparisons decide sh:pattern, sh:minInclusive and sh:lessThan. An
Oxigraph store cannot stand in for that: it rewrites literals on insert (every
xsd:nonNegativeInteger becomes an xsd:integer, "-5"^^xsd:nonNegativeInteger turns into a
valid integer, "5.50" into "5.5"). So the loader decides these value checks here, once
per distinct term, with the same code paths as pyshacl 0.40 (functions marked "as in
pyshacl" copy its logic), and SPARQL only finds which failing values belong to focus nodes.
"""

from __future__ import annotations

import datetime
import re
from decimal import Decimal
from functools import lru_cache

import pyoxigraph as ox
from rdflib import RDF, RDFS, XSD, BNode, Literal, URIRef

XSD_STRING = str(XSD.string)
RDF_LANGSTRING = str(RDF.langString)


class ShaclRuntimeError(Exception):
    """A check pyshacl itself would abort on (it raises instead of reporting)."""


def rdflib_term(term):
    """The rdflib term pyshacl works on for an Oxigraph term (as ``rdfio._rdflib_term``)."""
    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if term.language:
        return Literal(term.value, lang=term.language)
    return Literal(term.value, datatype=URIRef(term.datatype.value))


class LiteralSemantics:
    """Memoised rdflib views of the input's terms: few distinct values, many triples.

    The checks must see the input's own literal, not a normalised copy: rdflib marks
    "TRUE"^^xsd:boolean ill-typed but not the "true" it normalises it to. When the input
    is an rdflib dataset, its terms are registered as they are (``keep``).
    """

    def __init__(self) -> None:
        self._rdflib: dict = {}
        self._normal: dict[ox.Literal, ox.Literal] = {}

    def keep(self, term, original) -> None:
        self._rdflib.setdefault(term, original)

    def rdflib(self, term):
        found = self._rdflib.get(term)
        if found is None:
            found = self._rdflib[term] = rdflib_term(term)
        return found

    def normalize(self, literal: ox.Literal) -> ox.Literal:
        """The literal with rdflib's normalised lexical form (what pyshacl's graph holds)."""
        found = self._normal.get(literal)
        if found is None:
            if normal_already(literal):
                return literal
            lexical = str(self.rdflib(literal))
            found = literal if lexical == literal.value else ox.Literal(
                lexical, datatype=literal.datatype)
            self._normal[literal] = found
        return found

    def render(self, term) -> str:
        """``str()`` of the rdflib term: how a finding shows a value."""
        return str(self.rdflib(term)) if isinstance(term, ox.Literal) else term.value


# sh:datatype -------------------------------------------------------------------------------

def datatype_ok(v, datatype: str) -> bool:
    """As in pyshacl's DatatypeConstraintComponent.evaluate (``v`` an rdflib term)."""
    rule = URIRef(datatype)
    if not isinstance(v, Literal):
        return False
    if v.datatype == rule:
        if getattr(v, "ill_typed", None) is True:
            return False
        return _actual_datatype(v, rule)
    if rule == RDFS.Literal:
        return True
    if rule == RDFS.Datatype and v.datatype:
        return True
    if v.datatype is None and v.language is None and rule == XSD.string:
        return _actual_datatype(v, rule)
    if rule == RDF.langString and v.language:
        return _actual_datatype(v, rule)
    return False


def _actual_datatype(v: Literal, rule: URIRef) -> bool:
    value = v.value
    checks = {XSD.string: (str, bytes), RDF.langString: (str, bytes), XSD.integer: int,
              XSD.float: float, XSD.decimal: Decimal, XSD.boolean: bool,
              XSD.date: datetime.date, XSD.time: datetime.time, XSD.dateTime: datetime.datetime}
    return isinstance(value, checks[rule]) if rule in checks else True


# sh:pattern ---------------------------------------------------------------------------------

@lru_cache(maxsize=64)
def compiled(pattern: str) -> re.Pattern:
    return re.compile(pattern)


def pattern_ok(v, pattern: str) -> bool:
    """As in pyshacl's PatternConstraintComponent: Python ``re``, match or search."""
    if isinstance(v, BNode):
        return False
    if isinstance(v, Literal) and v.value is not None and v.datatype in (
            None, RDF.langString, XSD.string):
        text = str(v.value)
    else:
        text = str(v)
    regex = compiled(pattern)
    return bool(regex.match(text) or regex.search(text))


# sh:minInclusive ----------------------------------------------------------------------------

def min_inclusive_ok(v, bound: ox.Literal) -> bool:
    """As in pyshacl's MinInclusiveConstraintComponent._evaluate_min_rule."""
    m = _bound(bound)
    if not isinstance(v, Literal):
        return False
    v_is_string, m_is_string = isinstance(v.value, str), isinstance(m.value, str)
    if v_is_string != m_is_string:
        return False
    try:
        return _compare_literal(v, m) >= 0
    except (TypeError, NotImplementedError):
        return False


def _compare_literal(l1: Literal, l2: Literal) -> int:
    """As pyshacl.rdfutil.compare.compare_literal."""
    if l1.eq(l2):
        return 0
    if l1.value.__class__ in (datetime.datetime, datetime.time):
        if l1.value == l2.value:
            return 0
        if l1.value > l2.value:
            return 1
    elif l1 > l2:
        return 1
    return -1


# sh:lessThan --------------------------------------------------------------------------------

def less_than_failures(values: list[tuple], others: list[tuple]) -> list:
    """For (term, rdflib term) pairs: the term of each failing (value, other) pair, as in
    pyshacl's LessThanConstraintComponent._compare_lt (one result per failing pair)."""
    failures = []
    for term, value in values:
        v = _comparable(value)
        for _, other in others:
            w = _comparable(other)
            if v[1] != w[1] or not _less(v[0], w[0]):
                failures.append(term)
    return failures


def _comparable(v):
    if isinstance(v, BNode):
        raise ShaclRuntimeError("Cannot use sh:lessThan to compare a BlankNode.")
    if isinstance(v, URIRef):
        return str(v), True
    if isinstance(v.value, str):
        return v.value, True
    return v, False


def _less(a, b) -> bool:
    if _plain_int(a) and _plain_int(b) and a.datatype == b.datatype:
        return a.value < b.value  # what rdflib's ordering does for two integers, faster
    try:
        return a < b
    except TypeError as err:  # pyshacl lets rdflib's TypeError escape
        raise ShaclRuntimeError(f"pyshacl cannot order {a!r} and {b!r}: {err}") from err


def _plain_int(v) -> bool:
    return (isinstance(v, Literal) and type(v.value) is int and not v.ill_typed
            and v.datatype is not None)


@lru_cache(maxsize=64)
def _bound(term: ox.Literal) -> Literal:
    return rdflib_term(term)


# Fast paths ---------------------------------------------------------------------------------
# Most values are plain strings, language-tagged texts or canonical integers, for which
# rdflib's answer is known without building an rdflib literal. Each fast path returns
# None when the value is not one of those; the caller then asks rdflib.

_DIGITS = re.compile(r"[0-9]+")
_SIGNED_DIGITS = re.compile(r"-?[0-9]+")
XSD_INTEGER = str(XSD.integer)
XSD_NON_NEGATIVE_INTEGER = str(XSD.nonNegativeInteger)
_INTEGERS = {XSD_INTEGER, XSD_NON_NEGATIVE_INTEGER}
_SPECIAL_DATATYPE_RULES = {str(RDFS.Literal), str(RDFS.Datatype)}


def datatype_fast(term, datatype: str) -> bool | None:
    if type(term) is not ox.Literal:
        return False
    if datatype == RDF_LANGSTRING:
        return bool(term.language)
    actual = term.datatype.value
    if datatype == XSD_STRING:
        return actual == XSD_STRING
    if datatype in _SPECIAL_DATATYPE_RULES:
        return None
    if actual != datatype:
        return False  # every other branch of pyshacl's check needs the same datatype
    if datatype in _INTEGERS and _DIGITS.fullmatch(term.value):
        return True
    return None


def pattern_text(term) -> str | None:
    """The text pyshacl matches a pattern against, when rdflib is not needed for it."""
    if type(term) is ox.NamedNode:
        return term.value
    if type(term) is ox.Literal and (term.language or term.datatype.value == XSD_STRING):
        return term.value
    return None


def integer_value(term) -> int | None:
    """The value of a canonical-looking xsd:integer literal (rdflib reads it the same)."""
    if (type(term) is ox.Literal and term.datatype.value == XSD_INTEGER
            and _SIGNED_DIGITS.fullmatch(term.value)):
        return int(term.value)
    return None


def digits_value(term) -> tuple[str, int] | None:
    """(datatype, value) of an unsigned xsd:integer / xsd:nonNegativeInteger literal."""
    if type(term) is ox.Literal and _DIGITS.fullmatch(term.value):
        datatype = term.datatype.value
        if datatype in _INTEGERS:
            return datatype, int(term.value)
    return None


def normal_already(literal: ox.Literal) -> bool:
    """Whether rdflib would keep this literal's lexical form as it is (no lookup needed)."""
    return literal.datatype.value in _INTEGERS and (
        literal.value == "0" or (literal.value[:1] != "0" and _DIGITS.fullmatch(literal.value)
                                 is not None))
