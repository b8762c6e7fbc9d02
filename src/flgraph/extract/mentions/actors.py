"""Actors the text names in lower case, by what they are rather than who: "a partnership
between the labour inspectorates, labour prosecutors office, … business, vocational
training schools", "beneficiaries including employers' organizations, workers'
organizations and government entities", "which benefits victims of forced labour".

These are organisation types or roles, not proper names: each listed item that is all in
lower case becomes one, with the relation the list's opening words give (partner,
beneficiary, or participant: "workshops with over 200 tripartite constituents"). A
capitalised item is a proper name, left to the organisation finder, unless it is counted:
"6 States Governments" are six of a kind, not one body (relation "actor").
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..records import ActorTypeMention, Evidence
from ..textmap import TextMap
from .organisations import KINDS as ORGANISATION_KINDS

_TRIGGERS = {
    "partner": r"partnership\s+(?:between|among|with)|in\s+(?:cooperation|collaboration)\s+"
               r"with|partners\s+(?:such\s+as|including)",
    "beneficiary": r"beneficiaries\s+(?:including|such\s+as|are|were)|benefits?|"
                   r"benefiting|for\s+the\s+benefit\s+of|(?:disseminated|distributed)\s+to"
                   r"(?:\s+(?:over|more\s+than|some|about|nearly|at\s+least))?(?:\s+\d[\d,]*)?",
    "participant": r"with\s+(?:(?:over|more\s+than|some|about|nearly|at\s+least)\s+)?\d[\d,]*",
}
#: Nouns that say someone took part but not who: no kind of actor.
_ANYONE = {"participants", "people", "persons", "individuals", "members"}
#: "6 States Governments": a number, then capitalised words ending in the plural of a
#: kind of organisation.
_COUNTED = re.compile(r"\b\d[\d,]*\s+(?P<label>(?:[A-Z][a-z]+\s+){0,3}[A-Z][a-z]+s)\b")
_ANY_TRIGGER = "|".join(_TRIGGERS.values())
#: A list runs to the end of its clause, or to where another list opens ("… and local
#: governments, and benefits indigenous workers").
_LIST = re.compile(r"\b(?:" + "|".join(f"(?P<{k}>{v})" for k, v in _TRIGGERS.items())
                   + rf")\s*:?\s+(?P<list>[^.;:]+?)(?=,?\s+(?:and\s+)?\b(?:{_ANY_TRIGGER})\b"
                   + r"|[.;:]|$)")
#: What ends an item: a comma, "and", or a place or condition after it ("… in Brazil").
_ITEM = re.compile(r"[^,]+")
_AND = re.compile(r"\s+and\s+")
_TAIL = re.compile(r"\s+(?:on\s+how|in|at|from|across|who|which|that|to|through)\s+.*$")
_LEADING = re.compile(r"^(?:the|other|all|some|many|direct|relevant)\s+")
MAX_ITEM_WORDS = 8


def find_actor_types(text: TextMap, evidence: Evidence) -> tuple[ActorTypeMention, ...]:
    found: list[ActorTypeMention] = []
    for match in _LIST.finditer(text.text):
        relation = next(k for k in _TRIGGERS if match[k])
        for start, label in list_phrases(match["list"], match.start("list")):
            if label in _ANYONE:
                continue
            found.append(ActorTypeMention(
                label=label, relation=relation,
                evidence=replace(evidence, spans=text.spans(start, start + len(label)))))
    for match in _COUNTED.finditer(text.text):
        if match["label"].split()[-1].lower()[:-1] in ORGANISATION_KINDS:
            found.append(ActorTypeMention(
                label=match["label"], relation="actor",
                evidence=replace(evidence, spans=text.spans(match.start("label"),
                                                            match.end("label")))))
    return tuple(sorted(found, key=lambda m: m.evidence.spans[0].start))


def list_phrases(listed: str, offset: int) -> list[tuple[int, str]]:
    """The lower-case phrases of a list ("a, b and c"), each with where it starts."""
    out = []
    for item in _ITEM.finditer(listed):
        for phrase, at in _parts(item.group(0)):
            if _lower_case_phrase(phrase):
                out.append((offset + item.start() + item.group(0).index(phrase, at), phrase))
    return out


def _parts(item: str) -> list[tuple[str, int]]:
    """The phrases of one comma-separated item, with where each is looked for."""
    out = []
    pos = 0
    item = _TAIL.sub("", item)  # "capacity building on how to … and …": the item ends first
    for piece in _AND.split(item):
        at = item.index(piece, pos)
        pos = at + len(piece)
        phrase = _TAIL.sub("", piece.strip())
        while _LEADING.match(phrase):
            phrase = _LEADING.sub("", phrase, count=1)
        if phrase:
            out.append((phrase, at))
    return out


def _lower_case_phrase(label: str) -> bool:
    words = label.split()
    return (0 < len(words) <= MAX_ITEM_WORDS and all(not w[:1].isupper() for w in words)
            and not any(ch.isdigit() for ch in label))
