"""Instance IRIs, one function per kind of thing, from natural keys.

The same input always yields the same IRIs: keys are report codes ("15.1"), ISO codes,
slugs of labels, and character offsets in a source file, never the order rows were read
in where a natural key exists.
"""

from __future__ import annotations

import re
import unicodedata

from rdflib import URIRef

from .. import namespaces as ns


def slug(label: str) -> str:
    """"Regulatory/Legal framework" → "regulatory-legal-framework"."""
    ascii_ = unicodedata.normalize("NFKD", label).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_.lower()).strip("-") or "unnamed"


def instrument_code(kind: str, number: int) -> str:
    """The code the ILO gives an instrument: C188, P029, R203 (three digits)."""
    return f"{kind[:1].upper()}{number:03d}"


def source_key(file_name: str) -> str:
    """A source's key: its file name without the extension, IRI-safe."""
    stem = file_name.rsplit(".", 1)[0] if "." in file_name else file_name
    return re.sub(r"[^A-Za-z0-9_.-]+", "-", stem)


class Minter:
    """Mints instance IRIs under a base (default ``https://w3id.org/flgraph/id/``)."""

    def __init__(self, base: str = ns.ID) -> None:
        self.base = base if base.endswith("/") else base + "/"

    def _iri(self, *parts: str) -> URIRef:
        return URIRef(self.base + "/".join(parts))

    # report structure
    def source(self, name: str) -> URIRef:
        return self._iri("source", source_key(name))

    def outcome(self, number: str) -> URIRef:
        return self._iri("outcome", number)

    def indicator(self, code: str) -> URIRef:
        return self._iri("indicator", code)

    def target(self, code: str) -> URIRef:
        return self._iri("target", code)

    def reported_result(self, code: str) -> URIRef:
        return self._iri("result", code)

    def regional_count(self, statement: URIRef, region: str) -> URIRef:
        return URIRef(f"{statement}/region/{region}")

    def national_result(self, code: str, iso3: str) -> URIRef:
        return self._iri("result", code, iso3)

    def listing(self, code: str, iso3: str, typology: str) -> URIRef:
        return self._iri("result", code, iso3, slug(typology))

    def chain_example(self, outcome: str, iso3: str) -> URIRef:
        return self._iri("chain", outcome, iso3)

    def contribution(self, outcome: str, iso3: str, ordinal: int) -> URIRef:
        return self._iri("chain", outcome, iso3, "contribution", str(ordinal))

    def country_result(self, outcome: str, iso3: str, ordinal: int) -> URIRef:
        return self._iri("chain", outcome, iso3, "result", str(ordinal))

    def output(self, outcome: str, typology: str, ordinal: int) -> URIRef:
        return self._iri("output", outcome, slug(typology), str(ordinal))

    def lesson(self, outcome: str, ordinal: int) -> URIRef:
        return self._iri("lesson", outcome, str(ordinal))

    def paragraph(self, outcome: str, ordinal: int) -> URIRef:
        return self._iri("paragraph", outcome, str(ordinal))

    # places and schemes
    def country(self, iso3: str) -> URIRef:
        return self._iri("country", iso3)

    def region(self, region_slug: str) -> URIRef:
        return self._iri("region", region_slug)

    def scheme(self, name: str) -> URIRef:
        return self._iri("scheme", name)

    def result_typology(self, label: str) -> URIRef:
        return self._iri("result-typology", slug(label))

    def output_typology(self, label: str) -> URIRef:
        return self._iri("output-typology", slug(label))

    def role(self, name: str) -> URIRef:
        return self._iri("organisation-role", name)

    def quantity_kind(self, name: str) -> URIRef:
        return self._iri("quantity-kind", name)

    # things mentioned, keyed by where they are written
    def evidence(self, source: str, spans: list[tuple[int, int]]) -> URIRef:
        """Named by all its parts ("3063-3080+3120-3200"): two citations that share a
        first and last character but not what lies between are two evidence nodes. "+",
        not ",": SPARQL CSV writers leave IRIs unquoted, and a comma would split the
        column."""
        return self._iri("evidence", source_key(source),
                         "+".join(f"{start}-{end}" for start, end in spans) or "0-0")

    def selector(self, evidence: URIRef, start: int, end: int) -> URIRef:
        return URIRef(f"{evidence}/selector/{start}-{end}")

    def quantity(self, source: str, start: int) -> URIRef:
        return self._iri("quantity", source_key(source), str(start))

    def period(self, source: str, start: int) -> URIRef:
        return self._iri("period", source_key(source), str(start))

    def involvement(self, source: str, start: int) -> URIRef:
        return self._iri("involvement", source_key(source), str(start))

    def attribution(self, source: str, thing: int, other: int) -> URIRef:
        """What a sentence attributes to a thing it names, by where each of the two is
        written."""
        return self._iri("attribution", source_key(source), f"{thing}-{other}")

    def citation(self, source: str, start: int) -> URIRef:
        return self._iri("citation", source_key(source), str(start))

    def organisation(self, name: str, iso3: str | None = None) -> URIRef:
        return self._iri("organisation", iso3, slug(name)) if iso3 else self._iri(
            "organisation", slug(name))

    def instrument(self, kind: str, number: int | None, title: str | None) -> URIRef:
        """An ILO instrument by its code ("C188", "P029"), or by its title when the text
        gives no number."""
        if number is not None:
            return self._iri("instrument", instrument_code(kind, number))
        return self._iri("instrument", slug(title or kind)[:80])

    def subdivision(self, code: str) -> URIRef:
        return self._iri("place", code)

    def city(self, iso3: str, name: str) -> URIRef:
        return self._iri("place", iso3, slug(name))

    def initiative(self, kind: str, name: str, iso3: str | None) -> URIRef:
        return (self._iri(kind, iso3, slug(name)[:80]) if iso3
                else self._iri(kind, slug(name)[:80]))

    def described(self, kind: str, source: str, start: int) -> URIRef:
        """A thing the text describes without a name: known by where it is described."""
        return self._iri(kind, source_key(source), str(start))

    def organisation_type(self, label: str) -> URIRef:
        return self._iri("organisation-type", slug(label)[:80])

    def subject(self, label: str) -> URIRef:
        return self._iri("subject", slug(label)[:80])

    def language(self, iso639_3: str) -> URIRef:
        return self._iri("language", iso639_3)

    def mention(self, source: str, start: int) -> URIRef:
        return self._iri("mention", source_key(source), str(start))

    def ilo(self) -> URIRef:
        return self._iri("organisation", "ilo")

    def report(self, key: str) -> URIRef:
        """A report a source section belongs to (from its metadata file)."""
        return self._iri("report", key)

    def ilo_office(self) -> URIRef:
        return self._iri("organisation", "ilo", "office")

    def editorial(self, number: int) -> URIRef:
        return self._iri("editorial", str(number))

    def publication(self, title: str) -> URIRef:
        return self._iri("publication", slug(title)[:80])

    # the dataset and its making
    def graph(self, *parts: str) -> URIRef:
        return self._iri("graph", *parts)

    def cube(self, name: str) -> URIRef:
        return self._iri("cube", name)

    def observation(self, code: str, iso3: str, typology: str) -> URIRef:
        return self._iri("cube", "table-1", code, iso3, slug(typology))

    def build(self, checksum: str) -> URIRef:
        return self._iri("build", checksum[:16])

    def software(self, version: str) -> URIRef:
        return self._iri("software", "flgraph", version)

    def dataset(self) -> URIRef:
        return self._iri("dataset")

    def project(self) -> URIRef:
        """The flgraph project: creator and publisher of the dataset and the ontology."""
        return self._iri("project")

    def reference_table(self, name: str) -> URIRef:
        return self._iri("reference", name)
