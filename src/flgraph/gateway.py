"""The query gateway: what may run on a public, read-only endpoint.

Checks the text before any parser sees it (size, nesting depth), then the parsed query
(not the text: escapes such as ``\\u0053ERVICE`` are decoded by the parser): only
SELECT, ASK, CONSTRUCT and DESCRIBE; no SERVICE, no LOAD, no FROM of a graph the store
does not hold.
"""

from __future__ import annotations

import re

from .service import Limits, QueryRefused

def check_query(text: str, limits: Limits) -> None:
    size = len(text.encode("utf-8"))
    if size > limits.max_query_bytes:
        raise QueryRefused(f"query is {size} bytes; the limit is {limits.max_query_bytes}")
    depth = nesting_depth(text)
    if depth > limits.max_nesting:
        raise QueryRefused(f"query nests {depth} levels deep; the limit is {limits.max_nesting}")


def nesting_depth(text: str) -> int:
    """Deepest nesting of (), {} and [] outside strings, IRIs and comments."""
    depth = deepest = 0
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "#":
            nl = text.find("\n", i)
            i = n if nl < 0 else nl
        elif ch in "\"'":
            long = text.startswith(ch * 3, i)
            end = _string_end(text, i, ch * 3 if long else ch)
            i = end
        elif ch == "<" and re.match(r"<[^<>\"{}|^`\\\s]*>", text[i:i + 4096]):
            i = text.index(">", i)
        elif ch in "({[":
            depth += 1
            deepest = max(deepest, depth)
        elif ch in ")}]":
            depth = max(0, depth - 1)
        i += 1
    return deepest


def _string_end(text: str, start: int, quote: str) -> int:
    i = start + len(quote)
    while i < len(text):
        if text[i] == "\\":
            i += 2
            continue
        if text.startswith(quote, i):
            return i + len(quote) - 1
        if len(quote) == 1 and text[i] == "\n":
            return i
        i += 1
    return len(text)
