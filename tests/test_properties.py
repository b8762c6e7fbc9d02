"""Property-based tests: random perturbations of the report layout give a valid graph or
a clear error (never a traceback); random parameter values never change a query's shape."""

from __future__ import annotations

from pathlib import Path

import pyoxigraph as ox
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from flgraph.build import InvalidDataset, build
from flgraph.extract import SourceError
from flgraph.query.errors import ParameterError
from flgraph.query.saved import Param, check_iri, to_term
from flgraph.sparqltext.binder import bind

from .conftest import SEED

pytestmark = pytest.mark.slow  # hypothesis runs each property on many inputs

LINES = SEED.read_text(encoding="utf-8").split("\n")


@st.composite
def perturbed_report(draw) -> str:
    """The seed with a few random edits of the kinds real copies suffer."""
    lines = list(LINES)
    for _ in range(draw(st.integers(1, 3))):
        k = draw(st.integers(0, len(lines) - 1))
        edit = draw(st.sampled_from(["delete", "duplicate", "blank", "insert", "cut", "tabs",
                                     "garble"]))
        line = lines[k]
        if edit == "delete":
            del lines[k]
        elif edit == "duplicate":
            lines.insert(k, line)
        elif edit == "blank":
            lines.insert(k, "")
        elif edit == "insert":
            lines.insert(k, draw(st.text(alphabet=st.sampled_from("ab \t<>|*#-√\u00a0é"),
                                         max_size=40)))
        elif edit == "cut" and line:
            lines[k] = line[: draw(st.integers(0, len(line)))]
        elif edit == "tabs":
            lines[k] = line.replace("\t", draw(st.sampled_from(["", "  ", "\t\t"])), 1)
        elif edit == "garble" and line:
            at = draw(st.integers(0, len(line)))
            lines[k] = line[:at] + draw(st.text(max_size=8)) + line[at:]
    return "\n".join(lines)


@settings(max_examples=40, deadline=None,
          suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture])
@given(text=perturbed_report())
def test_perturbed_layout_gives_a_valid_graph_or_a_clear_error(tmp_path_factory, text):
    folder = tmp_path_factory.mktemp("perturbed")
    source = folder / "section.txt"
    source.write_text(text, encoding="utf-8", errors="surrogatepass")
    output = folder / "out.trig"
    try:
        result = build([source], output)
    except SourceError as err:
        assert err.file == "section.txt" and err.message and "\n" not in err.message
        assert not output.exists()  # nothing partial
        return
    except InvalidDataset as err:
        assert not err.report.conforms and not output.exists()
        return
    assert result.report.conforms and output.exists()


def _values_row(query: str) -> dict:
    """The single row of the query's VALUES block, as rdflib parsed it, after checking
    the rest of the query is still the one triple pattern it was."""
    from rdflib.plugins.sparql.algebra import translateQuery, traverse
    from rdflib.plugins.sparql.parser import parseQuery
    from rdflib.plugins.sparql.parserutils import CompValue

    found: dict[str, list] = {"values": [], "bgp": []}

    def visit(node):
        if isinstance(node, CompValue) and node.name == "values":
            found["values"].append(node)
        if isinstance(node, CompValue) and node.name == "BGP" and node.triples:
            found["bgp"].extend(node.triples)

    traverse(translateQuery(parseQuery(query)).algebra, visitPost=visit)
    [values] = found["values"]
    assert len(found["bgp"]) == 1 and str(found["bgp"][0][1]) == "p"
    [row] = values.res
    return {str(k): v for k, v in row.items()}


QUERY = "SELECT ?x ?s WHERE { ?s ?p ?x }"


@settings(max_examples=300, deadline=None)
@given(value=st.text(max_size=60))
def test_string_parameters_never_change_the_query(value):
    try:
        term = to_term(Param("x", "string"), value)
    except ParameterError:
        return
    row = _values_row(bind(QUERY, {"x": term}))
    assert list(row) == ["x"]
    assert str(row["x"]) == term.value  # the whole value, and nothing but the value


@settings(max_examples=300, deadline=None)
@given(value=st.one_of(st.text(max_size=60), st.text(max_size=40).map(
    lambda t: "https://w3id.org/flgraph/id/" + t)))
def test_iri_parameters_never_change_the_query(value):
    try:
        iri = check_iri("s", value)
    except ParameterError:
        return
    row = _values_row(bind(QUERY, {"s": ox.NamedNode(iri)}))
    assert list(row) == ["s"] and str(row["s"]) == iri


@pytest.mark.parametrize("value", ['a"} } ?s ?p ?o . {', "x\\", "'''", '"""',
                                   "end\n#comment", "}", "x\\ny"])
def test_string_breakers_stay_inside_the_literal(value):
    term = to_term(Param("x", "string"), value) if "\n" not in value else ox.Literal(value)
    row = _values_row(bind(QUERY, {"x": term}))
    assert str(row["x"]) == value


@pytest.mark.parametrize("value", ["\\u0022", "a\\U00000022b"])
def test_codepoint_escapes_are_refused_in_strings(value):
    with pytest.raises(ParameterError, match="may not contain"):
        to_term(Param("x", "string"), value)


@pytest.mark.parametrize("value", ["http://a/>", "http://a/ b", 'http://a/"', "http://a/{",
                                   "http://a/}", "http://a/\\u003e", "javascript:alert(1)",
                                   "file:///etc/passwd", "http://a/`", "http://a/|"])
def test_iri_breakers_are_refused(value):
    with pytest.raises(ParameterError):
        check_iri("s", value)


@settings(max_examples=200, deadline=None)
@given(value=st.text(max_size=30))
def test_integer_and_date_parameters_are_checked(value):
    for kind in ("integer", "date"):
        try:
            term = to_term(Param("n", kind), value)
        except ParameterError:
            continue
        assert term.datatype.value.endswith("#" + kind)
        row = _values_row(bind(QUERY.replace("?x", "?n"), {"n": term}))
        assert str(row["n"]) == term.value


def test_seed_itself_builds(tmp_path: Path):
    assert build([SEED], tmp_path / "x.trig").report.conforms
