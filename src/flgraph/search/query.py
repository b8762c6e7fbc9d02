"""What a user types, turned into an FTS5 query the engine cannot misread.

The box is open to anyone, so its text is never handed to FTS5 as it is (its syntax
errors, column filters and NEAR groups are not the user's to reach): it is read here
into words, "quoted phrases", ``prefix*`` words and the operators OR and NOT (or a
leading ``-``), each word or phrase re-written as an FTS5 string whose quotes are
doubled. Words are ANDed by default; OR binds the terms on either side of it, before
AND, as on the web's search engines. Anything else is a :class:`SearchQueryError` with
a one-line reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

MAX_QUERY_CHARS = 200
MAX_TERMS = 12

_TOKEN = re.compile(r'"(?P<phrase>[^"]*)"?|(?P<word>[^\s"]+)')
_WORDS = re.compile(r"\w+")


class SearchQueryError(ValueError):
    """The search text cannot be searched; the message says why, in one line."""


@dataclass(frozen=True)
class Term:
    words: tuple[str, ...]  # more than one: a phrase
    prefix: bool = False
    negated: bool = False

    def fts(self) -> str:
        text = '"' + " ".join(self.words).replace('"', '""') + '"'
        return text + "*" if self.prefix else text


def to_fts(text: str) -> str:
    """The FTS5 query for the user's ``text``."""
    groups = _groups(_terms(text))
    wanted = [g for g in groups if not g[0].negated]
    unwanted = [t for g in groups if g[0].negated for t in g]
    if not wanted:
        raise SearchQueryError("say what to find, not only what to leave out (NOT, -)")
    ands = " AND ".join(_or_group(g) for g in wanted)
    return ands + "".join(f" NOT {t.fts()}" for t in unwanted)


def _or_group(group: list[Term]) -> str:
    if len(group) == 1:
        return group[0].fts()
    return "(" + " OR ".join(t.fts() for t in group) + ")"


def _terms(text: str) -> list[Term | str]:
    """Terms and the operator "OR"; NOT and ``-`` are folded into the term they precede."""
    text = text.strip()
    if not text:
        raise SearchQueryError("type a word to search for")
    if len(text) > MAX_QUERY_CHARS:
        raise SearchQueryError(f"the search is {len(text)} characters long; at most "
                               f"{MAX_QUERY_CHARS} are searched")
    items: list[Term | str] = []
    negate = False
    for match in _TOKEN.finditer(text):
        phrase, word = match.group("phrase"), match.group("word")
        if word in ("OR", "|"):
            items.append("OR")
            continue
        if word == "NOT":
            negate = True
            continue
        if word is not None and word.startswith("-") and len(word) > 1:
            negate, word = True, word[1:]
        term = _term(phrase if phrase is not None else word, phrase is None, negate)
        negate = False
        if term is not None:
            items.append(term)
    if sum(isinstance(i, Term) for i in items) > MAX_TERMS:
        raise SearchQueryError(f"the search has more than {MAX_TERMS} words or phrases")
    return items


def _term(text: str, bare: bool, negated: bool) -> Term | None:
    prefix = bare and text.endswith("*")
    words = tuple(_WORDS.findall(text))
    if not words:
        return None  # punctuation alone: nothing to find
    return Term(words, prefix and len(words[-1]) >= 2, negated)


def _groups(items: list[Term | str]) -> list[list[Term]]:
    """Terms joined by OR into groups; a dangling OR is ignored."""
    groups: list[list[Term]] = []
    joined = False
    for item in items:
        if item == "OR":
            joined = bool(groups)
            continue
        if joined and groups and item.negated == groups[-1][0].negated:
            groups[-1].append(item)
        else:
            groups.append([item])
        joined = False
    if not groups:
        raise SearchQueryError("type a word to search for")
    return groups


def words_of(text: str) -> list[str]:
    """The words of the search, for messages and for the page's title."""
    return _WORDS.findall(text)
