"""The index is of the data served now: prepared as the server starts, without holding up
the site, and built again when a remote store's data change (never answering from an
earlier version)."""

from __future__ import annotations

import time

import pytest

from flgraph.web.services import REMOTE_VERSION_TTL
from tests.conftest import DATA, start_server, stop_server
from tests.stores import load_virtuoso

from .searching import found, search_json

pytestmark = pytest.mark.slow  # each starts a server


def test_pages_answer_while_search_is_prepared(dataset_file):
    # built on demand, a fresh server has no index: the first search starts building it
    live = start_server("--data", str(dataset_file), "--search-on-demand")
    try:
        assert live.get("/health").json()["search"] == "preparing"
        first = live.get("/search.json", params={"q": "bonded"})
        assert first.status_code == 503 and first.headers["Retry-After"]
        assert "being prepared" in first.json()["message"]
        page = live.get("/search", params={"q": "bonded"}, headers={"Accept": "text/html"})
        if page.status_code == 503:  # still building: the page says so
            assert "Search is being prepared" in page.text
        assert live.get("/", headers={"Accept": "text/html"}).status_code == 200
        assert live.get("/queries/lessons-learned.csv").status_code == 200
        # then it is there (Table 2, India's first ILO contribution)
        assert found(search_json(live, {"q": "bonded"})) == ["chain/15/IND/contribution/1"]
    finally:
        stop_server(live)


def test_the_index_is_prepared_as_the_server_starts(dataset_file):
    # by default no search is needed to start it: /health, which never starts it, sees
    # it ready, and then a reader's first search is answered at once
    live = start_server("--data", str(dataset_file))
    try:
        deadline = time.monotonic() + 60
        while live.get("/health").json()["search"] != "ready":
            assert time.monotonic() < deadline, "the index was not prepared at start"
            time.sleep(0.2)
        first = live.get("/search.json", params={"q": "bonded"})
        assert first.status_code == 200
        # Table 2, India's first ILO contribution: "the root causes of bonded labour"
        assert found(first.json()) == ["chain/15/IND/contribution/1"]
    finally:
        stop_server(live)


@pytest.mark.virtuoso
def test_a_reloaded_store_is_searched_as_it_is_now(virtuoso, virtuoso_store, tmp_path):
    # the second lesson ends "...rather than a bird's eye view." (Lessons learned)
    changed = tmp_path / "changed.trig"
    text = DATA.read_text(encoding="utf-8")
    checksum = text.split('flg:sha256 "', 1)[1].split('"', 1)[0]  # the build's, first
    changed.write_text(text.replace("bird's eye view", "bird's eye panorama")
                       .replace(checksum, "0" * len(checksum)), encoding="utf-8")
    live = start_server("--store", f"sparql:{virtuoso.sparql}",
                        env={"FLGRAPH_SPARQL_MAX_ROWS": str(virtuoso.max_rows)})
    try:
        assert found(search_json(live, {"q": "panorama"})) == []
        assert found(search_json(live, {"q": "bird's eye view"})) == ["lesson/15/2"]
        assert load_virtuoso(virtuoso, changed).exit_code == 0
        # the site asks a remote store for its version every 2 s (web/services.py)
        deadline = time.monotonic() + 15
        while found(search_json(live, {"q": "panorama"})) != ["lesson/15/2"]:
            assert time.monotonic() < deadline, "the search still answers from the old data"
            time.sleep(0.5)
        time.sleep(REMOTE_VERSION_TTL)  # every web process has asked again by now
        assert found(search_json(live, {"q": "bird's eye view"})) == []
    finally:
        assert load_virtuoso(virtuoso, DATA).exit_code == 0  # as the other tests expect
        stop_server(live)
