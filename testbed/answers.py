"""Comparing the answers of two stores to the same query: the benchmark compares every
store's with the embedded one's, the store-equivalence tests the three stores'. Rows
tied under the query's ORDER BY may come in any order; ``sort_keys`` names the variables
that order them, so both compare rows in order only up to those."""

from __future__ import annotations

import re


def sort_keys(text: str) -> tuple[str, ...]:
    """Variables of the outermost ORDER BY, which ends the query and may span lines
    (STR(?x) counts as ?x)."""
    clauses = re.findall(r"ORDER\s+BY\s+([^{}]*?)\s*$", text.strip(), re.I)
    return tuple(re.findall(r"[?$](\w+)", clauses[-1])) if clauses else ()
