"""The W3C SPARQL 1.1 Protocol test suite, replayed against a live ``flgraph serve``.

The manifest (tests/data/w3c-protocol/manifest.ttl, read with rdflib) describes each test
as HTTP requests with the expected status class, result format and boolean. The server
under test holds exactly the graphs the manifest names in ``ut:graphData`` (data1–3.nt
under the IRIs of their labels), built into a TriG file here. Query tests must meet the
manifest's expectations. The endpoint is read-only, so an update the manifest expects to
succeed must be refused (4xx) instead; the manifest's follow-up query, which checks the
update's effect, must then find nothing (ASK false): the refusal changed nothing.
"""

from __future__ import annotations

import json
import xml.etree.ElementTree as ET
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest
import requests
from rdflib import RDF, RDFS, Graph, Namespace
from rdflib.collection import Collection

from tests.conftest import FIXTURES, start_server, stop_server

W3C = FIXTURES / "w3c-protocol"
MANIFEST = W3C / "manifest.ttl"
MF = Namespace("http://www.w3.org/2001/sw/DataAccess/tests/test-manifest#")
HT = Namespace("http://www.w3.org/2011/http#")
HTS = Namespace("http://www.w3.org/2011/http-statusCodes#")
CNT = Namespace("http://www.w3.org/2011/content#")
UT = Namespace("http://www.w3.org/2009/sparql/tests/test-update#")

FORMATS = {  # mf:expectedFormat → media types that satisfy it
    "boolean": {"application/sparql-results+json", "application/sparql-results+xml"},
    "tabular": {"application/sparql-results+json", "application/sparql-results+xml",
                "text/csv", "text/tab-separated-values"},
    "RDF": {"application/rdf+xml", "text/turtle", "application/n-triples"},
}


@dataclass(frozen=True)
class Step:
    method: str
    path: str
    headers: dict[str, str]
    body: bytes | None
    statuses: frozenset[int]  # expected status classes: 2, 3, 4
    boolean: bool | None
    format: str | None

    @property
    def is_update(self) -> bool:
        """An update operation by the protocol's doors (media type, form field, URL)."""
        content_type = self.headers.get("content-type", "")
        return (content_type.startswith("application/sparql-update")
                or (self.body or b"").startswith(b"update=") or "update=" in self.path)


@dataclass(frozen=True)
class ProtocolTest:
    name: str
    title: str
    graphs: dict[str, Path]  # graph IRI → data file
    steps: tuple[Step, ...]


def _manifest() -> Graph:
    graph = Graph()
    graph.parse(MANIFEST, format="turtle", publicID=MANIFEST.as_uri())
    return graph


def _steps(graph: Graph, action) -> tuple[Step, ...]:
    steps = []
    for req in Collection(graph, graph.value(action, HT.requests)):
        headers = {}
        if graph.value(req, HT.headers) is not None:
            for header in Collection(graph, graph.value(req, HT.headers)):
                headers[str(graph.value(header, HT.fieldName)).lower()] = str(
                    graph.value(header, HT.fieldValue))
        body = graph.value(req, HT.body)
        data = None
        if body is not None:
            encoding = str(graph.value(body, CNT.characterEncoding) or "UTF-8")
            data = str(graph.value(body, CNT.chars)).encode(encoding)
        resp = graph.value(req, HT.resp)
        statuses = frozenset(int(str(s).rsplit("StatusCode", 1)[1][0])
                             for s in graph.objects(resp, MF.expectedStatus))
        boolean = graph.value(resp, MF.expectedBoolean)
        fmt = graph.value(resp, MF.expectedFormat)
        steps.append(Step(str(graph.value(req, HT.methodName)),
                          str(graph.value(req, HT.absolutePath)), headers, data, statuses,
                          None if boolean is None else boolean.toPython(),
                          None if fmt is None else str(fmt)))
    return tuple(steps)


def load_tests() -> list[ProtocolTest]:
    graph = _manifest()
    manifest = next(graph.subjects(RDF.type, MF.Manifest))
    tests = []
    for test in Collection(graph, graph.value(manifest, MF.entries)):
        data = {str(graph.value(d, RDFS.label)): Path(str(graph.value(d, UT.graph))
                                                      .removeprefix("file://"))
                for d in graph.objects(test, UT.graphData)}
        tests.append(ProtocolTest(str(test).rsplit("#", 1)[1], str(graph.value(test, MF.name)),
                                  data, _steps(graph, graph.value(test, MF.action))))
    return tests


TESTS = load_tests()


def test_manifest_is_complete():
    # The suite's own count (README: 34 tests), so a parsing slip cannot drop tests.
    assert len(TESTS) == 34
    updates = {t.name for t in TESTS if t.steps[0].is_update}
    assert {t.name for t in TESTS if t.name.startswith("update_")} <= updates


@pytest.fixture(scope="module")
def w3c_server(tmp_path_factory):
    """A server whose dataset is exactly the manifest's graph data, as named graphs."""
    graphs: dict[str, Path] = {}
    for test in TESTS:
        graphs.update(test.graphs)
    assert sorted(p.name for p in set(graphs.values())) == ["data1.nt", "data2.nt", "data3.nt"]
    quads = [ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode(iri))
             for iri, path in sorted(graphs.items())
             for t in ox.parse(path=str(path), format=ox.RdfFormat.N_TRIPLES)]
    trig = tmp_path_factory.mktemp("w3c") / "protocol.trig"
    ox.serialize(quads, str(trig), ox.RdfFormat.TRIG)
    live = start_server("--data", str(trig))
    yield live
    stop_server(live)


def _send(server, step: Step) -> requests.Response:
    path = step.path.replace("/sparql/", "/sparql", 1)  # the manifest's prefix → ours
    return requests.request(step.method, server.url + path, headers=step.headers,
                            data=step.body, timeout=30, allow_redirects=False)


def _boolean(response: requests.Response) -> bool:
    if response.headers["Content-Type"].startswith("application/sparql-results+json"):
        return json.loads(response.text)["boolean"]
    root = ET.fromstring(response.content)
    return root.find("{http://www.w3.org/2005/sparql-results#}boolean").text == "true"


def _check(step: Step, response: requests.Response) -> None:
    assert response.status_code // 100 in step.statuses, response.text
    if step.format:
        media = response.headers["Content-Type"].split(";")[0].strip()
        assert media in FORMATS[step.format]
    if step.boolean is not None:
        assert _boolean(response) is step.boolean


@pytest.mark.parametrize("test", TESTS, ids=[t.name for t in TESTS])
def test_w3c_protocol(w3c_server, test: ProtocolTest):
    first, *follow_ups = test.steps
    if first.is_update:
        refused = _send(w3c_server, first)
        assert 400 <= refused.status_code < 500, (test.title, refused.status_code)
        assert refused.text.strip() and "\n" not in refused.text.strip()  # one-line reason
        for step in follow_ups:  # the manifest's check of the update's effect
            answer = _send(w3c_server, step)
            assert answer.status_code == 200 and _boolean(answer) is False
        return
    for step in test.steps:
        _check(step, _send(w3c_server, step))
