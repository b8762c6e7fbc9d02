"""The remote store against a real Virtuoso (tests/virtuoso.py starts it): loading by
each of the three ways, dumps, truncation by the limit, by the server's row cap and by
its time limit, recovery after an outage, and parameters that must not change a query."""

from __future__ import annotations

import time
from collections import Counter

import pyoxigraph as ox
import pytest

from flgraph.sparqltext.binder import bind
from flgraph.store import QuerySyntaxError, StoreUnavailable
from flgraph.store.loading import Credentials, GraphStoreWriter
from flgraph.store.remote import RemoteStore, normalise

from .conftest import free_port
from .stores import load_virtuoso, remote_store
from .test_store_binding import NASTY
from .virtuoso import start_virtuoso, stop_virtuoso

pytestmark = pytest.mark.virtuoso
VIRTRDF = "http://www.openlinksw.com/schemas/virtrdf#"


@pytest.fixture(scope="module")
def trig_quads(dataset_file) -> list[ox.Quad]:
    return list(ox.parse(path=str(dataset_file), format=ox.RdfFormat.TRIG))


def as_oxigraph_stores(quads) -> Counter:
    """Quads compared the way both stores answer them (see remote.normalise)."""
    return Counter(ox.Quad(q.subject, q.predicate, normalise(q.object), q.graph_name)
                   for q in quads)


@pytest.mark.parametrize("method", ["bulk", "graph-store", "update"])
def test_loading_twice_gives_the_datasets_quads_and_graphs(virtuoso, dataset_file,
                                                           trig_quads, method):
    graphs = sorted({q.graph_name.value for q in trig_quads})
    store = remote_store(virtuoso)
    for _ in range(2):
        result = load_virtuoso(virtuoso, dataset_file, method)
        assert result.exit_code == 0, result.stderr
        assert result.stdout.startswith(f"loaded {len(trig_quads)} triples in 8 graphs into ")
        assert store.count() == len(trig_quads)
        assert store.graph_names() == graphs


def test_a_store_given_a_writer_loads_like_the_cli(virtuoso, trig_quads):
    """Store.load on the remote store: each graph replaced, the counts checked."""
    writer = GraphStoreWriter(virtuoso.graph_store, Credentials(virtuoso.user,
                                                                virtuoso.password))
    store = remote_store(virtuoso, writer=writer)
    store.load(iter(trig_quads))
    assert store.count() == len(trig_quads)


def test_virtuosos_own_graphs_are_not_the_dataset(virtuoso_store, trig_quads):
    """Its default graph includes its own graphs (RDF views: thousands of triples); the
    store runs queries over the dataset's graphs, so counts agree with Oxigraph's."""
    # as sent: no dataset of ours; typed subjects, not every triple: listing the graphs of
    # every triple scans Virtuoso's RDF views (76M rows read), past its time limit on a
    # loaded machine, and it answers "incomplete results" with none
    raw, headers = virtuoso_store._run("SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s a ?o } }",
                                       "SELECT")
    assert headers["Server"].startswith("Virtuoso")
    assert VIRTRDF in {row[0].value for row in raw.rows}
    assert VIRTRDF not in virtuoso_store.graph_names()
    [[total]] = virtuoso_store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }").rows
    assert int(total.value) == len(trig_quads)
    # by leaving Virtuoso's graphs out of the default graph, not by listing the dataset's
    # (a long list slows its joins); the named graphs stay listed, for GRAPH <iri>
    pragmas, _, default, named = virtuoso_store._dataset("ASK { ?s ?p ?o }", None, None)
    assert f"DEFINE input:default-graph-exclude <{VIRTRDF}>" in pragmas and default is None
    assert named == virtuoso_store.graph_names()
    graph = "https://w3id.org/flgraph/ontology"
    [[in_graph]] = virtuoso_store.query(f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH <{graph}> "
                                        "{ ?s ?p ?o } }").rows
    assert int(in_graph.value) == sum(1 for q in trig_quads if q.graph_name.value == graph)
    # a query naming its own dataset gets that dataset (the gateway decides which may run)
    [[own]] = virtuoso_store.query(f"SELECT (COUNT(*) AS ?n) FROM <{VIRTRDF}> "
                                   "WHERE { ?s ?p ?o }").rows
    assert int(own.value) > 1000


def test_the_dump_is_the_file(virtuoso_store, trig_quads):
    assert as_oxigraph_stores(virtuoso_store.quads()) == as_oxigraph_stores(trig_quads)


def test_the_dump_pages_through_a_low_server_cap(virtuoso, virtuoso_store, trig_quads):
    small_pages = remote_store(virtuoso)
    small_pages.server_max_rows = 700  # pages of 700 rows, as against a server capped there
    assert len(list(small_pages.quads())) == len(trig_quads)


def test_a_limit_smaller_than_the_answer_is_reported(virtuoso_store, trig_quads):
    graph = "https://w3id.org/flgraph/ontology"
    size = sum(1 for q in trig_quads if q.graph_name.value == graph)
    query = f"SELECT ?s WHERE {{ GRAPH <{graph}> {{ ?s ?p ?o }} }}"
    assert len(virtuoso_store.query(query).rows) == size
    capped = virtuoso_store.query(query, limit=size - 1)
    assert len(capped.rows) == size - 1 and capped.truncated
    assert not virtuoso_store.query(query, limit=size).truncated
    graph = virtuoso_store.query("CONSTRUCT { ?s ?p ?o } WHERE { GRAPH "
                                 "<https://w3id.org/flgraph/ontology> { ?s ?p ?o } }", limit=10)
    assert len(graph.triples) == 10 and graph.truncated


def test_the_row_cap_is_the_servers_limit_and_cuts_in_order(virtuoso_store, memory_store):
    """A SELECT goes out with LIMIT row limit + 1, so that Virtuoso writes no more than
    that (it writes a whole answer before sending it): an ordered one too, on a server
    whose MaxSortedTopRows allows it. The rows are the first of the answer, in order,
    and the cut is reported."""
    query = ("SELECT ?s ?p WHERE { GRAPH <https://w3id.org/flgraph/ontology> { ?s ?p ?o } } "
             "ORDER BY ?s ?p")
    first = memory_store.query(query, limit=20)
    capped = virtuoso_store.query(query, limit=20)
    assert capped.truncated and first.truncated
    assert capped.rows == first.rows
    assert virtuoso_store._cap_sorted  # the server took the sorted LIMIT: no retry
    # parameters are bound into the capped text as into the plain one
    bound = "SELECT ?p WHERE { ?s ?p ?o } ORDER BY ?p"
    this = {"s": ox.NamedNode("https://w3id.org/flgraph/id/country/ZMB")}
    full = memory_store.query(bound, this)
    cut = virtuoso_store.query(bound, this, limit=3)
    assert len(full.rows) > 3 and cut.truncated and cut.rows == full.rows[:3]


def test_an_answer_cut_by_virtuosos_time_limit_is_truncated(virtuoso, virtuoso_store):
    """Virtuoso's anytime answer (X-SQL-State: S1TAT) arrives before the client timeout."""
    store = remote_store(virtuoso, timeout=3)
    slow = ("SELECT ?a ?d WHERE { ?a ?b ?c . ?d ?e ?f "
            "FILTER (STRLEN(STR(?c)) + STRLEN(STR(?f)) = 3) }")
    started = time.monotonic()
    result = store.query(slow)
    assert result.truncated
    assert time.monotonic() - started < 3 + 1


def test_the_servers_syntax_message_reaches_the_user(virtuoso_store):
    with pytest.raises(QuerySyntaxError, match="SP030: SPARQL compiler"):
        virtuoso_store.query("SELECT * WHERE { ?s ?p }")


def test_an_unreachable_store_fails_fast_and_recovers(tmp_path, dataset_file, trig_quads):
    """Down: StoreUnavailable within the timeout. Back: the same store object answers,
    and a tiny ResultSetMaxRows is reported as truncation, never as a complete answer."""
    http_port, sql_port = free_port(), free_port()
    store = RemoteStore(f"http://127.0.0.1:{http_port}/sparql", timeout=2, server_max_rows=5)
    started = time.monotonic()
    with pytest.raises(StoreUnavailable, match="unreachable"):
        store.count()
    assert time.monotonic() - started < 2 + 1
    server = start_virtuoso(tmp_path / "small", http_port=http_port, sql_port=sql_port,
                            max_rows=5)
    try:
        assert store.count() == 0
        assert load_virtuoso(server, dataset_file).exit_code == 0  # checked page by page
        assert store.count() == len(trig_quads)
        capped = store.query("SELECT ?s WHERE { ?s ?p ?o }")
        assert len(capped.rows) == 5 and capped.truncated  # X-SPARQL-MaxRows
        graph = store.query("CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }")
        assert graph.truncated  # capped silently: detected by reaching the cap
        small = store.query("SELECT ?s WHERE { ?s ?p ?o } LIMIT 3")
        assert len(small.rows) == 3 and not small.truncated
        # a row limit above the server's MaxSortedTopRows (100,000): the ordered query's
        # LIMIT is refused, the store asks again as written (cut by the server's row cap,
        # and said so) and stops adding it to ordered queries; an unordered one still
        # carries it
        ordered = store.query("SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s", limit=150_000)
        assert len(ordered.rows) == 5 and ordered.truncated
        assert not store._cap_sorted
        unordered = store.query("SELECT ?s WHERE { ?s ?p ?o }", limit=3)
        assert len(unordered.rows) == 3 and unordered.truncated
    finally:
        stop_virtuoso(server)
    with pytest.raises(StoreUnavailable):
        store.query("ASK {}")


@pytest.mark.parametrize("form", ["SELECT", "CONSTRUCT"])
@pytest.mark.parametrize("value", NASTY)
def test_a_string_reaches_virtuoso_unchanged(virtuoso_store, value, form):
    """In a SELECT and in a CONSTRUCT, the term Virtuoso parsed is the one sent: nothing
    in it was read as syntax (a ``\\u0022`` typed by a user included: it arrives
    escaped, and stays six characters)."""
    indicator = "?i a <https://w3id.org/flgraph/ontology#Indicator>"  # exactly one
    query = {"SELECT": f"SELECT ?v ?i WHERE {{ {indicator} }}",
             "CONSTRUCT": f"CONSTRUCT {{ ?i <http://example.org/v> ?v }} WHERE {{ {indicator} }}"}
    text = bind(query[form], {"v": ox.Literal(value)})
    result = virtuoso_store.query(text)
    [term] = ([row[0] for row in result.rows] if form == "SELECT"
              else [t.object for t in result.triples])
    assert term == ox.Literal(value)
