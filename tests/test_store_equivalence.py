"""The same answers on the three stores: every saved query (with the parameters its
header asks for), the site's own bound queries, counts, dumps, resource descriptions, and
parameters that try to change a query. The in-memory store is the reference; what each
saved query must answer is tests/test_saved_queries*.py's business.

Rows are compared as multisets of terms (each store's own normalisation applied, see
store/remote.py); queries with ORDER BY also in the order of their sort keys (rows equal
on every key may come in any order). One comparison is looser, on purpose:
``GROUP_CONCAT`` columns are compared as sorted lists of their parts without language
tag — SPARQL leaves the order of the parts open, and Virtuoso drops the common tag.
"""

from __future__ import annotations

import re
from collections import Counter

import pyoxigraph as ox
import pytest
from testbed.answers import sort_keys

from flgraph.query.errors import ParameterError
from flgraph.query.saved import Param, SavedQuery, bind_params, load_queries, to_term
from flgraph.store import SelectResult, describe_resource
from flgraph.store.results import serialize_results
from flgraph.web.internal_queries import sparql

ID = "https://w3id.org/flgraph/id/"
QUERIES = load_queries()
#: A value for each kind of parameter the saved queries take, by the class its drop-down
#: lists (``in:``) or else by its name. A new kind of parameter fails
#: test_every_saved_query_is_compared until it has a value here.
SAMPLES = {"flg:ResultTypology": "result-typology/capacity-development",
           "flg:OutputTypology": "output-typology/capacity-building",
           "flg:Country": "country/ZMB", "resource": "result/15.1/ZMB",
           "flg:Instrument": "instrument/C188"}
#: Known differences, each with its reason; strict, so a fix shows up as a failure here.
#: (query, store) pairs known to differ, with the reason; none at present.
KNOWN: dict[tuple[str, str], str] = {}


def sample(param: Param) -> str | None:
    return SAMPLES.get(param.values_from or "") or SAMPLES.get(param.name)


def cases() -> list[tuple[str, dict[str, str]]]:
    """Each saved query without its optional parameters, and with all of them."""
    found = []
    for name, query in sorted(QUERIES.items()):
        required = {p.name: sample(p) for p in query.params if not p.optional}
        found.append((name, required))
        if any(p.optional for p in query.params):
            found.append((name, {p.name: sample(p) for p in query.params}))
    return found


CASES = cases()


def test_every_saved_query_is_compared():
    assert {name for name, _ in CASES} == set(QUERIES)
    assert all(value is not None for _, params in CASES for value in params.values()), \
        "a saved query has a parameter with no sample value in SAMPLES"


def comparable(result: SelectResult, query_text: str) -> list[tuple]:
    concatenated = set(re.findall(r"GROUP_CONCAT\s*\(.*?\)\s+AS\s+\?(\w+)", query_text,
                                  re.I | re.S))
    separators = dict(re.findall(r"GROUP_CONCAT\s*\(.*?separator\s*=\s*\"([^\"]*)\".*?\)"
                                 r"\s+AS\s+\?(\w+)", query_text, re.I | re.S))
    separators = {var: sep for sep, var in separators.items()}
    rows = []
    for row in result.rows:
        cells = []
        for var, term in zip(result.variables, row, strict=True):
            if var in concatenated and isinstance(term, ox.Literal):
                cells.append(tuple(sorted(term.value.split(separators.get(var, " ")))))
            else:
                cells.append(None if term is None else str(term))
        rows.append(tuple(cells))
    return rows


def run_saved(store, query: SavedQuery, params: dict[str, str]) -> SelectResult:
    result = store.query(query.text, bind_params(query, params))
    assert isinstance(result, SelectResult) and not result.truncated
    return result


@pytest.mark.parametrize(("name", "params"), CASES,
                         ids=[f"{n}{'-' + '-'.join(p) if p else ''}" for n, p in CASES])
def test_saved_query_answers_the_same_on_every_store(request, any_store, memory_store,
                                                      name, params):
    kind = request.node.callspec.params["any_store"]
    if (name, kind) in KNOWN:
        request.applymarker(pytest.mark.xfail(strict=True, reason=KNOWN[name, kind]))
    query = QUERIES[name]
    expected = run_saved(memory_store, query, params)
    got = run_saved(any_store, query, params)
    assert got.variables == expected.variables
    assert Counter(comparable(got, query.text)) == Counter(comparable(expected, query.text))
    keys = [expected.variables.index(k) for k in sort_keys(query.text)
            if k in expected.variables]
    if keys:
        ordered = [[row[k] for k in keys] for row in comparable(got, query.text)]
        assert ordered == [[row[k] for k in keys] for row in comparable(expected, query.text)]
    assert expected.rows, f"{name} {params}: no rows, so nothing was compared"


@pytest.mark.parametrize(("name", "params"), CASES,
                         ids=[f"{n}{'-' + '-'.join(p) if p else ''}" for n, p in CASES])
def test_saved_query_answers_are_the_same_ordered_csv_on_every_store(any_store, memory_store,
                                                                     name, params):
    """Every saved query reads in one order on every store: its ORDER BY leaves no two
    rows tied, and no cell depends on an order SPARQL leaves open (GROUP_CONCAT's)."""
    query = QUERIES[name]
    expected = serialize_results(run_saved(memory_store, query, params), "csv").decode()
    got = serialize_results(run_saved(any_store, query, params), "csv").decode()
    assert got.splitlines() == expected.splitlines()
    code = "\n".join(line.split("#")[0] for line in query.text.splitlines())
    assert not re.search(r"GROUP_CONCAT", code, re.I), \
        "GROUP_CONCAT's order is open: one row per value, in an order the query states"


@pytest.mark.parametrize(("name", "bindings"), [
    ("resource-description", {"this": ox.NamedNode(ID + "country/ZMB")}),  # CONSTRUCT
    ("resource-own", {"this": ox.NamedNode(ID + "organisation/ilo")}),  # CONSTRUCT
    ("resource-evidence", {"this": ox.NamedNode(ID + "result/15.1/ZMB")}),
    ("param-values", {"class": ox.NamedNode("https://w3id.org/flgraph/ontology#Country")}),
    ("overview-counts", {}),
    ("dataset-graphs", {}),
    ("dataset-classes", {}),
    ("dataset-properties", {}),
    ("dataset-totals", {}),
])
def test_the_sites_own_queries_answer_the_same(any_store, memory_store, name, bindings):
    text = sparql(name)
    expected = memory_store.query(text, bindings)
    got = any_store.query(text, bindings)
    if isinstance(expected, SelectResult):
        assert Counter(comparable(got, text)) == Counter(comparable(expected, text))
        assert expected.rows
    else:
        assert Counter(map(str, got.triples)) == Counter(map(str, expected.triples))
        assert expected.triples


#: The resource pages' summaries (web/summary.py): one page of each kind with a query of
#: its own, and the names of a country's data-cube observations.
SUMMARIES = [("summary-indicator", "indicator/15.1"), ("summary-outcome", "outcome/15"),
             ("summary-organisation", "organisation/ilo"),
             ("summary-organisation", "organisation/BRA/ministry-of-labour"),
             ("summary-publication",
              "publication/caught-at-sea-forced-labour-and-trafficking-in-fisheries"),
             ("summary-chain", "chain/15/BRA"),
             ("summary-named", "programme/BRA/integration-action-programme"),
             ("observation-names", "country/NPL")]


@pytest.mark.parametrize(("name", "iri"), SUMMARIES, ids=[f"{n}-{i}" for n, i in SUMMARIES])
def test_resource_summaries_read_alike_on_every_store(any_store, memory_store, name, iri):
    """What a page says, in the order it says it: each statement once (an evidence of
    several spans gives a row per span), where it first comes."""
    text, bindings = sparql(name), {"this": ox.NamedNode(ID + iri)}

    def read(store) -> list[tuple]:
        result = store.query(text, bindings)
        return list(dict.fromkeys(
            tuple(str(row.get(var, "")) for var in ("section", "text", "quote", "value",
                                                    "evidence", "node", "name"))
            for row in result.dicts()))

    expected = read(memory_store)
    assert expected
    assert read(any_store) == expected


def test_the_evidence_of_an_evidence_node_is_itself(any_store):
    """A table cell's own page lists the cell as its evidence (resource-evidence.rq's
    second UNION branch), on every store."""
    # Zambia's row of Table 2 (line 15): its country cell and the parts of the others
    cell = ox.NamedNode(ID + "evidence/000_2635207760a74e4f/"
                        "1028-1034+1078-1298+1308-1376+1388-1940+1941-1942")
    rows = any_store.query(sparql("resource-evidence"), {"this": cell}).dicts()
    starts = sorted(int(row["detailValue"].value) for row in rows
                    if row.get("detail") == ox.NamedNode("http://www.w3.org/ns/oa#start"))
    assert {row["evidence"] for row in rows} == {cell}
    assert starts[0] == 1028 and len(starts) >= 2  # a start per selector in the cell


def test_counts_graphs_and_dumps_agree(any_store, memory_store):
    assert any_store.count() == memory_store.count()
    assert any_store.graph_names() == memory_store.graph_names()
    assert Counter(map(str, any_store.quads())) == Counter(map(str, memory_store.quads()))


def test_a_resource_is_described_alike(any_store, memory_store):
    got = describe_resource(any_store, ID + "country/ZMB")
    expected = describe_resource(memory_store, ID + "country/ZMB")
    assert Counter(map(str, got.triples)) == Counter(map(str, expected.triples))
    assert any(t.object == ox.NamedNode(ID + "country/ZMB") for t in got.triples)  # incoming


def test_the_limit_is_reported_alike(any_store):
    result = any_store.query(QUERIES["organisations"].text, limit=5)
    assert len(result.rows) == 5 and result.truncated
    assert not any_store.query(QUERIES["lessons-learned"].text, limit=4).truncated


LABEL = ("PREFIX skos: <http://www.w3.org/2004/02/skos/core#>\n"
         "SELECT ?label ?x WHERE { ?x skos:prefLabel ?label }")


def test_a_bound_label_finds_its_resource(any_store):
    """The control for the attempts below: binding works, so their empty answers mean
    the value was taken as a value."""
    result = any_store.query(LABEL, {"label": ox.Literal("Zambia", language="en")})
    assert [row[1] for row in result.rows] == [ox.NamedNode(ID + "country/ZMB")]


@pytest.mark.parametrize("value", [
    'Zambia" . ?x ?p ?label . #',
    'Zambia"@en } UNION { ?x ?p ?label } #',
    "Zambia\\\" } (",
    "Zambia\\u0022 } UNION { ?x ?p ?label } #",
    "Zambia\\",
    "Zambia' } UNION { ?x ?p ?label } #",
    ">} ) } SELECT * WHERE { ?s ?p ?o } #",
])
def test_a_string_parameter_never_changes_the_query(any_store, value):
    """Either refused with a clear error, or a literal that matches nothing."""
    try:
        term = to_term(Param("label", "string"), value)
    except ParameterError:
        return
    assert any_store.query(LABEL, {"label": term}).rows == ()


@pytest.mark.parametrize("value", [
    "country/ZMB> } UNION { ?x ?p ?label } #",
    "country/ZMB}",
    'http://example.org/a"b',
    "country/Z MB",
    "country/ZMB\\u003E",
    "javascript:alert(1)",
])
def test_an_iri_parameter_that_could_end_its_brackets_is_refused(value):
    with pytest.raises(ParameterError):
        to_term(Param("resource", "iri"), value)
