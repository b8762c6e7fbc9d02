"""International labour standards the text names: "the Work in Fishing Convention, 2007
(No. 188)", "Convention No. 29", "the Protocol of 2014 to the Forced Labour Convention,
1930", "C182".

An instrument is known by its number: a title and year without a number ("a new
convention") name no instrument we can identify, and are left as text. The year and
title are kept as the text gives them, never looked up.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ..records import ConventionMention, Evidence
from ..textmap import TextMap

_KIND = r"(?P<kind>Convention|Protocol|Recommendation)"
#: Capitalised words (and small connectors) ending in the instrument's kind.
_TITLE = (r"(?P<title>(?:[A-Z][\w’'()-]*\s+(?:(?:of|on|in|for|the|and|to|concerning)\s+)*)*?"
          + _KIND + r")")
_NUMBER = r"\(?\s*No\.?\s*(?P<number>\d{1,3})(?:\s*\))?"
_PATTERNS = [
    # Work in Fishing Convention, 2007 (No. 188); Forced Labour Convention, 1930 (No. 29)
    re.compile(_TITLE + r",?\s*(?P<year>(?:19|20)\d{2})\s*" + _NUMBER),
    # Convention No. 29; Convention (No. 105); Protocol No. 29
    re.compile(r"\b" + _KIND + r"\s*" + _NUMBER),
    # C029, C182, P029, R203: the codes the ILO's own lists use
    re.compile(r"\b(?P<code>[CPR])(?P<number>\d{2,3})\b"),
    # Protocol of 2014 to the Forced Labour Convention, 1930
    re.compile(r"\b(?P<kind>Protocol) of (?P<year>(?:19|20)\d{2}) to the (?P<parent>"
               r"(?:[A-Z][\w’'-]*\s+)+Convention),\s*(?P<parent_year>(?:19|20)\d{2})"),
]
_CODE_KIND = {"C": "Convention", "P": "Protocol", "R": "Recommendation"}


def find_conventions(text: TextMap, evidence: Evidence) -> tuple[ConventionMention, ...]:
    """Instruments named in ``text``, the first pattern that covers words winning."""
    taken: list[tuple[int, int]] = []
    found: list[ConventionMention] = []
    for pattern in _PATTERNS:
        for match in pattern.finditer(text.text):
            if any(match.start() < e and s < match.end() for s, e in taken):
                continue
            mention = _mention(match, text, evidence)
            if mention is not None:
                taken.append((match.start(), match.end()))
                found.append(mention)
    return tuple(sorted(found, key=lambda m: m.evidence.spans[0].start))


def _mention(match: re.Match[str], text: TextMap, evidence: Evidence) -> ConventionMention | None:
    groups = match.groupdict()
    kind = groups.get("kind") or _CODE_KIND[groups["code"]]
    title = groups.get("title")
    if groups.get("parent"):
        # a protocol to a convention is known by that convention's number; the text
        # names its title and year only, so the protocol keeps them, unnumbered
        title = match.group(0)
    number = groups.get("number")
    start = match.start("title") if title and groups.get("title") else match.start()
    if groups.get("title"):
        # "the Promotion of the Work in Fishing Convention": a title begins after the last
        # article that the capitalised words run through
        last_the = list(re.finditer(r"\bthe\s+", title))
        if last_the:
            start += last_the[-1].end()
            title = title[last_the[-1].end():]
    return ConventionMention(
        kind=kind.lower(),
        number=int(number) if number else None,
        title=(title or "").strip() or None,
        year=groups.get("year"),
        written=text.text[start : match.end()],
        evidence=replace(evidence, spans=text.spans(start, match.end())),
    )
