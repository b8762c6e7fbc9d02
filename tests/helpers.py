"""Small helpers shared by tests (and bench/load_test.py): reading SPARQL JSON, running
the CLI, HTTP sessions from a chosen loopback address."""

from __future__ import annotations

import json

import requests
from click.testing import CliRunner
from requests.adapters import HTTPAdapter

from flgraph.cli import main


def rows(sparql_json: dict) -> list[dict[str, str]]:
    """SPARQL JSON results as plain dicts of variable → lexical value."""
    return [{k: v["value"] for k, v in b.items()} for b in sparql_json["results"]["bindings"]]


def run_cli(*args: str, input: str | None = None):
    """Run ``flgraph`` in-process; returns click's Result (exit_code, stdout, stderr)."""
    return CliRunner().invoke(main, list(args), input=input, catch_exceptions=False)


def query_rows(name: str, *params: str, data: str | None = None) -> list[dict[str, str]]:
    args = ["query", name, "--format", "json"]
    for p in params:
        args += ["--param", p]
    if data:
        args += ["--data", data]
    result = run_cli(*args)
    assert result.exit_code == 0, result.stderr
    return rows(json.loads(result.stdout))


ID = "https://w3id.org/flgraph/id/"


class FromAddress(HTTPAdapter):
    """Connections from a given loopback address (Linux routes all of 127/8 to lo), so
    that one machine plays several clients, as the endpoint tells clients apart by it."""

    def __init__(self, address: str) -> None:
        self.address = address
        super().__init__()

    def init_poolmanager(self, *args, **kwargs):
        kwargs["source_address"] = (self.address, 0)
        super().init_poolmanager(*args, **kwargs)


def session_from(address: str) -> requests.Session:
    session = requests.Session()
    session.mount("http://", FromAddress(address))
    return session
