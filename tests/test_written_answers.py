"""SPARQL JSON written by the engine within the row and byte caps (store/answers.py).

The endpoint's default format is written without the detour through XML, its solutions
counted in the engine's text: these answers are built so that the count could go wrong
(strings that look like the start of a solution, solutions that bind nothing) and are
checked against the number of solutions each query has by construction.
"""

from __future__ import annotations

import json

import pyoxigraph as ox
import pytest

from flgraph.store import answers
from flgraph.store.results import TRUNCATED_LINK

STORE = ox.Store()
PLAIN = " ".join(f'("v{i}" <http://example.org/{i}>)' for i in range(50))
#: values whose text holds what a solution begins with, and a string that ends with it
LOOKALIKE = " ".join('("a},{\\"b},{" <http://example.org/x>)' for _ in range(50))
UNBOUND = " ".join("(UNDEF UNDEF)" for _ in range(50))


def written(rows: str, limit: int, max_bytes: int = 16 * 1024**2):
    query = f"SELECT ?a ?b WHERE {{ VALUES (?a ?b) {{ {rows} }} }}"
    asked = []

    def again():
        asked.append(1)
        return STORE.query(query)

    answer = answers.write_solutions(STORE.query(query), "json", limit, max_bytes, again)
    document = json.loads(answer.body)
    return answer, document["results"]["bindings"], document["head"], bool(asked)


@pytest.mark.parametrize("rows", [PLAIN, LOOKALIKE], ids=["plain", "lookalike strings"])
@pytest.mark.parametrize("limit", [1, 10, 49, 50, 51, 1000])
def test_the_row_cap_holds_however_the_values_read(rows, limit):
    answer, solutions, head, asked_again = written(rows, limit)
    assert len(solutions) == min(limit, 50)
    assert answer.truncated == (limit < 50)
    assert ("link" in head) == (limit < 50)
    assert not asked_again
    if rows is LOOKALIKE:
        assert all(s["a"]["value"] == 'a},{"b},{' for s in solutions)


@pytest.mark.parametrize("limit", [10, 49, 50, 1000])
def test_solutions_that_bind_nothing_are_capped_too(limit):
    answer, solutions, _, asked_again = written(UNBOUND, limit)
    assert solutions == [{}] * min(limit, 50)
    assert answer.truncated == (limit < 50)
    if limit < 50:
        assert asked_again  # uncertain at the cap: asked again, and written through XML
    if limit == 1000:
        assert not asked_again  # far from it: certain


@pytest.mark.parametrize("max_bytes", [300, 1500, 3000])
def test_the_byte_cap_cuts_after_a_whole_solution(max_bytes):
    answer, solutions, head, _ = written(PLAIN, 1000, max_bytes)
    assert len(answer.body) <= max_bytes
    assert answer.truncated
    assert head["link"] == [TRUNCATED_LINK]
    assert solutions == [{"a": {"type": "literal", "value": f"v{i}"},
                          "b": {"type": "uri", "value": f"http://example.org/{i}"}}
                         for i in range(len(solutions))]
