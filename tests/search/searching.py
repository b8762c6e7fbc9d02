"""Asking a live server's /search, waiting while its index is being prepared."""

from __future__ import annotations

import time

from tests.conftest import LiveServer

ID = "https://w3id.org/flgraph/id/"
READY_WITHIN = 60.0  # seconds a fresh server may take to prepare its index


def search_json(server: LiveServer, params: dict, path: str = "/search.json") -> dict:
    """The JSON answer to a search, once the index is there (503 until then)."""
    deadline = time.monotonic() + READY_WITHIN
    while True:
        response = server.get(path, params=params)
        if response.status_code != 503 or time.monotonic() > deadline:
            break
        assert response.headers["Retry-After"]
        time.sleep(0.2)
    assert response.status_code == 200, response.text
    return response.json()


def found(answer: dict) -> list[str]:
    """The hits' IRIs relative to the dataset's id/ space, in rank order."""
    return [hit["iri"].removeprefix(ID) for hit in answer["hits"]]
