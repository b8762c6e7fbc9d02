"""The build as a prov:Activity: what it read (sources and reference tables, with
checksums), which software did it, and which graphs it generated.

The time of the build is recorded only when ``SOURCE_DATE_EPOCH`` gives it: a wall-clock
time would make every rebuild differ, and identical input must give identical bytes.
"""

from __future__ import annotations

import hashlib
from datetime import UTC, datetime

from rdflib import Graph, Literal, URIRef

from ..extract.records import SourceDocument
from .iri import Minter
from .terms import DCTERMS, FLG, PROV, RDF, RDFS, XSD


def build_checksum(version: str, sources: list[SourceDocument], inputs: dict[str, str]) -> str:
    """One checksum of everything the build read: it names the build activity."""
    digest = hashlib.sha256(version.encode())
    for doc in sorted(sources, key=lambda d: d.name):
        digest.update(f"{doc.name}:{doc.sha256}".encode())
    for name in sorted(inputs):
        digest.update(f"{name}:{inputs[name]}".encode())
    return digest.hexdigest()


def add_source(g: Graph, iri: Minter, doc: SourceDocument) -> URIRef:
    node = iri.source(doc.name)
    g.add((node, RDF.type, FLG.SourceDocument))
    g.add((node, RDFS.label, Literal(doc.name)))
    g.add((node, DCTERMS.title, Literal(doc.name)))
    g.add((node, FLG.sha256, Literal(doc.sha256)))
    g.add((node, DCTERMS.extent, Literal(len(doc.text.encode("utf-8")), datatype=XSD.integer)))
    g.add((node, DCTERMS.format, Literal("text/markdown")))
    return node


def add_activity(g: Graph, iri: Minter, *, version: str, checksum: str,
                 sources: list[URIRef], tables: dict[URIRef, str], graphs: list[URIRef],
                 timestamp: datetime | None) -> URIRef:
    activity = iri.build(checksum)
    software = iri.software(version)
    g.add((activity, RDF.type, PROV.Activity))
    g.add((activity, RDFS.label, Literal(f"flgraph build {checksum[:16]}")))
    g.add((activity, FLG.sha256, Literal(checksum)))
    g.add((activity, PROV.wasAssociatedWith, software))
    g.add((software, RDF.type, PROV.SoftwareAgent))
    g.add((software, RDFS.label, Literal(f"flgraph {version}")))
    g.add((software, DCTERMS.hasVersion, Literal(version)))
    for used in sources:
        g.add((activity, PROV.used, used))
    for table, sha in tables.items():
        g.add((activity, PROV.used, table))
        g.add((table, RDF.type, PROV.Entity))
        g.add((table, RDFS.label, Literal(table.rsplit("/", 1)[-1])))
        g.add((table, FLG.sha256, Literal(sha)))
    for graph in graphs:
        g.add((graph, PROV.wasGeneratedBy, activity))
    if timestamp is not None:
        g.add((activity, PROV.endedAtTime,
               Literal(timestamp.astimezone(UTC).isoformat(), datatype=XSD.dateTime)))
    return activity
