"""Named organisations: "Central Statistical Office (CSO)", "Government of Zambia",
"Ministry of Labour", "Pastoral Mission for Migrants of the Catholic Church".

A capitalised name is an organisation when it contains a word that names a kind of
organisation (Ministry, Office, Government …). An acronym defined in brackets after the
name is kept. The ILO itself is not a mention: every contribution and output is the
ILO's by the table's definition, and the model says so directly.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from ..records import Evidence, OrganisationMention
from ..textmap import TextMap
from .names import name_runs

if TYPE_CHECKING:
    from ...reference import Reference

#: Head words naming a kind of organisation, and the kind recorded for it.
KINDS = {
    "ministry": "ministry", "ministries": "ministry", "government": "government",
    "office": "office", "department": "department", "agency": "agency", "bureau": "bureau",
    "commission": "commission", "council": "council", "committee": "committee",
    "union": "union", "federation": "federation", "confederation": "confederation",
    "association": "association", "inspectorate": "inspectorate", "institute": "institute",
    "authority": "authority", "court": "court", "parliament": "parliament",
    "service": "service", "unit": "unit", "cell": "unit", "centre": "centre",
    "center": "centre", "church": "religious organisation", "mission": "mission",
    "bank": "bank", "chamber": "chamber", "organization": "organisation",
    "organisation": "organisation", "secretariat": "secretariat", "board": "board",
    "foundation": "foundation", "university": "university", "police": "police",
    "prosecutor": "prosecution service", "prosecutors": "prosecution service",
}
#: Names of the ILO itself; its role is structural, not mentioned.
_ILO = re.compile(r"^(?:the\s+)?(?:ILO|International Labour (?:Office|Organi[sz]ation))\b", re.I)
_ACRONYM = re.compile(r"^\s*\((?P<acronym>[A-Z][A-Za-z]{0,2}[A-Z][A-Za-z]{0,6})\)")
_GOVERNMENT_OF = re.compile(r"^Government of (?:the )?(?P<country>.+)$")
_FOUNDING = r"(?:established|created|set\s+up|founded|instituted)"
#: "… X … were established": the organisation's own clause ends in a founding verb.
#: The name's own verb is the first auxiliary after it: "X was consulted before the law was
#: established" does not establish X.
_AUXILIARY = r"\b(?:was|were|is|are|has|have)\b"
_ESTABLISHED_AFTER = re.compile(
    rf"^(?:(?!{_AUXILIARY})[^.;])*?{_AUXILIARY}\s+(?:been\s+)?(?:newly\s+|also\s+)?"
    rf"{_FOUNDING}\b")
#: "… established a new X": a founding verb right before the name.
_ESTABLISHED_BEFORE = re.compile(rf"\b{_FOUNDING}\s+(?:an?\s+|the\s+)?(?:new\s+)?$", re.I)
#: The end of an organisation's own clause: a verb or the end of the sentence.
_CLAUSE_END = re.compile(r"\b(?:was|were|is|are|has|have|had|signed|will)\b|[.;]")
_BRACKETED_ACRONYM = re.compile(r"\((?P<acronym>[A-Z][A-Za-z]{0,2}[A-Z][A-Za-z]{0,6})\)")


def find_organisations(text: TextMap, evidence: Evidence, reference: Reference,
                       country: str | None = None) -> tuple[OrganisationMention, ...]:
    """Organisations named in ``text``; ``country`` (ISO alpha-3) is the row's country,
    the one an organisation belongs to unless its name says otherwise."""
    found: list[OrganisationMention] = []
    ends: list[tuple[int, int]] = []
    for run in name_runs(text.text):
        words = list(run.words)
        while words and words[0].lower() in ("the", "a", "an"):  # "A Regional Commission"
            words.pop(0)
        name = " ".join(words)
        if not name or _ILO.match(name):
            continue
        kind = _kind(words)
        if kind is None or len(words) < 2:  # "the Office" alone names no one in particular
            continue
        start = text.text.index(words[0], run.start)
        acronym = _ACRONYM.match(text.text[run.end :])
        end = run.end + acronym.end() if acronym else run.end
        found.append(OrganisationMention(
            name=name,
            acronym=acronym["acronym"] if acronym else None,
            kind=kind,
            country=_named_country(name, reference) or country,
            evidence=replace(evidence, spans=text.spans(start, end)),
            established=_established(text.text, start, end),
        ))
        ends.append((start, end))
        parent = _parent_in_name(words, kind)
        if parent is not None:
            p_start = text.text.index(parent, start)
            found.append(OrganisationMention(
                name=parent, acronym=None, kind=_kind(parent.split()) or kind,
                # the organisation a local one belongs to is not the row's by default
                country=_named_country(parent, reference),
                evidence=replace(evidence, spans=text.spans(p_start, p_start + len(parent)))))
            ends.append((p_start, p_start + len(parent)))
            found[-2] = replace(found[-2], part_of=parent, part_of_country=found[-1].country)
    return _with_parents(text.text, found, ends)


def _parent_in_name(words: list[str], kind: str) -> str | None:
    """The organisation a name says its bearer belongs to: "Pastoral Mission for Migrants
    of the Catholic Church" is a mission of the Catholic Church, an organisation of
    another kind named inside it."""
    name = " ".join(words)
    at = name.rfind(" of the ")
    if at < 0:
        return None
    tail = name[at + len(" of the "):].split()
    tail_kind = _kind(tail)
    if tail_kind is None or tail_kind == kind or len(tail) < 2:
        return None
    return " ".join(tail)


def _established(text: str, start: int, end: int) -> bool:
    """Whether the text says the organisation was established ("… were established",
    "established a new …"): a relation of its own, not an action the organisation took."""
    return bool(_ESTABLISHED_BEFORE.search(text[:start]) or _ESTABLISHED_AFTER.match(text[end:]))


def _with_parents(text: str, found: list[OrganisationMention],
                  ends: list[tuple[int, int]]) -> tuple[OrganisationMention, ...]:
    """An organisation followed, in its own clause, by the bracketed acronym of another
    organisation the text names ("a Central Cell … at the National level (MoLE)") is
    part of that one."""
    by_acronym = {m.acronym: m for m in found if m.acronym}
    out = []
    for k, (mention, (_, end)) in enumerate(zip(found, ends, strict=True)):
        stop = ends[k + 1][0] if k + 1 < len(ends) else len(text)
        clause = _CLAUSE_END.search(text, end, stop)
        gap = text[end : clause.start() if clause else stop]
        parents = [by_acronym[m["acronym"]] for m in _BRACKETED_ACRONYM.finditer(gap)
                   if m["acronym"] in by_acronym
                   and by_acronym[m["acronym"]].name != mention.name]
        out.append(replace(mention, part_of=parents[0].name,
                           part_of_country=parents[0].country) if parents else mention)
    return tuple(out)


def _kind(words: list[str]) -> str | None:
    for word in words:
        kind = KINDS.get(word.lower())
        if kind:
            return kind
    return None


def _named_country(name: str, reference: Reference) -> str | None:
    """The country a "Government of X" name states, if the gazetteer knows it."""
    match = _GOVERNMENT_OF.match(name)
    country = reference.lookup_country(match["country"]) if match else None
    return country.iso3 if country else None
