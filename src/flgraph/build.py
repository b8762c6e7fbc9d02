"""The build pipeline: sources → records → dataset → validation → file.

Composes the stages; each of them stays ignorant of the others. A dataset that violates
a shape is not written, and the file is replaced atomically, so a failed build leaves
the previous dataset in place.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from . import __version__, paths
from .config import environment
from .durable import write_atomically
from .extract import extract_files, read_source
from .rdfio import FORMATS, from_rdflib, write_quads
from .reference import load_reference
from .release import Release, build_date, content_hash, read_release, version_string
from .validation.validate import ValidationReport, validate_dataset


class InvalidDataset(Exception):
    """The built dataset violates the shapes; nothing was written."""

    def __init__(self, report: ValidationReport) -> None:
        super().__init__(f"the built dataset {report.summary()}")
        self.report = report


@dataclass(frozen=True)
class BuildResult:
    output: Path
    triples: int
    graphs: int
    sources: int
    report: ValidationReport


def default_sources() -> list[Path]:
    """The report sections in data/source/ (``*.txt``; the folder's README is not one)."""
    return sorted(paths.source_dir().glob("*.txt"))


def build(sources: list[Path] | None = None, output: Path | None = None,
          base: str | None = None) -> BuildResult:
    from rdflib import Graph

    from .extract.metadata import read_metadata
    from .model import BuildInputs, build_dataset
    from .model.vocab import load_vocabulary

    sources = sources or default_sources()
    output = output or paths.dataset_file()
    reference = load_reference()
    outcomes = extract_files(sources, reference)
    documents = [read_source(path) for path in sources]
    inputs = BuildInputs(
        reference=reference,
        vocab=load_vocabulary(),
        ontology=Graph().parse(paths.ontology_dir() / "flgraph.ttl", format="turtle"),
        editorial=_editorial(),
        checksums=_input_checksums(),
        version=__version__,
        timestamp=_source_date(),
        metadata={p.name: m for p in sources if (m := read_metadata(p)) is not None},
        **({"base": base} if base else {}),
    )
    dataset = build_dataset(outcomes, documents, inputs)
    quads = _with_version(dataset, read_release(), base)
    report = validate_dataset(dataset)  # the version's statements included
    if not report.conforms:
        raise InvalidDataset(report)
    write_atomically(output, lambda path: write_quads(quads, path, FORMATS["trig"]))
    graphs = len({q.graph_name for q in quads})
    return BuildResult(output, len(quads), graphs, len(documents), report)


def _with_version(dataset, release: Release, base: str | None) -> list:
    """The dataset's quads with its version: the release number, the content hash of the
    quads as sorted N-Quads (before the version joins them) and the build date."""
    from .model import add_dataset_release

    digest = content_hash(write_quads(from_rdflib(dataset), None, FORMATS["nq"]))
    add_dataset_release(dataset, release, version=version_string(release.number, digest),
                        digest=digest, date=build_date(release),
                        **({"base": base} if base else {}))
    return list(from_rdflib(dataset))


def _editorial():
    from rdflib import Graph

    path = paths.reference_dir() / "editorial.ttl"
    graph = Graph()
    if path.exists():
        graph.parse(path, format="turtle")
    return graph


def _input_checksums() -> dict[str, str]:
    """Checksums of the reference tables, schemes and ontology the build read."""
    files = [*sorted(paths.reference_dir().glob("*.csv")),
             *sorted((paths.ontology_dir() / "vocab").glob("*.ttl")),
             paths.ontology_dir() / "flgraph.ttl"]
    return {f.name: hashlib.sha256(f.read_bytes()).hexdigest() for f in files if f.exists()}


def _source_date() -> datetime | None:
    """The build time from SOURCE_DATE_EPOCH, the reproducible-builds convention."""
    epoch = environment().source_date_epoch
    if not epoch:
        return None
    try:
        return datetime.fromtimestamp(int(epoch), UTC)
    except ValueError:
        return None
