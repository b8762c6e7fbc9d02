"""Dates and periods: "November/December 2012", "Nov. 2012", "2013 - 2016", "in 2008".

A bare four-digit number is a date only where the words around it say so (a month, a
range, "in", "since", "between … and …", "the year"): "Convention, 2007 (No. 188)" is
part of a title, not an event.
"""

from __future__ import annotations

import re
from dataclasses import replace
from datetime import date

from ..records import Evidence, Period
from ..textmap import TextMap

_MONTHS = {
    "january": 1, "february": 2, "march": 3, "april": 4, "may": 5, "june": 6, "july": 7,
    "august": 8, "september": 9, "october": 10, "november": 11, "december": 12,
}
_ABBREVIATIONS = {name[:3]: n for name, n in _MONTHS.items()} | {"sept": 9}
#: Month names are capitalised in English: "may 2013" is not a date.
_MONTH = (r"(?:" + "|".join(n.capitalize() for n in sorted(_MONTHS, key=len, reverse=True))
          + "|" + "|".join(n.capitalize() for n in sorted(_ABBREVIATIONS, key=len, reverse=True))
          + r")\.?")
_YEAR = r"(?:19|20)\d{2}"

_PATTERNS = [
    # 5 November 2012
    re.compile(rf"\b(?P<day>[0-3]?\d)\s+(?P<m1>{_MONTH})\s+(?P<y1>{_YEAR})\b"),
    # November/December 2012, November to December 2012, Nov.-Dec. 2012
    re.compile(rf"\b(?P<m1>{_MONTH})\s*(?:/|-|–|\bto\b|\band\b)\s*(?P<m2>{_MONTH})\s+"
               rf"(?P<y1>{_YEAR})\b"),
    # November 2012, Nov. 2012
    re.compile(rf"\b(?P<m1>{_MONTH})\s+(?P<y1>{_YEAR})\b"),
    # between 2012 and 2013, from 2012 to 2013
    re.compile(rf"\b(?:between|from)\s+(?P<y1>{_YEAR})\s+(?:and|to|until)\s+(?P<y2>{_YEAR})\b",
               re.I),
    # 2013 - 2016, 2013–2016, 2012/13, 2012-13
    re.compile(rf"\b(?P<y1>{_YEAR})\s*(?:-|–|—|/)\s*(?P<y2>{_YEAR}|\d{{2}})\b"),
    # in 2008, since 2008, the year 2013, by 2015, during 2013
    re.compile(rf"\b(?:in|since|by|during|year|until|before|after)\s+(?P<y1>{_YEAR})\b(?!\s*\()",
               re.I),
]
#: Words introducing a bare year that belong to the date phrase's context, not to it.
_LEADING = re.compile(r"^(?:in|since|by|during|year|until|before|after)\s+", re.I)


def find_periods(text: TextMap, evidence: Evidence) -> tuple[Period, ...]:
    """Dates and periods, earliest pattern first, never two over the same words."""
    taken: list[tuple[int, int]] = []
    found: list[tuple[int, Period]] = []
    for pattern in _PATTERNS:
        for match in pattern.finditer(text.text):
            if any(match.start() < e and s < match.end() for s, e in taken):
                continue
            period = _period(match, text, evidence)
            if period is None:
                continue
            taken.append((match.start(), match.end()))
            found.append((match.start(), period))
    return tuple(p for _, p in sorted(found, key=lambda item: item[0]))


def _period(match: re.Match[str], text: TextMap, evidence: Evidence) -> Period | None:
    groups = match.groupdict()
    y1 = groups["y1"]
    y2 = groups.get("y2")
    if y2 and len(y2) == 2:
        y2 = y1[:2] + y2  # "2012-13"
    m1, m2 = groups.get("m1"), groups.get("m2")
    try:
        start = _iso(y1, m1, groups.get("day"))
        end = _iso(y2 or y1, m2 or m1, groups.get("day") if not m2 else None)
    except ValueError:
        return None  # "31 February 2013" names no day
    if end < start:
        return None  # "2016-2013" is not a period
    i, j = match.start(), match.end()
    lead = _LEADING.match(match.group(0))
    if lead and not m1:
        i += lead.end()
    phrase = text.text[i:j]
    return Period(start=start, end=end, phrase=phrase,
                  evidence=replace(evidence, spans=text.spans(i, j)))


def _iso(year: str, month: str | None, day: str | None) -> str:
    if not month:
        return year
    key = month.lower().rstrip(".")
    number = _MONTHS.get(key) or _ABBREVIATIONS[key[:4] if key == "sept" else key[:3]]
    if day:
        return date(int(year), number, int(day)).isoformat()
    return f"{year}-{number:02d}"
