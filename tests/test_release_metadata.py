"""The source as a reference and the dataset's version, as the build writes them."""

from __future__ import annotations

import hashlib
import shutil

import pyoxigraph as ox
import pytest

from flgraph.rdfio import FORMATS, read_quads, write_quads
from flgraph.release import read_release

from .conftest import DATA, SEED
from .helpers import ID, run_cli

DCT = "http://purl.org/dc/terms/"
SCHEMA = "https://schema.org/"
REPORT = ID + "report/ilo-programme-implementation-2012-13"
DATASET = ID + "dataset"


def _values(quads, subject: str, predicate: str) -> set[str]:
    return {q.object.value for q in quads
            if q.subject.value == subject and q.predicate.value == predicate}


def test_the_report_is_described_as_its_imprint_page_gives_it():
    quads = read_quads(DATA)
    # read from the report's imprint page: title, ISBNs (print, web pdf), ISSN, year
    assert _values(quads, REPORT, DCT + "title") == {"ILO programme implementation 2012–13"}
    assert _values(quads, REPORT, SCHEMA + "isbn") == {"978-92-2-127734-7", "978-92-2-127735-4"}
    assert _values(quads, REPORT, SCHEMA + "issn") == {"0074-6681"}
    assert _values(quads, REPORT, DCT + "issued") == {"2014"}
    assert "103rd Session" in next(iter(_values(quads, REPORT, DCT + "description")))
    rights = next(iter(_values(quads, REPORT, DCT + "rights")))
    assert "Protocol 2 of the Universal Copyright Convention" in rights
    source = ID + "source/000_2635207760a74e4f"
    assert _values(quads, source, DCT + "isPartOf") == {REPORT}
    # the section's page names the report and the section (Outcome 15), not the file
    skos_pref = "http://www.w3.org/2004/02/skos/core#prefLabel"
    assert _values(quads, source, skos_pref) == {"ILO programme implementation 2012–13, Outcome 15"}
    (reference,) = _values(quads, source, DCT + "bibliographicCitation")
    assert "ISBN 978-92-2-127734-7 (print)" in reference and reference.endswith("Outcome 15.")


def test_the_version_is_the_release_number_and_the_hash_of_the_rest_of_the_data():
    quads = read_quads(DATA)
    release = read_release()
    (version,) = _values(quads, DATASET, DCT + "hasVersion")
    (digest,) = _values(quads, DATASET, "https://w3id.org/flgraph/ontology#sha256")
    assert version == f"{release.number}+{digest[:12]}"
    build = ID + "graph/build"
    rest = [q for q in quads if not (q.subject.value == DATASET and q.graph_name.value == build)]
    nquads = write_quads(rest, None, FORMATS["nq"])
    assert hashlib.sha256(nquads).hexdigest() == digest
    assert _values(quads, DATASET, DCT + "license") == {
        "https://creativecommons.org/licenses/by/4.0/"}
    (rights,) = _values(quads, DATASET, DCT + "rights")
    assert "CC BY 4.0" in rights and "Protocol 2 of the Universal Copyright Convention" in rights


@pytest.mark.slow  # builds the dataset
def test_the_build_date_comes_from_source_date_epoch(tmp_path, monkeypatch):
    out = tmp_path / "flgraph.trig"
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "1400000000")  # 2014-05-13 13:33:20 UTC
    assert run_cli("build", "-o", str(out)).exit_code == 0
    assert _values(read_quads(out), DATASET, DCT + "issued") == {"2014-05-13"}


@pytest.mark.slow  # builds the dataset
def test_a_section_without_metadata_builds_without_a_report(tmp_path):
    section = tmp_path / SEED.name
    shutil.copy(SEED, section)  # the text alone, no .meta.yaml beside it
    out = tmp_path / "flgraph.trig"
    result = run_cli("build", str(section), "-o", str(out))
    assert result.exit_code == 0, result.stderr
    quads = read_quads(out)
    assert not any(q.subject.value == REPORT for q in quads)
    assert _values(quads, DATASET, DCT + "hasVersion")  # still versioned
    assert not any(isinstance(q.object, ox.BlankNode) for q in quads)
