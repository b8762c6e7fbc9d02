"""A report section's place in the literature: the report it belongs to, described with
Dublin Core terms and schema.org from the section's metadata file (its imprint page).

The report becomes a node of its own (``id/report/<title>``) that the section is part
of; its citation, rights and identifiers (ISBN per edition, ISSN) are stated as printed.
A section without metadata gets none of this: nothing is filled in.
"""

from __future__ import annotations

from rdflib import Graph, Literal, URIRef

from ..extract.metadata import SourceMetadata
from .iri import Minter, slug
from .terms import DCTERMS, RDF, RDFS, SCHEMA, SKOS, XSD


def add_report(g: Graph, iri: Minter, meta: SourceMetadata, section: URIRef) -> URIRef:
    """The report node, linked from the section node; returns the report."""
    report = iri.report(slug(meta.title.replace("–", "-")))  # 2012–13: 2012-13
    g.add((report, RDF.type, SCHEMA.Report))
    g.add((report, RDF.type, DCTERMS.BibliographicResource))
    g.add((report, RDFS.label, Literal(meta.title, lang="en")))
    g.add((report, DCTERMS.title, Literal(meta.title, lang="en")))
    description = " ".join(p.rstrip(".") + "." for p in (meta.kind, meta.note, meta.conference)
                           if p)
    if description:
        g.add((report, DCTERMS.description, Literal(description, lang="en")))
    if meta.publisher:
        g.add((report, DCTERMS.publisher, iri.ilo()))
        g.add((report, SCHEMA.publisher, Literal(meta.publisher)))
    if meta.place:
        g.add((report, SCHEMA.locationCreated, Literal(meta.place)))
    if meta.issued:
        kind = XSD.gYear if meta.issued.isdigit() and len(meta.issued) == 4 else XSD.date
        g.add((report, DCTERMS.issued, Literal(meta.issued, datatype=kind)))
    for number, edition in meta.isbn:
        g.add((report, SCHEMA.isbn, Literal(number)))
        g.add((report, RDFS.comment, Literal(f"ISBN {number} ({edition})", lang="en")))
    if meta.issn:
        g.add((report, SCHEMA.issn, Literal(meta.issn)))
    if meta.rights:
        g.add((report, DCTERMS.rights, Literal(meta.rights, lang="en")))
    g.add((report, DCTERMS.bibliographicCitation, Literal(reference_text(meta), lang="en")))
    g.add((report, RDFS.comment,
           Literal(f"Bibliographic facts as stated on {meta.stated_in}.", lang="en")))
    g.add((section, DCTERMS.isPartOf, report))
    if meta.section:
        # the section's page then reads as the report's section, not as a file name
        name = f"{meta.title}, {meta.section}"
        g.add((section, SCHEMA.name, Literal(name, lang="en")))
        g.add((section, SKOS.prefLabel, Literal(name, lang="en")))
        g.add((section, DCTERMS.bibliographicCitation,
               Literal(f"{reference_text(meta)} {meta.section}.", lang="en")))
    return report


def reference_text(meta: SourceMetadata) -> str:
    """The report as a reference list entry: publisher, year, title, series, place."""
    isbn = "; ".join(f"ISBN {n} ({e})" for n, e in meta.isbn)
    parts = [f"{meta.publisher} ({meta.issued})" if meta.publisher and meta.issued
             else meta.publisher or meta.issued,
             meta.title, meta.kind, meta.conference, meta.place, isbn,
             f"ISSN {meta.issn}" if meta.issn else ""]
    return ". ".join(p.rstrip(".") for p in parts if p) + "."
