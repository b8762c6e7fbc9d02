"""The query gateway is used by many web threads at once (with a remote store, queries
are checked in the web process): a valid query must never be refused because another
was being parsed at the same moment."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest

from flgraph.config import Limits
from flgraph.query.gateway import check_query

QUERY = ("PREFIX skos: <http://www.w3.org/2004/02/skos/core#> SELECT ?c ?name WHERE {{ "
         "?c skos:prefLabel ?name . OPTIONAL {{ ?c skos:notation ?n }} "
         "FILTER (STRLEN(?name) > {n}) }} ORDER BY ?name LIMIT {n}")


@pytest.mark.slow  # many threads parse at once
def test_queries_checked_at_once_in_threads_are_all_read():
    texts = [QUERY.format(n=n) for n in range(1, 161)]  # distinct: no cached answer
    with ThreadPoolExecutor(16) as pool:
        forms = list(pool.map(lambda text: check_query(text, Limits(), frozenset()).form,
                              texts))
    assert forms == ["SELECT"] * len(texts)
