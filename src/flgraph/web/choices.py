"""The values a saved query's parameter may take, and every way a person may name one.

A reader types what the site shows them: the full IRI, the CURIE the pages print
(``id:country/NPL``), a code the data holds (``NPL``, ``NP``, ``524``, ``15.1``) or a
label in any case (``nepal``). Each is resolved to the one IRI it names through the query
service (``param-resolve.rq``, a look-up of that one name, so it holds under any row
limit), so deadlines and caps hold as for any page; a value that names nothing is refused
with the closest names the data has (``param-values.rq``, which also fills the drop-down).

The drop-down lists the values with answers first, each with its number of answers (rows
with evidence from the report), counted once per data version from the query's own answer
without the parameter.
"""

from __future__ import annotations

import difflib
from collections import Counter
from dataclasses import dataclass

import pyoxigraph as ox

from .. import namespaces as ns
from ..query.answers import SelectResult
from ..query.errors import Overloaded, ParameterError, QueryTimeout, StoreError
from ..query.saved import Param, SavedQuery
from ..query.service import QueryRequest
from .internal_queries import sparql
from .memo import per_version
from .services import services

_CLOSEST = 5  # names offered when a value names nothing


@dataclass(frozen=True)
class Choice:
    iri: str
    label: str
    answers: int | None  # rows with evidence for this value; None: not counted


@dataclass(frozen=True)
class Choices:
    """A parameter's values in the order a drop-down shows them, and the names of each
    (to suggest the closest when a value names nothing)."""
    options: tuple[Choice, ...]
    names: dict[str, frozenset[str]]  # a label or code, lower case -> the IRIs it names

    def label(self, iri: str) -> str:
        return next((c.label for c in self.options if c.iri == iri), iri)

    def answers(self, iri: str) -> int | None:
        return next((c.answers for c in self.options if c.iri == iri), None)


def class_iri(param: Param) -> str | None:
    """The class a parameter's values belong to (its ``in:`` CURIE expanded)."""
    if not param.values_from:
        return None
    prefix, _, local = param.values_from.partition(":")
    return ns.PREFIXES.get(prefix, "") + local if local else param.values_from


def choices(saved: SavedQuery, param: Param) -> Choices | None:
    """The values of ``param`` (None when it declares no class), kept per data version;
    their numbers of answers too, once they could be counted (a busy store is asked again
    by a later page, not remembered as having none). Only pages for people ask for them:
    machine formats and the resolution of a value do not pay for the counting."""
    if not param.values_from:
        return None
    names = per_version(("choices", saved.name, param.name), lambda: _names(param))
    try:
        counts = per_version(("answers", saved.name, param.name),
                             lambda: _answers(saved, param))
    except _Uncounted:
        counts = None
    options = [Choice(iri, label, None if counts is None else counts.get(iri, 0))
               for iri, label in names[0].items()]
    options.sort(key=lambda c: (not c.answers, c.label.lower(), c.iri))
    return Choices(tuple(options), names[1])


class _Uncounted(Exception):
    """The answers could not be counted this time."""


def _names(param: Param) -> tuple[dict[str, str], dict[str, frozenset[str]]]:
    """Each instance's label, and the instances each label or code names."""
    rows = services().query_service.run(QueryRequest(
        sparql("param-values"), {"class": ox.NamedNode(class_iri(param))})).rows
    labels: dict[str, str] = {}
    names: dict[str, set[str]] = {}
    for value, label, key in rows:
        labels[value.value] = min(labels.get(value.value, label.value), label.value)
        names.setdefault(key.value.strip().lower(), set()).add(value.value)
    return labels, {k: frozenset(v) for k, v in names.items()}


def _answers(saved: SavedQuery, param: Param) -> Counter | None:
    """Rows with evidence per value of ``param`` in the query's answer without it; None
    when that answer is cut at the row limit or past the deadline (so it stays uncounted
    for this version: it would be again); _Uncounted when the store is busy or away."""
    try:
        result = services().query_service.run(QueryRequest(saved.text, {}))
    except QueryTimeout:
        return None
    except (Overloaded, StoreError) as err:
        raise _Uncounted from err
    if not isinstance(result, SelectResult) or result.truncated:
        return None
    column = result.variables.index(param.name)
    evidence = result.variables.index("evidence") if "evidence" in result.variables else None
    return Counter(row[column].value for row in result.rows if row[column] is not None
                   and (evidence is None or row[evidence] is not None))


def resolve(saved: SavedQuery, param: Param, value: str, base: str) -> str:
    """The IRI ``value`` names: an IRI, a CURIE, a path under the dataset's ``id/`` (the
    query service then checks it is of the parameter's class), or, for a parameter with
    a class, a label or code of one of its instances (param-resolve.rq)."""
    value = value.strip()
    expanded = _expand_curie(value)
    if expanded is not None:
        return expanded
    if not param.values_from or "/" in value:
        return value
    named = services().query_service.run(QueryRequest(sparql("param-resolve"), {
        "class": ox.NamedNode(class_iri(param)), "wanted": ox.Literal(value.lower())})).rows
    iris = dict.fromkeys(row[0].value for row in named)
    if not iris:
        names = per_version(("choices", saved.name, param.name), lambda: _names(param))
        raise ParameterError(_no_match(param, value, names))
    if len(iris) > 1:
        labels = sorted({row[1].value for row in named})
        raise ParameterError(f"parameter '{param.name}': '{value}' names several values: "
                             + ", ".join(labels))
    return next(iter(iris))


def _expand_curie(value: str) -> str | None:
    """An absolute IRI as it is, a CURIE with a known prefix expanded; else None."""
    if value.startswith(("http://", "https://")):
        return value
    prefix, colon, local = value.partition(":")
    if colon and prefix in ns.PREFIXES and not local.startswith("//"):
        return ns.PREFIXES[prefix] + local
    return None


def _no_match(param: Param, value: str,
              names: tuple[dict[str, str], dict[str, frozenset[str]]]) -> str:
    labels, keys = names
    close = difflib.get_close_matches(value.lower(), list(keys), n=_CLOSEST, cutoff=0.5)
    found = list(dict.fromkeys(labels.get(iri, iri) for key in close
                               for iri in sorted(keys[key])))
    hint = f"; closest: {', '.join(found)}" if found else ""
    return (f"parameter '{param.name}': no {param.name} of this dataset is named "
            f"'{value[:60]}'{hint}")
