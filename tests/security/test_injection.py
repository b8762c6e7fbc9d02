"""Saved-query parameters cannot change a query's shape: values built to close a term, a
block or the query (quotes, backslash escapes, ``\\u0022``, ``>``, ``}``, comments) are
refused (400) or bound as one term — never extra rows — for every parameter type and on
every store. The test queries (tests/security/queries) give a string, an integer and a
date parameter; the project's own give IRIs."""

from __future__ import annotations

import csv
import io

import pytest

from .conftest import assert_alive

BREAKERS = [
    '" } UNION { ?a ?b ?c } #',
    "' } UNION { ?a ?b ?c } #",
    '""" } UNION { ?a ?b ?c } #',
    '\\" } UNION { ?a ?b ?c } #',
    "\\u0022 } UNION { ?a ?b ?c } #",
    "\\U00000022 } UNION { ?a ?b ?c } #",
    "\\\\u0022 } UNION { ?a ?b ?c }",
    '"^^<http://www.w3.org/2001/XMLSchema#string> } UNION { ?a ?b ?c } #',
    '"@en . ?a ?b ?c',
    "> } UNION { ?a ?b ?c } #",
    "\\u003e } UNION { ?a ?b ?c } #",
    "} } UNION { ?a ?b ?c } #",
    ") } ; DROP ALL #",
    "\n} UNION { ?a ?b ?c }",
    "\r} UNION { ?a ?b ?c }",
    "# comment",
    "\\",
    "\x00",
    "$x",
    "?notation",
]


def _rows(response) -> list[dict[str, str]]:
    return list(csv.DictReader(io.StringIO(response.text)))


def _bound_only(response, name: str, expected: set[str]) -> None:
    """400, or the rows whose ``name`` column is one of ``expected`` (no others)."""
    assert response.status_code in (200, 400), response.text[:300]
    if response.status_code == 200:
        assert {row[name] for row in _rows(response)} <= expected, response.text[:500]


@pytest.mark.parametrize("breaker", BREAKERS)
def test_string_parameter(target, breaker):
    for value in (f"15.1{breaker}", breaker):
        response = target.get("/queries/indicator-by-notation.csv", params={"notation": value})
        _bound_only(response, "notation", {value, value.strip()})
    normal = target.get("/queries/indicator-by-notation.csv", params={"notation": "15.1"})
    assert [r["notation"] for r in _rows(normal)] == ["15.1"]
    assert_alive(target)


@pytest.mark.parametrize("breaker", [*BREAKERS, "1.0", "0x10", "1e3",
                                     "99999999999999999999", "-0", "+2 ", "２"])
def test_integer_parameter(target, breaker):
    for value in (f"2{breaker}", breaker):
        response = target.get("/queries/contributions-by-ordinal.csv", params={"ordinal": value})
        _bound_only(response, "ordinal", {"2", "1", "0"})
        if response.status_code == 200:
            assert {r["ordinal"] for r in _rows(response)} <= {str(int(value.strip()))}
    assert_alive(target)


@pytest.mark.parametrize("breaker", [*BREAKERS, "2024-13-01", "2024-03-01T00:00:00",
                                     "2024-3-1", "20240301"])
def test_date_parameter(target, breaker):
    for value in (f"2024-03-01{breaker}", breaker):
        response = target.get("/queries/report-day.csv", params={"day": value})
        _bound_only(response, "day", {"2024-03-01"})
    normal = target.get("/queries/report-day.csv", params={"day": "2024-03-01"})
    assert [r["label"] for r in _rows(normal)] == ["report day"]
    assert_alive(target)


ZAMBIA = "https://w3id.org/flgraph/id/country/ZMB"


@pytest.mark.parametrize("breaker", [
    *BREAKERS, "javascript:alert(1)", "file:///etc/passwd", "urn:x", "data:text/html,<script>",
    "country/ZMB>", "country/ZMB%3E%20%7D", "http://", "//evil.example/x", "country/ZMB ?x",
])
def test_iri_parameter(target, canary, breaker):
    for value in (f"country/ZMB{breaker}", f"{ZAMBIA}{breaker}", breaker,
                  canary.iri() + breaker):
        response = target.get("/queries/country-profile.csv", params={"country": value})
        assert response.status_code in (200, 400), response.text[:300]
        if response.status_code == 200:
            # bound as one IRI: only rows about that IRI, which is not a country here
            assert {r["country"] for r in _rows(response)} <= {value}
    normal = target.get("/queries/country-profile.csv", params={"country": "country/ZMB"})
    assert normal.status_code == 200 and {r["country"] for r in _rows(normal)} == {ZAMBIA}
    assert_alive(target)


def test_unknown_and_repeated_parameters(target):
    unknown = target.get("/queries/country-profile", params={"country": "country/ZMB",
                                                             "x": "} UNION {"})
    assert unknown.status_code == 400 and "unknown parameter" in unknown.text
    long = target.get("/queries/indicator-by-notation", params={"notation": "a" * 201})
    assert long.status_code == 400
    assert_alive(target)
