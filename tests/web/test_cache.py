"""Answers computed once per dataset version: ETag, 304, gzip, and nothing stale after a
rebuild."""

from __future__ import annotations

import gzip

import pytest
import requests

from ..conftest import DATA, SEED, start_server, stop_server
from ..helpers import run_cli


@pytest.fixture(scope="module")
def server():
    """One web process: each process has its own cache, and these tests look at it."""
    live = start_server("--data", str(DATA), "--workers", "1")
    yield live
    stop_server(live)


def test_repeated_request_is_served_from_the_cache(server):
    first = server.get("/queries/target-vs-result-by-region", params={"page": 1},
                       headers={"Accept": "text/csv"})
    again = server.get("/queries/target-vs-result-by-region", params={"page": 1},
                       headers={"Accept": "text/csv"})
    assert first.text == again.text
    assert again.headers["X-Flgraph-Cache"] == "hit"
    assert first.headers["ETag"] == again.headers["ETag"]


def test_conditional_request_is_answered_304(server):
    first = server.get("/queries/lessons-learned", headers={"Accept": "text/html"})
    etag = first.headers["ETag"]
    assert first.headers["Last-Modified"]
    again = server.get("/queries/lessons-learned",
                       headers={"Accept": "text/html", "If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    other = server.get("/queries/lessons-learned",
                       headers={"Accept": "text/html", "If-None-Match": '"something-else"'})
    assert other.status_code == 200


def test_large_bodies_are_compressed_when_accepted(server):
    raw = requests.get(server.url + "/queries/organisations", headers={
        "Accept": "text/html", "Accept-Encoding": "gzip"}, stream=True, timeout=30)
    body = raw.raw.read()
    assert raw.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in raw.headers["Vary"]
    html = gzip.decompress(body).decode("utf-8")
    assert "Pastoral Mission for Migrants of the Catholic Church" in html
    plain = requests.get(server.url + "/queries/organisations", headers={
        "Accept": "text/html", "Accept-Encoding": "identity"}, timeout=30)
    assert "Content-Encoding" not in plain.headers
    assert plain.text == html


def test_different_accept_headers_are_different_entries(server):
    csv = server.get("/queries/table-1", headers={"Accept": "text/csv"})
    json_ = server.get("/queries/table-1", headers={"Accept": "application/sparql-results+json"})
    assert csv.headers["Content-Type"].startswith("text/csv")
    assert json_.headers["Content-Type"] == "application/sparql-results+json"


def test_no_stale_answer_after_a_rebuild(tmp_path):
    """A server on rebuilt data answers from the new data, not from an old cache."""
    first_data, second_data = tmp_path / "a.trig", tmp_path / "b.trig"
    changed = tmp_path / "changed.txt"
    changed.write_text(SEED.read_text(encoding="utf-8").replace(
        "More than 400 victims", "More than 500 victims"), encoding="utf-8")
    assert run_cli("build", str(SEED), "-o", str(first_data)).exit_code == 0
    assert run_cli("build", str(changed), "-o", str(second_data)).exit_code == 0
    answers = []
    for data in (first_data, second_data):
        live = start_server("--data", str(data))
        try:
            for _ in range(2):
                response = live.get("/queries/quantities.csv")
            answers.append(response)
        finally:
            stop_server(live)
    assert "More than 400 victims" in answers[0].text
    assert "More than 500 victims" in answers[1].text
    assert answers[0].headers["ETag"] != answers[1].headers["ETag"]
