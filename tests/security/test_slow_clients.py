"""Slow and idle clients cost sockets, not the site: with 1,000 of them open (one byte
then nothing, a body byte by byte, idle, a large answer never read; each from its own
loopback address) ``/health`` and a cached page still answer every probe. The latencies
under them are measured in bench/http_servers.py and bench/load_test.py, not here."""

from __future__ import annotations

import socket
import time
from urllib.parse import quote

import pytest
from testbed.slow_clients import KINDS, probe, slow_sockets

from flgraph.web.answer_pipes import WRITE_SECONDS
from flgraph.web.front import PIPED_ANSWER
from tests.conftest import start_server, stop_server

PAGE = "/queries/countries-by-result-typology"
SOCKETS = 1000
PROBE_TIMEOUT = 3.0  # a probe not answered within this counts as failed


@pytest.fixture(scope="module")
def server(dataset_file):
    live = start_server("--data", str(dataset_file))  # the defaults of `flgraph serve`
    yield live
    stop_server(live)


@pytest.mark.slow
def test_a_thousand_slow_sockets_leave_health_and_pages_answering(server):
    probe(server.url + PAGE, 4)  # computed once per web process: now a cached page
    with slow_sockets(server.url, SOCKETS, read_path=PAGE) as held:
        assert len(held) >= SOCKETS * 0.95  # the attack is really there
        time.sleep(0.5)
        health = probe(server.url + "/health", 30, timeout=PROBE_TIMEOUT)
        page = probe(server.url + PAGE, 30, timeout=PROBE_TIMEOUT)
    assert health.failed == 0 and page.failed == 0, (health.seconds, page.seconds)


@pytest.mark.parametrize("kind", KINDS)
def test_each_kind_of_slow_client_alone(server, kind):
    with slow_sockets(server.url, 200, kinds=(kind,), read_path=PAGE):
        time.sleep(0.2)
        health = probe(server.url + "/health", 10, timeout=PROBE_TIMEOUT)
    assert health.failed == 0, health.seconds


# every statement with a kilobyte of padding: an answer of megabytes (the XML results of
# the report's thousands of statements), run in a few tenths of a second
LARGE = ('SELECT ?s ?p ?o (CONCAT(STR(?o), "' + "x" * 1000 + '") AS ?pad) '
         "WHERE { ?s ?p ?o }")
XML = "application/sparql-results+xml"


def test_a_large_answer_reaches_a_reading_client_whole(server):
    answer = server.get("/sparql", params={"query": LARGE}, headers={"Accept": XML},
                        timeout=60)
    assert answer.status_code == 200, answer.text[:200]
    assert len(answer.content) > 4 * PIPED_ANSWER  # the answer went through the pipe
    assert len(answer.content) == int(answer.headers["Content-Length"])
    assert answer.content.rstrip().endswith(b"</sparql>")
    assert answer.content.count(b"<result>") > 1000


def test_a_client_that_never_reads_a_large_answer_is_dropped(server):
    """A socket that asks for megabytes and reads nothing: within the write timeout the
    server closes the connection (its copy of the answer freed) — what the client finds
    when it finally reads is the start of the answer, then the end of the connection;
    before, the server kept the whole answer for it and sent it all. The site answers
    meanwhile."""
    host, port = server.url.removeprefix("http://").split(":")
    request = (f"GET /sparql?query={quote(LARGE)} HTTP/1.1\r\nHost: {host}\r\n"
               f"Accept: {XML}\r\n\r\n").encode()
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)  # before connecting
        sock.connect((host, int(port)))
        sock.sendall(request)
        time.sleep(WRITE_SECONDS + 5)  # the answer is ready within a second or two
        assert probe(server.url + "/health", 3, timeout=PROBE_TIMEOUT).failed == 0
        sock.settimeout(10)
        received, closed = b"", False
        try:
            while chunk := sock.recv(1 << 20):
                received += chunk
            closed = True
        except ConnectionResetError:
            closed = True
        except TimeoutError:  # the server still holds the connection open
            pass
    head, _, body = received.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 200"), head[:200]
    length = int(next(line.split(b":")[1] for line in head.split(b"\r\n")
                      if line.lower().startswith(b"content-length:")))
    assert closed, f"the connection was still open; {len(body):,} of {length:,} bytes came"
    assert len(body) < length


def _raw(server, request: bytes, timeout: float = 10) -> bytes:
    """Send ``request`` as it is and read the answer until the server closes or stops."""
    host, port = server.url.removeprefix("http://").split(":")
    with socket.create_connection((host, int(port)), timeout=timeout) as sock:
        sock.sendall(request)
        answer = b""
        try:
            while chunk := sock.recv(65536):
                answer += chunk
                if b"\r\n\r\n" in answer and _complete(answer):
                    break
        except TimeoutError:
            pass
    return answer


def _complete(answer: bytes) -> bool:
    head, _, body = answer.partition(b"\r\n\r\n")
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            return len(body) >= int(line.split(b":")[1])
    return False


def _status(answer: bytes) -> int:
    return int(answer.split(b" ", 2)[1])


def test_a_request_without_host_is_refused(server):
    answer = _raw(server, b"GET /health HTTP/1.1\r\nConnection: close\r\n\r\n")
    assert _status(answer) == 400 and b"Host" in answer
    assert b"x-content-type-options: nosniff" in answer.lower()
    # HTTP/1.0 has no Host requirement
    assert _status(_raw(server, b"GET /health HTTP/1.0\r\n\r\n")) == 200


def test_a_malformed_chunk_is_400(server):
    answer = _raw(server, b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: "
                          b"application/sparql-query\r\nTransfer-Encoding: chunked\r\n\r\n"
                          b"zz\r\nASK {}\r\n0\r\n\r\n")
    assert _status(answer) == 400


def test_a_chunked_body_over_the_limit_is_413(server):
    piece = b"#" * 65536
    chunk = b"%x\r\n" % len(piece) + piece + b"\r\n"
    answer = _raw(server, b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: "
                          b"application/sparql-query\r\nTransfer-Encoding: chunked\r\n\r\n"
                  + chunk * 20 + b"0\r\n\r\n")
    assert _status(answer) == 413


def test_a_chunked_query_is_answered(server):
    body = b"ASK { ?s ?p ?o }"
    answer = _raw(server, b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: "
                          b"application/sparql-query\r\nAccept: application/sparql-results+"
                          b"json\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
                  + b"%x\r\n" % len(body) + body + b"\r\n0\r\n\r\n")
    assert _status(answer) == 200 and b'"boolean":true' in answer.replace(b" ", b"")
