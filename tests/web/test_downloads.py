"""``/download/`` and ``/.well-known/void``: every dump re-reads to the store's content,
and the dataset description counts what the store holds.

Expected counts come from an rdflib parse of the dataset file (not from our code), and
from the report: Table 1 lists 8 member States under indicator 15.1 (8 national
results), Table 2 gives 3 country examples.
"""

from __future__ import annotations

import io
import os
import re
import shutil
import tempfile
import zipfile
from pathlib import Path

import pytest
from rdflib import Dataset, Graph, Literal, Namespace, URIRef
from rdflib.namespace import RDF

from flgraph.release import read_release
from flgraph.web.dump_files import remove_if_owner

from ..conftest import DATA, make_app, start_server, stop_server
from .test_resources import app_on

ROOT = Path(__file__).resolve().parents[2]
VOID = Namespace("http://rdfs.org/ns/void#")
DCAT = Namespace("http://www.w3.org/ns/dcat#")
DCTERMS = Namespace("http://purl.org/dc/terms/")
SD = Namespace("http://www.w3.org/ns/sparql-service-description#")
FLG = Namespace("https://w3id.org/flgraph/ontology#")
XSD_INTEGER = URIRef("http://www.w3.org/2001/XMLSchema#integer")

#: extension → (media type, rdflib parser, keeps named graphs)
DUMPS = {
    "trig": ("application/trig", "trig", True),
    "nq": ("application/n-quads", "nquads", True),
    "jsonld": ("application/ld+json", "json-ld", True),
    "ttl": ("text/turtle", "turtle", False),
    "nt": ("application/n-triples", "nt", False),
    "rdf": ("application/rdf+xml", "xml", False),
}


@pytest.fixture(scope="module")
def reference(dataset_file) -> Dataset:
    """The dataset file as rdflib reads it: what the store was loaded from."""
    return Dataset().parse(dataset_file, format="trig")


@pytest.fixture(scope="module")
def store_count(app) -> int:
    return app.extensions["flgraph"].store.count()


def test_store_holds_the_file(reference, store_count):
    assert store_count == len(list(reference.quads((None, None, None, None))))


@pytest.mark.parametrize("ext", list(DUMPS))
def test_every_dump_reparses_to_the_store(site, reference, store_count, ext):
    media, parser, quads = DUMPS[ext]
    response = site.get(f"/download/flgraph.{ext}")
    assert response.status_code == 200
    assert response.headers["Content-Type"].split(";")[0] == media
    assert response.headers["Content-Disposition"] == f'attachment; filename="flgraph.{ext}"'
    parsed = Dataset().parse(data=response.content, format=parser)
    if quads:
        assert len(list(parsed.quads((None, None, None, None)))) == store_count
        graphs = {str(g.identifier) for g in parsed.graphs() if len(g)}
        assert graphs == {str(g.identifier) for g in reference.graphs() if len(g)}
    else:
        distinct = {(s, p, o) for s, p, o, _ in reference.quads((None, None, None, None))}
        assert len(parsed) == len(distinct) == store_count  # no triple is in two graphs


def test_dumps_are_stable(app, dataset_file):
    """Two sites on the same data write the same bytes: dumps diff cleanly."""
    other = make_app(dataset_file)
    for ext in DUMPS:
        path = f"/download/flgraph.{ext}"
        assert app.test_client().get(path).data == other.test_client().get(path).data, ext


def test_unknown_dump_is_404(site):
    assert site.get("/download/flgraph.csv").status_code == 404


def test_dumps_keep_the_datatypes_of_the_dataset_file(site, reference):
    dump = Dataset().parse(data=site.get("/download/flgraph.trig").content, format="trig")
    datatypes = {o.datatype for _, _, o, _ in reference.quads((None, None, None, None))
                 if isinstance(o, Literal)}
    assert datatypes <= {o.datatype for _, _, o, _ in dump.quads((None, None, None, None))
                         if isinstance(o, Literal)}


def test_page_lists_every_file_with_its_size(site):
    for ext in DUMPS:  # written on their first download, by whichever web process
        assert site.get(f"/download/flgraph.{ext}").status_code == 200
    page = site.get("/download/").text
    rows = re.findall(r'<a href="(/download/[^"]+)" download>.*?</a>.*?<td>([^<]+)</td>\s*'
                      r'<td class="num">([^<]+)</td>', page, re.S)
    listed = {href: (media, size) for href, media, size in rows}
    for ext, (media, _, _) in DUMPS.items():
        assert listed[f"/download/flgraph.{ext}"][0] == media
    for href in ("/download/ontology.ttl", "/download/shapes.ttl", "/download/queries.zip",
                 "/download/queries/table-1.rq"):
        assert href in listed, href
    for href, (media, size) in listed.items():
        response = site.get(href, headers={"Accept-Encoding": "identity"})
        assert response.status_code == 200, href
        assert response.headers["Content-Type"].split(";")[0] == media, href
        assert "attachment" in response.headers["Content-Disposition"]
        assert size == _filesize(len(response.content)), href


@pytest.fixture
def own_tmp():
    """A TMPDIR for one server, apart from other servers' on the machine; a short path:
    the engine's Unix sockets go there too, and their paths are limited to 107 bytes."""
    path = Path(tempfile.mkdtemp(prefix="flgraph-test-"))
    yield path
    shutil.rmtree(path, ignore_errors=True)


@pytest.mark.slow  # starts a server
def test_the_page_writes_no_dump_and_shows_those_written(own_tmp):
    """At 2M triples the six dumps take minutes and gigabytes: the page lists them without
    writing any, and gives the size of those written, whichever web process wrote them."""
    live = start_server("--data", str(DATA), "--workers", "2", env={"TMPDIR": str(own_tmp)})
    try:
        [shared] = own_tmp.glob("flgraph-dumps-*")  # one for both web processes
        page = live.get("/download/").text
        assert page.count("written on first download") == len(DUMPS)
        body = live.get("/download/flgraph.nq", headers={"Accept-Encoding": "identity"}).content
        for _ in range(4):  # both web processes answer some of these
            page = live.get("/download/").text
            assert page.count("written on first download") == len(DUMPS) - 1
            size = re.search(r'href="/download/flgraph.nq" download>.*?<td class="num">([^<]+)<',
                             page, re.S).group(1)
            assert size == _filesize(len(body))
            again = live.get("/download/flgraph.nq", headers={"Accept-Encoding": "identity"})
            assert again.content == body
        assert [p.name for p in shared.glob("*/flgraph.*")] == ["flgraph.nq"]
    finally:
        stop_server(live)
    assert not shared.exists()  # the server removes it when it stops


@pytest.mark.slow  # starts a server
def test_a_dump_is_of_the_data_served_not_of_the_file_as_it_is_now(tmp_path):
    """Dumps are written from the snapshot the server loaded, not from the data file: a
    file changed while serving changes neither the answers nor the dumps (until a
    reload)."""
    data = tmp_path / "flgraph.trig"
    data.write_bytes(DATA.read_bytes())
    live = start_server("--data", str(data))
    try:
        data.write_bytes(DATA.read_bytes().replace(b"More than 400 victims",
                                                   b"More than 500 victims"))
        response = live.get("/download/flgraph.nq")
        assert response.status_code == 200
        # the report: "More than 400 victims" (the served data), never the edit
        assert b"More than 400 victims" in response.content
        assert b"More than 500 victims" not in response.content
        served = Dataset().parse(data=response.content, format="nquads")
        expected = Dataset().parse(DATA, format="trig")
        assert len(list(served.quads())) == len(list(expected.quads())) > 4000
    finally:
        stop_server(live)


def test_only_the_process_that_made_the_directory_removes_it(tmp_path):
    directory = tmp_path / "dumps"
    directory.mkdir()
    remove_if_owner(directory, os.getpid() + 1)  # a web process leaving: not its own
    assert directory.is_dir()
    remove_if_owner(directory, os.getpid())
    assert not directory.exists()


def _filesize(n: int) -> str:
    """Jinja's filesizeformat (decimal units), for comparing with the page."""
    if n < 1000:
        return "1 Byte" if n == 1 else f"{n} Bytes"
    for i, unit in enumerate(("kB", "MB", "GB"), start=2):
        if n < 1000 ** i:
            return f"{n / 1000 ** (i - 1):.1f} {unit}"
    return f"{n / 1000 ** 4:.1f} TB"


def test_ontology_shapes_and_queries_are_the_files(site):
    assert site.get("/download/ontology.ttl").content == \
        (ROOT / "ontology" / "flgraph.ttl").read_bytes()
    assert site.get("/download/shapes.ttl").content == \
        (ROOT / "ontology" / "shapes.ttl").read_bytes()
    files = sorted((ROOT / "queries").glob("*.rq"))
    archive = zipfile.ZipFile(io.BytesIO(site.get("/download/queries.zip").content))
    assert archive.namelist() == [f"queries/{f.name}" for f in files]
    for f in files:
        assert archive.read(f"queries/{f.name}") == f.read_bytes()
        assert site.get(f"/download/queries/{f.name}").content == f.read_bytes()
    assert site.get("/download/queries/no-such-query.rq").status_code == 404


# VoID ---------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def void(site) -> tuple[Graph, URIRef]:
    response = site.get("/.well-known/void")
    assert response.status_code == 200
    assert response.headers["Content-Type"].startswith("text/turtle")
    g = Graph().parse(data=response.content, format="turtle")
    [dataset] = set(g.subjects(RDF.type, VOID.Dataset)) & set(g.subjects(RDF.type, DCAT.Dataset))
    return g, dataset


def count(g: Graph, node, prop) -> int:
    value = g.value(node, prop)
    assert value is not None and value.datatype == XSD_INTEGER, prop
    return int(value)


def test_void_counts_equal_the_store(app, void, store_count):
    """Counted from the store's quads in Python, not by the site's SPARQL. (The store, not
    the file: Oxigraph stores ``"7"^^xsd:nonNegativeInteger`` as ``"7"^^xsd:integer``,
    which merges some objects the file keeps apart.)"""
    g, dataset = void
    quads = list(app.extensions["flgraph"].store.quads())
    assert count(g, dataset, VOID.triples) == store_count == len(quads)
    assert count(g, dataset, VOID.distinctSubjects) == len({q.subject for q in quads})
    assert count(g, dataset, VOID.distinctObjects) == len({q.object for q in quads})
    assert count(g, dataset, VOID.properties) == len({q.predicate for q in quads})
    classes = {q.object for q in quads if q.predicate.value == str(RDF.type)}
    assert count(g, dataset, VOID.classes) == len(classes)
    assert len(list(g.objects(dataset, VOID.classPartition))) == len(classes)


def test_void_class_partitions(void):
    g, dataset = void
    entities = {g.value(p, VOID["class"]): int(g.value(p, VOID.entities))
                for p in g.objects(dataset, VOID.classPartition)}
    assert entities[FLG.NationalResult] == 8  # Table 1, 15.1: 8 member States
    assert entities[FLG.ResultsChainExample] == 3  # Table 2: Zambia, India, Brazil


def test_void_subset_per_named_graph(void, reference):
    g, dataset = void
    subsets = {g.value(s, SD.name): int(g.value(s, VOID.triples))
               for s in g.objects(dataset, VOID.subset)}
    expected = {g_.identifier: len(g_) for g_ in reference.graphs() if len(g_)}
    assert subsets == expected
    assert sum(subsets.values()) == count(g, dataset, VOID.triples)


def test_void_links_dumps_endpoint_and_vocabularies(site, void):
    g, dataset = void
    dumps = {str(u) for u in g.objects(dataset, VOID.dataDump)}
    assert dumps == {f"{site.url}/download/flgraph.{ext}" for ext in DUMPS}
    for dist in g.objects(dataset, DCAT.distribution):
        url = g.value(dist, DCAT.downloadURL)
        if url is None:  # the SPARQL endpoint's distribution
            assert str(g.value(dist, DCAT.accessURL)) == f"{site.url}/sparql"
            service = g.value(dist, DCAT.accessService)
            assert str(g.value(service, DCAT.endpointURL)) == f"{site.url}/sparql"
            assert (service, DCAT.servesDataset, dataset) in g
            continue
        ext = str(url).rsplit(".", 1)[1]
        assert str(g.value(dist, DCAT.mediaType)).endswith("/" + DUMPS[ext][0])
        assert site.get(str(url)[len(site.url):]).status_code == 200
    assert str(g.value(dataset, VOID.sparqlEndpoint)) == f"{site.url}/sparql"
    assert g.value(dataset, VOID.uriSpace) == Literal("https://w3id.org/flgraph/id/")
    vocabularies = {str(v) for v in g.objects(dataset, VOID.vocabulary)}
    assert "https://w3id.org/flgraph/ontology" in vocabularies
    assert "http://www.w3.org/ns/prov" in vocabularies
    # Titled from the data's own outcome.
    assert "Elimination of Forced Labour" in str(g.value(dataset, DCTERMS.title))


def test_void_states_version_licence_and_rights_on_the_dataset_and_each_dump(site, void):
    g, dataset = void
    release = read_release()  # data/release.yaml: the number and licence the publisher set
    version = str(g.value(dataset, DCTERMS.hasVersion))
    assert version.startswith(release.number + "+") and len(version) == len(release.number) + 13
    assert str(g.value(dataset, DCTERMS.issued)) == release.date
    licence = URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert g.value(dataset, DCTERMS.license) == licence
    rights = str(g.value(dataset, DCTERMS.rights))
    # the ILO's own words on its copyright, from the report's imprint page
    assert "enjoy copyright under Protocol 2 of the Universal Copyright Convention" in rights
    assert "CC BY 4.0" in rights
    dumps = [d for d in g.objects(dataset, DCAT.distribution) if g.value(d, DCAT.downloadURL)]
    assert len(dumps) == len(DUMPS)
    for dump in dumps:
        assert g.value(dump, DCTERMS.license) == licence
        assert str(g.value(dump, DCTERMS.rights)) == rights


def test_void_uses_the_requests_host(site):
    response = site.get("/.well-known/void", headers={"Host": "data.example.org"})
    assert "<http://data.example.org/sparql>" in response.text


@pytest.mark.parametrize(("accept", "parser"), [("application/ld+json", "json-ld"),
                                                ("application/n-triples", "nt"),
                                                ("application/rdf+xml", "xml")])
def test_void_in_other_formats(site, void, accept, parser):
    response = site.get("/.well-known/void", headers={"Accept": accept})
    assert response.headers["Content-Type"].split(";")[0] == accept
    assert len(Graph().parse(data=response.content, format=parser)) == len(void[0])


def test_void_406(site):
    assert site.get("/.well-known/void", headers={"Accept": "text/csv"}).status_code == 406


def test_an_incomplete_read_is_never_served(dataset_file, monkeypatch):
    """A store that hands over part of its quads (a remote store paging badly) gives an
    error, not a short dump or a validation of part of the data."""
    app = make_app(dataset_file)
    store = app.extensions["flgraph"].store
    some = list(store.quads())[:10]
    monkeypatch.setattr(store, "quads", lambda: iter(some))
    client = app.test_client()
    for path in ("/download/flgraph.nq", "/validation?format=json"):
        response = client.get(path)
        assert response.status_code == 500, path
        assert f"10 of its {store.count()} quads" in response.get_data(as_text=True)


@pytest.fixture
def store_app(any_store, dataset_file, monkeypatch):
    return app_on(any_store, dataset_file, monkeypatch)


def test_void_and_dumps_on_every_store(store_app, reference):
    client = store_app.test_client()
    quads = len(list(reference.quads((None, None, None, None))))
    g = Graph().parse(data=client.get("/.well-known/void").data, format="turtle")
    [dataset] = set(g.subjects(RDF.type, VOID.Dataset)) & set(g.subjects(RDF.type, DCAT.Dataset))
    assert int(g.value(dataset, VOID.triples)) == quads
    response = client.get("/download/flgraph.nq")
    assert response.status_code == 200, response.get_data(as_text=True)
    dump = Dataset().parse(data=response.data, format="nquads")
    assert len(list(dump.quads((None, None, None, None)))) == quads
