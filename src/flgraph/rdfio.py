"""RDF files in and out: format names, deterministic dataset files, rdflib ↔ pyoxigraph.

rdflib builds and validates graphs; pyoxigraph parses and writes files (an order of
magnitude faster) and is the query engine. Files are written from sorted quads so that
the same dataset always gives the same bytes, whatever the order rdflib holds them in.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path

import pyoxigraph as ox

from . import namespaces as ns
from .formats import RDF, Format, of_kind

#: The RDF formats by short name (formats.py), in the order dumps are listed.
FORMATS: dict[str, Format] = of_kind(RDF)

#: Prefixes written into Turtle-like files. No prefix for instance IRIs: their local
#: parts contain slashes, which Turtle would have to escape ("id:result\/15.1").
FILE_PREFIXES = {k: v for k, v in ns.PREFIXES.items() if k != "id"}


class RdfInputError(Exception):
    """An RDF file that cannot be read: the message says which and why."""


def format_for(name: str) -> Format:
    try:
        return FORMATS[name]
    except KeyError:
        raise RdfInputError(f"unknown format '{name}' (choose from: "
                            f"{', '.join(FORMATS)})") from None


def sort_key(quad: ox.Quad) -> tuple[str, str, int, str, str]:
    """Graph, subject, rdf:type first, predicate, object: a stable reading order."""
    p = quad.predicate.value
    return (str(quad.graph_name), str(quad.subject), 0 if p == ns.RDF + "type" else 1, p,
            str(quad.object))


def write_quads(quads: Iterable[ox.Quad], target: Path | None, fmt: Format) -> bytes | None:
    """Quads sorted and serialised; triples only (graphs merged) for triple formats."""
    ordered = sorted(quads, key=sort_key)
    if not fmt.quads:
        items: list = sorted({ox.Triple(q.subject, q.predicate, q.object) for q in ordered},
                             key=lambda t: sort_key(ox.Quad(t.subject, t.predicate, t.object)))
    else:
        items = ordered
    if fmt.rdf_format == ox.RdfFormat.JSON_LD:
        return _write_jsonld(items, target)
    prefixes = FILE_PREFIXES if fmt.rdf_format in (ox.RdfFormat.TRIG, ox.RdfFormat.TURTLE,
                                                   ox.RdfFormat.RDF_XML) else None
    return ox.serialize(items, str(target) if target else None, fmt.rdf_format,
                        prefixes=prefixes)


def _write_jsonld(quads: list[ox.Quad], target: Path | None) -> bytes | None:
    """The JSON-LD dump as every JSON-LD answer of the site: under the published context,
    types as ``@type`` (``jsonld.shape``). pyoxigraph alone writes ``rdf:type`` as a
    property, and framing the dump by type (``pyld.jsonld.frame``) found nothing."""
    from . import jsonld, paths

    body = jsonld.shape(ox.serialize(quads, None, ox.RdfFormat.JSON_LD),
                        paths.ontology_dir() / "flgraph.ttl", triples=len(quads))
    if target is None:
        return body
    target.write_bytes(body)
    return None


def read_quads(path: Path, fmt: Format | None = None) -> list[ox.Quad]:
    """Every quad of a file; a syntax error or a DOCTYPE becomes ``RdfInputError``."""
    fmt = fmt or format_for_path(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise RdfInputError(f"{path}: cannot read: {err.strerror or err}") from err
    return parse_bytes(data, fmt, str(path))


def parse_bytes(data: bytes, fmt: Format, name: str = "input") -> list[ox.Quad]:
    if fmt.rdf_format == ox.RdfFormat.RDF_XML and declares_entities(data):
        raise RdfInputError(f"{name}: RDF/XML with a DOCTYPE or ENTITY declaration is refused "
                            "(entity expansion)")
    try:
        return list(ox.parse(data, fmt.rdf_format))
    except SyntaxError as err:
        raise RdfInputError(f"{name}: not valid {fmt.label}: {err}") from err


_DECLARATION = re.compile(rb"<!\s*(?:DOCTYPE|ENTITY)", re.IGNORECASE)


def declares_entities(data: bytes) -> bool:
    """Whether an XML document has a DOCTYPE (where entities are declared) anywhere.

    The whole document is searched, not its first bytes: comments and processing
    instructions may come before a DOCTYPE, and a 1 KB entity-expansion document costs
    the parsers minutes or gigabytes. Only UTF-8 is read (pyoxigraph refuses UTF-16),
    so searching the bytes is enough.
    """
    return _DECLARATION.search(data) is not None


def refuse_entities(path: Path, fmt: Format) -> None:
    """``RdfInputError`` if ``path`` is RDF/XML with a DOCTYPE: for loaders that hand the
    file to a parser themselves (Oxigraph's bulk load). Read in chunks, so a large file
    costs no memory."""
    if fmt.rdf_format != ox.RdfFormat.RDF_XML:
        return
    overlap = b""
    try:
        with path.open("rb") as stream:
            while chunk := stream.read(1 << 20):
                if declares_entities(overlap + chunk):
                    raise RdfInputError(f"{path}: RDF/XML with a DOCTYPE or ENTITY "
                                        "declaration is refused (entity expansion)")
                overlap = chunk[-32:]
    except OSError as err:
        raise RdfInputError(f"{path}: cannot read: {err.strerror or err}") from err


def format_for_path(path: Path) -> Format:
    suffix = path.suffix.lstrip(".").lower()
    for fmt in FORMATS.values():
        if suffix in (fmt.extension, fmt.name):
            return fmt
    raise RdfInputError(f"{path}: cannot tell the RDF format from the extension "
                        f"'.{suffix}' (use one of: "
                        f"{', '.join(sorted({f.extension for f in FORMATS.values()}))})")


# rdflib ↔ pyoxigraph terms ------------------------------------------------------------

def from_rdflib(dataset) -> Iterator[ox.Quad]:
    """The quads of an rdflib ``Dataset`` as pyoxigraph quads."""
    from rdflib.graph import DATASET_DEFAULT_GRAPH_ID

    for s, p, o, g in dataset.quads((None, None, None, None)):
        graph_id = getattr(g, "identifier", g)
        graph = (ox.DefaultGraph() if graph_id in (None, DATASET_DEFAULT_GRAPH_ID)
                 else oxigraph_term(graph_id))
        yield ox.Quad(oxigraph_term(s), oxigraph_term(p), oxigraph_term(o), graph)


def oxigraph_term(term):
    """An rdflib term as the pyoxigraph term (None stays None: an unbound variable)."""
    from rdflib import BNode, Literal, URIRef

    if term is None:
        return None
    if isinstance(term, URIRef):
        return ox.NamedNode(str(term))
    if isinstance(term, BNode):
        return ox.BlankNode(str(term))
    if isinstance(term, Literal):
        if term.language:
            return ox.Literal(str(term), language=term.language)
        if term.datatype:
            return ox.Literal(str(term), datatype=ox.NamedNode(str(term.datatype)))
        return ox.Literal(str(term))
    raise TypeError(f"not an RDF term: {term!r}")


def _rdflib_term(term):
    from rdflib import BNode, Literal, URIRef

    if isinstance(term, ox.NamedNode):
        return URIRef(term.value)
    if isinstance(term, ox.BlankNode):
        return BNode(term.value)
    if isinstance(term, ox.Literal):
        if term.language:
            return Literal(term.value, lang=term.language)
        return Literal(term.value, datatype=URIRef(term.datatype.value))
    raise TypeError(f"not an RDF term: {term!r}")
