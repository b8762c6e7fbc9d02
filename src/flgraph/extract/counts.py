"""Targets and reported results: "8 member States, of which 3 in Africa … and 2 in Asia"."""

from __future__ import annotations

import re
from dataclasses import replace
from typing import TYPE_CHECKING

from .errors import SourceError
from .numbers import NUMBER, to_int
from .records import CountStatement, Evidence, RegionalCount
from .textmap import TextMap

if TYPE_CHECKING:
    from ..reference import Reference

_TOTAL = re.compile(rf"^\s*(?P<number>{NUMBER})\s+(?P<unit>[^,;:()]*?)\s*(?=,|;|:|\(|$|of which)",
                    re.I)
_OF_WHICH = re.compile(r"\b(?:of\s+which|of\s+whom|including|among\s+them)\b\s*:?", re.I)
_PART_HEAD = re.compile(rf"\b(?P<number>{NUMBER})\s+in\s+", re.I)
#: What separates one part of a breakdown from the next, or ends the last one.
_TRAILER = re.compile(r"(?:\s*(?:[,;.]|\band\b))*\s*$", re.I)


def parse_count(text: TextMap, evidence: Evidence, reference: Reference) -> CountStatement:
    """A count statement; a breakdown naming an unknown region is an error.

    Text that does not start with a number (e.g. "Not applicable") keeps its words and
    has no total: the report did not state one.
    """
    words = text.text
    total = _TOTAL.match(words)
    breakdown: tuple[RegionalCount, ...] = ()
    split = _OF_WHICH.search(words)
    if split:
        breakdown = _breakdown(text, split.end(), evidence, reference)
    return CountStatement(
        text=words,
        total=to_int(total["number"]) if total else None,
        unit=total["unit"].strip() or None if total else None,
        breakdown=breakdown,
        evidence=evidence,
    )


def _breakdown(text: TextMap, start: int, evidence: Evidence,
               reference: Reference) -> tuple[RegionalCount, ...]:
    """Each "N in <region>" after "of which"; region names may contain "and"."""
    words = text.text
    heads = list(_PART_HEAD.finditer(words, start))
    if not heads or words[start : heads[0].start()].strip(" ,;:"):
        found = words[start:].strip() or "nothing"
        raise _error(evidence, f"expected 'N in <region>, …' after 'of which', found '{found}'")
    parts = []
    for k, head in enumerate(heads):
        end = heads[k + 1].start() if k + 1 < len(heads) else len(words)
        name = _TRAILER.sub("", words[head.end() : end])
        region = reference.lookup_region(name)
        if region is None:
            known = ", ".join(r.label for r in reference.regions)
            raise _error(evidence, f"unknown region '{name}' in the breakdown (known: {known})")
        parts.append(RegionalCount(
            region=region.slug, region_text=name, count=to_int(head["number"]),
            evidence=replace(evidence, spans=text.spans(head.start(), head.end() + len(name)))))
    return tuple(parts)


def _error(evidence: Evidence, message: str) -> SourceError:
    where = ", ".join(x for x in (evidence.table, evidence.row, evidence.column) if x)
    return SourceError(evidence.source.name, evidence.line, f"{where}: {message}")


