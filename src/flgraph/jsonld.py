"""JSON-LD as its users expect it: one published ``@context`` (the ontology's prefixes and
terms, at ``https://w3id.org/flgraph/context.jsonld``), types as ``@type``, and the
JSON-LD 1.1 ``profile`` parameter (expanded, compacted, flattened).

pyoxigraph writes JSON-LD in expanded form with ``rdf:type`` as a property, where
framing by type finds nothing; pyld (the JSON-LD API) compacts and flattens. The context
is made from ontology/flgraph.ttl, so a term added there is in the context at once.
"""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import pyoxigraph as ox

from . import namespaces as ns

CONTEXT_IRI = ns.BASE + "context.jsonld"
JSONLD_NS = "http://www.w3.org/ns/json-ld#"
EXPANDED, COMPACTED, FLATTENED = (JSONLD_NS + p for p in ("expanded", "compacted",
                                                           "flattened"))
PROFILES = (EXPANDED, COMPACTED, FLATTENED)
_TYPE = ns.RDF + "type"
#: Triples above which an answer is not compacted (pyld: about 2 s per 5,000 triples).
COMPACT_LIMIT = 2_000
_OBJECT_PROPERTY = ns.OWL + "ObjectProperty"
_DATATYPE = ns.RDFS + "Datatype"
_RANGE = ns.RDFS + "range"


@lru_cache(maxsize=4)
def context(ontology: Path) -> dict[str, Any]:
    """The ``@context``: every prefix, and every term of the ontology by its local name
    (object properties typed ``@id``, and properties whose range is one of the
    ontology's datatypes typed with it, so their values compact to plain strings:
    ``"iso3166Alpha3": "ZMB"``)."""
    terms: dict[str, Any] = {"@version": 1.1, **ns.PREFIXES}
    triples = list(ox.parse(path=str(ontology), format=ox.RdfFormat.TURTLE))
    kinds: dict[str, set[str]] = {}
    ranges: dict[str, str] = {}
    for t in triples:
        if t.predicate.value == _TYPE and t.subject.value.startswith(ns.FLG):
            kinds.setdefault(t.subject.value, set()).add(t.object.value)
        if t.predicate.value == _RANGE and t.object.value.startswith(ns.FLG):
            ranges[t.subject.value] = t.object.value
    for iri in sorted(kinds):
        name = iri[len(ns.FLG):]
        if name in terms:
            continue
        if _OBJECT_PROPERTY in kinds[iri]:
            terms[name] = {"@id": f"flg:{name}", "@type": "@id"}
        elif _DATATYPE in kinds.get(ranges.get(iri, ""), ()):
            terms[name] = {"@id": f"flg:{name}", "@type": "flg:" + ranges[iri][len(ns.FLG):]}
        else:
            terms[name] = f"flg:{name}"
    return {"@context": terms}


def with_types(document: Any) -> Any:
    """The expanded document with ``rdf:type`` values that are IRIs as ``@type``."""
    if isinstance(document, list):
        return [with_types(item) for item in document]
    if not isinstance(document, dict):
        return document
    out = {key: with_types(value) if key == "@graph" else value
           for key, value in document.items()}
    types = out.get(_TYPE)
    if isinstance(types, list) and types and all(set(v) == {"@id"} for v in types):
        del out[_TYPE]
        out["@type"] = [v["@id"] for v in types]
    return out


def shape(body: bytes, ontology: Path, profile: str | None = None,
          triples: int | None = None) -> bytes:
    """pyoxigraph's JSON-LD as the profile asks: compacted with the published context
    (the default), expanded, or flattened.

    The context is written out in the answer, not named by its address: a client that
    loads no remote context (pyoxigraph, rdflib offline, SPARQLWrapper) reads it as it
    is. pyld compacts 5,000 triples in about 2 s, so an answer of more than
    ``COMPACT_LIMIT`` triples keeps its nodes expanded under the context (the same
    data; ``jsonld.compact`` on the client makes it compact)."""
    from pyld import jsonld

    document = with_types(json.loads(body))
    if triples is None:  # an answer written by the query worker: count its statements
        triples = _statements(document)
    if profile == EXPANDED:
        return _dump(document)
    ctx = context(ontology)
    if triples > COMPACT_LIMIT:
        return _dump({**ctx, "@graph": document})
    options = {"documentLoader": _no_loading}
    if profile == FLATTENED:
        return _dump(jsonld.flatten(document, ctx, options))
    return _dump(jsonld.compact(document, ctx, options))


def _statements(document: Any) -> int:
    """How many statements an expanded JSON-LD document holds (its nodes' values)."""
    nodes = document if isinstance(document, list) else [document]
    return sum(len(values) if isinstance(values, list) else 1
               for node in nodes if isinstance(node, dict)
               for key, values in node.items() if key != "@id")


def _dump(document: Any) -> bytes:
    return json.dumps(document, ensure_ascii=False).encode("utf-8")


def requested_profile(media_type_parameters: str) -> str | None:
    """The first profile of ours in an ``application/ld+json`` parameter list
    (``profile="…expanded …compacted"``: space-separated IRIs, in order of preference)."""
    for parameter in media_type_parameters.split(";"):
        name, _, value = parameter.partition("=")
        if name.strip().lower() == "profile":
            for iri in value.strip().strip('"').split():
                if iri in PROFILES:
                    return iri
    return None


def _no_loading(url: str, options: Any = None) -> Any:
    """Everything is inline: the server fetches no document while shaping an answer."""
    raise ValueError(f"no document is loaded while shaping JSON-LD ({url[:80]})")
