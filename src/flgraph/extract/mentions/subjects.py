"""Subjects a statement says something is about: the items of a list of topics ("on the
following topics: knowledge sharing, inter-state coordination, training and capacity
building on how to …"), and a capitalised name right after a quoted title ('"Tricked and
Trapped Study" on Human Trafficking in the Middle East').
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


def find_subjects(text: TextMap, evidence: Evidence) -> tuple[SubjectMention, ...]:
    found: list[SubjectMention] = []
    for match in _TOPICS.finditer(text.text):
        for start, label in list_phrases(match["list"], match.start("list")):
            found.append(SubjectMention(label, replace(
                evidence, spans=text.spans(start, start + len(label)))))
    for run in name_runs(text.text):
        if _AFTER_TITLE.search(text.text[: run.start]):
            found.append(SubjectMention(run.text, replace(
                evidence, spans=text.spans(run.start, run.end))))
    return tuple(sorted(found, key=lambda m: m.evidence.spans[0].start))
