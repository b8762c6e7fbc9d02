"""The W3C SPARQL 1.0 and 1.1 query test suites through flgraph's ``/sparql``.

Every evaluation test runs on pyoxigraph directly and through the endpoint (an
in-process app per folder of the suite, see tests/w3c_query.py). A test the embedded
store passes directly must pass through flgraph: the gateway, the dataset handling and
the result writers lose nothing. Where pyoxigraph itself answers otherwise than the
suite, flgraph must give pyoxigraph's answer. Syntax tests go through the gateway and the
endpoint: a query pyoxigraph accepts is accepted, one it refuses is answered 400.
Exclusions by design are listed, with their reasons, in ``w3c_query.EXCLUDED``; known
losses, expected to fail until fixed, in ``w3c_query.KNOWN_LOSSES``.
Pass counts per suite: docs/w3c-query-tests.md (``python -m tests.w3c_query_counts``).
"""

from __future__ import annotations

import pytest

from tests import w3c_query as w3c
from tests.w3c_query import Case

pytestmark = pytest.mark.slow  # the W3C suite: 800 cases, an app per folder

CASES = w3c.cases()
EVALUATIONS = w3c.evaluations()
SYNTAX = [c for c in CASES if c.kind != "evaluation"]


@pytest.fixture(scope="session")
def folder_apps(tmp_path_factory):
    return w3c.FolderApps(tmp_path_factory.mktemp("w3c-query"))


def _params(cases: list[Case]) -> list:
    return [pytest.param(c, id=c.id, marks=[pytest.mark.xfail(
        reason=w3c.KNOWN_LOSSES[c.id], strict=True)] if c.id in w3c.KNOWN_LOSSES else [])
            for c in cases]


@pytest.mark.parametrize("case", _params(EVALUATIONS))
def test_evaluation(case: Case, folder_apps):
    if case.id in w3c.EXCLUDED:
        pytest.skip(w3c.EXCLUDED[case.id])
    expected = w3c.expected(case)
    ordered = w3c.is_ordered(case)
    direct = w3c.direct(case)
    answer = w3c.through_flgraph(folder_apps(case), case)
    if w3c.same(direct, expected, ordered):
        assert w3c.same(answer, expected, ordered), (answer.kind, answer.detail)
    else:
        assert w3c.same(answer, direct, ordered), (answer.kind, answer.detail, direct.detail)


@pytest.mark.parametrize("case", _params(SYNTAX))
def test_syntax(case: Case, folder_apps):
    from flgraph.config import Limits
    from flgraph.query.errors import QueryRefused
    from flgraph.query.gateway import check_query
    from flgraph.store import QuerySyntaxError

    if case.id in w3c.EXCLUDED:
        pytest.skip(w3c.EXCLUDED[case.id])
    text = case.text()
    parses = w3c.oxigraph_parses(text)
    try:
        check_query(text, Limits())
        accepted = True
    except (QueryRefused, QuerySyntaxError):
        accepted = False
    response = folder_apps(case).test_client().post("/sparql", data={"query": text})
    if case.kind == "negative":
        # refused where pyoxigraph refuses it; where pyoxigraph is lenient, the gateway
        # (rdflib's parser) may still refuse it: never a server error either way
        assert response.status_code == 400 if not parses else response.status_code in (200, 400)
    elif parses:
        assert accepted and response.status_code == 200, response.text[:300]
