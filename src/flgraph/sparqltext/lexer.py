"""The one lexer of SPARQL text: every reader of a query's text reads these tokens.

The terminals are the SPARQL 1.1 grammar's (§19.8): strings in their four quotings with
their escapes, IRIs, prefixed names, blank node labels, variables, language tags,
numbers, keywords (matched case-insensitively by ``Token.upper``) and punctuation.
Comments and white space are tokens too (``significant`` drops them), so every
character of a text belongs to exactly one token and the spans can be compared.

One terminal depends on where it stands: ``<``. The grammar's IRIREF is any run of
characters without ``<>"{}|^`\\``, spaces or controls between angle brackets, and
``<`` is also the less-than operator. A parser reads an IRI only where a term may
stand; inside an expression, right after an operand, ``<`` is the operator
(``FILTER(?a<str('x>'))`` compares; read as an IRI ``<str('x>``, the quote after it
would open a string that hides what follows from any check). So the lexer keeps a
stack of the brackets it is in and what each opened: a group ``{``, an expression
``(`` (after FILTER, BIND, a function's name, in a SELECT clause or after the WHERE
group) or a list of terms (a collection, VALUES, ``[`` property lists).

A quote that does not open a well-formed string is an ``error`` token: nothing else
in SPARQL may contain one, so such a text is not a query, and readers refuse it.
"""

from __future__ import annotations

import functools
import re
import threading
from collections import OrderedDict
from typing import NamedTuple

#: The grammar's character classes (PN_CHARS_BASE, PN_CHARS_U, PN_CHARS), and their ASCII
#: parts: on a text of ASCII characters only, each class matches exactly what its ASCII
#: part matches, so the two patterns below read such a text into the same tokens.
_BASE = ("A-Za-z\u00c0-\u00d6\u00d8-\u00f6\u00f8-\u02ff\u0370-\u037d\u037f-\u1fff"
         "\u200c-\u200d\u2070-\u218f\u2c00-\u2fef\u3001-\ud7ff\uf900-\ufdcf\ufdf0-\ufffd"
         "\U00010000-\U000effff")
_CHARS_AFTER = "\u00b7\u0300-\u036f\u203f-\u2040"  # what PN_CHARS adds beyond ASCII
_ASCII_BASE = "A-Za-z"
_PLX = r"%[0-9A-Fa-f]{2}|\\[_~.\-!$&'()*+,;=/?#@%]"
_ECHAR = r"\\[tbnrf\\\"']"


def _token_pattern(base: str, chars_after: str) -> re.Pattern:
    """The tokens' pattern with ``base`` as PN_CHARS_BASE and ``chars_after`` as what
    PN_CHARS holds beyond ``_``, ``-``, digits and the base."""
    u = base + "_"
    chars = u + "\\-0-9" + chars_after
    prefix = f"[{base}](?:[{chars}.]*[{chars}])?"
    local = f"(?:[{u}:0-9]|{_PLX})(?:(?:[{chars}.:]|{_PLX})*(?:[{chars}:]|{_PLX}))?"
    varname = f"[{u}0-9][{u}0-9{chars_after}]*"
    return re.compile(rf'''
    (?P<ws>[\x20\t\n\r]+)
  | (?P<comment>\#[^\n\r]*)
  | (?P<string>"""(?:(?:"|"")?(?:[^"\\]|{_ECHAR}))*"""
              |\'\'\'(?:(?:\'|\'\')?(?:[^'\\]|{_ECHAR}))*\'\'\'
              |"(?:[^"\\\n\r]|{_ECHAR})*"
              |'(?:[^'\\\n\r]|{_ECHAR})*')
  | (?P<error>["'])
  | (?P<iri><[^<>"{{}}|^`\\\x00-\x20]*>)
  | (?P<var>[?$]{varname})
  | (?P<bnode>_:[{u}0-9](?:[{chars}.]*[{chars}])?)
  | (?P<pname>(?:{prefix})?:(?:{local})?)
  | (?P<lang>@[a-zA-Z]+(?:-[a-zA-Z0-9]+)*)
  | (?P<number>[0-9]+\.[0-9]*[eE][+-]?[0-9]+|\.?[0-9]+[eE][+-]?[0-9]+
               |[0-9]*\.[0-9]+|[0-9]+)
  | (?P<word>[A-Za-z][A-Za-z0-9_]*)
  | (?P<punct>\^\^|&&|\|\||!=|<=|>=|[{{}}()\[\].,;*/|^?+!=<>-])
  | (?P<other>.)
''', re.VERBOSE | re.DOTALL)


#: Compiled at import: the pattern of a text of ASCII characters (most queries). The
#: whole grammar's is compiled at the first text that needs it: its classes of Unicode
#: ranges cost the regular expression compiler 40 ms, in every process that imports the
#: lexer, the start of ``flgraph serve`` among them.
_ASCII_TOKEN = _token_pattern(_ASCII_BASE, "")


@functools.lru_cache(maxsize=1)
def _unicode_token() -> re.Pattern:
    return _token_pattern(_BASE, _CHARS_AFTER)


def compile_whole_grammar() -> None:
    """Compile the whole grammar's pattern now: a process that forks others (the engine's
    generation, ``flgraph serve`` before its web processes) calls this first, so that each
    fork starts with it instead of compiling it at its first text beyond ASCII (a saved
    query's description, a label in another script)."""
    _unicode_token()


#: Tokens after which, inside an expression, ``<`` compares.
_OPERAND_KINDS = frozenset({"var", "string", "number", "iri", "pname", "bnode", "lang"})
_OPERAND_WORDS = frozenset({"TRUE", "FALSE"})
#: Words after which ``(`` opens terms, not an expression (``?s a (1 2)``, VALUES (?x)).
_TERMS_AFTER = frozenset({"VALUES", "A"})
#: Words that make the ``(`` of their group expressions: a SELECT clause, modifiers.
_CLAUSE_WORDS = frozenset({"SELECT", "GROUP", "ORDER", "HAVING"})
#: Code point escapes as SPARQL defines them (§19.2): ``\\u`` and 4 hex digits, ``\\U``
#: and 8.
CODEPOINT_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


class Token(NamedTuple):
    kind: str  # ws comment string error iri var bnode pname lang number word punct other
    text: str
    start: int
    end: int

    @property
    def upper(self) -> str:
        """A keyword as the grammar compares it (case-insensitively); other tokens as is."""
        return self.text.upper() if self.kind == "word" else self.text

    @property
    def code(self) -> bool:
        """Whether the token is read as code: not white space, a comment or a string."""
        return self.kind not in ("ws", "comment", "string")


def decode_codepoints(text: str) -> str:
    """The text with its ``\\uXXXX`` and ``\\UXXXXXXXX`` escapes decoded, which SPARQL
    does before parsing (§19.2). Raises ValueError for an escape that is no code point."""
    return CODEPOINT_ESCAPE.sub(lambda m: chr(int(m.group(1) or m.group(2), 16)), text)


_KEPT_CHARS = 50_000  # characters of the texts whose tokens are kept, in all
_KEPT_TEXT = 2_000  # characters of a text kept at most (a query typed at /sparql is shorter)
_kept: OrderedDict[str, tuple[Token, ...]] = OrderedDict()
_kept_chars = 0
_kept_lock = threading.Lock()


def tokenize(text: str) -> tuple[Token, ...]:
    """Every token of ``text``, white space and comments included, in order.

    The tokens of the short texts read last are kept, up to ``_KEPT_CHARS`` characters of
    text in all: a token weighs about a hundred bytes, and kept by count (1,024 texts) the
    tokens of queries nested 3,000 deep, each new, held 0.7 MB apiece (a web process
    grew by 430 MB in 600 such refused queries)."""
    global _kept_chars
    with _kept_lock:
        tokens = _kept.get(text)
        if tokens is not None:
            _kept.move_to_end(text)
            return tokens
    tokens = _tokenize(text)
    with _kept_lock:
        if text not in _kept and len(text) <= _KEPT_TEXT:
            _kept[text] = tokens
            _kept_chars += len(text)
            while _kept_chars > _KEPT_CHARS:
                _kept_chars -= len(_kept.popitem(last=False)[0])
    return tokens


def _tokenize(text: str) -> tuple[Token, ...]:
    """The loop is written out (no call per token but for brackets and keywords): it runs
    on every new query in the web process, twice."""
    tokens: list[Token] = []
    append = tokens.append
    match = (_ASCII_TOKEN if text.isascii() else _unicode_token()).match
    frames: list[_Frame] = [_Frame("clauses")]
    last = before_last = None  # the last two significant tokens
    pos, n = 0, len(text)
    while pos < n:
        if text[pos] == "<" and frames[-1].kind == "expression" and _is_operand(last):
            end = pos + (2 if text.startswith("<=", pos) else 1)
            token = Token("punct", text[pos:end], pos, end)
        else:
            found = match(text, pos)
            end = found.end()
            token = Token(found.lastgroup, found.group(), pos, end)
        append(token)
        pos = end
        kind = token.kind
        if kind == "ws" or kind == "comment":
            continue
        if kind == "punct" or kind == "word":
            _follow(frames, token, last, before_last)
        last, before_last = token, last
    return tuple(tokens)


def significant(tokens: tuple[Token, ...]) -> list[Token]:
    """The tokens without white space and comments."""
    return [t for t in tokens if t.kind not in ("ws", "comment")]


class _Frame:
    """An open bracket: what it holds (``group``, ``expression``, ``terms``, or the
    ``clauses`` outside any group), and whether a SELECT clause or solution modifier
    has begun in it (then a ``(`` opens an expression)."""

    __slots__ = ("clauses", "kind")

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.clauses = kind == "clauses"


def _is_operand(token: Token | None) -> bool:
    if token is None:
        return False
    return (token.kind in _OPERAND_KINDS or token.upper in _OPERAND_WORDS
            or token.text in (")", "]"))


def _follow(frames: list[_Frame], token: Token, last: Token | None,
            before_last: Token | None) -> None:
    """Open or close a frame for a bracket; note a clause keyword."""
    frame = frames[-1]
    if token.kind == "word" and token.upper in _CLAUSE_WORDS:
        frame.clauses = True
    if token.kind != "punct":
        return
    if token.text == "{":
        frames.append(_Frame("group"))
    elif token.text == "[":
        frames.append(_Frame("terms"))
    elif token.text == "(":
        frames.append(_Frame(_paren_kind(frame, last, before_last)))
    elif token.text in ")}]" and len(frames) > 1:
        frames.pop()


def _paren_kind(frame: _Frame, last: Token | None, before_last: Token | None) -> str:
    if frame.kind == "expression" or frame.clauses:
        return "expression"
    if last is not None and last.kind == "word":
        return "terms" if last.upper in _TERMS_AFTER else "expression"
    if (last is not None and last.kind in ("iri", "pname") and before_last is not None
            and before_last.upper == "FILTER"):
        return "expression"  # FILTER ex:f(…): a function call
    return "terms"
