"""The one lexer of SPARQL text (sparqltext/), and every reader of queries built on it.

Queries are generated with strings, IRIs and comments whose places in the text are
known, holding what a reader could mistake for code (quotes, ``#``, ``<``, braces, the
word SERVICE). Each reader must find them where they were written, and the engine
(pyoxigraph) and rdflib must read the same: the strings' values come back unchanged,
the projection is the engine's list of variables.
"""

from __future__ import annotations

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flgraph import gateway
from flgraph.queries import _projection
from flgraph.service import Limits, QueryRefused
from flgraph.sparqltext import BindingError, read_header, tokenize
from flgraph.sparqltext import binder
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
    list(TRICKY) + ["SELECT", "ASK", "WHERE", "PREFIX", "BASE", "a:", "<http://x/>", "\n",
                    "?x", "*", "(", "AS", "DISTINCT", "FROM", "INSERT", "1.5", "@en"]),
    max_size=40).map("".join)


@settings(max_examples=400, deadline=None)
@given(SPARQLISH)
def test_any_text_is_read_alike_by_every_reader(text):
    """Arbitrary text: the tokens cover it exactly, and the gateway, the binder and
    saved queries agree on its form and projection (or all find none)."""
    tokens = tokenize(text)
    assert "".join(t.text for t in tokens) == text
    assert all(a.end == b.start for a, b in zip(tokens, tokens[1:], strict=False))
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
