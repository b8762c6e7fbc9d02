"""No outbound request from the query path: SERVICE in every position and spelling,
FROM and FROM NAMED, the protocol's graph parameters, LOAD, and remote JSON-LD contexts
are refused or never fetched — the canary (see conftest) hears nothing, on every store."""

from __future__ import annotations

import pytest

from .conftest import assert_alive, one_line, post_query, sparql

SPO = "{{ ?s ?p ?o }}"

#: SERVICE where a query can hold it, spelled every way the grammar allows. ``{c}`` is
#: the canary's IRI, ``{h}`` its address without the scheme.
SERVICES = {
    "plain": "SELECT * WHERE {{ SERVICE <{c}> " + SPO + " }}",
    "lower case": "select * where {{ service <{c}> " + SPO + " }}",
    "mixed case": "SeLeCt * WhErE {{ SeRvIcE <{c}> " + SPO + " }}",
    "silent": "SELECT * WHERE {{ SERVICE SILENT <{c}> " + SPO + " }}",
    "escaped keyword": "SELECT * WHERE {{ \\u0053ERVICE <{c}> " + SPO + " }}",
    "escaped long form": "SELECT * WHERE {{ \\U00000053ERVICE <{c}> " + SPO + " }}",
    "escaped IRI": "SELECT * WHERE {{ SERVICE <\\u0068ttp://{h}/graph> " + SPO + " }}",
    "prefixed name": "PREFIX c: <{c}/> SELECT * WHERE {{ SERVICE c:graph " + SPO + " }}",
    "relative to BASE": "BASE <{c}/> SELECT * WHERE {{ SERVICE <graph> " + SPO + " }}",
    "variable endpoint": "SELECT * WHERE {{ BIND (<{c}> AS ?e) SERVICE ?e " + SPO + " }}",
    "VALUES endpoint": "SELECT * WHERE {{ VALUES ?e {{ <{c}> }} SERVICE SILENT ?e " + SPO + " }}",
    "in OPTIONAL": "SELECT * WHERE {{ ?a ?b ?x OPTIONAL {{ SERVICE <{c}> " + SPO + " }} }}",
    "in MINUS": "SELECT * WHERE {{ ?a ?b ?x MINUS {{ SERVICE <{c}> {{ ?a ?p ?o }} }} }}",
    "in EXISTS": "SELECT * WHERE {{ ?a ?b ?x FILTER EXISTS {{ SERVICE <{c}> " + SPO + " }} }}",
    "in NOT EXISTS": "ASK {{ FILTER NOT EXISTS {{ SERVICE <{c}> " + SPO + " }} }}",
    "in a subquery": "SELECT * WHERE {{ {{ SELECT * WHERE {{ SERVICE <{c}> " + SPO
                     + " }} LIMIT 1 }} }}",
    "in UNION": "SELECT * WHERE {{ {{ ?s ?p ?o }} UNION {{ SERVICE <{c}> " + SPO + " }} }}",
    "in GRAPH": "SELECT * WHERE {{ GRAPH ?g {{ SERVICE <{c}> " + SPO + " }} }}",
    "nested SERVICE": "SELECT * WHERE {{ SERVICE SILENT <{c}/a> {{ SERVICE <{c}/b> " + SPO
                      + " }} }}",
    "CONSTRUCT": "CONSTRUCT " + SPO + " WHERE {{ SERVICE <{c}> " + SPO + " }}",
    "DESCRIBE": "DESCRIBE ?s WHERE {{ SERVICE <{c}> " + SPO + " }}",
    "ASK": "ASK {{ SERVICE <{c}> " + SPO + " }}",
    "in nested NOT EXISTS": "SELECT * WHERE {{ ?a ?b ?x FILTER EXISTS {{ ?a ?b ?x FILTER NOT "
                            "EXISTS {{ SERVICE <{c}> " + SPO + " }} }} }}",
    "in a projected EXISTS": "SELECT (EXISTS {{ SERVICE <{c}> " + SPO + " }} AS ?x) WHERE {{}}",
    "in ORDER BY": "SELECT * WHERE {{ ?s ?p ?o }} ORDER BY (EXISTS {{ SERVICE <{c}> " + SPO
                   + " }})",
    "in HAVING": "SELECT ?s WHERE {{ ?s ?p ?o }} GROUP BY ?s HAVING (EXISTS {{ SERVICE <{c}> "
                 + SPO + " }})",
    "in BIND": "SELECT * WHERE {{ BIND (IF(NOT EXISTS {{ SERVICE <{c}> " + SPO
               + " }}, 1, 2) AS ?x) }}",
    "in EXISTS in MINUS": "ASK {{ MINUS {{ ?s ?p ?o FILTER EXISTS {{ ?s ?p ?o FILTER EXISTS {{ "
                          "SERVICE SILENT <{c}> " + SPO + " }} }} }} }}",
    "after a comment ended by CR": "SELECT * WHERE {{ # note\r SERVICE <{c}> " + SPO + " }}",
    "after a comment ended by CRLF": "SELECT * WHERE {{ # note\r\nSERVICE <{c}> " + SPO + " }}",
}


def _fill(template: str, canary) -> str:
    return template.format(c=canary.iri(), h=canary.url.removeprefix("http://"))


@pytest.mark.parametrize("name", SERVICES)
def test_service_is_refused_in_every_position_and_spelling(target, canary, name):
    query = _fill(SERVICES[name], canary)
    for response in (sparql(target, query), post_query(target, query)):
        assert response.status_code == 400, (name, response.text)
        assert "SERVICE" in one_line(response)
    assert_alive(target)


@pytest.mark.parametrize("template", [
    "SELECT * FROM <{c}> WHERE {{ ?s ?p ?o }}",
    "SELECT * FROM NAMED <{c}> WHERE {{ GRAPH ?g {{ ?s ?p ?o }} }}",
    "CONSTRUCT {{ ?s ?p ?o }} FROM <\\u0068ttp://{h}/graph> WHERE {{ ?s ?p ?o }}",
    "ASK FROM <https://w3id.org/flgraph/id/graph/reference> FROM NAMED <{c}> {{ ?s ?p ?o }}",
])
def test_remote_from_is_refused_and_never_fetched(target, canary, template):
    response = sparql(target, _fill(template, canary))
    assert response.status_code == 400 and "never fetched" in one_line(response)
    assert_alive(target)


def test_protocol_graph_parameters_are_never_fetched(target, canary):
    default = sparql(target, ASK_ANY_TRIPLE, **{"default-graph-uri": canary.iri()})
    assert default.status_code == 200 and default.json()["boolean"] is False
    named = sparql(target, "ASK { GRAPH ?g { ?s ?p ?o } }",
                   **{"named-graph-uri": canary.iri()})
    assert named.status_code == 200 and named.json()["boolean"] is False
    both = target.post("/sparql", data={
        "query": ASK_ANY_TRIPLE, "default-graph-uri": [canary.iri("a"), canary.iri("b")],
        "named-graph-uri": canary.iri("c")})
    assert both.status_code == 200 and both.json()["boolean"] is False
    assert_alive(target)


ASK_ANY_TRIPLE = "ASK { ?s ?p ?o }"


@pytest.mark.parametrize("template", [
    "LOAD <{c}>",
    "LOAD SILENT <{c}> INTO GRAPH <http://example.org/g>",
    "PREFIX c: <{c}/> LOAD c:graph",
    "\\u004cOAD <{c}>",
    "# a comment first\nload <{c}>",
])
def test_load_is_refused_as_a_query_and_as_an_update(target, canary, template):
    text = _fill(template, canary)
    as_query = sparql(target, text)
    assert as_query.status_code == 400 and "read-only" in one_line(as_query)
    as_update = target.post("/sparql", data={"update": text})
    assert as_update.status_code == 403 and "read-only" in one_line(as_update)
    assert_alive(target)


def test_jsonld_with_a_remote_context_is_refused(canary, tmp_path):
    """A data file (``flgraph validate``/``serve --data``/``load``) never fetches a
    JSON-LD ``@context``."""
    from tests.helpers import run_cli

    data = tmp_path / "remote-context.jsonld"
    context = canary.iri("context.jsonld")
    data.write_text(f'{{"@context": "{context}", "@id": "http://example.org/s", "p": "v"}}',
                    encoding="utf-8")
    result = run_cli("export", "--data", str(data), "--format", "nt")
    assert result.exit_code == 2, result.output
    assert "remote context" in result.stderr and "Traceback" not in result.stderr
