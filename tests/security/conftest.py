"""The attack suite's fixtures: a live server on each store, a canary that nobody may call,
and a check that the server still answers after every attack.

``target`` is ``flgraph serve`` on 127.0.0.1 over each of the three stores in turn, with
a short deadline (``--timeout``), a small row cap (``--row-limit``) and, besides the
project's saved queries, the test queries of ``tests/security/queries`` (one per
parameter type: the project's own only take IRIs). Each attack test ends by asking a
normal question of the site and of the endpoint and expects a correct answer
(``assert_alive``); the canary's log must stay empty for the whole session.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from itertools import count
from pathlib import Path

import pytest
import requests

from tests.conftest import ROOT, LiveServer, start_server, stop_server
from tests.stores import STORE_KINDS

HERE = Path(__file__).resolve().parent
TIMEOUT = 2.0  # the servers' --timeout: seconds a query may run
ROW_LIMIT = 100  # the servers' --row-limit
# bounds a normal request after an attack: only a server that stopped answering reaches
# it (a query still held by an attack would be refused by the server's own deadline)
PATIENCE = 30.0
ASK_ANY = "ASK { ?s ?p ?o }"
_unique = count()


@dataclass
class Canary:
    """An HTTP server on 127.0.0.1 that records every request it gets."""

    url: str
    hits: list[str] = field(default_factory=list)

    def iri(self, path: str = "graph") -> str:
        return f"{self.url}/{path}"


@pytest.fixture(scope="session")
def canary() -> Iterator[Canary]:
    bird = Canary("")

    class Handler(BaseHTTPRequestHandler):
        def _record(self):
            bird.hits.append(f"{self.command} {self.path}")
            self.send_response(200)
            self.send_header("Content-Type", "text/turtle")
            self.end_headers()
            self.wfile.write(b"<http://example.org/s> <http://example.org/p> 1 .\n")

        do_GET = do_POST = do_HEAD = _record  # http.server's naming

        def log_message(self, *args):
            pass

    httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    bird.url = f"http://127.0.0.1:{httpd.server_port}"
    yield bird
    httpd.shutdown()
    assert bird.hits == [], f"the canary was called: {bird.hits}"


@pytest.fixture(autouse=True)
def _canary_stays_silent(canary: Canary):
    """After each test, nothing has reached the canary (requests may arrive late: wait a
    moment before looking)."""
    yield
    time.sleep(0.05)
    assert canary.hits == [], f"the canary was called: {canary.hits}"


@pytest.fixture(scope="session")
def security_home(tmp_path_factory) -> Path:
    """A FLGRAPH_HOME with the project's data and ontology, and its saved queries plus
    the test queries (a string, an integer and a date parameter)."""
    home = tmp_path_factory.mktemp("home")
    (home / "data").symlink_to(ROOT / "data")
    (home / "ontology").symlink_to(ROOT / "ontology")
    queries = home / "queries"
    queries.mkdir()
    for path in [*sorted((ROOT / "queries").glob("*.rq")), *sorted((HERE / "queries").glob(
            "*.rq"))]:
        (queries / path.name).symlink_to(path)
    return home


@pytest.fixture(scope="session", params=STORE_KINDS)
def target(request, dataset_file, security_home) -> Iterator[LiveServer]:
    """``flgraph serve`` on each store in turn, with a short deadline and a small row cap."""
    options = ("--timeout", str(TIMEOUT), "--row-limit", str(ROW_LIMIT))
    env = {"FLGRAPH_HOME": str(security_home)}
    if request.param == "memory":
        live = start_server("--data", str(dataset_file), *options, env=env)
    elif request.param == "oxigraph-disk":
        path = request.getfixturevalue("disk_store_path")
        live = start_server("--store", f"oxigraph:{path}", *options, env=env)
    else:
        server = request.getfixturevalue("virtuoso")
        request.getfixturevalue("virtuoso_store")  # loaded
        live = start_server("--store", f"sparql:{server.sparql}", *options, env={
            **env, "FLGRAPH_SPARQL_MAX_ROWS": str(server.max_rows)})
        live.store_endpoint = server.sparql
    live.kind = request.param
    yield live
    stop_server(live)


def sparql(server: LiveServer, query: str, accept: str | None = None, timeout: float = 30,
           **params) -> requests.Response:
    """A GET of ``/sparql`` with ``query`` and other protocol parameters."""
    headers = {"Accept": accept} if accept else {}
    return server.get("/sparql", params={"query": query, **params}, headers=headers,
                      timeout=timeout)


def post_query(server: LiveServer, query: str, timeout: float = 30) -> requests.Response:
    return server.post("/sparql", data=query.encode("utf-8"), timeout=timeout,
                       headers={"Content-Type": "application/sparql-query"})


def assert_alive(server: LiveServer) -> None:
    """A normal endpoint query and a saved-query page answer correctly. Both are new to
    the server (the response cache cannot answer them), so a query worker really runs
    them; a worker still held by the attack would make the server itself answer 503 or
    429 (a query waits for a worker no longer than its deadline). No wall-clock bound:
    on a loaded machine a correct answer may take seconds to arrive."""
    assert server.process.poll() is None, "the server process died"
    n = next(_unique)
    answer = sparql(server, f"{ASK_ANY} # alive {n} {time.time()}", timeout=PATIENCE)
    assert answer.status_code == 200, answer.text
    assert answer.json()["boolean"] is True
    page = server.get("/queries/indicator-by-notation.csv",
                      params={"notation": "15.1", "page": n}, timeout=PATIENCE)
    assert page.status_code == 200, page.text
    assert "indicator/15.1" in page.text


def one_line(response: requests.Response) -> str:
    """The plain-text reason of a refusal: one line, text/plain."""
    assert response.headers["Content-Type"] == "text/plain; charset=utf-8", response.headers
    text = response.text.strip()
    assert text and "\n" not in text
    return text
