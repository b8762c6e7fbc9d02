"""Pages warmed before the first reader (web/warm.py), and answers correct meanwhile."""

from __future__ import annotations

import re
import subprocess
import sys
import time

import pytest
import requests

from flgraph.web import warm as warm_module
from flgraph.web.warm import _warmed, reader_served, warm
from tests.conftest import DATA, ROOT, free_port, make_app

#: the report's own words (data/source), as tests/test_engine.py reads them
REPORT_PHRASE = "More than 400 victims"
BROWSER = {"Accept": "text/html"}


def test_the_warm_up_asks_for_the_overview_every_saved_query_without_parameters_and_a_resource():
    app = make_app(FLGRAPH_SEARCH_AT_START=False)
    asked: dict[str, int] = {}

    @app.after_request
    def note(response):
        from flask import request

        asked[request.path] = response.status_code
        return response

    warm(app)
    assert asked.get("/") == 200
    assert asked.get("/queries/") == 200
    # saved queries read by hand from queries/*.rq: table-1 has no parameters,
    # country-profile needs a country
    assert asked.get("/queries/table-1") == 200
    assert "/queries/country-profile" not in asked
    resources = [path for path in asked if path.startswith("/id/")]
    assert len(resources) == 1 and asked[resources[0]] == 200
    assert _warmed(app).is_set()


def test_without_a_warm_up_the_search_index_waits_for_none():
    assert _warmed(make_app(FLGRAPH_SEARCH_AT_START=False, FLGRAPH_WARM=False)).is_set()


@pytest.mark.slow
def test_the_first_answers_while_the_server_warms_up_are_the_real_data():
    """Asked as soon as the server answers at all (its warm-up has only begun): the
    endpoint answers from the whole data, and the pages are those served once warm."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    process = subprocess.Popen([sys.executable, "-m", "flgraph", "serve", "--port", str(port),
                                "--data", str(DATA), "--per-client", "0"], cwd=ROOT,
                               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        first = _first_answer(url, "/")
        query = (f'ASK {{ ?s ?p ?o FILTER (CONTAINS(STR(?o), "{REPORT_PHRASE}")) }}')
        answer = requests.get(url + "/sparql", params={"query": query}, timeout=30,
                              headers={"Accept": "application/sparql-results+json"})
        table = requests.get(url + "/queries/table-1", headers=BROWSER, timeout=30)
        assert answer.json()["boolean"] is True
        assert first.status_code == 200 and table.status_code == 200
        time.sleep(3)  # the warm-up has had time to finish in both web processes
        for _ in range(4):  # over several connections: each web process answers some
            later = requests.get(url + "/", headers={**BROWSER, "Connection": "close"},
                                 timeout=30)
            assert _timeless(later.content) == _timeless(first.content)
            later = requests.get(url + "/queries/table-1", timeout=30,
                                 headers={**BROWSER, "Connection": "close"})
            assert _timeless(later.content) == _timeless(table.content)
    finally:
        process.terminate()
        process.wait(10)


def _timeless(page: bytes) -> bytes:
    """The page without the time its query took ("20 rows in 180.1 ms"), nor whether its
    answer was computed for this request or an earlier one: each web process runs the
    query of its own warm-up, and the reader's request may come first."""
    return re.sub(rb"in [0-9.,]+ ms( \(answered for an earlier request on this data\))?",
                  b"in - ms", page)


def _first_answer(url: str, path: str, seconds: float = 60.0) -> requests.Response:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            return requests.get(url + path, headers=BROWSER, timeout=30)
        except requests.ConnectionError:
            time.sleep(0.01)
    raise AssertionError("the server never answered")


def test_the_warm_up_waits_for_the_first_reader(monkeypatch):
    """It begins once the process has answered a request (``reader_served``, as the
    front door tells it), not before: begun at once, it held the GIL the first reader
    needed."""
    monkeypatch.setattr(warm_module, "GIVE_WAY_SECONDS", 60.0)
    app = make_app(FLGRAPH_SEARCH_AT_START=False, FLGRAPH_WARM=True)
    asked: list[str] = []

    @app.before_request  # Flask refuses this once the app has begun a request
    def note():
        from flask import request

        asked.append(request.path)

    time.sleep(0.3)
    assert asked == [] and not _warmed(app).is_set()
    reader_served(app)
    assert _warmed(app).wait(60)
    assert "/" in asked and "/queries/table-1" in asked


def test_the_warm_up_begins_if_no_reader_comes(monkeypatch):
    monkeypatch.setattr(warm_module, "GIVE_WAY_SECONDS", 0.2)
    app = make_app(FLGRAPH_SEARCH_AT_START=False, FLGRAPH_WARM=True)
    assert _warmed(app).wait(60)
