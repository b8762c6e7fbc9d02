"""Queries built to cost: cartesian products and path explosions are stopped at the
deadline (503 + Retry-After, the server saying which deadline stopped them), ReDoS
patterns cost nothing, deep nesting and huge BGPs are refused by the text checks before
any parser sees them (400 "Query refused" naming the limit), huge bodies and query
strings are refused at the door (413/414) — and a normal query answers after each, on
every store.

No assertion reads the wall clock: on a loaded machine a prompt answer can take seconds
to arrive. What the server says (its status, the deadline it names) is the guarantee;
each request's own timeout only bounds a server that would never answer."""

from __future__ import annotations

import pytest

from flgraph.web.http_rules import MAX_TARGET

from .conftest import TIMEOUT, assert_alive, one_line, post_query, sparql

#: Each one runs for minutes or more on any engine, over the report's few thousand
#: triples.
EXPENSIVE = {
    "cartesian product": "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i . "
                         "?j ?k ?l }",
    "cartesian product, DISTINCT": "SELECT DISTINCT ?a ?d ?g ?j WHERE { ?a ?b ?c . ?d ?e ?f . "
                                   "?g ?h ?i . ?j ?k ?l } ORDER BY ?a LIMIT 1",
    "path explosion": "SELECT (COUNT(*) AS ?n) WHERE { ?a (<http://x.org/p>|!<http://x.org/q>)* "
                      "?b . ?c (^!<http://x.org/q>)* ?d }",
    "zero-or-more both ends": "SELECT (COUNT(*) AS ?n) WHERE { ?a (!<http://x.org/q>)* ?b . "
                              "?b (!<http://x.org/q>)* ?c . ?c ?p ?o }",
    # few distinct triples: the engine must go through the whole product to find them
    "cartesian CONSTRUCT": "CONSTRUCT { ?a <http://x.org/p> 1 } WHERE { ?a ?b ?c . ?d ?e ?f . "
                           "?g ?h ?i . ?j ?k ?l }",
}


def _assert_stopped_in_time(response, kind: str) -> None:
    """The server's own account of stopping the query: at its deadline, at a worker's
    memory or CPU cap, or (Virtuoso) with a partial answer said to be one."""
    if kind == "virtuoso" and response.status_code == 200:
        # Virtuoso's own "anytime" limit can stop the query first and answer what it
        # has: that answer must say it is incomplete.
        assert response.headers.get("X-Flgraph-Truncated") == "true", response.text[:300]
        return
    if kind == "virtuoso" and response.status_code == 400:
        # ... or refuse to compile it (an unbound transitive path), at once
        assert "cannot run this query" in one_line(response)
        return
    assert response.status_code == 503, response.text[:300]
    assert response.headers["Retry-After"].isdigit()
    # past the deadline (the one the server was given), or past the worker's memory cap
    # or CPU time first
    reason = one_line(response)
    assert (f"longer than {TIMEOUT:g} s" in reason or "Query stopped" in reason
            or "Query timed out" in reason), reason


@pytest.mark.parametrize("name", EXPENSIVE)
def test_expensive_queries_stop_at_the_deadline(target, name):
    response = sparql(target, EXPENSIVE[name], timeout=TIMEOUT + 10)
    _assert_stopped_in_time(response, target.kind)
    assert_alive(target)


@pytest.mark.parametrize("pattern", ["^(a+)+$", "^(a|a)*$", "^(a|aa)+$", "(.*a){20}",
                                     "^(([a-z])+.)+[A-Z]([a-z])+$"])
def test_regex_patterns_cannot_backtrack_for_ever(target, pattern):
    subject = pattern.replace("\\", "\\\\")
    query = (f'SELECT ?x WHERE {{ VALUES ?s {{ "{"a" * 40}!" "{"b" * 40}" }} BIND (?s AS ?x) '
             f'FILTER REGEX(?x, "{subject}") }}')
    response = sparql(target, query, timeout=TIMEOUT + 10)
    assert response.status_code in (200, 400, 503), response.text[:300]
    if response.status_code == 503:  # the deadline stopped it: the server says so
        _assert_stopped_in_time(response, target.kind)
    assert_alive(target)


@pytest.mark.parametrize("opening, closing", [("(", ")"), ("{", "}"), ("[", "]")])
def test_deep_nesting_is_refused_before_parsing(target, opening, closing):
    inner = {"(": "FILTER ({o}1{c})", "{": "{o}{c}", "[": "?s ?p {o}{c}"}[opening]
    group = inner.format(o=opening * 5000, c=closing * 5000)
    response = post_query(target, f"SELECT * WHERE {{ {group} }}")
    assert response.status_code == 400 and "nests" in one_line(response)
    assert_alive(target)


@pytest.mark.parametrize("shape", ["statements", "predicate list", "object list", "paths"])
def test_huge_bgps_are_refused(target, shape):
    if shape == "statements":
        where = " ".join(f"?s <http://x.org/p{i}> ?o{i} ." for i in range(800))
    elif shape == "predicate list":
        where = "?s " + " ; ".join(f"?p{i} ?o{i}" for i in range(800))
    elif shape == "object list":
        where = "?s ?p " + " , ".join(f"?o{i}" for i in range(800))
    else:
        where = "?s " + "/".join("<http://x.org/p>" for _ in range(800)) + " ?o"
    response = post_query(target, f"SELECT * WHERE {{ {where} }}")
    assert response.status_code == 400, response.text[:300]
    # refused by the gateway's count of the text, not by a parser ("Query syntax error")
    # nor by a deadline (503)
    reason = one_line(response)
    assert reason.startswith("Query refused:") and "the limit is" in reason, reason
    assert_alive(target)


def test_many_unions_and_subqueries_are_refused(target):
    unions = " UNION ".join("{ ?s ?p ?o }" for _ in range(100))
    response = post_query(target, f"SELECT * WHERE {{ {unions} }}")
    assert response.status_code == 400 and "limit" in one_line(response)
    subqueries = " ".join("{ SELECT ?s WHERE { ?s ?p ?o } LIMIT 1 }" for _ in range(40))
    response = post_query(target, f"SELECT * WHERE {{ {subqueries} }}")
    assert response.status_code == 400 and "limit" in one_line(response)
    assert_alive(target)


def test_huge_bodies_are_413(target):
    query = "ASK { ?s ?p " + '"' + "a" * (2 * 1024 * 1024) + '" }'
    for response in (post_query(target, query),
                     target.post("/sparql", data={"query": query})):
        assert response.status_code == 413, response.text[:200]
    assert_alive(target)


def test_long_queries_under_the_body_cap_are_400(target):
    query = "ASK { ?s ?p " + '"' + "a" * 100_000 + '" }'
    response = post_query(target, query)
    assert response.status_code == 400 and "bytes" in one_line(response)
    assert_alive(target)


def test_huge_query_strings_are_414(target):
    # past the site's limit on a URL (a query the gateway takes fits: by GET, up to its
    # 20,000 bytes, percent-encoded), the site's own 414; past what granian reads, its own
    long = MAX_TARGET + 1000
    for path in ("/sparql?query=" + "A" * long, "/queries/table-1?x=" + "a" * long,
                 "/id/" + "a" * long, "/sparql?query=" + "A" * 70_000):
        response = target.get(path)
        assert response.status_code == 414, response.text[:200]
        assert response.text == "" or "POST" in response.text
    assert_alive(target)


def test_huge_headers_are_refused(target):
    response = target.get("/sparql", params={"query": "ASK {}"},
                          headers={"Accept": "text/csv," * 4000})
    assert response.status_code in (400, 431), response.text[:200]
    assert_alive(target)
