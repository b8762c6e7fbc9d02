"""Parameters written into query text for remote stores (sparqltext/binder.py), and the
normalisation of terms a remote store answers (store/remote.py) — no server needed: the
bound text is run on Oxigraph *without* substitution, so what the text says is what is
checked."""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from flgraph.sparqltext import BindingError
from flgraph.sparqltext.binder import (
    bind,
    dataset_clauses,
    query_form,
    values_block,
    with_row_cap,
    without_dataset_clauses,
)
from flgraph.store.remote import normalise

XSD = "http://www.w3.org/2001/XMLSchema#"
ZMB = ox.NamedNode("https://w3id.org/flgraph/id/country/ZMB")
P = ox.NamedNode("http://example.org/p")


@pytest.fixture(scope="module")
def tiny() -> ox.Store:
    store = ox.Store()
    store.add(ox.Quad(ZMB, P, ox.Literal("Zambia", language="en"), ox.DefaultGraph()))
    store.add(ox.Quad(ox.NamedNode("http://example.org/other"), P, ZMB, ox.DefaultGraph()))
    return store


def run(store: ox.Store, text: str, **options):
    return answer_of(store.query(text, **options))


def answer_of(answer):
    if isinstance(answer, ox.QueryBoolean):
        return bool(answer)
    if isinstance(answer, ox.QuerySolutions):
        names = [v.value for v in answer.variables]
        return sorted(tuple(str(row[n]) for n in names) for row in answer)
    return sorted(str(t) for t in answer)


def test_the_block_opens_the_where_group():
    text = bind("SELECT ?x WHERE { ?x ?p ?o }", {"x": ZMB})
    assert text == ("SELECT ?x WHERE { VALUES (?x) { (<https://w3id.org/flgraph/id/country/ZMB>) }"
                    "\n ?x ?p ?o }")


def test_the_block_also_opens_each_nested_group_that_names_the_variable():
    """Engines plan a UNION branch or a group with a BIND apart from the enclosing group:
    the binding must be in it to be used for look-ups. A sub-SELECT whose ?x is its own
    (not projected), MINUS, EXISTS, SERVICE, VALUES blocks and groups that do not name it
    are left as they are."""
    query = ("SELECT * WHERE { { ?x <p> ?o BIND(1 AS ?a) } UNION { ?x <q> ?o } "
             "OPTIONAL { GRAPH ?g { <s> <r> ?x.} } MINUS { ?x <s> ?t } "
             "FILTER NOT EXISTS { ?x <u> ?v } { SELECT ?y WHERE { ?x <w> ?y } } "
             "VALUES ?k { 1 } SERVICE SILENT <http://example.org/> { ?x ?p ?o } "
             "{ ?other <p> \"?x {\" } }")
    block = "VALUES (?x) { (<https://w3id.org/flgraph/id/country/ZMB>) }\n"
    text = bind(query, {"x": ZMB})
    assert text == query.replace("* WHERE { ", f"* WHERE {{ {block} ") \
        .replace("{ ?x <p>", f"{{ {block} ?x <p>").replace("{ ?x <q>", f"{{ {block} ?x <q>") \
        .replace("OPTIONAL { GRAPH ?g { <s>", f"OPTIONAL {{ {block} GRAPH ?g {{ {block} <s>")


@pytest.mark.parametrize("sub", [
    "SELECT ?x WHERE { ?x <w> ?y }",
    "SELECT DISTINCT ?x (MIN(?y) AS ?m) WHERE { ?x <w> ?y { ?x <v> ?z } UNION { ?z <v> ?y } } "
    "GROUP BY ?x HAVING (COUNT(?y) > 1) ORDER BY ?m",
    "SELECT * WHERE { ?x <w> ?y }",
])
def test_the_block_opens_a_sub_select_that_projects_the_variable_as_itself(sub):
    """Where the sub-SELECT's ?x is the query's ?x (projected as itself, grouped by if
    grouped, no LIMIT, OFFSET or VALUES), its WHERE group (and the groups in it that
    name ?x) get the block: Oxigraph plans a sub-SELECT apart, over every ?x."""
    query = f"SELECT * WHERE {{ ?x <p> ?o {{ {sub} }} }}"
    block = "VALUES (?x) { (<https://w3id.org/flgraph/id/country/ZMB>) }\n"
    expected = query.replace("* WHERE { ?x <p>", f"* WHERE {{ {block} ?x <p>").replace(
        "WHERE { ?x <w>", f"WHERE {{ {block} ?x <w>").replace("{ ?x <v>", f"{{ {block} ?x <v>")
    assert bind(query, {"x": ZMB}) == expected


@pytest.mark.parametrize("sub", [
    "SELECT ?y WHERE { ?x <w> ?y }",  # ?x is the sub-SELECT's own
    "SELECT (?x AS ?z) ?y WHERE { ?x <w> ?y }",
    "SELECT ?y (COUNT(?x) AS ?x2) WHERE { ?x <w> ?y } GROUP BY ?y",
    "SELECT ?x (COUNT(?y) AS ?n) WHERE { ?x <w> ?y } GROUP BY (?x)",
    "SELECT ?x ?y WHERE { ?x <w> ?y } GROUP BY ?y",
    "SELECT ?x WHERE { ?x <w> ?y } ORDER BY ?y LIMIT 1",
    "SELECT ?x WHERE { ?x <w> ?y } OFFSET 1",
    "SELECT ?x WHERE { ?x <w> ?y } VALUES ?y { 1 }",
])
def test_a_sub_select_that_keeps_its_variables_or_picks_rows_is_left_alone(sub):
    query = f"SELECT * WHERE {{ ?x <p> ?o {{ {sub} }} }}"
    block = "VALUES (?x) { (<https://w3id.org/flgraph/id/country/ZMB>) }\n"
    assert bind(query, {"x": ZMB}) == query.replace("* WHERE { ", f"* WHERE {{ {block} ")


def test_a_text_read_once_is_bound_anew_for_each_value_and_each_set_of_names():
    """Where the blocks go is remembered per text and per set of variable names: the
    same page asked for another resource, or with another parameter, is bound right."""
    query = "SELECT * WHERE { { ?x <p> ?o } UNION { ?y <q> ?o } }"
    other = ox.NamedNode("https://w3id.org/flgraph/id/country/BRA")
    first, second = bind(query, {"x": ZMB}), bind(query, {"x": other})
    assert second == first.replace(str(ZMB), str(other)) and str(ZMB) not in second
    by_y = bind(query, {"y": ZMB})
    block = "VALUES (?y) { (<https://w3id.org/flgraph/id/country/ZMB>) }\n"
    assert by_y == query.replace("* WHERE { ", f"* WHERE {{ {block} ").replace(
        "{ ?y <q>", f"{{ {block} ?y <q>")
    described = "DESCRIBE ?x LIMIT 1"
    assert bind(described, {"x": other}) == bind(
        described, {"x": ZMB}).replace(str(ZMB), str(other))


@pytest.mark.parametrize(("form", "query"), [
    ("SELECT", "SELECT ?this ?o WHERE { ?this ?p ?o }"),
    ("SELECT", "SELECT ?this WHERE { OPTIONAL { ?this <http://example.org/none> ?o } }"),
    ("SELECT", "SELECT ?this (EXISTS { ?this ?p ?o } AS ?known) (1 < 2 AS ?lt) "
               "(STR(\"{\") AS ?brace) WHERE { ?s ?p ?o }"),
    ("SELECT", "SELECT ?this (COUNT(?o) AS ?n) FROM <http://example.org/g> "
               "WHERE { ?this ?p ?o } GROUP BY ?this ORDER BY ?n LIMIT 5"),
    ("ASK", "ASK { ?this ?p ?o }"),
    ("ASK", "PREFIX h: <http://example.org/#>\nPREFIX ex: <http://example.org/>\n"
            "# a { comment\nASK WHERE { ?this ex:p ?o }"),
    ("CONSTRUCT", "CONSTRUCT { ?this <http://example.org/q> \"}{\" } WHERE { ?this ?p ?o }"),
    ("CONSTRUCT", "CONSTRUCT { ?s ?p ?this } WHERE { { ?s ?p ?this } UNION { ?this ?p ?s } }"),
    ("SELECT", "SELECT ?this ?x WHERE { { ?s ?p ?o BIND(STR(?this) AS ?x) } UNION "
               "{ ?this ?p ?o } }"),
    ("SELECT", "SELECT ?s ?this WHERE { ?s ?p ?o OPTIONAL { ?s ?p ?this FILTER(?this != ?s) } }"),
    ("SELECT", "SELECT ?this ?n WHERE { { SELECT ?this (COUNT(?o) AS ?n) "
               "WHERE { ?this ?p ?o } GROUP BY ?this } }"),
    ("SELECT", "SELECT ?this ?n WHERE { ?s ?p ?this { SELECT (COUNT(?this) AS ?n) "
               "WHERE { ?this ?p ?o } } }"),
    ("SELECT", "SELECT ?this ?o WHERE { { SELECT ?this ?o WHERE { ?this ?p ?o } "
               "ORDER BY DESC(?this) LIMIT 1 } }"),
    ("DESCRIBE", "DESCRIBE ?this"),
    ("DESCRIBE", "DESCRIBE ?this WHERE { ?this ?p ?o }"),
])
def test_the_bound_text_answers_as_substitution_does(tiny, form, query):
    """Same answer as Oxigraph's own substitution: the text carries the binding."""
    bound = bind(query, {"this": ZMB})
    assert "VALUES (?this)" in bound and query_form(bound) == form
    expected = run(tiny, query, substitutions={ox.Variable("this"): ZMB})
    assert run(tiny, bound) == expected


def test_a_short_form_construct_cannot_be_bound():
    with pytest.raises(BindingError, match="short-form"):
        bind("CONSTRUCT WHERE { ?this ?p ?o }", {"this": ZMB})


@pytest.mark.parametrize(("name", "term", "message"), [
    ("x", ox.BlankNode("b0"), "blank node"),
    ("x } ?y", ZMB, "not a variable name"),
    ("x", ox.NamedNode("urn:isbn:0451450523"), "http"),
    ("x", ox.Literal("1", datatype=ox.NamedNode("urn:x:int")), "http"),
])
def test_terms_that_cannot_be_written_safely_are_refused(name, term, message):
    with pytest.raises(BindingError, match=message):
        values_block({name: term})


NASTY = [
    'Zambia" . ?x ?p ?label . #',
    'Zambia"@en } UNION { ?x ?p ?label } #',
    "Zambia\\\" } (",
    "Zambia\\u0022 } UNION { ?x ?p ?label } #",
    "Zambia\\",
    ">} ) } SELECT * WHERE { ?s ?p ?o } #",
    "Zambia' } '''",
    "line\nbreak\r\t",
    "\u2028\u0085é\U0001F600",
]


@pytest.mark.parametrize("value", NASTY)
def test_a_string_reaches_the_engine_unchanged(value):
    """The parsed VALUES term equals the input: nothing in it was read as syntax."""
    text = bind("SELECT ?v WHERE { }", {"v": ox.Literal(value)})
    [row] = ox.Store().query(text)
    assert row["v"] == ox.Literal(value)


@settings(max_examples=200, deadline=None)
@given(st.text(), st.sampled_from([None, "en", "pt-BR"]))
def test_any_string_round_trips_through_the_values_block(value, language):
    term = ox.Literal(value, language=language) if language else ox.Literal(value)
    text = bind("SELECT ?v WHERE { }", {"v": term})
    [row] = ox.Store().query(text)
    assert row["v"] == term


@pytest.mark.parametrize(("given", "expected"), [
    (ox.Literal("782", datatype=ox.NamedNode(XSD + "nonNegativeInteger")),
     ox.Literal("782", datatype=ox.NamedNode(XSD + "integer"))),
    (ox.Literal("08", datatype=ox.NamedNode(XSD + "int")),
     ox.Literal("8", datatype=ox.NamedNode(XSD + "integer"))),
    (ox.Literal("1", datatype=ox.NamedNode(XSD + "boolean")),
     ox.Literal("true", datatype=ox.NamedNode(XSD + "boolean"))),
    (ox.Literal("0", datatype=ox.NamedNode(XSD + "boolean")),
     ox.Literal("false", datatype=ox.NamedNode(XSD + "boolean"))),
    (ox.Literal("1", datatype=ox.NamedNode(XSD + "integer")),  # not a boolean: kept
     ox.Literal("1", datatype=ox.NamedNode(XSD + "integer"))),
    (ox.Literal("x", datatype=ox.NamedNode(XSD + "int")),  # not a number: kept
     ox.Literal("x", datatype=ox.NamedNode(XSD + "int"))),
    (ox.Literal("2012", datatype=ox.NamedNode(XSD + "gYear")),
     ox.Literal("2012", datatype=ox.NamedNode(XSD + "gYear"))),
    (ox.Literal("Zambia", language="en"), ox.Literal("Zambia", language="en")),
    (ZMB, ZMB),
])
def test_remote_terms_are_normalised_as_oxigraph_stores_them(given, expected):
    assert normalise(given) == expected


def test_normalisation_matches_what_oxigraph_stores():
    """The rule is Oxigraph's own: a literal stored and read back."""
    store = ox.Store()
    for name in ("nonNegativeInteger", "int", "unsignedByte", "long"):
        literal = ox.Literal("7", datatype=ox.NamedNode(XSD + name))
        store.add(ox.Quad(ZMB, ox.NamedNode(XSD + name), literal, ox.DefaultGraph()))
        [stored] = store.quads_for_pattern(ZMB, ox.NamedNode(XSD + name), None)
        assert normalise(literal) == stored.object


@pytest.mark.parametrize(("query", "ordered"), [
    ("SELECT ?s WHERE { ?s ?p ?o }", False),
    ("SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s", True),
    ("SELECT ?s { ?s ?p ?o } OFFSET 3", False),
    ("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?s HAVING (COUNT(*) > 1)", False),
    ("SELECT ?s WHERE { { SELECT ?s WHERE { ?s ?p ?o } LIMIT 3 } }", False),  # a sub-query's
    ("SELECT ?s WHERE { ?s ?p 'LIMIT' } # LIMIT", False),  # in a string, in a comment
])
def test_a_row_cap_is_added_after_the_solution_modifiers(tiny, query, ordered):
    capped, is_ordered = with_row_cap(query, 1)
    assert capped.endswith("\nLIMIT 1\n") and is_ordered == ordered
    # still a query, and the LIMIT is the whole query's
    assert len(list(tiny.query(capped))) == min(1, len(list(tiny.query(query))))


@pytest.mark.parametrize("query", [
    "SELECT ?s WHERE { ?s ?p ?o } LIMIT 5",  # its own LIMIT: left as written
    "SELECT ?s WHERE { ?s ?p ?o } ORDER BY ?s LIMIT 5 OFFSET 2",
    "SELECT ?s WHERE { ?s ?p ?o } VALUES ?s { <http://example.org/a> }",  # LIMIT goes before
    "ASK { ?s ?p ?o }",
    "CONSTRUCT { ?s ?p ?o } WHERE { ?s ?p ?o }",  # LIMIT counts solutions, not triples
    "DESCRIBE <http://example.org/a>",
])
def test_no_row_cap_where_one_cannot_simply_be_added(query):
    assert with_row_cap(query, 1) is None


@pytest.mark.parametrize(("query", "clauses", "without"), [
    ("SELECT * WHERE { ?s <http://example.org/FROM> 'FROM' }", [], None),
    ("PREFIX ex: <http://example.org/>\nSELECT ?s\nFROM ex:g # FROM <x>\nFROM NAMED <http://"
     "example.org/h> WHERE { ?s ?p ?o }", ["FROM ex:g", "FROM NAMED <http://example.org/h>"],
     "PREFIX ex: <http://example.org/>\nSELECT ?s\n  # FROM <x>\n  WHERE { ?s ?p ?o }"),
    ("CONSTRUCT from <http://example.org/g> WHERE { ?s ?p ?o }",
     ["from <http://example.org/g>"], "CONSTRUCT   WHERE { ?s ?p ?o }"),
    ("DESCRIBE <http://example.org/a> FROM <http://example.org/g>",
     ["FROM <http://example.org/g>"], "DESCRIBE <http://example.org/a>  "),
])
def test_a_querys_dataset_clauses_are_read_and_can_be_left_out(query, clauses, without):
    """A store needs them (its union default graph must not override FROM) and a server
    that adds the protocol's graphs to them needs the query without them."""
    found = dataset_clauses(query)
    assert [query[start:end] for start, end, _ in found] == clauses
    assert [named for *_, named in found] == ["NAMED" in clause for clause in clauses]
    assert without_dataset_clauses(query) == (without or query)
