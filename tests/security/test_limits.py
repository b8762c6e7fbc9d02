"""Concurrency past the limits is told to come back (429 + Retry-After), quickly, while
the site keeps answering; a remote store's query stops at the deadline (503)."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from flgraph.sparqltext import lexer

from .conftest import TIMEOUT, assert_alive, one_line, sparql
from .test_costs import EXPENSIVE

# from one address: more than two web processes let one client run and wait in line
# (2 threads and 8 waiting each), so that some of them are told 429 at once
FLOOD = 32


def test_a_flood_of_expensive_queries_gets_429_and_the_site_keeps_answering(target):
    query = EXPENSIVE["cartesian product"]

    def attack(n: int):
        # the timeout bounds a server that would never answer; the statuses below are
        # the server's own account of its deadline and admission
        return sparql(target, f"{query} # {n}", timeout=2 * TIMEOUT + 10)

    with ThreadPoolExecutor(FLOOD) as pool:
        answers = list(pool.map(attack, range(FLOOD)))
        site = target.get("/queries/indicator-by-notation.csv", params={"notation": "15.1",
                                                                         "page": "flood"})
        assert site.status_code == 200
    statuses = [response.status_code for response in answers]
    assert 429 in statuses, [(r.status_code, r.text[:300]) for r in answers]
    for response in answers:
        assert response.status_code in (200, 429, 503), response.text[:200]
        if response.status_code == 429:
            assert response.headers["Retry-After"].isdigit()
            assert "Too many queries" in one_line(response)
        if response.status_code == 503:  # stopped at the deadline, which the server names
            assert response.headers["Retry-After"].isdigit()
            reason = one_line(response)
            assert "timed out" in reason or "Query stopped" in reason, reason
        if response.status_code == 200:  # Virtuoso's anytime answer, said to be partial
            assert response.headers["X-Flgraph-Truncated"] == "true"
    assert_alive(target)


def test_the_lexer_keeps_the_tokens_of_short_texts_only_within_its_budget():
    """Each new query's tokens are kept for its second reading; kept by count, 1,024
    queries nested 3,000 deep held 0.7 MB of tokens apiece in every web process."""
    deep = "SELECT * WHERE { " + "{" * 3000 + "}" * 3000 + " } # "
    for n in range(20):
        assert len(lexer.tokenize(f"{deep}{n}")) > 6000
    short = [f"ASK {{ ?s ?p {n} }} # {'x' * 20}" for n in range(2_000)]
    for text in short:
        lexer.tokenize(text)
    kept = list(lexer._kept)
    assert not any(text.startswith(deep) for text in kept)  # long texts are not kept
    assert sum(map(len, kept)) <= lexer._KEPT_CHARS
    assert short[-1] in kept  # the last ones read are
