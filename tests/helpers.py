"""Small helpers of the tests: reading SPARQL JSON, running the CLI (what the tests share
with the benchmarks is in ``testbed``)."""

from __future__ import annotations

import json

from click.testing import CliRunner

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
