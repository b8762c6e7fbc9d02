"""Every format flgraph reads or writes, in one registry.

A format's short name (the CLI's ``--format``, a URL's ``?format=``), media type, file
extension, the other names and media types clients use for it, the engine's own format
object, what it holds (answers to SELECT/ASK, RDF graphs, a page, a sheet), its label and
its W3C format IRI (for the service description) are one entry here. Every table the
modules used to keep (rdfio's dump formats, the renderers' offers, negotiation's aliases
and synonyms, the endpoint's format names, the representations' extensions, the service
description's IRIs) is a view of this one. Adding a format is an entry here and its
writer.
"""

from __future__ import annotations

from dataclasses import dataclass

import pyoxigraph as ox

RESULTS, RDF, PAGE, SHEET = "results", "rdf", "page", "sheet"
_W3C = "http://www.w3.org/ns/formats/"


@dataclass(frozen=True)
class Format:
    name: str  # the short name: ttl, nt, nq, trig, jsonld, rdfxml; json, xml, csv, tsv
    media_type: str
    extension: str
    kind: str  # RESULTS (SELECT/ASK answers), RDF (graphs), PAGE, SHEET
    label: str
    engine: ox.RdfFormat | ox.QueryResultsFormat | None = None
    aliases: tuple[str, ...] = ()  # names in ?format= / ?output= and URL extensions
    # names the SPARQL protocol's format/output parameters give it where its kind is
    # asked for (there "json" is JSON-LD for a CONSTRUCT, SPARQL JSON for a SELECT)
    endpoint_names: tuple[str, ...] = ()
    synonyms: tuple[str, ...] = ()  # other media types that mean it
    sd_iri: str | None = None  # its W3C format IRI (sd:resultFormat)
    quads: bool = False  # whether named graphs survive
    graph_offer: bool = False  # offered for CONSTRUCT/DESCRIBE answers and resources
    charset: bool = False  # text: the content type names UTF-8

    @property
    def rdf_format(self) -> ox.RdfFormat:
        return self.engine


REGISTRY: tuple[Format, ...] = (
    # RDF, in the order dumps are listed; the graph offers in the order offered
    Format("trig", "application/trig", "trig", RDF, "TriG", ox.RdfFormat.TRIG,
           aliases=("trig",), quads=True),
    Format("nq", "application/n-quads", "nq", RDF, "N-Quads", ox.RdfFormat.N_QUADS,
           aliases=("nq",), quads=True),
    Format("ttl", "text/turtle", "ttl", RDF, "Turtle", ox.RdfFormat.TURTLE,
           aliases=("ttl", "turtle", "n3"),
           endpoint_names=("turtle", "ttl", "n3", "text/n3"),
           synonyms=("application/x-turtle",), sd_iri=_W3C + "Turtle", graph_offer=True,
           charset=True),
    Format("nt", "application/n-triples", "nt", RDF, "N-Triples", ox.RdfFormat.N_TRIPLES,
           aliases=("nt", "ntriples"),
           endpoint_names=("nt", "ntriples", "n-triples", "text/plain"),
           synonyms=("text/plain",), sd_iri=_W3C + "N-Triples", graph_offer=True,
           charset=True),
    Format("jsonld", "application/ld+json", "jsonld", RDF, "JSON-LD", ox.RdfFormat.JSON_LD,
           aliases=("jsonld", "json-ld"),
           endpoint_names=("json", "json-ld", "jsonld", "application/json"),
           synonyms=("application/json+ld",), sd_iri=_W3C + "JSON-LD", quads=True,
           graph_offer=True),
    Format("rdfxml", "application/rdf+xml", "rdf", RDF, "RDF/XML", ox.RdfFormat.RDF_XML,
           aliases=("rdf", "rdfxml", "rdf+xml"),
           endpoint_names=("xml", "rdf", "rdf+xml", "rdfxml", "application/xml"),
           synonyms=("text/rdf+xml",), sd_iri=_W3C + "RDF_XML", graph_offer=True),
    # answers to SELECT and ASK, the default first
    Format("json", "application/sparql-results+json", "json", RESULTS,
           "SPARQL Results in JSON", ox.QueryResultsFormat.JSON, aliases=("json", "srj"),
           endpoint_names=("json", "srj"), synonyms=("application/json",),
           sd_iri=_W3C + "SPARQL_Results_JSON"),
    Format("xml", "application/sparql-results+xml", "xml", RESULTS,
           "SPARQL Results in XML", ox.QueryResultsFormat.XML, aliases=("xml", "srx"),
           endpoint_names=("xml", "srx"), synonyms=("application/xml", "text/xml"),
           sd_iri=_W3C + "SPARQL_Results_XML"),
    Format("csv", "text/csv", "csv", RESULTS, "CSV", ox.QueryResultsFormat.CSV,
           aliases=("csv",), endpoint_names=("csv",), sd_iri=_W3C + "SPARQL_Results_CSV",
           charset=True),
    Format("tsv", "text/tab-separated-values", "tsv", RESULTS, "TSV",
           ox.QueryResultsFormat.TSV, aliases=("tsv",), endpoint_names=("tsv",),
           sd_iri=_W3C + "SPARQL_Results_TSV", charset=True),
    # pages and sheets
    Format("html", "text/html", "html", PAGE, "HTML", aliases=("html",)),
    Format("xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
           "xlsx", SHEET, "Excel", aliases=("xlsx",)),
)

BY_MEDIA: dict[str, Format] = {f.media_type: f for f in REGISTRY}


def of_kind(kind: str) -> dict[str, Format]:
    """The formats of one kind by short name, in the registry's order."""
    return {f.name: f for f in REGISTRY if f.kind == kind}


#: Short names and extensions clients use, to media types (results first where a name
#: is shared: a bare "json" is SPARQL JSON unless the endpoint's graph names say other).
ALIASES: dict[str, str] = {}
for _f in (*of_kind(RESULTS).values(), *(f for f in REGISTRY if f.kind != RESULTS)):
    for _alias in _f.aliases:
        ALIASES.setdefault(_alias, _f.media_type)
#: Media types that mean the same as one offered.
SYNONYMS: dict[str, str] = {s: f.media_type for f in REGISTRY for s in f.synonyms}
#: Media types whose content type names UTF-8.
CHARSET: frozenset[str] = frozenset(f.media_type for f in REGISTRY if f.charset)
#: Offers for SELECT/ASK answers and for graphs, media type → short name, default first.
TABULAR: dict[str, str] = {f.media_type: f.name for f in of_kind(RESULTS).values()}
GRAPH: dict[str, str] = {f.media_type: f.name for f in REGISTRY if f.graph_offer}


def endpoint_names(kind: str) -> dict[str, str]:
    """The SPARQL protocol's format names for answers of ``kind``, to media types."""
    return {name: f.media_type for f in REGISTRY if f.kind == kind
            for name in f.endpoint_names}


def content_type(media_type: str) -> str:
    return f"{media_type}; charset=utf-8" if media_type in CHARSET else media_type
