"""Runs of capitalised words ("Ministry of Labour and Social Security"), the shape of a
proper name in English report text, found with their positions."""

from __future__ import annotations

import re
from dataclasses import dataclass

#: Lower-case words allowed inside a name, never at its ends.
CONNECTORS = {"of", "and", "for", "the", "on", "de", "du", "des", "la", "le", "in", "to", "&"}
_TOKEN = re.compile(r"[\w’'&.-]+", re.UNICODE)


@dataclass(frozen=True)
class NameRun:
    start: int
    end: int
    text: str
    words: tuple[str, ...]


#: "d'Ivoire", "l’Est": an elided particle before a capital is part of a proper name.
_ELIDED = re.compile(r"^[a-z]{1,2}['’][A-Z]")


def capitalised(word: str) -> bool:
    return word[:1].isupper() or bool(_ELIDED.match(word))


def name_runs(text: str) -> list[NameRun]:
    """Maximal runs of capitalised words, joined by a connector ("of", "for the") only
    when a capitalised word follows it, never across punctuation."""
    tokens = [(m.start(), m.end(), m.group(0).rstrip(".")) for m in _TOKEN.finditer(text)]
    runs: list[NameRun] = []
    k = 0
    while k < len(tokens):
        if not capitalised(tokens[k][2]):
            k += 1
            continue
        last = k
        j = k + 1
        while j < len(tokens) and _adjacent(text, tokens[j - 1], tokens[j]):
            if capitalised(tokens[j][2]):
                last = j
                j += 1
                continue
            resume = _after_connectors(text, tokens, j)
            if resume is None:
                break
            j = resume
        start, end = tokens[k][0], tokens[last][0] + len(tokens[last][2])
        runs.append(NameRun(start, end, text[start:end],
                            tuple(t[2] for t in tokens[k : last + 1])))
        k = last + 1
    return runs


def _after_connectors(text: str, tokens: list[tuple[int, int, str]], j: int) -> int | None:
    """Index of the capitalised word after "of", "of the", "for the" … at ``j``, or None."""
    n = 0
    while j < len(tokens) and n < 2 and tokens[j][2].lower() in CONNECTORS:
        # "of the", "for the" join a name; "and the" usually joins two of them
        if n and (tokens[j][2].lower() != "the" or tokens[j - 1][2].lower() in ("and", "&")):
            return None
        n += 1
        j += 1
        if j < len(tokens) and not _adjacent(text, tokens[j - 1], tokens[j]):
            return None
    if n and j < len(tokens) and capitalised(tokens[j][2]):
        return j
    return None


def _adjacent(text: str, left: tuple[int, int, str], right: tuple[int, int, str]) -> bool:
    """Only spaces between two tokens, and the left one does not end a sentence."""
    between = text[left[1] : right[0]]
    return between.strip() == "" and not text[left[0] : left[1]].endswith(".")
