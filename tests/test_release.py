"""``flgraph release``: everything an archive takes, the same bytes on every run, with
checksums that verify; and the repository's own CITATION.cff."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import openpyxl
import pytest
import yaml
from csvw import CSVW

from flgraph import citation
from flgraph.archive import repository_citation
from flgraph.query.saved import load_queries
from flgraph.rdfio import read_quads
from flgraph.release import read_release

from .conftest import DATA, ROOT
from .helpers import run_cli

pytestmark = pytest.mark.slow  # each builds the dataset


@pytest.fixture(scope="module")
def releases(tmp_path_factory) -> tuple[Path, Path]:
    a = tmp_path_factory.mktemp("release") / "a"
    b = tmp_path_factory.mktemp("release") / "b"
    for target in (a, b):
        result = run_cli("release", "-o", str(target))
        assert result.exit_code == 0, result.stderr
    return a, b


def files(folder: Path) -> dict[str, bytes]:
    return {str(p.relative_to(folder)): p.read_bytes() for p in sorted(folder.rglob("*"))
            if p.is_file()}


def test_two_releases_of_the_same_data_are_byte_identical(releases):
    a, b = releases
    assert files(a) == files(b)


def test_the_checksums_verify_with_sha256sum(releases):
    a, _ = releases
    sha256sum = shutil.which("sha256sum")
    assert sha256sum, "coreutils' sha256sum"
    listed = [line.split("  ", 1)[1] for line in (a / "SHA256SUMS").read_text().splitlines()]
    assert sorted(listed) == sorted(n for n in files(a) if n != "SHA256SUMS")
    subprocess.run([sha256sum, "--check", "--strict", "--quiet", "SHA256SUMS"], cwd=a,
                   check=True)
    (a / "README.md").write_text("changed", encoding="utf-8")
    assert subprocess.run([sha256sum, "--check", "--quiet", "SHA256SUMS"], cwd=a,
                          capture_output=True).returncode != 0


def test_the_release_holds_everything_an_archive_takes(releases, tmp_path):
    _, b = releases
    names = set(files(b))
    for ext in ("trig", "nq", "ttl", "nt", "jsonld", "rdf"):
        assert f"flgraph.{ext}" in names
    assert {"ontology.ttl", "shapes.ttl", "void.ttl", "validation.json", "CITATION.cff",
            "README.md", "SHA256SUMS"} <= names
    assert len(read_quads(b / "flgraph.trig")) == len(read_quads(DATA))
    assert json.loads((b / "validation.json").read_text())["conforms"] is True
    for name, saved in load_queries().items():
        assert f"queries/{name}.rq" in names
        if any(not p.optional and p.default is None for p in saved.params):
            continue  # needs a value to run: archived as its text only
        for ext in ("csv", "csv-metadata.json", "xlsx"):
            assert f"queries/{name}.{ext}" in names, (name, ext)
        reader = CSVW(str(b / "queries" / f"{name}.csv-metadata.json"), validate=True)
        assert reader.is_valid, (name, reader.warnings)
        openpyxl.load_workbook(b / "queries" / f"{name}.xlsx")
    by_name = {r["name"]: r for r in CSVW(
        str(b / "queries" / "external-identifiers.csv-metadata.json")).tables[0].iterdicts()}
    assert by_name["Brazil"]["m49"] == "076"  # Brazil's UN M49 code, leading zero kept
    cff = yaml.safe_load((b / "CITATION.cff").read_text(encoding="utf-8"))
    assert cff["cff-version"] == "1.2.0" and cff["version"].startswith(read_release().number)
    assert "license" not in cff  # one SPDX licence would cover the ILO's text too
    assert "Protocol 2 of the Universal Copyright Convention" in cff["abstract"]
    readme = (b / "README.md").read_text(encoding="utf-8")
    assert cff["version"] in readme and "ISBN 978-92-2-127735-4" in readme


def test_a_release_number_renames_the_version_and_keeps_the_content_hash(tmp_path, releases):
    a, _ = releases
    result = run_cli("release", "-o", str(tmp_path / "r"), "--version", "2.0.0")
    assert result.exit_code == 0, result.stderr
    before = yaml.safe_load((a / "CITATION.cff").read_text())["version"]
    after = yaml.safe_load((tmp_path / "r" / "CITATION.cff").read_text())["version"]
    assert after == "2.0.0+" + before.split("+")[1]
    assert f'"{after}"' in (tmp_path / "r" / "void.ttl").read_text()


def test_release_refuses_a_used_directory_and_a_bad_number(tmp_path):
    (tmp_path / "old.txt").write_text("x")
    result = run_cli("release", "-o", str(tmp_path))
    assert result.exit_code == 2 and "not empty" in result.stderr
    result = run_cli("release", "-o", str(tmp_path / "new"), "--version", "v1")
    assert result.exit_code == 2 and "X.Y.Z" in result.stderr


def test_the_repository_citation_file_is_current():
    from flgraph.store import open_store
    from flgraph.web.internal_queries import sparql

    store = open_store("memory", DATA)
    card = citation.card_from_rows(store.query(sparql("dataset-card")).dicts())
    expected = repository_citation(card, read_release())
    assert (ROOT / "CITATION.cff").read_text(encoding="utf-8") == expected, (
        "CITATION.cff is stale: flgraph cite id/dataset --format cff > CITATION.cff")
    printed = run_cli("cite", "id/dataset", "--format", "cff")
    assert printed.exit_code == 0 and printed.stdout == expected
