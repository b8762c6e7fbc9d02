"""Places below or beside a country: states and provinces (ISO 3166-2, from pycountry),
and cities named with their country ("in Amman, Jordan").

A subdivision is looked for only among the subdivisions of the countries in scope (the
row's country and the countries the text names), and only as a whole capitalised name:
"Central" is a province of Zambia, but "Central Statistical Office" names no place. A
city has no code of its own to give; it is recognised only where the text names its
country right after it ("Amman, Jordan", "Amman (Jordan)"), and keeps that country.
"""

from __future__ import annotations

import re
from dataclasses import replace
from functools import lru_cache
from itertools import pairwise
from typing import TYPE_CHECKING

import pycountry

from ..records import Evidence, PlaceMention
from ..textmap import TextMap
from .names import name_runs

if TYPE_CHECKING:
    from ...reference import Reference

#: "Rio de Janeiro and Bahia": one run of capitalised words holding two names.
_JOIN = re.compile(r"\s+(?:and|&)\s+")
_CITY = re.compile(r"\b(?:in|at|of)\s+(?P<city>[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){0,2})"
                   r"\s*(?:,\s*|\(\s*)(?P<country>[A-Z][\w’'-]+(?:\s+[A-Z][\w’'-]+){0,3})")


@lru_cache(maxsize=512)
def subdivisions(iso2: str) -> dict[tuple[str, ...], tuple[str, str, str]]:
    """A country's ISO 3166-2 subdivisions by name key: (code, name, type)."""
    from ...reference import name_key

    out: dict[tuple[str, ...], tuple[str, str, str]] = {}
    for sub in pycountry.subdivisions.get(country_code=iso2) or ():
        out.setdefault(name_key(sub.name), (sub.code, sub.name, sub.type))
    return out


def find_places(text: TextMap, evidence: Evidence, reference: Reference,
                country: str | None = None) -> tuple[PlaceMention, ...]:
    """Subdivisions of the countries in scope, and cities named with their country."""
    from ...reference import name_key

    scope = _countries_in_scope(text.text, reference, country)
    found: list[PlaceMention] = []
    taken: list[tuple[int, int]] = []
    for start, end in _names(text.text):
        key = name_key(text.text[start:end])
        for iso3 in scope:
            sub = subdivisions(reference.country(iso3).iso2).get(key)
            if sub:
                found.append(PlaceMention(name=text.text[start:end], kind="subdivision",
                                          country=iso3, code=sub[0], subdivision_type=sub[2],
                                          evidence=replace(evidence,
                                                           spans=text.spans(start, end))))
                taken.append((start, end))
                break
    for match in _CITY.finditer(text.text):
        named = reference.lookup_country(match["country"])
        start, end = match.span("city")
        if named is None or any(s <= start < e for s, e in taken):
            continue
        if reference.lookup_country(match["city"]) or reference.lookup_region(match["city"]):
            continue
        found.append(PlaceMention(name=match["city"], kind="city", country=named.iso3,
                                  code=None, subdivision_type=None,
                                  evidence=replace(evidence, spans=text.spans(start, end))))
    return tuple(sorted(found, key=lambda p: p.evidence.spans[0].start))


def _names(text: str) -> list[tuple[int, int]]:
    """Each capitalised name, a run holding "A and B" read as two; a leading "The" is
    not part of a name."""
    out = []
    for run in name_runs(text):
        cuts = [(0, 0), *((m.start(), m.end()) for m in _JOIN.finditer(run.text)),
                (len(run.text), len(run.text))]
        for (_, begin), (end, _) in pairwise(cuts):
            if run.text.startswith(("The ", "the "), begin):
                begin += 4
            out.append((run.start + begin, run.start + end))
    return out


def _countries_in_scope(text: str, reference: Reference, country: str | None) -> list[str]:
    scope = [country] if country else []
    matches, _ = reference.match_countries(text)
    scope.extend(m.country.iso3 for m in matches if m.country.iso3 not in scope)
    return scope
