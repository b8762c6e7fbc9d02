"""rdflib namespaces for the model stage, built from ``flgraph.namespaces``."""

from rdflib import Namespace
from rdflib.namespace import DCTERMS, FOAF, ORG, OWL, PROV, QB, RDF, RDFS, SKOS, TIME, XSD

from .. import namespaces as ns

FLG = Namespace(ns.FLG)
OA = Namespace(ns.OA)
SCHEMA = Namespace(ns.SCHEMA)
WD = Namespace(ns.WIKIDATA)

__all__ = ["DCTERMS", "FLG", "FOAF", "OA", "ORG", "OWL", "PROV", "QB", "RDF", "RDFS", "SCHEMA",
           "SKOS", "TIME", "WD", "XSD"]
