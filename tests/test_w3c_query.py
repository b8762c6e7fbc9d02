"""The W3C SPARQL 1.0 and 1.1 query test suites through flgraph's ``/sparql``, on every
store kind the suite runs.

Every evaluation test runs on pyoxigraph directly and through the endpoint (an
in-process app per folder of the suite, see tests/w3c_query.py), on the memory store and
on Oxigraph on disk. A test the embedded store passes directly must pass through
flgraph: the gateway, the dataset handling and the result writers lose nothing. Where
pyoxigraph itself answers otherwise than the suite, flgraph must give pyoxigraph's
answer. On Virtuoso (every file loaded once into a Virtuoso of the module's own, one app
on it), a test Virtuoso passes when asked directly, with the same query and dataset,
must pass through flgraph; one it fails is skipped with Virtuoso's own answer as reason
(docs/w3c-query-tests.md sorts them by cause), and their number is held to the count
recorded there, so that a harness or loading fault cannot pass as Virtuoso's. Syntax
tests go through the gateway and the endpoint: a query pyoxigraph accepts is accepted,
one it refuses is answered 400.
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


#: Evaluation tests Virtuoso 7.2.5 passes when asked directly (docs/w3c-query-tests.md)
VIRTUOSO_PASSES = {"sparql10": 203, "sparql11": 143}


@pytest.fixture(scope="session")
def folder_apps(tmp_path_factory):
    return w3c.FolderApps(tmp_path_factory.mktemp("w3c-query"))


@pytest.fixture(scope="module")
def disk_apps(tmp_path_factory):
    apps = w3c.FolderApps(tmp_path_factory.mktemp("w3c-query-disk"), "oxigraph-disk")
    yield apps
    apps.close()


@pytest.fixture(scope="module")
def virtuoso_suite(tmp_path_factory):
    from tests.virtuoso import start_virtuoso, stop_virtuoso

    root = tmp_path_factory.mktemp("w3c-query-virtuoso")
    server = start_virtuoso(root / "server")  # its own: the session's holds the dataset
    try:
        yield w3c.VirtuosoSuite(root, server)
    finally:
        stop_virtuoso(server)


def _params(cases: list[Case]) -> list:
    return [pytest.param(c, id=c.id, marks=[pytest.mark.xfail(
        reason=w3c.KNOWN_LOSSES[c.id], strict=True)] if c.id in w3c.KNOWN_LOSSES else [])
            for c in cases]


def _passes_as_pyoxigraph(case: Case, apps) -> None:
    if case.id in w3c.EXCLUDED:
        pytest.skip(w3c.EXCLUDED[case.id])
    expected = w3c.expected(case)
    ordered = w3c.is_ordered(case)
    direct = w3c.direct(case)
    answer = w3c.through_flgraph(apps(case), case)
    if w3c.same(direct, expected, ordered):
        assert w3c.same(answer, expected, ordered), (answer.kind, answer.detail)
    else:
        assert w3c.same(answer, direct, ordered), (answer.kind, answer.detail, direct.detail)


@pytest.mark.parametrize("case", _params(EVALUATIONS))
def test_evaluation(case: Case, folder_apps):
    _passes_as_pyoxigraph(case, folder_apps)


@pytest.mark.parametrize("case", _params(EVALUATIONS))
def test_evaluation_on_disk(case: Case, disk_apps):
    _passes_as_pyoxigraph(case, disk_apps)


@pytest.mark.virtuoso
@pytest.mark.parametrize("case", EVALUATIONS, ids=[c.id for c in EVALUATIONS])
def test_evaluation_on_virtuoso(case: Case, virtuoso_suite):
    if case.id in w3c.EXCLUDED:
        pytest.skip(w3c.EXCLUDED[case.id])
    expected = w3c.expected(case)
    ordered = w3c.is_ordered(case)
    direct = virtuoso_suite.direct(case)
    if not w3c.same(direct, expected, ordered):
        pytest.skip(f"Virtuoso asked directly answers otherwise: {direct.kind} "
                    f"{direct.detail[:160]}")
    answer = w3c.through_flgraph(virtuoso_suite.app, case)
    assert w3c.same(answer, expected, ordered), (answer.kind, answer.detail)


@pytest.mark.virtuoso
def test_virtuoso_passes_as_many_as_recorded(virtuoso_suite):
    """Virtuoso's own passes, counted: fewer would mean a fault of the harness or the
    load, not of Virtuoso (its failures are only skipped above)."""
    passes = {suite: 0 for suite in VIRTUOSO_PASSES}
    for case in EVALUATIONS:
        if case.id not in w3c.EXCLUDED and w3c.same(
                virtuoso_suite.direct(case), w3c.expected(case), w3c.is_ordered(case)):
            passes[case.suite] += 1
    assert passes == VIRTUOSO_PASSES


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
