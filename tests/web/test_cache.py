"""Answers computed once per dataset version: ETag, 304, gzip, and nothing stale after a
rebuild."""

from __future__ import annotations

import gzip
import re

import pytest
import requests

from flgraph.web.memo import Memo

from ..conftest import DATA, SEED, make_app, start_server, stop_server
from ..helpers import run_cli
from ..in_process import InProcessSite


@pytest.fixture(scope="module")
def site():
    """An app of these tests' own, in process: they look at its cache (one per web
    process), which other tests' requests must not have filled."""
    return InProcessSite(make_app(DATA, FLGRAPH_CACHE=True))


def test_repeated_request_is_served_from_the_cache(site):
    first = site.get("/queries/target-vs-result-by-region", params={"page": 1},
                     headers={"Accept": "text/csv"})
    again = site.get("/queries/target-vs-result-by-region", params={"page": 1},
                     headers={"Accept": "text/csv"})
    assert first.text == again.text
    assert again.headers["X-Flgraph-Cache"] == "hit"
    assert first.headers["ETag"] == again.headers["ETag"]


def test_conditional_request_is_answered_304(site):
    first = site.get("/queries/lessons-learned", headers={"Accept": "text/html"})
    etag = first.headers["ETag"]
    assert first.headers["Last-Modified"]
    again = site.get("/queries/lessons-learned",
                     headers={"Accept": "text/html", "If-None-Match": etag})
    assert again.status_code == 304 and again.content == b""
    other = site.get("/queries/lessons-learned",
                     headers={"Accept": "text/html", "If-None-Match": '"something-else"'})
    assert other.status_code == 200


def test_large_bodies_are_compressed_when_accepted(site):
    raw = site.get("/queries/organisations", headers={
        "Accept": "text/html", "Accept-Encoding": "gzip"}, stream=True, timeout=30)
    body = raw.raw.read()
    assert raw.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in raw.headers["Vary"]
    html = gzip.decompress(body).decode("utf-8")
    assert "Pastoral Mission for Migrants of the Catholic Church" in html
    plain = site.get("/queries/organisations", headers={
        "Accept": "text/html", "Accept-Encoding": "identity"}, timeout=30)
    assert "Content-Encoding" not in plain.headers
    assert plain.text == html


def test_different_accept_headers_are_different_entries(site):
    csv = site.get("/queries/table-1", headers={"Accept": "text/csv"})
    json_ = site.get("/queries/table-1", headers={"Accept": "application/sparql-results+json"})
    assert csv.headers["Content-Type"].startswith("text/csv")
    assert json_.headers["Content-Type"] == "application/sparql-results+json"


@pytest.mark.slow  # starts a server
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


def _status(response) -> str:
    return re.search(r'<p class="status" id="status">(.*?)</p>', response.text, re.S).group(1)


def test_pages_of_one_answer_run_the_query_once(site):
    """Paging through an answer reads the one computed for its first page (at 2M triples
    a large saved query takes seconds; each page used to run it again). With a country
    chosen: the site computes the saved queries without parameters as it starts."""
    zambia = {"country": "country/ZMB", "page_size": 1}
    first = _status(site.get("/queries/results-chain", params=zambia))
    second = _status(site.get("/queries/results-chain", params={**zambia, "page": 2}))
    assert "earlier request" not in first and "showing 1–1" in first
    assert "answered for an earlier request on this data" in second and "showing 2–2" in second
    took = re.compile(r"(\d+) rows? in ([\d.]+) ms")
    assert took.search(first).groups() == took.search(second).groups()
    other = _status(site.get("/queries/results-chain",
                             params={"country": "country/NPL", "page_size": 2}))
    assert "earlier request" not in other


def test_memo_keeps_its_weight_and_always_the_newest():
    memo = Memo(10, weigh=len)
    memo.get("a", lambda: "x" * 6)
    memo.get("b", lambda: "y" * 3)
    memo.get("c", lambda: "z" * 4)  # 13 > 10: the least recently used ("a") goes
    assert memo.get("b", lambda: "recomputed") == "yyy"
    assert memo.get("a", lambda: "recomputed") == "recomputed"
    assert memo.get("d", lambda: "w" * 50) == "w" * 50  # heavier than the whole: kept alone
    assert memo.get("d", lambda: "recomputed") == "w" * 50
    assert memo.get("b", lambda: "recomputed") == "recomputed"


def test_memo_keeps_nothing_of_a_failed_computation():
    memo = Memo()

    def fail():
        raise ValueError("no answer")

    for key in range(100):  # keys may be any client's parameters: no lock left behind
        with pytest.raises(ValueError):
            memo.get(key, fail)
    assert memo._locks == {} and memo.get(1, lambda: "answer") == "answer"


def test_the_cache_keeps_within_its_bytes(dataset_file):
    """Past its byte budget the least recently used answers go (each may be 8 MiB)."""
    budget = 10_000
    app = make_app(dataset_file, FLGRAPH_CACHE=True, FLGRAPH_CACHE_BYTES=budget)
    client = app.test_client()
    cache = app.extensions["flgraph-cache"]

    def state(path: str) -> str:
        return client.get(path, headers={"Accept": "text/csv"}).headers["X-Flgraph-Cache"]

    big, other = "/queries/organisations.csv", "/queries/quantities.csv"
    assert state(big) == "miss"
    kept_big = cache.entries.weight  # its body (no request here accepts gzip)
    assert state(other) == "miss"
    assert kept_big <= budget < kept_big + cache.entries.weight  # each fits alone, not both
    assert state(other) == "hit"
    assert state(big) == "miss"  # it went when the other came in
    assert cache.entries.weight <= budget


def test_an_answer_is_compressed_once_a_client_accepts_gzip(dataset_file):
    """A new answer is kept as it is; its gzip bytes are made (and kept) for the first
    client that accepts them, not for every answer whoever asks."""
    app = make_app(dataset_file, FLGRAPH_CACHE=True)
    client = app.test_client()
    cache = app.extensions["flgraph-cache"]
    path = "/queries/organisations.csv"
    plain = client.get(path, headers={"Accept-Encoding": "identity"})
    (entry,) = [value for value, _ in cache.entries._entries.values()]
    assert plain.headers["X-Flgraph-Cache"] == "miss" and entry.gzipped is None
    packed = client.get(path, headers={"Accept-Encoding": "gzip"})
    (entry,) = [value for value, _ in cache.entries._entries.values()]
    assert packed.headers["X-Flgraph-Cache"] == "hit"
    assert packed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(packed.data) == plain.data == entry.body
    assert entry.gzipped == packed.data


@pytest.mark.slow  # a live server: the front door sends kept answers itself
def test_a_kept_answer_is_sent_again_as_the_app_sent_it(server):
    """Under granian a kept answer is sent from the front door's event loop, without
    the app's hooks: it carries what the app's own answer from the cache carries (CORS,
    the security headers, Vary, ETag, the gzip representation to a client that takes
    it), and a conditional request still gets its 304. One connection: one web process,
    one cache."""
    path = server.url + "/queries/lessons-learned"
    with requests.Session() as session:
        for headers in ({"Accept-Encoding": "identity"}, {"Accept-Encoding": "gzip"},
                        {"Accept-Encoding": "identity", "Origin": "https://example.org"}):
            headers = {"Accept": "text/html", **headers}
            first, *hits = [session.get(path, headers=headers, timeout=30)
                            for _ in range(4)]
            for hit in hits:
                assert hit.headers["X-Flgraph-Cache"] == "hit"
                assert hit.status_code == 200 and hit.content == first.content
                assert _headers(hit) == _headers(first)
            assert hit.headers["Access-Control-Allow-Origin"] == "*"
            assert "X-Flgraph-Cache" in hit.headers["Access-Control-Expose-Headers"]
            assert hit.headers["X-Content-Type-Options"] == "nosniff"
            assert "frame-ancestors 'none'" in hit.headers["Content-Security-Policy"]
            assert "Accept-Encoding" in hit.headers["Vary"]
            gzipped = headers["Accept-Encoding"] == "gzip"
            assert (hit.headers.get("Content-Encoding") == "gzip") == gzipped
            assert hit.headers["ETag"].endswith('-gzip"') == gzipped
            if not gzipped:
                assert int(hit.headers["Content-Length"]) == len(hit.content)
            again = session.get(path, headers={**headers,
                                               "If-None-Match": hit.headers["ETag"]})
            assert again.status_code == 304 and again.headers["ETag"] == hit.headers["ETag"]


def _headers(answer) -> frozenset:
    """An answer's headers but its date and whether the cache answered it."""
    return frozenset((name.lower(), value) for name, value in answer.headers.items()
                     if name.lower() not in ("date", "x-flgraph-cache"))
