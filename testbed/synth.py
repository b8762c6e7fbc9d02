"""Synthetic report-shaped datasets at a chosen size, built by the real pipeline.

    python testbed/synth.py --triples 200000 -o bench/work/synth-200k.trig

Sections are written in the real report's layout (``synth_sections``), one outcome a
file, numbered from 15 so that outcome 15 lists Zambia as the real one does; then
``flgraph.extract`` reads them and ``flgraph.model`` turns the records into RDF, exactly
as ``flgraph build`` does, without the pyshacl validation (minutes at these sizes, and
not what is being measured). The graph therefore has the real data's shape, and every
saved query finds rows in it. Files are cached under ``bench/work/`` with a ``.json``
beside each, which records what was built and how long it took.

Size is reached by the number of outcomes, each of a fixed ``Shape``; how many triples
one outcome makes is measured on a sample first, and a size below two outcomes is met
by the number of results-chain rows of one. The reference graph (187 member States,
2,310 triples) and the ontology (298) alone exceed 2k triples, so below 10k ``--trim``
(automatic there) keeps only the member States the sections name and leaves the
ontology graph out.

Large sizes are built in chunks of outcomes, each through extract + model on its own,
the quads merged. Measured at 2M: in one piece 3.5 min and 5.3 GB peak (rdflib holds the
whole dataset), in chunks of 10 outcomes 2.75 min and 2.4 GB, and the same bytes. The
shared graphs (reference, vocabularies, cube) come out identical from every chunk, and
the build activity is written once for all sources, so the merge equals a one-piece
build (tests/test_synth.py checks it on a small size). The build's inputs are the ones
``flgraph build`` reads (its ``_editorial`` and ``_input_checksums``), so the two agree.
"""

from __future__ import annotations

import argparse
import json
import math
import resource
import shutil
import sys
import time
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make ``testbed`` importable
    sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import pyoxigraph as ox

from flgraph import __version__, paths
from flgraph.build import _editorial, _input_checksums
from flgraph.extract import extract_files, read_source
from flgraph.extract.records import Outcome
from flgraph.rdfio import FORMATS, from_rdflib, write_quads
from flgraph.reference import Reference, load_reference
from testbed.synth_sections import ANCHOR_OUTCOME, TINY, Shape, section

WORK = Path(__file__).resolve().parents[1] / "bench" / "work"  # the benchmarks' cache
SIZES = {"2k": 2_000, "20k": 20_000, "200k": 200_000, "2m": 2_000_000}
SEED = 20131
#: Below this many triples the shared graphs would be most of the data: trim them.
TRIM_BELOW = 10_000
#: Outcomes per extract + model chunk (~150k triples with the default shape).
CHUNK_OUTCOMES = 10
#: Bumped whenever the generator changes what it writes, so caches are rebuilt.
GENERATOR_VERSION = 4


@dataclass
class Synth:
    """What was generated: the file, its size, and what it took."""

    path: str
    target: int
    triples: int = 0
    graphs: int = 0
    outcomes: int = 0
    shape: dict = field(default_factory=dict)
    trimmed: bool = False
    seed: int = SEED
    chunks: int = 0
    seconds: dict = field(default_factory=dict)  # stage → seconds
    peak_rss_mb: float = 0.0
    generator: int = GENERATOR_VERSION
    graph_sizes: dict = field(default_factory=dict)


def shape_for(target: int) -> Shape:
    return TINY if target < TRIM_BELOW else Shape()


def ensure(
    target: int,
    output: Path | None = None,
    *,
    seed: int = SEED,
    trim: bool | None = None,
    chunk: int = CHUNK_OUTCOMES,
    quiet: bool = False,
) -> Synth:
    """The dataset for ``target`` triples, generated unless a matching one is cached."""
    output = output or WORK / f"synth-{label(target)}.trig"
    trim = target < TRIM_BELOW if trim is None else trim
    meta_path = output.with_suffix(".json")
    if output.is_file() and meta_path.is_file():
        meta = Synth(**json.loads(meta_path.read_text()))
        if (meta.target, meta.seed, meta.trimmed, meta.generator) == (
            target,
            seed,
            trim,
            GENERATOR_VERSION,
        ):
            return meta
    meta = generate(target, output, seed=seed, trim=trim, chunk=chunk, quiet=quiet)
    meta_path.write_text(json.dumps(asdict(meta), indent=2) + "\n")
    return meta


def label(triples: int) -> str:
    for name, size in SIZES.items():
        if size == triples:
            return name
    return str(triples)


def generate(
    target: int,
    output: Path,
    *,
    seed: int = SEED,
    trim: bool = False,
    chunk: int = CHUNK_OUTCOMES,
    quiet: bool = False,
) -> Synth:
    """Write the sections for ``target`` triples, build them, write the TriG file."""
    reference = load_reference()
    sources = output.with_name(output.stem + "-sections")
    started = time.monotonic()
    shape, outcomes = plan(target, sources, reference, seed, trim)
    meta = Synth(
        str(output),
        target,
        outcomes=outcomes,
        shape=asdict(shape),
        trimmed=trim,
        seed=seed,
        chunks=math.ceil(outcomes / chunk),
    )
    shutil.rmtree(sources)  # the planning's trial files
    files = _write(
        sources, range(ANCHOR_OUTCOME, ANCHOR_OUTCOME + outcomes), shape, seed, reference
    )
    meta.seconds["plan + write sections"] = round(time.monotonic() - started, 2)
    quads = _build(files, reference, trim, chunk, meta.seconds, quiet)
    started = time.monotonic()
    output.parent.mkdir(parents=True, exist_ok=True)
    write_quads(quads, output, FORMATS["trig"])
    meta.seconds["write TriG"] = round(time.monotonic() - started, 2)
    meta.triples = len(quads)
    sizes: dict[str, int] = {}
    for quad in quads:
        name = getattr(quad.graph_name, "value", "")
        sizes[name] = sizes.get(name, 0) + 1
    meta.graph_sizes = dict(sorted(sizes.items()))
    meta.graphs = len(sizes)
    meta.peak_rss_mb = round(resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, 1)
    return meta


def plan(
    target: int, directory: Path, reference: Reference, seed: int, trim: bool
) -> tuple[Shape, int]:
    """The shape of an outcome and how many outcomes come closest to ``target``.

    Three outcomes are built to measure the triples one adds beyond the shared graphs.
    A target below two outcomes is met by one outcome with as many results-chain rows
    as come closest (bisection: each row adds a few hundred triples).
    """
    shape = shape_for(target)
    sample = _size(directory, 3, shape, seed, reference, trim)
    shared = _size(directory, 0, shape, seed, reference, trim)
    outcomes = round((target - shared) / ((sample - shared) / 3))
    if outcomes >= 2:
        return shape, outcomes
    low, high = 1, min(len(reference.countries), 4 * shape.chain_rows)
    while low < high:  # the fewest rows reaching the target
        middle = (low + high) // 2
        if _size(directory, 1, replace(shape, chain_rows=middle), seed, reference, trim) < target:
            low = middle + 1
        else:
            high = middle
    sizes = {
        rows: _size(directory, 1, replace(shape, chain_rows=rows), seed, reference, trim)
        for rows in {max(1, low - 1), low}
    }
    rows = min(sizes, key=lambda rows: abs(sizes[rows] - target))
    return replace(shape, chain_rows=rows), 1


def _size(
    directory: Path, outcomes: int, shape: Shape, seed: int, reference: Reference, trim: bool
) -> int:
    """Triples of a dataset of ``outcomes`` outcomes (0: only the shared graphs)."""
    files = _write(
        directory, range(ANCHOR_OUTCOME, ANCHOR_OUTCOME + max(1, outcomes)), shape, seed, reference
    )
    quads = _build(files, reference, trim, CHUNK_OUTCOMES)
    if outcomes:
        return len(quads)
    shared = ("graph/reference", "graph/vocab", "graph/editorial", "ontology")
    return sum(1 for q in quads if getattr(q.graph_name, "value", "").endswith(shared))


def _write(
    directory: Path, numbers: range, shape: Shape, seed: int, reference: Reference
) -> list[Path]:
    """One section file per outcome; the name is the source's identifier in the graph."""
    directory.mkdir(parents=True, exist_ok=True)
    files = []
    for number in numbers:
        path = directory / f"synth-{number:05d}.txt"
        path.write_text(section(number, shape, seed, reference), encoding="utf-8")
        files.append(path)
    return files


def _build(
    files: list[Path],
    reference: Reference,
    trim: bool,
    chunk: int,
    seconds: dict | None = None,
    quiet: bool = True,
) -> set[ox.Quad]:
    """extract + model, ``chunk`` files at a time; the quads of all chunks, merged."""
    from flgraph.model.iri import Minter

    seconds = seconds if seconds is not None else {}
    quads: set[ox.Quad] = set()
    build_graph = str(Minter().graph("build"))  # written once, for all chunks: _activity
    groups = [files[k : k + chunk] for k in range(0, len(files), chunk)]
    for group in _progress(groups, "extract + model", quiet):
        started = time.monotonic()
        outcomes = extract_files(group, reference)
        documents = [read_source(path) for path in group]
        _add(seconds, "extract", started)
        started = time.monotonic()
        dataset = _model(outcomes, documents, reference, trim)
        _add(seconds, "model", started)
        started = time.monotonic()
        quads.update(
            q for q in from_rdflib(dataset) if getattr(q.graph_name, "value", "") != build_graph
        )
        del dataset
        _add(seconds, "to quads", started)
    quads.update(_activity([read_source(path) for path in files]))
    return quads


def _add(seconds: dict, stage: str, started: float) -> None:
    seconds[stage] = round(seconds.get(stage, 0.0) + time.monotonic() - started, 2)


def _inputs(reference: Reference, trim: bool):
    """What ``flgraph build`` passes to the model, with the reference trimmed if asked."""
    from rdflib import Graph

    from flgraph.model import BuildInputs
    from flgraph.model.vocab import load_vocabulary

    ontology = Graph()
    if not trim:
        ontology.parse(paths.ontology_dir() / "flgraph.ttl", format="turtle")
    return BuildInputs(
        reference=reference,
        vocab=load_vocabulary(),
        ontology=ontology,
        editorial=_editorial(),
        checksums=_input_checksums(),
        version=__version__,
        timestamp=None,
    )


def _model(outcomes: list[Outcome], documents, reference: Reference, trim: bool):
    from flgraph.model import build_dataset

    if trim:
        used = used_countries(outcomes)
        reference = Reference(
            countries=tuple(c for c in reference.countries if c.iso3 in used),
            regions=reference.regions,
        )
    return build_dataset(outcomes, documents, _inputs(reference, trim))


def _activity(documents) -> list[ox.Quad]:
    """The build graph for all sources at once, as one ``flgraph build`` would write it."""
    from rdflib import Dataset

    from flgraph.model.iri import Minter
    from flgraph.model.provenance import add_activity, build_checksum

    iri = Minter()
    checksums = _input_checksums()
    dataset = Dataset()
    graphs = [iri.graph("source", iri.source(d.name).rsplit("/", 1)[-1]) for d in documents]
    add_activity(
        dataset.graph(iri.graph("build")),
        iri,
        version=__version__,
        checksum=build_checksum(__version__, documents, checksums),
        sources=[iri.source(d.name) for d in documents],
        tables={iri.reference_table(name): sha for name, sha in checksums.items()},
        graphs=[*graphs, iri.graph("entities"), iri.graph("cube")],
        timestamp=None,
    )
    return list(from_rdflib(dataset))


def used_countries(outcomes: list[Outcome]) -> set[str]:
    """ISO codes of every member State the records name: listings, results-chain rows,
    output scopes and the countries organisations belong to."""
    used: set[str] = set()
    statements = []
    for outcome in outcomes:
        for indicator in outcome.indicators:
            used.update(listing.iso3 for listing in indicator.listings)
            statements.append(indicator.statement)
        for example in outcome.chain_examples:
            used.add(example.iso3)
            statements += [*example.contributions, *example.results]
        for item in outcome.outputs:
            if item.scope is not None and item.scope.kind == "country":
                used.add(item.scope.code)
            statements.append(item.statement)
        statements += [lesson.statement for lesson in outcome.lessons]
        statements += [paragraph.statement for paragraph in outcome.paragraphs]
    used.update(m.country for s in statements for m in s.organisations if m.country)
    return used


def _progress(items: list, what: str, quiet: bool):
    if quiet or len(items) < 2:
        return items
    from tqdm import tqdm

    return tqdm(items, desc=what, unit="chunk", file=sys.stderr)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--triples", type=int, required=True, help="Target size in triples.")
    parser.add_argument(
        "-o", "--output", type=Path, help="TriG file (default: bench/work/synth-<size>.trig)."
    )
    parser.add_argument("--seed", type=int, default=SEED)
    parser.add_argument(
        "--trim",
        action=argparse.BooleanOptionalAction,
        default=None,
        help="Keep only the member States used and leave the ontology out "
        f"(default: below {TRIM_BELOW:,} triples).",
    )
    parser.add_argument(
        "--chunk", type=int, default=CHUNK_OUTCOMES, help="Outcomes per extract + model chunk."
    )
    args = parser.parse_args(argv)
    meta = ensure(args.triples, args.output, seed=args.seed, trim=args.trim, chunk=args.chunk)
    print(
        f"{meta.path}: {meta.triples:,} triples in {meta.graphs} graphs, {meta.outcomes} "
        f"outcomes{' (trimmed reference, no ontology)' if meta.trimmed else ''}; "
        f"{meta.seconds}; peak RSS {meta.peak_rss_mb:,.0f} MB"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
