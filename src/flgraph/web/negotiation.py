"""Content negotiation: which representation a request asks for.

By an explicit extension (``/queries/table-1.csv``), by the ``format``/``output``
parameters SPARQL clients send, or by the ``Accept`` header with q-values (Werkzeug's
parser). None when nothing offered is acceptable: the caller answers 406.
"""

from __future__ import annotations

from flask import request

#: Short names clients use in ?format= / ?output= and extensions, to media types.
ALIASES = {
    "json": "application/sparql-results+json",
    "srj": "application/sparql-results+json",
    "xml": "application/sparql-results+xml",
    "srx": "application/sparql-results+xml",
    "csv": "text/csv",
    "tsv": "text/tab-separated-values",
    "html": "text/html",
    "ttl": "text/turtle",
    "turtle": "text/turtle",
    "nt": "application/n-triples",
    "ntriples": "application/n-triples",
    "n3": "text/turtle",
    "jsonld": "application/ld+json",
    "json-ld": "application/ld+json",
    "rdf": "application/rdf+xml",
    "rdfxml": "application/rdf+xml",
    "rdf+xml": "application/rdf+xml",
    "trig": "application/trig",
    "nq": "application/n-quads",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
#: Media types that mean the same thing as one we offer.
SYNONYMS = {
    "application/json": "application/sparql-results+json",
    "application/xml": "application/sparql-results+xml",
    "text/xml": "application/sparql-results+xml",
    "application/x-turtle": "text/turtle",
    "text/plain": "application/n-triples",
    "application/json+ld": "application/ld+json",
    "text/rdf+xml": "application/rdf+xml",
}


def from_name(name: str | None) -> str | None:
    """Media type for a short name or a media type given in a parameter."""
    if not name:
        return None
    name = name.strip().lower()
    if "/" in name:
        return SYNONYMS.get(name, name)
    return ALIASES.get(name)


def negotiate(offers: list[str], explicit: str | None = None) -> str | None:
    """The best of ``offers`` for this request, or None (406).

    ``explicit`` (an extension or a format parameter) wins over ``Accept`` when it names
    something offered; a client that sends no Accept gets the first offer.
    """
    chosen = from_name(explicit)
    if chosen:
        return chosen if chosen in offers else None
    accept = request.accept_mimetypes
    if not accept or not request.headers.get("Accept"):
        return offers[0]
    best, best_q = None, 0.0
    for offer in offers:
        q = max([accept.quality(offer),
                 # a synonym counts when named, not through a wildcard (text/* ≠ text/xml)
                 *(named for alias, named in accept if SYNONYMS.get(alias.lower()) == offer)])
        if q > best_q:
            best, best_q = offer, q
    return best
