"""Records + reference data → an rdflib ``Dataset`` under the flgraph ontology.

Pure: no file is written here. Named graphs separate what was read from each source
(``id/graph/source/<name>``), the organisations and publications they name, each
described once (``id/graph/entities``), the reference tables (``id/graph/reference``), the
typology schemes (``id/graph/vocab``), the derived Data Cube (``id/graph/cube``),
editorial links that are not facts of the report (``id/graph/editorial``), the
ontology itself, and the build's provenance (``id/graph/build``).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from rdflib import Dataset, Graph, Literal, URIRef

from .. import namespaces as ns
from ..extract.metadata import SourceMetadata
from ..extract.records import Outcome, SourceDocument
from ..release import Release
from .bibliography import add_report
from .context import Context
from .cube import add_cube
from .examples import add_example
from .iri import Minter
from .outcomes import add_outcome
from .outputs import add_lesson, add_output, add_paragraph
from .places import add_reference, add_territories
from .provenance import add_activity, add_source, build_checksum
from .release import add_release
from .terms import DCTERMS, FLG, PROV, RDF, RDFS
from .vocab import Vocabulary

if TYPE_CHECKING:
    from ..reference import Reference


@dataclass
class BuildInputs:
    """Everything besides the records that the dataset is made from."""

    reference: Reference
    vocab: Vocabulary
    ontology: Graph
    editorial: Graph = field(default_factory=Graph)
    checksums: dict[str, str] = field(default_factory=dict)  # file name → sha256
    version: str = "0.0.0"
    timestamp: datetime | None = None
    base: str = ns.ID
    metadata: dict[str, SourceMetadata] = field(default_factory=dict)  # source name → its report


def build_dataset(outcomes: list[Outcome], sources: list[SourceDocument],
                  inputs: BuildInputs) -> Dataset:
    iri = Minter(inputs.base)
    ds = Dataset()
    for prefix, namespace in ns.PREFIXES.items():
        ds.bind(prefix, namespace if prefix != "id" else iri.base, replace=True)

    reference_graph = ds.graph(iri.graph("reference"))
    table = iri.reference_table("countries.csv")
    add_reference(reference_graph, iri, inputs.reference, table)
    add_territories(reference_graph, iri, _territories_listed(outcomes, inputs.reference),
                    iri.reference_table("territories.csv"))
    _copy(inputs.vocab.graph, ds.graph(iri.graph("vocab")))
    _copy(inputs.ontology, ds.graph(URIRef(ns.ONTOLOGY)))

    graphs = []
    entities = ds.graph(iri.graph("entities"))
    for doc in sources:
        graph = ds.graph(iri.graph("source", iri.source(doc.name).rsplit("/", 1)[-1]))
        graphs.append(graph.identifier)
        ctx = Context(graph, iri, inputs.reference, inputs.vocab, shared=entities)
        source = add_source(graph, iri, doc)
        if doc.name in inputs.metadata:
            add_report(graph, iri, inputs.metadata[doc.name], source)
        graph.add((graph.identifier, PROV.wasDerivedFrom, source))
        for outcome in (o for o in outcomes if o.source.name == doc.name):
            _add_outcome(ctx, outcome)
        if ctx.described_shared:
            entities.add((entities.identifier, PROV.wasDerivedFrom, source))
    if len(entities):
        graphs.append(entities.identifier)

    cube_graph = ds.graph(iri.graph("cube"))
    add_cube(cube_graph, Context(cube_graph, iri, inputs.reference, inputs.vocab), outcomes)
    graphs.append(cube_graph.identifier)
    _add_editorial(ds, iri, inputs.editorial)

    checksum = build_checksum(inputs.version, sources, inputs.checksums)
    add_activity(ds.graph(iri.graph("build")), iri, version=inputs.version, checksum=checksum,
                 sources=[iri.source(d.name) for d in sources],
                 tables={iri.reference_table(name): sha for name, sha in inputs.checksums.items()},
                 graphs=graphs, timestamp=inputs.timestamp)
    return ds


def add_dataset_release(ds: Dataset, release: Release, *, version: str, digest: str,
                        date: str, base: str = ns.ID) -> URIRef:
    """The dataset node with its version, in the build's graph (see model/release.py)."""
    iri = Minter(base)
    build = ds.graph(iri.graph("build"))
    sources = sorted({q[0] for q in ds.quads((None, RDF.type, FLG.SourceDocument, None))})
    reports = sorted({q[2] for s in sources for q in ds.quads((s, DCTERMS.isPartOf, None, None))})
    activity = next(iter(sorted(build.subjects(RDF.type, PROV.Activity))), None)
    return add_release(build, iri, release, version=version, digest=digest, date=date,
                       sources=sources, reports=reports, activity=activity)


def _add_outcome(ctx: Context, outcome: Outcome) -> None:
    node = add_outcome(ctx, outcome)
    for example in outcome.chain_examples:
        ctx.add(node, FLG.resultsChainExample, add_example(ctx, outcome.number, node, example))
    for output in outcome.outputs:
        add_output(ctx, outcome.number, node, output)
    for lesson in outcome.lessons:
        add_lesson(ctx, outcome.number, node, lesson)
    for paragraph in outcome.paragraphs:
        add_paragraph(ctx, outcome.number, node, paragraph)


def _territories_listed(outcomes: list[Outcome], reference: Reference) -> list:
    """The territories the sections list, described in the reference graph (only those:
    the table holds every ISO 3166-1 entry that is not a member State)."""
    codes = {listing.iso3 for outcome in outcomes for indicator in outcome.indicators
             for listing in indicator.listings}
    codes |= {example.iso3 for outcome in outcomes for example in outcome.chain_examples}
    return [t for t in reference.territories if t.iso3 in codes]


def _copy(source: Graph, target: Graph) -> None:
    for triple in source:
        target.add(triple)


def _add_editorial(ds: Dataset, iri: Minter, editorial: Graph) -> None:
    """Editorial links (e.g. an outcome to the SDG target it relates to), kept only for
    subjects the report produced, rebased onto the configured base."""
    if not len(editorial):
        return
    graph = ds.graph(iri.graph("editorial"))
    kept = []
    for s, p, o in sorted(editorial):
        s = _rebase(s, iri)
        if next(ds.quads((s, None, None, None)), None) is not None:
            kept.append((s, p, _rebase(o, iri) if isinstance(o, URIRef) else o))
    for number, (s, p, o) in enumerate(kept, start=1):
        graph.add((s, p, o))
        _mark_editorial(graph, iri.editorial(number), (s, p, o))


def _mark_editorial(graph: Graph, node: URIRef, triple: tuple) -> None:
    """Each editorial link is also described as an editorial statement, so that a query
    over the union of the graphs (where the link stands beside the report's facts) can
    tell it apart, and leave it out of what the report says."""
    s, p, o = triple
    graph.add((node, RDF.type, FLG.EditorialStatement))
    graph.add((node, RDF.subject, s))
    graph.add((node, RDF.predicate, p))
    graph.add((node, RDF.object, o))
    graph.add((node, RDFS.label, Literal("Editorial link: not stated by the report", lang="en")))


def _rebase(term: URIRef, iri: Minter) -> URIRef:
    if isinstance(term, URIRef) and str(term).startswith(ns.ID):
        return URIRef(iri.base + str(term)[len(ns.ID):])
    return term


__all__ = ["BuildInputs", "Minter", "add_dataset_release", "build_dataset"]
