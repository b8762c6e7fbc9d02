"""The one lexer of SPARQL text (sparqltext/), and every reader of queries built on it.

Queries are generated with strings, IRIs and comments whose places in the text are
known, holding what a reader could mistake for code (quotes, ``#``, ``<``, braces, the
word SERVICE). Each reader must find them where they were written, and the engine
(pyoxigraph) and rdflib must read the same: the strings' values come back unchanged,
the projection is the engine's list of variables.
"""

from __future__ import annotations

import itertools

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flgraph.config import Limits
from flgraph.query import gateway
from flgraph.query.errors import QueryRefused
from flgraph.query.saved import _projection
from flgraph.sparqltext import BindingError, binder, read_header, tokenize
from flgraph.sparqltext.header import spans

#: What a reader could take for code, inside a string, an IRI or a comment.
TRICKY = "\"'#<>{}()\\ SERVICE .;,?$:_-\t"
CONTENT = st.text(st.sampled_from(list(TRICKY) + list("abcé€𝄞 ")), max_size=24)
IRI_CHARS = st.text(st.sampled_from(list("abcxyz019'()*!$&+,;=:@/~._-")), max_size=16)
NAME = st.from_regex(r"[a-z][a-z0-9]{0,4}", fullmatch=True)


class Text:
    """A query text being written, with the spans of what is not code."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.spans: list[tuple[str, int, int]] = []
        self.size = 0

    def code(self, text: str) -> None:
        self.parts.append(text)
        self.size += len(text)

    def span(self, kind: str, text: str) -> None:
        self.spans.append((kind, self.size, self.size + len(text)))
        self.code(text)

    def __str__(self) -> str:
        return "".join(self.parts)


def quoted(value: str, quote: str) -> str:
    """``value`` as a SPARQL string in the quoting ``quote``, escaped as the grammar asks."""
    escaped = value.replace("\\", "\\\\").replace(quote[0], "\\" + quote[0])
    if len(quote) == 1:
        escaped = escaped.replace("\n", "\\n")
    return quote + escaped + quote


@st.composite
def queries(draw):
    """(text, expected) with the prologue, form, projection, strings and spans known."""
    text = Text()
    prefixes = draw(st.lists(st.tuples(NAME, IRI_CHARS), max_size=3,
                             unique_by=lambda p: p[0]))
    for name, path in prefixes:
        text.code(f"PREFIX {name}: ")
        text.span("iri", f"<http://example.org/{path}>")
        text.code("\n")
    form = draw(st.sampled_from(["SELECT", "SELECT DISTINCT", "ASK", "CONSTRUCT"]))
    values = draw(st.lists(CONTENT, min_size=1, max_size=4))
    quotes = draw(st.lists(st.sampled_from(['"', "'", '"""', "'''"]), min_size=len(values),
                           max_size=len(values)))
    iris = draw(st.lists(st.tuples(IRI_CHARS, IRI_CHARS), max_size=3))
    comments = draw(st.lists(CONTENT, min_size=len(values), max_size=len(values)))
    names = [f"v{k}" for k in range(len(values))] + [f"w{k}" for k in range(len(iris))]
    if form.startswith("SELECT"):
        text.code(f"{form} {' '.join('?' + n for n in names)} WHERE {{\n")
    elif form == "CONSTRUCT":
        text.code("CONSTRUCT { ?s ?p ?o } WHERE {\n")
    else:
        text.code("ASK {\n")
    for k, (value, quote, comment) in enumerate(zip(values, quotes, comments, strict=True)):
        text.code("  BIND(")
        text.span("string", quoted(value, quote))
        text.code(f" AS ?v{k}) ")
        text.span("comment", "#" + comment.replace("\n", " "))
        text.code("\n")
    for k, (path, fragment) in enumerate(iris):
        text.code("  BIND(")
        text.span("iri", f"<http://example.org/{path}#{fragment}>")
        text.code(f" AS ?w{k})\n")
    text.code("}\n")
    expected = {"prefixes": tuple((n, f"http://example.org/{p}") for n, p in prefixes),
                "form": form.split()[0], "values": values,
                "projection": tuple(names) if form.startswith("SELECT") else None}
    return str(text), text.spans, expected


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(queries())
def test_every_reader_finds_the_strings_iris_and_comments_where_they_were_written(query):
    text, written, expected = query
    assert spans(text) == written
    header = read_header(text)
    assert header.prefixes == expected["prefixes"]
    assert header.form == expected["form"]
    assert header.projection == expected["projection"]
    # the readers: the gateway, the binder, saved queries
    assert gateway.query_form(text) == binder.query_form(text) == expected["form"]
    assert _projection(text) == (None if expected["projection"] is None
                                 else set(expected["projection"]))
    assert not gateway.mentions_service(text)  # SERVICE only in strings, IRIs, comments


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(queries())
def test_the_engine_and_rdflib_read_the_query_as_the_lexer_does(query):
    """pyoxigraph gives back each string's value unchanged and projects the variables the
    lexer read; rdflib (the gateway's parser) accepts the query with the same form."""
    text, _, expected = query
    assert gateway.check_query(text, Limits()).form == expected["form"]
    answer = ox.Store().query(text)
    if expected["form"] == "SELECT":
        assert tuple(v.value for v in answer.variables) == expected["projection"]
        row = next(iter(answer))
        assert [row[f"v{k}"].value for k in range(len(expected["values"]))] == \
            expected["values"]


@settings(max_examples=80, deadline=None)
@given(queries(), st.integers(min_value=0))
def test_a_service_written_as_code_is_seen_wherever_it_goes(query, where):
    """SERVICE put between two tokens of code is found by the gateway's text check and
    refused by its full check."""
    text, _, _ = query
    gaps = [t.end for t in tokenize(text) if t.kind == "ws" and t.end < len(text) - 2]
    at = gaps[where % len(gaps)]
    crafted = text[:at] + " SERVICE <http://example.org/> { ?a ?b ?c } " + text[at:]
    assert gateway.mentions_service(crafted)
    with pytest.raises(QueryRefused, match="SERVICE"):
        gateway.prepare(crafted, Limits())


SPARQLISH = st.lists(st.sampled_from(
    [*TRICKY, "SELECT", "ASK", "WHERE", "PREFIX", "BASE", "a:", "<http://x/>", "\n",
     "?x", "*", "(", "AS", "DISTINCT", "FROM", "INSERT", "1.5", "@en"]),
    max_size=40).map("".join)


@settings(max_examples=400, deadline=None)
@given(SPARQLISH)
def test_any_text_is_read_alike_by_every_reader(text):
    """Arbitrary text: the tokens cover it exactly, and the gateway, the binder and
    saved queries agree on its form and projection (or all find none)."""
    tokens = tokenize(text)
    assert "".join(t.text for t in tokens) == text
    assert all(a.end == b.start for a, b in itertools.pairwise(tokens))
    header = read_header(text)
    try:
        gateway_form = gateway.query_form(text)
    except QueryRefused:
        gateway_form = None
        assert header.keyword in gateway.UPDATE_KEYWORDS
    try:
        binder_form = binder.query_form(text)
    except BindingError:
        binder_form = None
    assert gateway_form == binder_form == header.form
    projection = _projection(text)
    assert projection == (None if header.projection is None else set(header.projection))


ASCII_SPARQLISH = st.lists(st.one_of(
    st.sampled_from([*TRICKY, "SELECT", "a:", "<http://x/>", "\n", "?x", "_:b", "@en-GB",
                     "1.5e3", "ex:a.b", "%2F", "\\.", "'''", '"""', "^^", "<=", "||"]),
    st.text(st.characters(min_codepoint=0, max_codepoint=127), max_size=6)),
    max_size=30).map("".join)


@settings(max_examples=400, deadline=None)
@given(ASCII_SPARQLISH)
def test_the_ascii_pattern_reads_ascii_text_as_the_whole_grammar_does(text):
    """A text of ASCII characters is read with a pattern whose classes are the grammar's
    ASCII parts (the whole grammar's takes 40 ms to compile, at the first text needing it):
    it must give exactly the tokens the whole grammar's pattern gives."""
    from flgraph.sparqltext import lexer

    assert text.isascii()
    whole = lexer._unicode_token()
    position, tokens = 0, []
    while position < len(text):
        found = whole.match(text, position)
        tokens.append((found.lastgroup, found.group()))
        position = found.end()
    ascii_only = []
    position = 0
    while position < len(text):
        found = lexer._ASCII_TOKEN.match(text, position)
        ascii_only.append((found.lastgroup, found.group()))
        position = found.end()
    assert ascii_only == tokens


@pytest.mark.parametrize(("text", "kinds"), [
    ("SELECT ?é·x WHERE { é:b ?p _:é }", ["word", "var", "word", "punct", "pname", "var",
                                          "bnode", "punct"]),
    ("SELECT ?a×b", ["word", "var", "other", "word"]),
])
def test_text_beyond_ascii_is_read_by_the_whole_grammar(text, kinds):
    assert [t.kind for t in tokenize(text) if t.kind != "ws"] == kinds


@pytest.mark.parametrize(("text", "kinds"), [
    # inside an expression, after an operand, < compares: no IRI, so the quote after
    # it opens a string as the engine reads it
    ("FILTER(?a<str('x>')) SERVICE <http://e/> {} #'",
     ["string", "iri"]),
    # where a term may stand, it is an IRI, # and ' included
    ("?s <http://e/a#b'c> ?o", ["iri"]),
    ("ASK { ?s ?p (1 <http://e/x'y> 2) }", ["iri"]),
    ("SELECT (?a <= ?b AS ?c) {}", []),
    ("ORDER BY ?a <http://e/f>(?b)", ["iri"]),
])
def test_less_than_or_iri_as_a_parser_reads_it(text, kinds):
    assert [t.kind for t in tokenize(text) if t.kind in ("string", "iri")] == kinds


def test_the_service_behind_a_comparison_is_seen():
    """Read as an IRI, ``<str('x>`` would make the last quote open a string hiding the
    SERVICE clause; the engine compares and runs it."""
    assert gateway.mentions_service("ASK { FILTER(?a<str('x>')) SERVICE <http://e/> {} #' }")


@pytest.mark.parametrize(("text", "error"), [
    ("SELECT * WHERE { ?s ?p 'open }", "not closed"),
    ("PREFIX x <http://e/> SELECT * {}", "prologue"),
    ("INSERT DATA { <a> <b> <c> }", "query form"),
])
def test_the_binder_refuses_what_it_cannot_follow_with_its_own_error(text, error):
    with pytest.raises(BindingError, match=error):
        binder.bind(text, {"x": ox.NamedNode("http://example.org/x")})


# The gateway's reading from tokens alone (gateway.lexed_shape) --------------------------

PREFIXES = "PREFIX ex: <http://example.org/> PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>\n"
FRAGMENTS = [
    "?s <http://example.org/p> ?o .",
    "?s ex:p/ex:q* ?o .",
    "?s ^ex:p|ex:q+ ?o .",
    "?s !(ex:a|^ex:b) ?o .",
    "?s ex:p? ?o .",
    "{ ?a ?b ?c } UNION { ?a ?b ?d } UNION { ?a ex:p/ex:q ?e }",
    "OPTIONAL { ?s ex:p ?x }",
    "FILTER(?x < 5 && STRLEN(STR(?y)) > 2 || ?x * 2 / 3 > 1)",
    "{ SELECT ?s (COUNT(*) AS ?n) WHERE { ?s ?p ?o } GROUP BY ?s LIMIT 3 }",
    "?s ?p (1 2 [ ex:p ?q ]) .",
    "[ ex:p ?o ; ex:q ?r , ?t ] ex:z ?w .",
    "FILTER NOT EXISTS { ?s ex:p ?o ; ex:q [ a ex:C ] }",
    "VALUES ?v { 1 2 }",
    "MINUS { ?s ex:q ?o }",
    "GRAPH ?g { ?s ?p ?o }",
    'BIND(CONCAT("a", ?x) AS ?c)',
    "?s a ex:C , ex:D .",
    "FILTER(?s IN (<http://example.org/a>, ex:b))",
]


@settings(max_examples=120, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(FRAGMENTS), min_size=1, max_size=8),
       st.sampled_from(["SELECT * WHERE", "ASK", "SELECT DISTINCT ?s WHERE",
                        "CONSTRUCT { ?s ?p ?o } WHERE"]))
def test_the_tokens_bound_every_count_of_the_parsed_query(fragments, form):
    """Where the tokens alone decide, each count is at least rdflib's (the parsed
    algebra's): the limits are never checked against less than the query holds."""
    text = f"{PREFIXES}{form} {{ {' '.join(fragments)} }}"
    lexed = gateway.lexed_shape(text, Limits(max_patterns=10_000, max_paths=10_000))
    parsed = gateway.query_shape(text)
    assert lexed is not None, text  # every fragment is plain SPARQL 1.1
    assert lexed.form == parsed.form
    assert (lexed.graphs, lexed.services, lexed.functions) == ((), 0, ())
    assert parsed.patterns <= lexed.patterns
    assert parsed.unions <= lexed.unions
    assert parsed.subqueries <= lexed.subqueries
    assert parsed.paths <= lexed.paths


@pytest.mark.parametrize("text", [
    "SELECT ?p ?o WHERE { <https://w3id.org/flgraph/id/country/ZMB> ?p ?o }",
    "ASK {}",
    "PREFIX ex: <http://e/> SELECT ?s WHERE { ?s a ex:C FILTER(?s != ex:x) } LIMIT 3",
])
def test_plain_queries_are_read_from_their_tokens(text):
    assert gateway.lexed_shape(text, Limits()) is not None


@pytest.mark.parametrize("text", [
    # a function call (Virtuoso's bif:, or any extension)
    "PREFIX ex: <http://e/> SELECT * WHERE { ?s ?p ?o FILTER(ex:f(?o)) }",
    "SELECT * WHERE { ?s ?p ?o FILTER(<http://e/f>(?o)) }",
    # a dataset clause: the graphs are checked on the parsed query
    "SELECT * FROM <http://e/g> WHERE { ?s ?p ?o }",
    # a code point escape, which rdflib and engines decode each their way
    "SELECT * WHERE { ?s ?p \"\\u0041\" }",
    # words outside SPARQL 1.1 Query: Oxigraph's LATERAL, a typo
    "SELECT * WHERE { ?s ?p ?o LATERAL { SELECT ?x WHERE { ?s ?q ?x } LIMIT 1 } }",
    "SELECT * WHERE { ?s ?p ?o } ORDERBY ?s",
    # RDF-star triple terms, which Oxigraph reads and rdflib does not
    "SELECT * WHERE { << ?s ?p ?o >> ?q ?r }",
    # an unclosed string
    "SELECT * WHERE { ?s ?p 'open }",
    # more UNIONs than allowed: the parsed query decides (and refuses)
    "ASK { " + " UNION ".join(["{ ?s ?p ?o }"] * 66) + " }",
])
def test_queries_the_tokens_cannot_prove_plain_take_the_full_check(text):
    assert gateway.lexed_shape(text, Limits()) is None


@pytest.mark.parametrize(("text", "refusal"), [
    ("PREFIX ex: <http://e/> SELECT * WHERE { ?s ?p ?o FILTER(ex:f(?o)) }", "extension"),
    ("SELECT * FROM <http://e/g> WHERE { ?s ?p ?o }", "not a graph"),
    ("ASK { " + " UNION ".join(["{ ?s ?p ?o }"] * 66) + " }", "UNIONs"),
    ("ASK { FILTER(?a<str('x>')) SERVICE <http://e/> {} #' }", "SERVICE"),
])
def test_with_an_engine_that_parses_the_refusals_stay(text, refusal):
    with pytest.raises(QueryRefused, match=refusal):
        gateway.check_query(text, Limits(), graphs=["http://e/other"], engine_parses=True)


def test_a_plain_query_that_does_not_parse_is_refused_naming_the_clients_line():
    """The gateway takes it from its tokens and the engine refuses it; the message is
    rdflib's, at the line and column of the text as typed (the engine would count the
    BASE line the service puts first)."""
    from flgraph.query.service import QueryRequest, QueryService
    from flgraph.store import QuerySyntaxError
    from flgraph.store.oxigraph import OxigraphStore

    text = ("PREFIX flg: <https://w3id.org/flgraph/ontology#>\n"
            "SELECT ?country WHERE {\n  ?country a flg:Country\n  ?oops }")
    assert gateway.check_query(text, Limits(), engine_parses=True).form == "SELECT"
    service = QueryService(OxigraphStore(), Limits())
    with pytest.raises(QuerySyntaxError, match="line 4, column 3"):
        service.run(QueryRequest(text, base="https://w3id.org/flgraph/sparql"))


@pytest.mark.parametrize("text", [
    "SELECT * WHERE { ?s <http://e/a>/<http://e/b>|^<http://e/c> ?o }",
    "SELECT * WHERE { ?s (<http://e/a>/<http://e/b>)* ?o . ?o !(<http://e/a>|<http://e/b>) ?x }",
    "SELECT * WHERE { ?s <http://e/a> ?o FILTER(?o / 2 > 1 || ?o = 3) BIND(?o/4 AS ?q) }",
    "SELECT (?o / 2 AS ?half) WHERE { ?s <http://e/a>/<http://e/b> ?o } ORDER BY (?o / 3)",
    "SELECT * WHERE { ?s !<http://e/a>|<http://e/b> [ <http://e/c>/<http://e/d> ?x ] }",
])
def test_the_path_operators_counted_before_parsing_never_exceed_the_parsed_ones(text):
    """The cheap pass refuses a long path before rdflib parses it, so its count must be a
    lower bound of what the parsed query holds: a ``/`` in an expression is no path."""
    _, _, counted = gateway._structure(text)
    assert counted <= gateway.query_shape(text).paths


def test_a_path_over_the_limit_is_refused_before_any_parse():
    text = "SELECT * WHERE { ?s " + "/".join("<http://x.org/p>" for _ in range(40)) + " ?o }"
    with pytest.raises(QueryRefused, match="at least 39 property path operators; the limit"):
        gateway.prepare(text, Limits())
