"""``/dataset``: the dataset's landing page — what it is, its version and releases, how
to cite it, its rights, its distributions (size, SHA-256) and its SPARQL endpoint, with
schema.org ``Dataset`` JSON-LD for dataset search engines.

Browsers asking for ``/.well-known/void`` get this page too; machines get the VoID and
DCAT description in Turtle or another RDF format by ``Accept`` (web/downloads.py);
both are answered here, where the page is.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

from flask import Blueprint, Response, make_response, render_template, request

from ..citation import Cited
from ..rdfio import FORMATS
from ..release import ReleaseError, read_release
from ..validation.validate import shapes_file
from . import citing
from .downloads import DUMP_NAME, void_description, written_dump
from .memo import per_version
from .negotiation import negotiate, not_acceptable, vary
from .ontology import ontology_file
from .renderers import GRAPH
from .services import services

bp = Blueprint("landing", __name__)

HTML = "text/html"


@dataclass(frozen=True)
class Distribution:
    title: str
    href: str
    media_type: str
    size: int | None  # None: not written yet (dumps are written on first download)
    sha256: str | None


@bp.get("/dataset")
def dataset_page():
    offers = [HTML, *GRAPH]
    media = negotiate(offers, request.args.get("format"))
    if media is None:
        return not_acceptable(offers)
    if media != HTML:
        return void_description(media)
    return vary(make_response(page()), "Accept")


@bp.get("/.well-known/void")
def void():
    """VoID and DCAT for machines (Turtle when Accept names nothing better); browsers,
    which prefer HTML, get the dataset's landing page."""
    offers = [*GRAPH, "text/html"]
    media = negotiate(offers, request.args.get("format"))
    if media is None:
        return not_acceptable(offers)
    if media == "text/html":
        return vary(Response(page(), content_type="text/html; charset=utf-8"), "Accept")
    return void_description(media)


def page() -> str:
    card = citing.card()
    root = request.host_url.rstrip("/")
    dataset_iri = services().links.iri_for("id/dataset")
    cited = Cited(card.title, dataset_iri)
    distributions = _distributions(root)
    return render_template(
        "landing.html", card=card, history=_history(), cite=citing.box(cited),
        distributions=distributions, endpoint=f"{root}/sparql", dataset_iri=dataset_iri,
        jsonld=_schema_org(card, root, dataset_iri, distributions,
                           citing.box(cited)["text"]))


def _history() -> tuple:
    """The release history the publisher keeps (data/release.yaml), if at hand."""
    try:
        return read_release().history
    except ReleaseError:
        return ()


def _distributions(root: str) -> list[Distribution]:
    out = []
    for fmt in FORMATS.values():
        path = written_dump(fmt)
        out.append(Distribution(f"{fmt.label} dump", f"{root}/download/{DUMP_NAME}.{fmt.extension}",
                                fmt.media_type, path.stat().st_size if path else None,
                                _sha256(path) if path else None))
    for title, name, path in (("Ontology (OWL, Turtle)", "ontology.ttl", ontology_file()),
                              ("SHACL shapes (Turtle)", "shapes.ttl", shapes_file())):
        out.append(Distribution(title, f"{root}/download/{name}", "text/turtle",
                                path.stat().st_size, _sha256(path)))
    return out


def _sha256(path: Path) -> str:
    """A file's SHA-256, once per data version (a dump at 2M triples is hundreds of MB)."""
    def digest() -> str:
        h = hashlib.sha256()
        with path.open("rb") as f:
            for block in iter(lambda: f.read(1 << 20), b""):
                h.update(block)
        return h.hexdigest()

    return per_version(("sha256", str(path), path.stat().st_mtime_ns), digest)


def _schema_org(card, root: str, dataset_iri: str, distributions: list[Distribution],
                citation_text: str) -> dict:
    """The schema.org Dataset description search engines read from the page."""
    document = {
        "@context": "https://schema.org/",
        "@type": "Dataset",
        "@id": dataset_iri,
        "name": card.title,
        "description": "A knowledge graph read from ILO programme implementation reports; "
                       "every fact links to its evidence in the report's text.",
        "url": f"{root}/dataset",
        "version": card.version,
        "datePublished": card.date,
        "license": card.licence,
        "creditText": citation_text,
        "copyrightNotice": card.rights,
        "isBasedOn": [{"@type": "Report", "name": r.title, "citation": r.reference}
                      for r in card.reports],
        "distribution": [{"@type": "DataDownload", "name": d.title, "contentUrl": d.href,
                          "encodingFormat": d.media_type,
                          **({"contentSize": str(d.size)} if d.size is not None else {}),
                          **({"sha256": d.sha256} if d.sha256 else {})}
                         for d in distributions],
    }
    return {k: v for k, v in document.items() if v not in ("", [])}
