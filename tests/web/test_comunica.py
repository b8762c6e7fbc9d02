"""A federated engine nobody here wrote: Comunica joins flgraph's endpoint with a local
file, sending its sub-queries in parallel from one address; it succeeds every time
(it failed 4 runs in 8 with 429 when a client could run one query at a time).

Comunica is installed by .ci/run with npm into tests/comunica/ (git-ignored
node_modules); ``@comunica/query-sparql-file`` is ``@comunica/query-sparql`` plus local
files as sources."""

from __future__ import annotations

import csv
import io
import subprocess
from pathlib import Path

from tests.conftest import require

COMUNICA = Path(__file__).resolve().parents[1] / "comunica" / "node_modules" / ".bin" / \
    "comunica-sparql-file"
RUNS = 10
SKOS = "http://www.w3.org/2004/02/skos/core#"
ID = "https://w3id.org/flgraph/id/country/"


def test_comunica_joins_the_endpoint_with_a_local_file_every_time(server, tmp_path):
    require(COMUNICA.exists(), "Comunica (npm install in tests/comunica, see .ci/run)")
    notes = tmp_path / "notes.ttl"
    # three countries the report names (Zambia, Nepal, Peru), by their ISO 3166 codes
    notes.write_text("".join(f'<{ID}{code}> <http://example.org/note> "{code} noted" .\n'
                             for code in ("ZMB", "NPL", "PER")), encoding="utf-8")
    query = (f"SELECT ?name ?note WHERE {{ ?country <http://example.org/note> ?note . "
             f"?country <{SKOS}prefLabel> ?name }}")
    outcomes = []
    for _ in range(RUNS):
        done = subprocess.run([str(COMUNICA), f"sparql@{server.url}/sparql", str(notes),
                               query, "-t", "text/csv"],
                              capture_output=True, text=True, timeout=120)
        rows = {(row["name"], row["note"]) for row in csv.DictReader(io.StringIO(done.stdout))}
        outcomes.append((done.returncode, rows, done.stderr[-300:]))
    expected = {("Zambia", "ZMB noted"), ("Nepal", "NPL noted"), ("Peru", "PER noted")}
    assert [(code, rows) for code, rows, _ in outcomes] == [(0, expected)] * RUNS, outcomes
