"""What a query answers and how an answer is written: the one door the web has to them.

The result types are the store's (every engine answers with them) and so are the writers
(an engine writes an answer where it runs, in a worker, and only bytes cross back). The
web takes both from here and never imports the store itself: the contract
"web-through-query" in pyproject.toml holds it to that.
"""

from __future__ import annotations

from ..store.base import AskResult, GraphResult, Result, SelectResult, Store, Term
from ..store.results import (
    Serialized,
    compact,
    serialize,
    serialize_graph,
    serialize_results,
    state_truncation,
    text_table,
)

__all__ = ["AskResult", "GraphResult", "Result", "SelectResult", "Serialized", "Store", "Term",
           "compact", "serialize", "serialize_graph", "serialize_results", "state_truncation",
           "text_table"]
