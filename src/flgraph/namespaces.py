"""Every namespace flgraph uses, declared once.

Plain strings here (not rdflib objects) so that modules which must not import rdflib
(``extract``, the web process's start-up) can still share them; ``model`` wraps them in
``rdflib.Namespace``.
"""

BASE = "https://w3id.org/flgraph/"
ID = BASE + "id/"
FLG = BASE + "ontology#"
ONTOLOGY = BASE + "ontology"
SHAPES = BASE + "shapes#"

RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
OWL = "http://www.w3.org/2002/07/owl#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
ORG = "http://www.w3.org/ns/org#"
SCHEMA = "https://schema.org/"
TIME = "http://www.w3.org/2006/time#"
QB = "http://purl.org/linked-data/cube#"
OA = "http://www.w3.org/ns/oa#"
SH = "http://www.w3.org/ns/shacl#"
VOID = "http://rdfs.org/ns/void#"
DCAT = "http://www.w3.org/ns/dcat#"
SD = "http://www.w3.org/ns/sparql-service-description#"
FOAF = "http://xmlns.com/foaf/0.1/"

WIKIDATA = "http://www.wikidata.org/entity/"
GEONAMES = "https://sws.geonames.org/"
EU_COUNTRY = "http://publications.europa.eu/resource/authority/country/"
UN_M49 = "http://metadata.un.org/m49/"
#: The ILO's NORMLEX page of an instrument, by its code ("C188"): the address NORMLEX
#: gives every instrument (https://normlex.ilo.org/dyn/normlex/en/f?p=NORMLEXPUB:12100:0::NO
#: ::P12100_ILO_CODE:C029 is the Forced Labour Convention's).
NORMLEX_INSTRUMENT = "https://normlex.ilo.org/dyn/normlex/en/f?p=NORMLEXPUB:12100:0::NO::P12100_ILO_CODE:"
#: Lexvo's resource of an ISO 639-3 language code.
LEXVO_ISO639_3 = "http://lexvo.org/id/iso639-3/"

#: Prefixes offered to SPARQL users and written into every Turtle/TriG file, sorted.
PREFIXES: dict[str, str] = {
    "dcat": DCAT,
    "dcterms": DCTERMS,
    "flg": FLG,
    "foaf": FOAF,
    "id": ID,
    "oa": OA,
    "org": ORG,
    "owl": OWL,
    "prov": PROV,
    "qb": QB,
    "rdf": RDF,
    "rdfs": RDFS,
    "schema": SCHEMA,
    "sd": SD,
    "sh": SH,
    "skos": SKOS,
    "time": TIME,
    "void": VOID,
    "wd": WIKIDATA,
    "xsd": XSD,
}
