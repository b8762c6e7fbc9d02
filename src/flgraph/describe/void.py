"""A VoID and DCAT description of the served dataset, as RDF triples.

Pure: statistics, the site's URLs and the dumps go in, triples come out; the web layer
gathers the numbers (SPARQL on the store) and serialises the result. The description
states only what it can source: counts from the store, titles from the data's own
outcomes, the vocabularies its classes and properties come from, and the version,
licence and rights the build wrote into the data (``id/dataset``). The licence covers
the graph's own structure, identifiers and links; the rights statement says the
report's text stays the ILO's. Both are stated on the dataset and on each distribution.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field

import pyoxigraph as ox

from .. import namespaces as ns
from ..rdfio import sort_key

IANA_MEDIA = "https://www.iana.org/assignments/media-types/"


@dataclass(frozen=True)
class DatasetStats:
    triples: int  # quads: a triple in two graphs counts twice, as the store counts
    distinct_subjects: int
    distinct_objects: int
    classes: Mapping[str, int]  # class IRI → instances
    properties: Mapping[str, int]  # property IRI → triples
    graphs: Mapping[str, int]  # named graph IRI → triples


@dataclass(frozen=True)
class Dump:
    name: str  # the file name, which names its distribution: "flgraph.ttl"
    url: str
    media_type: str
    title: str  # the format's name: "Turtle"


@dataclass(frozen=True)
class About:
    """What the data says about itself (dataset-about.rq)."""

    outcomes: Mapping[str, str] = field(default_factory=dict)  # IRI → label, report order
    sources: tuple[str, ...] = ()  # source document IRIs
    activities: tuple[str, ...] = ()  # the builds that generated the graphs
    version: str = ""  # "0.1.0+<content hash>", as the build wrote it
    date: str = ""  # the build date (ISO)
    licence: str = ""  # IRI of the licence of the graph's own structure
    rights: str = ""  # what the licence covers and what stays the ILO's


@dataclass(frozen=True)
class Site:
    document: str  # the URL of this description (…/.well-known/void)
    sparql: str  # the SPARQL endpoint's URL
    uri_space: str  # where the dataset's instance IRIs live


def describe(stats: DatasetStats, site: Site, dumps: Iterable[Dump],
             about: About = About()) -> list[ox.Triple]:
    """The VoID + DCAT triples of the dataset, in a stable order."""
    out = _Triples(site.document)
    dataset = out.node("dataset")
    doc = ox.NamedNode(site.document)
    out.add(doc, ns.RDF + "type", ox.NamedNode(ns.VOID + "DatasetDescription"))
    out.add(doc, ns.FOAF + "primaryTopic", dataset)
    for kind in (ns.VOID + "Dataset", ns.DCAT + "Dataset"):
        out.add(dataset, ns.RDF + "type", ox.NamedNode(kind))
    _titles(out, dataset, about)
    _counts(out, dataset, stats)
    out.add(dataset, ns.VOID + "uriSpace", ox.Literal(site.uri_space))
    for vocabulary in vocabularies(stats):
        out.add(dataset, ns.VOID + "vocabulary", ox.NamedNode(vocabulary))
    for outcome in sorted(about.outcomes):
        out.add(dataset, ns.VOID + "rootResource", ox.NamedNode(outcome))
    _release(out, dataset, about)
    _partitions(out, dataset, stats)
    _distributions(out, dataset, dumps, about)
    _endpoint(out, dataset, site)
    # Grouped by subject, types first: Turtle then writes one block per node.
    return sorted(out.triples, key=lambda t: sort_key(ox.Quad(t.subject, t.predicate, t.object)))


def vocabularies(stats: DatasetStats) -> list[str]:
    """The known vocabularies whose terms the data uses (as classes or properties)."""
    used = set(stats.classes) | set(stats.properties)
    found = set()
    for namespace in ns.PREFIXES.values():
        if namespace != ns.ID and any(term.startswith(namespace) for term in used):
            found.add(ns.ONTOLOGY if namespace == ns.FLG else namespace.rstrip("#"))
    return sorted(found)


class _Triples:
    def __init__(self, document: str) -> None:
        self.document = document
        self.triples: list[ox.Triple] = []

    def node(self, name: str) -> ox.NamedNode:
        """A node of this description: a fragment of its document's URL."""
        return ox.NamedNode(f"{self.document}#{name}")

    def add(self, subject, predicate: str, obj) -> None:
        self.triples.append(ox.Triple(subject, ox.NamedNode(predicate), obj))


def _titles(out: _Triples, dataset, about: About) -> None:
    # in the report's order, as dataset-about.rq lists the outcomes (9 before 15)
    labels = [label for label in about.outcomes.values() if label]
    title = "flgraph" + (": " + "; ".join(labels) if labels else "")
    out.add(dataset, ns.DCTERMS + "title", ox.Literal(title, language="en"))
    what = (f"the report section{'s' if len(about.sources) != 1 else ''} on "
            + "; ".join(labels)) if labels else "report sections"
    out.add(dataset, ns.DCTERMS + "description", ox.Literal(
        f"A knowledge graph read from {what}; every fact links to its evidence in the "
        "source text.", language="en"))
    for source in about.sources:
        out.add(dataset, ns.DCTERMS + "source", ox.NamedNode(source))
    for activity in about.activities:
        out.add(dataset, ns.PROV + "wasGeneratedBy", ox.NamedNode(activity))


def _integer(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=ox.NamedNode(ns.XSD + "integer"))


def _counts(out: _Triples, dataset, stats: DatasetStats) -> None:
    out.add(dataset, ns.VOID + "triples", _integer(stats.triples))
    out.add(dataset, ns.VOID + "distinctSubjects", _integer(stats.distinct_subjects))
    out.add(dataset, ns.VOID + "distinctObjects", _integer(stats.distinct_objects))
    out.add(dataset, ns.VOID + "classes", _integer(len(stats.classes)))
    out.add(dataset, ns.VOID + "properties", _integer(len(stats.properties)))


def _partitions(out: _Triples, dataset, stats: DatasetStats) -> None:
    for cls, instances in sorted(stats.classes.items()):
        part = out.node("class-" + _slug(cls))
        out.add(dataset, ns.VOID + "classPartition", part)
        out.add(part, ns.VOID + "class", ox.NamedNode(cls))
        out.add(part, ns.VOID + "entities", _integer(instances))
    for prop, triples in sorted(stats.properties.items()):
        part = out.node("property-" + _slug(prop))
        out.add(dataset, ns.VOID + "propertyPartition", part)
        out.add(part, ns.VOID + "property", ox.NamedNode(prop))
        out.add(part, ns.VOID + "triples", _integer(triples))
    for graph, triples in sorted(stats.graphs.items()):
        part = out.node("graph-" + _slug(graph))
        out.add(dataset, ns.VOID + "subset", part)
        out.add(part, ns.RDF + "type", ox.NamedNode(ns.VOID + "Dataset"))
        out.add(part, ns.SD + "name", ox.NamedNode(graph))
        out.add(part, ns.VOID + "triples", _integer(triples))


def _release(out: _Triples, dataset, about: About) -> None:
    if about.version:
        out.add(dataset, ns.DCTERMS + "hasVersion", ox.Literal(about.version))
        out.add(dataset, ns.OWL + "versionInfo", ox.Literal(about.version))
    if about.date:
        out.add(dataset, ns.DCTERMS + "issued",
                ox.Literal(about.date, datatype=ox.NamedNode(ns.XSD + "date")))
    _rights(out, dataset, about)


def _rights(out: _Triples, node, about: About) -> None:
    if about.licence:
        out.add(node, ns.DCTERMS + "license", ox.NamedNode(about.licence))
    if about.rights:
        out.add(node, ns.DCTERMS + "rights", ox.Literal(about.rights, language="en"))


def _distributions(out: _Triples, dataset, dumps: Iterable[Dump], about: About) -> None:
    for dump in dumps:
        url = ox.NamedNode(dump.url)
        out.add(dataset, ns.VOID + "dataDump", url)
        dist = out.node("dump-" + dump.name)
        out.add(dataset, ns.DCAT + "distribution", dist)
        out.add(dist, ns.RDF + "type", ox.NamedNode(ns.DCAT + "Distribution"))
        out.add(dist, ns.DCTERMS + "title", ox.Literal(dump.title, language="en"))
        out.add(dist, ns.DCAT + "downloadURL", url)
        out.add(dist, ns.DCAT + "mediaType", ox.NamedNode(IANA_MEDIA + dump.media_type))
        _rights(out, dist, about)


def _endpoint(out: _Triples, dataset, site: Site) -> None:
    endpoint = ox.NamedNode(site.sparql)
    out.add(dataset, ns.VOID + "sparqlEndpoint", endpoint)
    service = out.node("sparql-service")
    out.add(service, ns.RDF + "type", ox.NamedNode(ns.DCAT + "DataService"))
    out.add(service, ns.RDF + "type", ox.NamedNode(ns.SD + "Service"))
    out.add(service, ns.DCTERMS + "title", ox.Literal("SPARQL endpoint", language="en"))
    out.add(service, ns.DCAT + "endpointURL", endpoint)
    out.add(service, ns.SD + "endpoint", endpoint)
    out.add(service, ns.DCAT + "servesDataset", dataset)
    dist = out.node("sparql")
    out.add(dataset, ns.DCAT + "distribution", dist)
    out.add(dist, ns.RDF + "type", ox.NamedNode(ns.DCAT + "Distribution"))
    out.add(dist, ns.DCTERMS + "title", ox.Literal("SPARQL endpoint", language="en"))
    out.add(dist, ns.DCAT + "accessURL", endpoint)
    out.add(dist, ns.DCAT + "accessService", service)


_FRAGMENT = re.compile(r"^[A-Za-z0-9_.~/-]+$")


def _slug(iri: str) -> str:
    """A readable, stable fragment for an IRI: its prefixed name when that is plain
    enough for a fragment, otherwise a short hash (never two IRIs on one fragment)."""
    for prefix, namespace in ns.PREFIXES.items():
        local = iri[len(namespace):]
        if iri.startswith(namespace) and local and _FRAGMENT.match(local):
            return f"{prefix}-{local}"
    return hashlib.sha256(iri.encode("utf-8")).hexdigest()[:12]
