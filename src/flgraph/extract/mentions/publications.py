"""Publications named in the text: quoted titles ("Caught at Sea: …"), bracketed titles
after a publication noun ("a training manual … (Training Manual on …)"), and capitalised
names whose head is a publication noun ("ILO Global Estimate of Forced Labour").

A quoted phrase with no publication noun near it ("Movement Integrated Action") is not a
publication. An untitled one the text describes ("a publication which aimed to provide …")
is one too, named by its description (no title is invented for it); "this publication"
later in the same text is the same one.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..records import Evidence, Period, PublicationMention
from ..textmap import TextMap
from .names import name_runs

KINDS = ("report", "study", "manual", "publication", "guide", "handbook", "toolkit",
         "estimate", "estimates", "survey report", "book", "brochure", "guidelines", "paper")
_NOUN = r"(?:" + "|".join(sorted(KINDS, key=len, reverse=True)) + r")"
_QUOTED = re.compile(r"[\"“](?P<title>[^\"“”]{3,300})[\"”]")
_BEFORE_QUOTE = re.compile(rf"\b(?P<kind>{_NOUN})\b(?:\s+(?:entitled|titled|called|named))?\s*$",
                           re.I)
_BRACKETED = re.compile(rf"\b(?P<kind>{_NOUN})\b[^()]{{0,80}}\((?P<title>[A-Z][^()]{{10,300}})\)",
                        re.I)
_TITLE_NOUN = re.compile(rf"\b(?P<kind>{_NOUN})\b", re.I)
#: "a publication which aimed to …": a publication noun, then a relative clause to the end
#: of the sentence or a comma (an abbreviation's dot followed by a digit does not end it).
_DESCRIBED = re.compile(rf"\b(?i:an?)\s+(?P<desc>(?P<kind>(?i:{_NOUN}))\s+(?:which|that)\s+"
                        r"(?:[^.!?,;]|\.(?=\s*[\d(a-z]))+)")
_ANAPHOR = re.compile(rf"\b(?:this|that|the\s+said)\s+(?P<kind>{_NOUN})\b", re.I)
_PRODUCED = re.compile(r"\b(?:produced|published|issued|launched|released)\s*$", re.I)


def find_publications(text: TextMap, evidence: Evidence,
                      periods: tuple[Period, ...] = ()) -> tuple[PublicationMention, ...]:
    found: list[tuple[int, int, str, str]] = []  # start, end, title, kind
    for match in _QUOTED.finditer(text.text):
        before = _BEFORE_QUOTE.search(text.text[max(0, match.start() - 40) : match.start()])
        inside = _TITLE_NOUN.search(match["title"])
        if before or inside:
            kind = (before or inside)["kind"].lower()
            found.append((match.start("title"), match.end("title"), match["title"], kind))
    for match in _BRACKETED.finditer(text.text):
        found.append((match.start("title"), match.end("title"), match["title"],
                      match["kind"].lower()))
    for run in name_runs(text.text):
        noun = _TITLE_NOUN.search(run.text)
        if noun and noun.group(0)[:1].isupper() and len(run.words) >= 3:
            found.append((run.start, run.end, run.text, noun["kind"].lower()))
    mentions = [_mention(text, evidence, periods, item) for item in _distinct(found)]
    mentions += _described(text, evidence, [(m.evidence.spans[0].start, m.evidence.spans[-1].end)
                                            for m in mentions])
    return tuple(sorted(mentions, key=lambda m: m.evidence.spans[0].start))


def _described(text: TextMap, evidence: Evidence,
               taken: list[tuple[int, int]]) -> list[PublicationMention]:
    """Untitled publications the text describes, and each later "this publication"."""
    out: list[PublicationMention] = []
    for match in _DESCRIBED.finditer(text.text):
        spans = text.spans(match.start("desc"), match.end("desc"))
        if any(s <= spans[0].start < e for s, e in taken):
            continue
        kind = match["kind"].lower()
        described = PublicationMention(
            title=match["desc"], kind=kind, year=None, by_ilo=False,
            evidence=replace(evidence, spans=spans), described_at=spans[0].start)
        out.append(described)
        for anaphor in _ANAPHOR.finditer(text.text, match.end("desc")):
            if anaphor["kind"].lower() == kind:
                out.append(replace(described, evidence=replace(
                    evidence, spans=text.spans(anaphor.start(), anaphor.end()))))
    return out


def _distinct(found: list[tuple[int, int, str, str]]) -> list[tuple[int, int, str, str]]:
    """The outermost of overlapping finds, in text order."""
    kept: list[tuple[int, int, str, str]] = []
    for item in sorted(found, key=lambda f: (f[0], -(f[1] - f[0]))):
        if kept and item[0] < kept[-1][1]:
            continue
        kept.append(item)
    return kept


def _mention(text: TextMap, evidence: Evidence, periods: tuple[Period, ...],
             item: tuple[int, int, str, str]) -> PublicationMention:
    start, end, title, kind = item
    context = text.text[max(0, start - 60) : start]
    return PublicationMention(
        title=title.strip(),
        kind=kind.rstrip("s") if kind == "estimates" else kind,
        year=_year(text, end, periods),
        by_ilo=bool(re.search(r"\bILO\b", context[-40:]) or title.startswith("ILO ")),
        evidence=replace(evidence, spans=text.spans(start, end)),
    )


def _year(text: TextMap, end: int, periods: tuple[Period, ...]) -> str | None:
    """The year of a period said to be when it was produced/published, after the title."""
    spans = text.spans(end)
    after = spans[0].start if spans else None
    for period in periods:
        first = period.evidence.spans[0].start if period.evidence.spans else -1
        if after is None or first < after:
            continue
        words_before = text.text[: _clean_index(text, first)]
        if _PRODUCED.search(re.sub(r"\s+in\s*$", "", words_before)) and period.start == period.end:
            return period.start[:4]
    return None


def _clean_index(text: TextMap, source_offset: int) -> int:
    for i, start in enumerate(text.starts):
        if start == source_offset:
            return i
    return len(text.text)
