"""Attacks on the search box, which anyone can reach: the engine's own syntax, oversized
searches, markup, floods. Each is answered 200 or a one-line 4xx — never a 500, never
markup of the attacker's — and the site keeps answering."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

import pytest
import requests

from tests.conftest import LiveServer
from tests.search.searching import search_json

from .conftest import TIMEOUT, assert_alive, one_line

# FTS5's syntax and SQL, as an attacker would type them
ENGINE_SYNTAX = [
    '"', '""', '"""', "*", "**", "^survey", "names:survey", "{names body}:survey",
    "- survey", "NEAR(forced labour, 0)", "NEAR(", "survey AND", "AND OR NOT", "(survey",
    "survey)", "survey +", "' OR 1=1 --", '"); DROP TABLE things; --',
    "survey\x00labour", "rowid:1", "texts MATCH 'x'", "\u202esurvey", "s\u0301urvey",
    "x" * 200, " ".join(["traffick*"] * 12), "OR " * 60, "NOT NOT NOT survey",
]


def ask(server: LiveServer, params: dict, **kwargs) -> requests.Response:
    """/search.json once the index is there (503 while it is being prepared)."""
    search_json(server, {"q": "labour"})  # waits until the index is ready
    return server.get("/search.json", params=params, **kwargs)


@pytest.mark.parametrize("typed", ENGINE_SYNTAX, ids=range(len(ENGINE_SYNTAX)))
def test_engine_syntax_is_searched_as_words_or_refused(target, typed):
    response = ask(target, {"q": typed})
    assert response.status_code in (200, 400), response.text
    if response.status_code == 400:
        assert response.json()["error"] == "Bad search"
    else:
        assert isinstance(response.json()["hits"], list)
    plain = target.get("/search", params={"q": typed})  # a script's plain-text errors
    assert plain.status_code in (200, 400)
    if plain.status_code == 400:
        assert one_line(plain).startswith("Bad search: ")


@pytest.mark.parametrize(("params", "reason"), [
    ({"q": "x" * 201}, "at most 200"),
    ({"q": " ".join(f"w{n}" for n in range(13))}, "more than 12"),
    ({"q": "labour", "country": [f"c{n}" for n in range(21)]}, "at most 20 values"),
    ({"q": "labour", "page": "26"}, "page must be"),
    ({"q": "labour", "page": "1" * 40}, "page must be"),
])
def test_caps_on_what_is_searched(target, params, reason):
    response = ask(target, params)
    assert response.status_code == 400 and reason in response.json()["message"]


def test_a_huge_url_is_refused_by_the_server(target):
    response = target.get("/search", params={"q": "a" * 20_000})
    assert 400 <= response.status_code < 500


def test_markup_in_the_search_is_shown_as_text(target):
    search_json(target, {"q": "labour"})
    page = target.get("/search", params={"q": '"><script>alert(1)</script>'},
                      headers={"Accept": "text/html"})
    assert page.status_code == 200
    assert "<script>alert" not in page.text and "&lt;script&gt;alert(1)" in page.text


def test_a_flood_of_searches_is_answered_and_the_site_keeps_answering(target):
    search_json(target, {"q": "labour"})

    def attack(n: int):
        # distinct searches: the response cache cannot answer them; the timeout bounds a
        # server that would never answer, the statuses are its own account of its limits
        return target.get("/search.json", params={"q": f"la* OR fo* OR {n}x*"},
                          timeout=2 * TIMEOUT + 10)

    with ThreadPoolExecutor(8) as pool:  # the web threads of two processes
        answers = list(pool.map(attack, range(24)))
    for response in answers:
        assert response.status_code in (200, 429, 503), response.text[:200]
    assert sum(r.status_code == 200 for r in answers) > 0
    assert_alive(target)
