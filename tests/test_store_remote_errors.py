"""What a user sees when a remote store misbehaves, with no Virtuoso needed: a closed
port, a server that never answers, and a scripted endpoint answering each status and
header Virtuoso uses (partial answers, row caps, errors)."""

from __future__ import annotations

import json
import socket
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import ClassVar
from urllib.parse import parse_qs

import pytest

from flgraph.store import QuerySyntaxError, StoreError, StoreUnavailable, open_store
from flgraph.store.remote import RemoteStore, RemoteTimeout

from .conftest import free_port, make_app
from .helpers import run_cli

ROWS = {"head": {"vars": ["s"]}, "results": {"bindings": [
    {"s": {"type": "uri", "value": f"http://example.org/{k}"}} for k in range(5)]}}
NT = b"".join(b"<http://example.org/%d> <http://example.org/p> \"o\" .\n" % k for k in range(5))


GRAPHS = {"head": {"vars": ["g"]}, "results": {"bindings": [
    {"g": {"type": "uri", "value": "http://example.org/graph"}}]}}


class Scripted(BaseHTTPRequestHandler):
    """Answers by path: /ok, /partial, /partial206, /capped, /syntax, /broken, /busy,
    /estimate, /interrupted.

    The store's own question for the dataset's graphs is answered plainly, and each
    request's form is kept (``Scripted.last``) to see what the store sent."""

    last: ClassVar[dict] = {}

    def do_POST(self):
        form = parse_qs(self.rfile.read(int(self.headers.get("Content-Length", 0))).decode())
        if form["query"][0].startswith("SELECT DISTINCT ?g WHERE { GRAPH ?g"):
            return self._answer(200, {}, json.dumps(GRAPHS).encode(),
                                "application/sparql-results+json")
        Scripted.last = form
        graph = "n-triples" in self.headers.get("Accept", "")
        body, kind = (NT, "application/n-triples") if graph else (
            json.dumps(ROWS).encode(), "application/sparql-results+json")
        status, headers = {
            "/ok": (200, {}),
            "/partial": (200, {"X-SQL-State": "S1TAT"}),
            "/partial206": (206, {}),
            "/capped": (200, {"X-SPARQL-MaxRows": "5"}),
            "/syntax": (400, {}),
            "/broken": (500, {}),
            "/busy": (503, {}),
            "/estimate": (500, {}),
            "/interrupted": (200, {"X-SQL-State": "S1TAT"}),
            "/broken-graph": (200, {}),
        }[self.path]
        if self.path in ("/interrupted", "/broken-graph"):  # Virtuoso 7.2.5, a CONSTRUCT
            body = (b"_:ResultSet2053 rdf:type <http://www.w3.org/1999/02/22-rdf-syntax-ns"
                    b"#res:ResultSet> .\n")
        if self.path == "/estimate":
            body, kind = (b"Virtuoso 42000 Error The estimated execution time 443 (sec) "
                          b"exceeds the limit of 400 (sec).\n\nSPARQL query:\nSELECT ...",
                          "text/plain")
        elif status >= 400:
            body, kind = (b"Virtuoso 37000 Error SP030: SPARQL compiler, line 1: syntax error"
                          b"\n\nSPARQL query:\nSELECT ...", "text/plain")
        return self._answer(status, headers, body, kind)

    def _answer(self, status: int, headers: dict, body: bytes, kind: str) -> None:
        self.send_response(status)
        for name, value in {"Content-Type": kind, "Content-Length": str(len(body)),
                            **headers}.items():
            self.send_header(name, value)
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture(scope="module")
def scripted():
    server = ThreadingHTTPServer(("127.0.0.1", 0), Scripted)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


@pytest.fixture
def silent_port():
    """A port that accepts connections and never answers (a hung server)."""
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(8)
        yield listener.getsockname()[1]


def test_a_closed_port_is_unavailable_at_once():
    store = RemoteStore(f"http://127.0.0.1:{free_port()}/sparql", timeout=5)
    started = time.monotonic()
    with pytest.raises(StoreUnavailable, match="unreachable: connection refused"):
        store.query("ASK {}")
    assert time.monotonic() - started < 1


def test_a_server_that_never_answers_times_out_within_the_timeout(silent_port):
    store = RemoteStore(f"http://127.0.0.1:{silent_port}/sparql", timeout=1)
    started = time.monotonic()
    with pytest.raises(StoreUnavailable, match="timed out"):
        store.count()
    assert time.monotonic() - started < 1 + 1


def test_the_timeout_is_read_from_the_environment(silent_port, monkeypatch):
    monkeypatch.setenv("FLGRAPH_SPARQL_TIMEOUT", "0.5")
    store = open_store(f"sparql:http://127.0.0.1:{silent_port}/sparql")
    started = time.monotonic()
    with pytest.raises(StoreUnavailable):
        store.query("ASK {}")
    assert time.monotonic() - started < 1.5


def test_opening_a_remote_store_contacts_nothing():
    """The site can start while its store is down, and answer 503 until it is back."""
    store = open_store(f"sparql:http://127.0.0.1:{free_port()}/sparql")
    assert store.name == "sparql"


@pytest.mark.parametrize("spec", ["sparql:ftp://example.org/sparql", "sparql:localhost:8890"])
def test_a_remote_store_needs_an_http_url(spec):
    with pytest.raises(ValueError, match="http"):
        open_store(spec)


def test_a_complete_answer_is_not_truncated(scripted):
    result = RemoteStore(scripted + "/ok").query("SELECT ?s WHERE { ?s ?p ?o }")
    assert len(result.rows) == 5 and not result.truncated


def test_queries_run_over_the_datasets_graphs_unless_they_name_their_own(scripted):
    """The default graph is the union of the dataset's graphs on any server."""
    store = RemoteStore(scripted + "/ok", server_timeout=False)
    store.query("SELECT ?s WHERE { ?s ?p ?o }")
    assert Scripted.last["default-graph-uri"] == ["http://example.org/graph"]
    assert Scripted.last["named-graph-uri"] == ["http://example.org/graph"]
    assert "timeout" not in Scripted.last
    store.query("SELECT ?s FROM <http://example.org/other> WHERE { ?s ?p ?o }")
    assert "default-graph-uri" not in Scripted.last
    store.query("SELECT ?s WHERE { ?s ?p ?o }", default_graphs=["http://example.org/g2"])
    assert Scripted.last["default-graph-uri"] == ["http://example.org/g2"]
    assert Scripted.last["named-graph-uri"] == ["http://example.org/graph"]


def test_virtuoso_is_asked_to_stop_shortly_before_the_client_gives_up(scripted):
    RemoteStore(scripted + "/ok", timeout=10).query("ASK {}")
    assert Scripted.last["timeout"] == ["5000"]  # milliseconds, Virtuoso's "anytime" mode
    RemoteStore(scripted + "/ok", timeout=3).query("ASK {}")
    assert Scripted.last["timeout"] == ["500"]


@pytest.mark.parametrize("path", ["/partial", "/partial206", "/capped"])
def test_partial_or_capped_answers_are_truncated(scripted, path):
    result = RemoteStore(scripted + path).query("SELECT ?s WHERE { ?s ?p ?o }")
    assert len(result.rows) == 5 and result.truncated


def test_the_limit_reads_one_row_more_and_reports_truncation(scripted):
    store = RemoteStore(scripted + "/ok")
    assert store.query("SELECT ?s WHERE { ?s ?p ?o }", limit=4).truncated
    assert not store.query("SELECT ?s WHERE { ?s ?p ?o }", limit=5).truncated
    assert len(store.query("SELECT ?s WHERE { ?s ?p ?o }", limit=4).rows) == 4


def test_a_graph_answer_as_long_as_the_server_cap_is_truncated(scripted):
    """Virtuoso caps CONSTRUCT silently: reaching its cap is all there is to go on."""
    query = "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }"
    assert RemoteStore(scripted + "/ok", server_max_rows=5).query(query).truncated
    assert not RemoteStore(scripted + "/ok", server_max_rows=6).query(query).truncated
    limited = RemoteStore(scripted + "/ok", server_max_rows=None).query(query, limit=2)
    assert len(limited.triples) == 2 and limited.truncated


def test_a_syntax_error_carries_the_servers_message(scripted):
    with pytest.raises(QuerySyntaxError) as err:
        RemoteStore(scripted + "/syntax").query("SELECT ?s WHERE { ?s ?p ?o }")
    assert str(err.value) == ("Virtuoso 37000 Error SP030: SPARQL compiler, line 1: syntax "
                              "error")


def test_a_server_error_is_a_store_error_and_503_is_unavailable(scripted):
    with pytest.raises(StoreError, match="SP030") as err:
        RemoteStore(scripted + "/broken").query("ASK {}")
    assert not isinstance(err.value, StoreUnavailable)
    with pytest.raises(StoreUnavailable, match="HTTP 503"):
        RemoteStore(scripted + "/busy").query("ASK {}")


def test_a_refusal_on_virtuosos_cost_estimate_says_which_setting_causes_it(scripted):
    with pytest.raises(StoreError) as err:
        RemoteStore(scripted + "/estimate").query("ASK {}")
    assert str(err.value).startswith("SPARQL store ")
    assert "estimated execution time 443 (sec) exceeds the limit of 400" in str(err.value)
    assert "unset MaxQueryCostEstimationTime in virtuoso.ini" in str(err.value)


def test_an_interrupted_graph_answer_with_nothing_readable_is_a_timeout(scripted):
    """Virtuoso, its time limit reached before a triple was ready, answers a CONSTRUCT
    with an empty result set description (not N-Triples): past the deadline, not broken."""
    with pytest.raises(RemoteTimeout, match="time limit with no result ready: timed out"):
        RemoteStore(scripted + "/interrupted").query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    with pytest.raises(StoreError, match="cannot be read") as err:  # and not partial: broken
        RemoteStore(scripted + "/broken-graph").query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
    assert not isinstance(err.value, StoreUnavailable)


def test_updates_are_refused_before_any_request():
    store = RemoteStore(f"http://127.0.0.1:{free_port()}/sparql")
    with pytest.raises(QuerySyntaxError, match="only queries"):
        store.query("INSERT DATA { <http://a> <http://b> <http://c> }")


def test_a_remote_store_without_a_writer_is_read_only():
    store = RemoteStore(f"http://127.0.0.1:{free_port()}/sparql")
    with pytest.raises(StoreError, match="read-only"):
        store.load([])


def test_the_cli_reports_an_unreachable_store_in_one_line():
    url = f"http://127.0.0.1:{free_port()}/sparql"
    result = run_cli("query", "table-1", "--store", f"sparql:{url}")
    assert result.exit_code == 1
    assert result.stderr == f"flgraph: error: SPARQL store {url} is unreachable: connection " \
                            "refused\n"


def test_the_site_answers_503_while_the_store_is_down():
    url = f"http://127.0.0.1:{free_port()}/sparql"
    app = make_app(FLGRAPH_STORE=f"sparql:{url}")
    response = app.test_client().get("/queries/table-1")
    assert response.status_code == 503
    assert "unreachable" in response.get_data(as_text=True)
