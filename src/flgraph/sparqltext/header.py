"""What a query says before its WHERE group: its prologue, its form, its projection.

Read from the lexer's tokens, so the gateway (to negotiate a format and refuse an
update at once), the binder (to find the WHERE group) and saved queries (to check that
a parameter is projected) read the same thing.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .lexer import Token, significant, tokenize

FORMS = ("SELECT", "ASK", "CONSTRUCT", "DESCRIBE")
_MODIFIERS = frozenset({"DISTINCT", "REDUCED"})


@dataclass(frozen=True)
class Header:
    """The prologue's declarations, the keyword after them, and what a SELECT projects."""

    prefixes: tuple[tuple[str, str], ...]  # (prefix without ':', IRI without brackets)
    base: str | None
    keyword: str  # the first word after the prologue, upper case ("" if none)
    keyword_end: int  # where that word ends in the text (-1 if none)
    projection: tuple[str, ...] | None  # SELECT's variables in order; None: *, other forms
    prologue_complete: bool  # False when a PREFIX or BASE declaration is malformed

    @property
    def form(self) -> str | None:
        """SELECT, ASK, CONSTRUCT or DESCRIBE; None for anything else."""
        return self.keyword if self.keyword in FORMS else None


@lru_cache(maxsize=1024)
def read_header(text: str) -> Header:
    """The header of ``text`` (cached: every reader of a query asks for it)."""
    tokens = significant(tokenize(text))
    prefixes, base, i, complete = _prologue(tokens)
    word = tokens[i] if i < len(tokens) and tokens[i].kind == "word" else None
    keyword = word.upper if word else ""
    projection = _projection(tokens, i + 1) if keyword == "SELECT" else None
    return Header(prefixes=tuple(prefixes), base=base, keyword=keyword,
                  keyword_end=word.end if word else -1, projection=projection,
                  prologue_complete=complete)


def _prologue(tokens: list[Token]) -> tuple[list[tuple[str, str]], str | None, int, bool]:
    prefixes: list[tuple[str, str]] = []
    base = None
    i = 0
    while i < len(tokens):
        word = tokens[i].upper if tokens[i].kind == "word" else ""
        if word == "BASE" and _kind(tokens, i + 1) == "iri":
            base = tokens[i + 1].text[1:-1]
            i += 2
        elif (word == "PREFIX" and _kind(tokens, i + 1) == "pname"
              and tokens[i + 1].text.endswith(":") and _kind(tokens, i + 2) == "iri"):
            prefixes.append((tokens[i + 1].text[:-1], tokens[i + 2].text[1:-1]))
            i += 3
        else:
            return prefixes, base, i, word not in ("BASE", "PREFIX")
    return prefixes, base, i, True


def _kind(tokens: list[Token], i: int) -> str:
    return tokens[i].kind if i < len(tokens) else ""


def _projection(tokens: list[Token], i: int) -> tuple[str, ...] | None:
    """Variables a SELECT clause starting at ``i`` projects: plain ``?v`` and
    ``(… AS ?v)``; None for ``SELECT *``."""
    if i < len(tokens) and tokens[i].upper in _MODIFIERS:
        i += 1
    if i < len(tokens) and tokens[i].text == "*":
        return None
    names: list[str] = []
    depth = 0
    while i < len(tokens):
        token = tokens[i]
        if depth == 0 and (token.text == "{" or token.upper in ("WHERE", "FROM")):
            break
        if token.text == "(":
            depth += 1
        elif token.text == ")":
            depth -= 1
        elif token.kind == "var" and (depth == 0 or (depth == 1
                                                      and tokens[i - 1].upper == "AS")):
            names.append(token.text[1:])
        i += 1
    return tuple(names)


def spans(text: str, kinds: frozenset[str] = frozenset({"string", "iri", "comment"})
          ) -> list[tuple[str, int, int]]:
    """(kind, start, end) of the strings, IRIs and comments of ``text``: what is not code."""
    return [(t.kind, t.start, t.end) for t in tokenize(text) if t.kind in kinds]
