"""The ontology and the shapes, read from their files into what their pages document.

The files in ``ontology/`` are the reference (the served data need not contain them);
each is parsed once per modification time into a small in-memory Oxigraph store, and
the pages' questions are SPARQL (ontology-terms.rq, ontology-header.rq,
shapes-index.rq) asked of that store.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import pyoxigraph as ox

from .. import namespaces as ns
from ..query.answers import compact
from .internal_queries import sparql
from .links import Links

OWL_CLASS = ns.OWL + "Class"
#: Page sections in order; a term with several types goes to the first that fits.
SECTIONS = (
    ("classes", "Classes", ns.OWL + "Class"),
    ("object-properties", "Object properties", ns.OWL + "ObjectProperty"),
    ("datatype-properties", "Datatype properties", ns.OWL + "DatatypeProperty"),
    ("other-terms", "Other terms", None),
)


@dataclass(frozen=True)
class RdfFile:
    path: Path
    data: bytes
    store: ox.Store

    @property
    def triples(self) -> list[ox.Triple]:
        return [ox.Triple(q.subject, q.predicate, q.object) for q in self.store]

    def select(self, name: str) -> list[dict]:
        answer = self.store.query(sparql(name))
        names = [v.value for v in answer.variables]
        return [{n: row[n] for n in names if row[n] is not None} for row in answer]


def rdf_file(path: Path) -> RdfFile:
    return _load(path, path.stat().st_mtime_ns)


@lru_cache(maxsize=8)
def _load(path: Path, mtime: int) -> RdfFile:
    data = path.read_bytes()
    store = ox.Store()
    store.extend(ox.parse(data, ox.RdfFormat.TURTLE, base_iri=None))
    return RdfFile(path, data, store)


@dataclass(frozen=True)
class Ref:
    """A term named on a page: its short name and where a link to it goes (if anywhere)."""

    text: str
    href: str | None
    iri: str


@dataclass(frozen=True)
class TermDoc:
    iri: str
    name: str  # the anchor: ``Country`` for flg:Country
    curie: str
    label: str
    definition: str
    types: tuple[Ref, ...]
    parents: tuple[Ref, ...]
    usage: int | None  # instances of a class, triples of a property
    usage_unit: str


@dataclass(frozen=True)
class Section:
    id: str
    title: str
    terms: tuple[TermDoc, ...]


def ref(iri: str, links: Links) -> Ref:
    return Ref(compact(ox.NamedNode(iri)).strip("<>"), links.href(iri), iri)


def ontology_header(doc: RdfFile) -> dict[str, str]:
    rows = doc.select("ontology-header")
    return {k: v.value for k, v in rows[0].items()} if rows else {}


def ontology_sections(doc: RdfFile, links: Links, classes: Mapping[str, int],
                      properties: Mapping[str, int]) -> list[Section]:
    """Every term of the ontology's namespace, by section, with its usage in the data."""
    terms: dict[str, dict] = {}
    for row in doc.select("ontology-terms"):
        iri = row["term"].value
        if not iri.startswith(ns.FLG) or iri == ns.FLG:
            continue
        term = terms.setdefault(iri, {"types": set(), "parents": set(), "label": "",
                                      "definition": ""})
        term["types"].add(row["type"].value)
        if "parent" in row:
            term["parents"].add(row["parent"].value)
        for key in ("label", "definition"):
            if key in row and (not term[key] or _english(row[key])):
                term[key] = row[key].value
    sections = []
    for section_id, title, kind in SECTIONS:
        chosen = sorted(iri for iri, t in terms.items() if _section(t["types"]) == kind)
        docs = tuple(_doc(iri, terms[iri], links, classes, properties) for iri in chosen)
        if docs:
            sections.append(Section(section_id, title, docs))
    return sections


def _english(literal) -> bool:
    return getattr(literal, "language", None) in (None, "", "en")


def _section(types: set[str]) -> str | None:
    for _, _, kind in SECTIONS:
        if kind in types:
            return kind
    return None


def _doc(iri: str, term: dict, links: Links, classes: Mapping[str, int],
         properties: Mapping[str, int]) -> TermDoc:
    is_class = OWL_CLASS in term["types"]
    is_property = not is_class and any(t.endswith("Property") for t in term["types"])
    usage = classes.get(iri, 0) if is_class else properties.get(iri, 0) if is_property else None
    return TermDoc(
        iri=iri, name=iri[len(ns.FLG):], curie="flg:" + iri[len(ns.FLG):],
        label=term["label"], definition=term["definition"],
        types=tuple(ref(t, links) for t in sorted(term["types"])),
        parents=tuple(ref(p, links) for p in sorted(term["parents"])),
        usage=usage, usage_unit="instances" if is_class else "triples")


@dataclass(frozen=True)
class Constraint:
    path: Ref | None
    severity: str  # Violation (SHACL's default), Warning, Info
    message: str


@dataclass(frozen=True)
class ShapeDoc:
    iri: str
    name: str
    kind: str
    targets: tuple[Ref, ...]
    constraints: tuple[Constraint, ...]


def shape_docs(doc: RdfFile, links: Links) -> list[ShapeDoc]:
    """Every named shape of the shapes file, with what each of its constraints says."""
    shapes: dict[str, dict] = {}
    for row in doc.select("shapes-index"):
        iri = row["shape"].value
        if not iri.startswith(ns.SHAPES):
            continue
        shape = shapes.setdefault(iri, {"kind": row["kind"].value, "targets": set(),
                                        "constraints": set()})
        if "target" in row:
            shape["targets"].add(row["target"].value)
        if "message" in row:
            severity = row["severity"].value.rsplit("#", 1)[-1] if "severity" in row \
                else "Violation"
            path = row.get("path")
            shape["constraints"].add((path.value if isinstance(path, ox.NamedNode) else "",
                                      severity, row["message"].value))
    return [ShapeDoc(
        iri=iri, name=iri[len(ns.SHAPES):],
        kind="node shape" if s["kind"].endswith("NodeShape") else "property shape",
        targets=tuple(ref(t, links) for t in sorted(s["targets"])),
        constraints=tuple(Constraint(ref(p, links) if p else None, sev, msg)
                          for p, sev, msg in sorted(s["constraints"])))
        for iri, s in sorted(shapes.items())]
