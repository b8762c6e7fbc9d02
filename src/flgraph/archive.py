"""``flgraph release``: everything a data archive (Zenodo, a university repository) takes,
in one directory — the dumps in every RDF format, each saved query's answer as CSV with
its CSVW metadata and as XLSX, the ontology and shapes, the VoID/DCAT description, the
validation report, a CITATION.cff, a README and a SHA256SUMS list.

The files are the site's own answers, asked of the app in process (Flask's test client
with the site's address as its base URL): one code path, so the archive holds exactly
what the site serves. Everything is sorted or dated by the data, never by the clock, so
two runs on the same data give the same bytes.
"""

from __future__ import annotations

import hashlib
import json
import tempfile
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import yaml

from . import citation
from . import namespaces as ns
from .rdfio import FORMATS, read_quads, write_quads
from .release import Release

VERSION_PREDICATES = {ns.DCTERMS + "hasVersion", ns.OWL + "versionInfo",
                      ns.SCHEMA + "version"}
CITATION_CFF = "CITATION.cff"
TURTLE = "text/turtle"


class ReleaseRefused(Exception):
    """The output directory is not empty, or a saved query failed."""


@dataclass(frozen=True)
class Written:
    name: str  # path inside the release directory
    what: str  # one line for the README


def renumbered(quads: list[ox.Quad], number: str | None) -> list[ox.Quad]:
    """The quads with the dataset's version under a new release number (same content
    hash: the hash is of the data without its version statements)."""
    if not number:
        return quads
    out = []
    for q in quads:
        if q.subject.value.endswith("/id/dataset") and q.predicate.value in VERSION_PREDICATES:
            _, _, digest = q.object.value.partition("+")
            q = ox.Quad(q.subject, q.predicate, ox.Literal(f"{number}+{digest}"), q.graph_name)
        out.append(q)
    return out


def write_release(data: Path, output: Path, release: Release, site: str,
                  number: str | None = None) -> list[Written]:
    """Write the release of ``data`` into ``output`` (new or empty); returns its files."""
    if output.exists() and any(output.iterdir()):
        raise ReleaseRefused(f"{output} is not empty: a release goes into a new directory")
    output.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="flgraph-release-") as scratch:
        quads = renumbered(read_quads(data), number)
        served = Path(scratch) / "flgraph.trig"
        write_quads(quads, served, FORMATS["trig"])
        client = _client(served, Path(scratch) / "dumps", site)
        written = [*_dumps(quads, output), *_site_files(client, output),
                   *_queries(client, output)]
    card = citation.card_from_rows(_card_rows(client))
    written.append(_citation_cff(card, release, output, site))
    written.append(_readme(card, release, written, output))
    _checksums(output, [w.name for w in written])
    return written


def _client(data: Path, dumps: Path, site: str):
    from .web import create_app

    dumps.mkdir()
    app = create_app({"FLGRAPH_DATA": data, "FLGRAPH_CACHE": False,
                      "FLGRAPH_DUMP_DIR": str(dumps)})
    return app.test_client(), app, site.rstrip("/")


def _get(client, path: str, accept: str | None = None) -> bytes:
    test_client, _, site = client
    response = test_client.get(path, base_url=site, headers={"Accept": accept} if accept else {})
    if response.status_code != 200:
        raise ReleaseRefused(f"{path}: {response.status_code} {response.get_data(as_text=True)}")
    return response.get_data()


def _card_rows(client) -> list[dict]:
    from .query.service import QueryRequest
    from .web.internal_queries import sparql

    _, app, _ = client
    service = app.extensions["flgraph"].query_service
    return service.run(QueryRequest(sparql("dataset-card"))).dicts()


def _save(output: Path, name: str, body: bytes) -> None:
    target = output / name
    target.parent.mkdir(parents=True, exist_ok=True)
    target.write_bytes(body)


def _dumps(quads: list[ox.Quad], output: Path) -> list[Written]:
    written = []
    for fmt in FORMATS.values():
        name = f"flgraph.{fmt.extension}"
        _save(output, name, write_quads(quads, None, fmt))
        kept = "named graphs kept" if fmt.quads else "graphs merged"
        written.append(Written(name, f"the dataset in {fmt.label} ({kept})"))
    return written


def _site_files(client, output: Path) -> list[Written]:
    files = [("ontology.ttl", "/download/ontology.ttl", None, "the ontology (OWL, Turtle)"),
             ("shapes.ttl", "/download/shapes.ttl", None, "the SHACL shapes (Turtle)"),
             ("void.ttl", "/.well-known/void", TURTLE, "the VoID and DCAT description"),
             ("validation.json", "/validation", "application/json",
              "the SHACL validation report of the data")]
    written = []
    for name, path, accept, what in files:
        _save(output, name, _get(client, path, accept))
        written.append(Written(name, what))
    return written


def _queries(client, output: Path) -> list[Written]:
    """Each saved query's answer (default parameters): .rq, .csv + CSVW metadata, .xlsx.
    A query that needs a parameter it has no default for is archived as its .rq only."""
    _, app, _ = client
    written = []
    for name, saved in sorted(app.extensions["flgraph"].queries.items()):
        _save(output, f"queries/{name}.rq", saved.text.encode("utf-8"))
        written.append(Written(f"queries/{name}.rq", f"saved query: {saved.title}"))
        if any(not p.optional and p.default is None for p in saved.params):
            continue
        _save(output, f"queries/{name}.csv", _get(client, f"/queries/{name}.csv"))
        metadata = json.loads(_get(client, f"/queries/{name}.csv-metadata.json"))
        metadata["url"] = f"{name}.csv"  # beside it in the archive
        _save(output, f"queries/{name}.csv-metadata.json",
              json.dumps(metadata, ensure_ascii=False, indent=2).encode("utf-8"))
        _save(output, f"queries/{name}.xlsx", _get(client, f"/queries/{name}.xlsx"))
        written += [Written(f"queries/{name}.csv", f"answer of {name} (CSV)"),
                    Written(f"queries/{name}.csv-metadata.json",
                            f"CSVW metadata of {name}.csv: column titles and types"),
                    Written(f"queries/{name}.xlsx", f"answer of {name} (XLSX, About sheet)")]
    return written


def repository_citation(card: citation.DatasetCard, release: Release) -> str:
    """The repository's own CITATION.cff: the release number without the content hash,
    which changes with every rebuild (a release's CITATION.cff carries it)."""
    return citation_cff(card, release, "https://w3id.org/flgraph/", release.number)


def citation_cff(card: citation.DatasetCard, release: Release, site: str,
                 version: str | None = None) -> str:
    """CITATION.cff (Citation File Format 1.2.0) of the data, written by PyYAML.

    It names no ``license``: CFF's one SPDX licence would cover the whole release, and the
    report's text in it is the ILO's, not CC BY; the abstract states what is which."""
    document: dict = {
        "cff-version": "1.2.0",
        "message": "If you use this dataset, please cite it as below; cite the ILO report "
                   "it was read from as well.",
        "type": "dataset",
        "title": card.title,
        "authors": [{"name": "flgraph"}],
        "version": version or card.version or release.number,
        "date-released": card.date or release.date,
        "url": site.rstrip("/") + "/id/dataset",
        "abstract": "A knowledge graph read from ILO programme implementation reports; "
                    "every fact links to its evidence in the report's text. " + card.rights,
    }
    references = [_reference(r) for r in card.reports]
    if references:
        document["references"] = references
    return yaml.safe_dump({k: v for k, v in document.items() if v}, sort_keys=False,
                          allow_unicode=True, width=88)


def _reference(report: citation.Report) -> dict:
    out: dict = {"type": "report", "title": report.title,
                 "authors": [{"name": "International Labour Office"}],
                 "notes": report.reference}
    if report.issued[:4].isdigit():
        out["year"] = int(report.issued[:4])
    return out


def _citation_cff(card, release: Release, output: Path, site: str) -> Written:
    _save(output, CITATION_CFF, citation_cff(card, release, site).encode("utf-8"))
    return Written(CITATION_CFF, "how to cite this release (Citation File Format)")


def _readme(card: citation.DatasetCard, release: Release, written: list[Written],
            output: Path) -> Written:
    cited = citation.Cited(card.title, ns.ID + "dataset")
    lines = [f"# {card.title}", "", f"Version {card.version} of {card.date}.", "",
             "## How to cite", "", citation.text(card, cited), "",
             "## Rights", "", card.rights, "",
             *(f"The report: {r.rights}" for r in card.reports if r.rights), "",
             "## Releases", "", *(f"- {line}" for line in _history(release)), "",
             "## Files", "", *(f"- `{w.name}`: {w.what}" for w in written),
             "- `README.md`: this file",
             "- `SHA256SUMS`: the SHA-256 of every other file (`sha256sum -c SHA256SUMS`)", ""]
    _save(output, "README.md", "\n".join(lines).encode("utf-8"))
    return Written("README.md", "this file")


def _history(release: Release) -> list[str]:
    return [f"{e.version} ({e.date}): {e.changes}" for e in release.history]


def _checksums(output: Path, names: list[str]) -> None:
    lines = [f"{_sha256(output / name)}  {name}\n" for name in sorted(names)]
    (output / "SHA256SUMS").write_text("".join(lines), encoding="utf-8")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


__all__: list[str] = ["ReleaseRefused", "citation_cff", "renumbered", "repository_citation",
                      "write_release"]
