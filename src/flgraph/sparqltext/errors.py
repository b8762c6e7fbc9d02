"""Errors of reading and writing SPARQL text: the bottom of the serving side."""

from __future__ import annotations


class BindingError(ValueError):
    """Parameters that cannot be written into a query's text: a bad variable name or
    term, or a query text the binder cannot follow (a client's error: HTTP 400)."""
