"""Full-text search over the things of the graph (texts.py reads them from any store,
query.py reads what a user types, index.py writes and searches an SQLite FTS5 index)."""

from __future__ import annotations

from pathlib import Path

from ..store import Store
from .index import FacetCount, Hit, Hits, IndexTimeout, SearchIndex, write_index
from .query import MAX_QUERY_CHARS, MAX_TERMS, SearchQueryError
from .texts import FACETS, read_documents

__all__ = ["FACETS", "MAX_QUERY_CHARS", "MAX_TERMS", "FacetCount", "Hit", "Hits",
           "IndexTimeout", "SearchIndex", "SearchQueryError", "build_index"]


def build_index(store: Store, target: Path) -> int:
    """Write the search index of ``store``'s data to ``target``; the things indexed.
    (Importable by name: the server runs it in a child process.)"""
    return write_index(read_documents(store), target)
