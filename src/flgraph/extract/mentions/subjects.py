"""Subjects a statement says something is about: the items of a list of topics ("on the
following topics: knowledge sharing, inter-state coordination, training and capacity
building on how to …"), and a capitalised name right after a quoted title ('"Tricked and
Trapped Study" on Human Trafficking in the Middle East'), and what something provides
someone with ("provided the government and stakeholders with sex disaggregated data and
information on …", "to provide other states … with the methodology and steps needed to …").
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..records import Evidence, SubjectMention
from ..textmap import TextMap
from .actors import list_phrases
from .names import name_runs

_TOPICS = re.compile(r"\btopics?\s*:\s*(?P<list>[^.;:]+)", re.I)
_AFTER_TITLE = re.compile(r"[\"”]\s+(?:on|about)\s+$")
#: "provided <whom> with <what>": whom has no comma and is not "to …" (that is a
#: recipient list, and "with" after it opens another clause).
_PROVIDED_WITH = re.compile(r"\bprovid(?:e|es|ed|ing)\s+(?!to\b)[^,.;:]{1,80}?\s+with\s+"
                            r"(?P<list>[^.;:]+)")
#: "and" joins two items only before the first preposition of an item: after it, it
#: joins the preposition's objects ("information on the incidence and prevalence of …").
_PREPOSITION = re.compile(r"\s(?:on|of|about|for|to|in|at|from|with|by)\s")
_LEADING = re.compile(r"^(?:the|other|all|some|any|new|more)\s+")


def find_subjects(text: TextMap, evidence: Evidence) -> tuple[SubjectMention, ...]:
    found: list[SubjectMention] = []
    for match in _TOPICS.finditer(text.text):
        for start, label in list_phrases(match["list"], match.start("list")):
            found.append(SubjectMention(label, replace(
                evidence, spans=text.spans(start, start + len(label)))))
    for match in _PROVIDED_WITH.finditer(text.text):
        for start, label in _provided_items(match["list"], match.start("list")):
            found.append(SubjectMention(label, replace(
                evidence, spans=text.spans(start, start + len(label)))))
    for run in name_runs(text.text):
        if _AFTER_TITLE.search(text.text[: run.start]):
            found.append(SubjectMention(run.text, replace(
                evidence, spans=text.spans(run.start, run.end))))
    return tuple(sorted(found, key=lambda m: m.evidence.spans[0].start))


def _provided_items(listed: str, offset: int) -> list[tuple[int, str]]:
    """The items of what is provided, each starting in lower case."""
    out = []
    pos = 0
    for item in listed.split(", "):
        at = listed.index(item, pos)
        pos = at + len(item)
        prep = _PREPOSITION.search(item)
        head, tail = (item[: prep.start()], item[prep.start():]) if prep else (item, "")
        pieces = head.split(" and ")
        pieces[-1] += tail
        cursor = at
        for piece in pieces:
            start = listed.index(piece, cursor)
            cursor = start + len(piece)
            label = piece.strip()
            while _LEADING.match(label):
                label = _LEADING.sub("", label, count=1)
            if label and label[:1].islower() and not any(ch.isdigit() for ch in label):
                out.append((offset + listed.index(label, start), label))
    return out
