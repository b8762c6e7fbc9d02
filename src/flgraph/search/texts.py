"""What search finds: the things of the graph with their names, texts and facets.

One SPARQL query (``texts.rq``) reads them from any store — embedded in memory or on
disk, or a remote SPARQL server — one value a row; this module groups the rows into
one :class:`Document` per thing. A hit is a thing (a result, an output, a lesson, a
country…), never a bare literal.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from ..store import Store

FACETS = ("country", "region", "typology", "section")


@dataclass
class Document:
    iri: str
    kind: str = ""
    title: str = ""
    names: list[str] = field(default_factory=list)  # weighed above the body
    body: list[str] = field(default_factory=list)
    evidence: str = ""  # the first of its evidence IRIs, in order
    facets: dict[str, set[str]] = field(default_factory=lambda: defaultdict(set))


@cache
def texts_query() -> str:
    return (Path(__file__).with_name("texts.rq")).read_text(encoding="utf-8")


def read_documents(store: Store) -> list[Document]:
    """Every searchable thing of ``store``, in IRI order (the same data, the same index)."""
    result = store.query(texts_query())
    if result.truncated:
        raise ValueError("the store cut the list of searchable texts short")
    return documents_from_rows((row[0].value, row[1].value, row[2].value, row[3])
                               for row in result.rows if None not in row)


def documents_from_rows(rows) -> list[Document]:
    """Rows of (thing IRI, kind, field, value term) grouped into documents."""
    documents: dict[str, Document] = {}
    evidence: dict[str, list[str]] = defaultdict(list)
    for thing, kind, name, value in rows:
        document = documents.get(thing) or documents.setdefault(thing, Document(thing, kind))
        _add(document, name, value.value, evidence[thing])
    for thing, document in documents.items():
        document.evidence = min(evidence[thing], default="")
        document.names = sorted(set(document.names))
        document.body = sorted(set(document.body))
    return [documents[iri] for iri in sorted(documents)]


def _add(document: Document, name: str, value: str, evidence: list[str]) -> None:
    if name == "title":
        document.title = min(document.title or value, value)  # one, whatever the order
        document.names.append(value)
    elif name == "name":
        document.names.append(value)
    elif name == "body":
        document.body.append(value)
    elif name == "evidence":
        evidence.append(value)
    elif name in FACETS:
        document.facets[name].add(value)
