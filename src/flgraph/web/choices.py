"""The values a saved query's parameter may take, and every way a person may name one.

A reader types what the site shows them: the full IRI, the CURIE the pages print
(``id:country/NPL``), a code the data holds (``NPL``, ``NP``, ``524``, ``15.1``) or a
label in any case (``nepal``). Each is resolved to the one IRI it names through the query
service (``param-values.rq``), so deadlines and caps hold as for any page; a value that
names nothing is refused with the closest names the data has.

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
from ..queries import Param, ParameterError, SavedQuery
from ..service import QueryRequest, QueryTimeout
from ..store import SelectResult, StoreError
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
    """A parameter's values in the order a drop-down shows them, and the names of each."""
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
    """The values of ``param`` (None when it declares no class), kept per data version."""
    if not param.values_from:
        return None
    return per_version(("choices", saved.name, param.name), lambda: _choices(saved, param))


def _choices(saved: SavedQuery, param: Param) -> Choices:
    rows = services().query_service.run(QueryRequest(
        sparql("param-values"), {"class": ox.NamedNode(class_iri(param))})).rows
    labels: dict[str, str] = {}
    names: dict[str, set[str]] = {}
    for value, label, key in rows:
        labels.setdefault(value.value, label.value)
        labels[value.value] = min(labels[value.value], label.value)  # one label, any store
        names.setdefault(key.value.strip().lower(), set()).add(value.value)
    counts = _answers(saved, param)
    options = [Choice(iri, label, None if counts is None else counts.get(iri, 0))
               for iri, label in labels.items()]
    options.sort(key=lambda c: (not c.answers, c.label.lower(), c.iri))
    return Choices(tuple(options), {k: frozenset(v) for k, v in names.items()})


def _answers(saved: SavedQuery, param: Param) -> Counter | None:
    """Rows with evidence per value of ``param`` in the query's answer without it; None
    when that answer cannot be had in full (cut at the row limit, or too slow)."""
    try:
        result = services().query_service.run(QueryRequest(saved.text, {}))
    except (QueryTimeout, StoreError):
        return None
    if not isinstance(result, SelectResult) or result.truncated:
        return None
    column = result.variables.index(param.name)
    evidence = result.variables.index("evidence") if "evidence" in result.variables else None
    return Counter(row[column].value for row in result.rows if row[column] is not None
                   and (evidence is None or row[evidence] is not None))


def resolve(param: Param, value: str, found: Choices | None, base: str) -> str:
    """The IRI ``value`` names: an IRI, a CURIE, a path under the dataset's ``id/``, or
    (for a parameter with a class) a label or code of one of its values."""
    value = value.strip()
    expanded = _expand_curie(value)
    if expanded is not None:
        return expanded
    if found is None:
        return value
    iris = found.names.get(value.lower())
    if iris is None and (base + value.lstrip("/")) in {c.iri for c in found.options}:
        return base + value.lstrip("/")
    if iris is None:
        raise ParameterError(_no_match(param, value, found))
    if len(iris) > 1:
        raise ParameterError(f"parameter '{param.name}': '{value}' names several values: "
                             + ", ".join(sorted(found.label(i) for i in iris)))
    return next(iter(iris))


def _expand_curie(value: str) -> str | None:
    """An absolute IRI as it is, a CURIE with a known prefix expanded; else None."""
    if value.startswith(("http://", "https://")):
        return value
    prefix, colon, local = value.partition(":")
    if colon and prefix in ns.PREFIXES and not local.startswith("//"):
        return ns.PREFIXES[prefix] + local
    return None


def _no_match(param: Param, value: str, found: Choices) -> str:
    close = difflib.get_close_matches(value.lower(), list(found.names), n=_CLOSEST, cutoff=0.5)
    labels = list(dict.fromkeys(found.label(iri) for key in close
                                for iri in sorted(found.names[key])))
    hint = f"; closest: {', '.join(labels)}" if labels else ""
    return (f"parameter '{param.name}': no {param.name} of this dataset is named "
            f"'{value[:60]}'{hint}")
