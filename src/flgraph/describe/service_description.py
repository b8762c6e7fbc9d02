"""The SPARQL 1.1 Service Description of the endpoint: what a client can learn about
``/sparql`` before it sends a query (W3C *SPARQL 1.1 Service Description*).

Built as RDF terms with pyoxigraph, so that every RDF format the endpoint writes can
carry it through the same renderer as a CONSTRUCT result; nothing here is a string
template.
"""

from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from .. import namespaces as ns
from ..formats import REGISTRY
from ..store import GraphResult

#: W3C's unique URIs for file formats, the values of sd:resultFormat (formats.py).
FORMAT_IRIS = {f.media_type: f.sd_iri for f in REGISTRY if f.sd_iri}


def _sd(local: str) -> ox.NamedNode:
    return ox.NamedNode(ns.SD + local)


def describe(endpoint: str, graphs: Iterable[str], media_types: Iterable[str],
             title: str = "flgraph SPARQL endpoint") -> GraphResult:
    """The service at ``endpoint``: read-only SPARQL 1.1 Query, the result formats of
    ``media_types``, and a default dataset whose default graph is the union of
    ``graphs`` (each also a named graph).

    Blank nodes get fixed labels so that the same dataset always gives the same bytes
    (the description is cached and compared by ETag).
    """
    service = ox.NamedNode(endpoint)
    dataset = ox.BlankNode("dataset")
    default = ox.BlankNode("defaultGraph")
    a = ox.NamedNode(ns.RDF + "type")
    triples = [
        ox.Triple(service, a, _sd("Service")),
        ox.Triple(service, ox.NamedNode(ns.DCTERMS + "title"), ox.Literal(title, language="en")),
        ox.Triple(service, _sd("endpoint"), service),
        ox.Triple(service, _sd("supportedLanguage"), _sd("SPARQL11Query")),
        ox.Triple(service, _sd("feature"), _sd("UnionDefaultGraph")),
        *(ox.Triple(service, _sd("resultFormat"), ox.NamedNode(FORMAT_IRIS[m]))
          for m in media_types if m in FORMAT_IRIS),
        ox.Triple(service, _sd("defaultDataset"), dataset),
        ox.Triple(dataset, a, _sd("Dataset")),
        ox.Triple(dataset, _sd("defaultGraph"), default),
        ox.Triple(default, a, _sd("Graph")),
    ]
    for number, name in enumerate(sorted(graphs), start=1):
        node = ox.BlankNode(f"namedGraph{number}")
        triples += [ox.Triple(dataset, _sd("namedGraph"), node),
                    ox.Triple(node, a, _sd("NamedGraph")),
                    ox.Triple(node, _sd("name"), ox.NamedNode(name))]
    return GraphResult(tuple(triples))
