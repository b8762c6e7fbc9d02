"""Counts stated in running text, with their qualifier: "more than 400 victims".

The qualifier is kept as written and normalised ("More than" → "more than"), since "over
200" and "200" are different claims. Years, codes ("No. 188", "15.1") and numbers inside a
date are not counts.
"""

from __future__ import annotations

import re
from dataclasses import replace

from ...extract.numbers import NUMBER, to_int
from ..records import Evidence, Quantity, Span
from ..textmap import TextMap

QUALIFIERS = (
    "more than", "over", "nearly", "almost", "at least", "about", "around", "approximately",
    "some", "up to", "fewer than", "less than", "under", "close to", "roughly", "an estimated",
)
_QUALIFIER = "|".join(sorted((re.escape(q) for q in QUALIFIERS), key=len, reverse=True))
_COUNT = re.compile(
    rf"(?<![\w.,/-])(?:(?P<qualifier>{_QUALIFIER})\s+)?(?P<number>{NUMBER})"
    rf"(?![\w.,/%-]\w)(?P<percent>\s*(?:%|per\s?cent\b))?",
    re.I,
)
#: Words after which a number is a code or a reference, not a count.
_CODE_BEFORE = re.compile(r"(?:\bNo\.?|\bTable|\bOutcome|\bIndicator|\bArticle|\bC|\bP|#)\s*$",
                          re.I)
#: Words that end the counted noun phrase.
_STOP = {
    "of", "in", "on", "at", "to", "from", "with", "and", "or", "that", "which", "who", "whom",
    "were", "was", "are", "is", "have", "has", "had", "be", "been", "for", "by", "the", "a",
    "an", "as", "per", "into", "during", "between", "through", "across", "within", "including",
    "such", "than", "their", "its", "this", "these", "those", "will", "would", "could", "can",
}
_WORD = re.compile(r"[A-Za-z][\w'’-]*")
#: Units of time: a number of them is a duration ("over the past two years"), not a count.
_TIME_UNITS = {"second", "minute", "hour", "day", "week", "month", "year", "decade",
               "century"}
MAX_UNIT_WORDS = 3


def find_quantities(text: TextMap, evidence: Evidence,
                    exclude: list[tuple[Span, ...]] = ()) -> tuple[Quantity, ...]:
    """Counts in ``text`` not overlapping the source spans in ``exclude`` (dates)."""
    blocked = [s for spans in exclude for s in spans]
    found = []
    for match in _COUNT.finditer(text.text):
        quantity = _quantity(match, text, evidence, blocked)
        if quantity is not None:
            found.append(quantity)
    return tuple(found)


def _quantity(match: re.Match[str], text: TextMap, evidence: Evidence,
              blocked: list[Span]) -> Quantity | None:
    token, qualifier = match["number"], match["qualifier"]
    is_digits = token[0].isdigit()
    value = to_int(token)
    if is_digits and 1900 <= value <= 2099 and "," not in token and not qualifier:
        return None  # a year
    if _CODE_BEFORE.search(text.text[: match.start()]):
        return None
    if not is_digits and not qualifier and value == 1:
        return None  # "one of the", "one-stop": too often not a count
    if match["percent"]:
        unit, end = "per cent", match.end()
    else:
        unit, end = _unit(text.text, match.end())
    if not unit:
        return None
    spans = text.spans(match.start(), end)
    if any(s.start < b.end and b.start < s.end for s in spans for b in blocked):
        return None
    return Quantity(
        value=value,
        qualifier=qualifier.lower() if qualifier else None,
        unit=unit,
        phrase=text.text[match.start() : end],
        evidence=replace(evidence, spans=spans),
        kind=quantity_kind(unit),
    )


def quantity_kind(unit: str) -> str:
    """What a number measures, by its unit: a share (per cent), a duration (a unit of
    time, "years"), else a count of things."""
    if unit == "per cent":
        return "share"
    head = unit.split()[-1].lower()
    singular = "century" if head == "centuries" else head.removesuffix("s")
    return "duration" if singular in _TIME_UNITS else "count"


def _unit(words: str, pos: int) -> tuple[str, int]:
    """The counted noun phrase after a number: up to three words, ending at a stop word,
    punctuation, or a verb-like word ("signed", "covering") once a noun has been read."""
    taken: list[re.Match[str]] = []
    cursor = pos
    while len(taken) < MAX_UNIT_WORDS:
        gap = re.match(r"[ \t]+", words[cursor:])
        if not gap and taken:
            break
        start = cursor + (gap.end() if gap else 0)
        word = _WORD.match(words, start)
        if not word or word.group(0).lower() in _STOP:
            break
        if taken and re.search(r"(?:ed|ing)$", word.group(0)):
            break
        taken.append(word)
        cursor = word.end()
    if not taken:
        return "", pos
    return words[taken[0].start() : taken[-1].end()], taken[-1].end()
