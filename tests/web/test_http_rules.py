"""HTTP by the RFCs on the live server: long GET queries up to the gateway's cap, the
site's own 414 past the URL limit, ``Allow`` on every 405, ``Range`` per RFC 9110, and a
distinct ETag for each encoding of an answer."""

from __future__ import annotations

import gzip

import requests
from SPARQLWrapper import GET, JSON, SPARQLWrapper

from flgraph.web.http_rules import MAX_TARGET

ZAMBIA = "https://w3id.org/flgraph/id/country/ZMB"


def test_a_9_kb_query_sent_by_get_is_answered(server):
    # the report covers Zambia (its country code ZMB); a long comment makes the query 9 KB
    query = ("PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
             f"ASK {{ <{ZAMBIA}> skos:prefLabel ?name }}\n" + "# padding\n" * 900)
    assert len(query.encode()) > 9000
    client = SPARQLWrapper(server.url + "/sparql")
    client.setMethod(GET)  # SPARQLWrapper's default, said out loud
    client.setReturnFormat(JSON)
    client.setQuery(query)
    assert client.query().convert()["boolean"] is True


def test_a_url_past_the_limit_is_the_sites_own_414_telling_to_post(server):
    query = "ASK {}" + "#" * (MAX_TARGET // 3 + 100)  # each '#' is sent as %23
    answer = requests.get(server.url + "/sparql", params={"query": query}, timeout=30)
    assert MAX_TARGET < len(answer.request.url) < 65_534
    assert answer.status_code == 414
    assert answer.headers["X-Content-Type-Options"] == "nosniff"
    assert "Content-Security-Policy" in answer.headers
    assert "POST" in answer.text and "\n" not in answer.text.strip()


def test_the_longest_query_the_gateway_takes_fits_in_a_url():
    # 20,000 bytes (the gateway's cap), each byte percent-encoded at worst
    assert len("/sparql?query=") + 3 * 20_000 <= MAX_TARGET


def test_every_405_says_what_is_allowed(server):
    for path in ("/", "/ontology", "/queries/", "/health"):
        answer = requests.delete(server.url + path, timeout=30)
        assert answer.status_code == 405, path
        allowed = {m.strip() for m in answer.headers["Allow"].split(",")}
        assert "GET" in allowed and "DELETE" not in allowed, (path, allowed)


def test_a_range_in_an_unknown_unit_is_ignored_and_bytes_are_honoured(server):
    whole = requests.get(server.url + "/download/flgraph.nq", timeout=60)
    assert whole.status_code == 200
    ignored = requests.get(server.url + "/download/flgraph.nq", timeout=60,
                           headers={"Range": "lines=0-9"})
    assert ignored.status_code == 200 and ignored.content == whole.content
    part = requests.get(server.url + "/download/flgraph.nq", timeout=60,
                        headers={"Range": "bytes=0-9"})
    assert part.status_code == 206 and part.content == whole.content[:10]


def test_each_encoding_of_an_answer_has_its_own_etag(server):
    path = server.url + "/queries/countries-by-result-typology.csv"
    plain = requests.get(path, headers={"Accept-Encoding": "identity"}, timeout=30)
    packed = requests.get(path, headers={"Accept-Encoding": "gzip"}, timeout=30, stream=True)
    raw = packed.raw.read(decode_content=False)
    assert packed.headers["Content-Encoding"] == "gzip"
    assert gzip.decompress(raw) == plain.content
    assert plain.headers["ETag"] != packed.headers["ETag"]
    # each tag revalidates its own representation only
    same = requests.get(path, timeout=30, headers={
        "Accept-Encoding": "gzip", "If-None-Match": packed.headers["ETag"]})
    assert same.status_code == 304 and same.headers["ETag"] == packed.headers["ETag"]
    other = requests.get(path, timeout=30, headers={
        "Accept-Encoding": "gzip", "If-None-Match": plain.headers["ETag"]})
    assert other.status_code == 200
