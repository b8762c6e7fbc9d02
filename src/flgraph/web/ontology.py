"""``/ontology`` and ``/shapes``: the vocabulary and the SHACL shapes, for people and
programs.

The page documents every term of ontology/flgraph.ttl under an anchor named for it, so
``https://w3id.org/flgraph/ontology#Country`` lands on ``/ontology#Country``, with how
much the served data uses it. The same URLs give the files themselves by ``Accept`` or
extension: Turtle byte for byte (comments included), other formats converted.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pyoxigraph as ox
from flask import Blueprint, Response, abort, render_template, request

from .. import jsonld, paths
from ..formats import BY_MEDIA
from ..rdfio import FILE_PREFIXES
from ..validation.validate import shapes_file
from .dataset_stats import dataset_stats
from .negotiation import negotiate, not_acceptable
from .ontology_docs import ontology_header, ontology_sections, rdf_file, shape_docs
from .renderers import content_type
from .representations import EXTENSIONS, add_link_header, alternates, split_extension
from .services import services

bp = Blueprint("ontology", __name__)

_OX_FORMATS = {m: BY_MEDIA[m].engine for m in ("application/n-triples",
                                                 "application/ld+json", "application/rdf+xml")}


def ontology_file() -> Path:
    return paths.ontology_dir() / "flgraph.ttl"


@bp.get("/ontology")
@bp.get("/ontology.<ext>")
def ontology(ext: str | None = None):
    return _serve(ontology_file(), "/ontology", ext, _ontology_page)


@bp.get("/ontology/<path:version>")
def ontology_version(version: str):
    """The versionIRI (``…/ontology/0.1.0``) serves the ontology while it is that version."""
    version, ext = split_extension(version)
    header = ontology_header(rdf_file(ontology_file()))
    if header.get("version") != version:
        abort(404, f"this site serves version {header.get('version', '?')} of the ontology")
    return _serve(ontology_file(), f"/ontology/{version}", ext, _ontology_page)


@bp.get("/context.jsonld")
def jsonld_context():
    """The JSON-LD context every JSON-LD answer names (``https://w3id.org/flgraph/
    context.jsonld``): the ontology's prefixes and terms."""
    body = json.dumps(jsonld.context(ontology_file()), indent=1, ensure_ascii=False)
    return Response(body, content_type="application/ld+json")


@bp.get("/shapes")
@bp.get("/shapes.<ext>")
def shapes(ext: str | None = None):
    return _serve(shapes_file(), "/shapes", ext, _shapes_page)


def _serve(path: Path, local: str, ext: str | None, page: Callable[[], str]) -> Response:
    if ext is not None and ext not in EXTENSIONS:
        abort(404)
    media = negotiate(list(EXTENSIONS.values()), ext or request.args.get("format"))
    if media is None:
        return not_acceptable(list(EXTENSIONS.values()))
    if media == "text/html":
        response = Response(page(), content_type="text/html; charset=utf-8")
    elif media == "text/turtle":
        response = Response(rdf_file(path).data, content_type=content_type(media))
    else:
        response = Response(_convert(path, media), content_type=content_type(media))
    return add_link_header(response, alternates(local))


def _convert(path: Path, media: str) -> bytes:
    prefixes = FILE_PREFIXES if media == "application/rdf+xml" else None
    return ox.serialize(rdf_file(path).triples, format=_OX_FORMATS[media], prefixes=prefixes)


def _ontology_page() -> str:
    doc = rdf_file(ontology_file())
    stats = dataset_stats()
    links = services().links
    return render_template(
        "ontology/index.html",
        header=ontology_header(doc),
        sections=ontology_sections(doc, links, stats.classes, stats.properties),
        formats=alternates("/ontology"),
    )


def _shapes_page() -> str:
    return render_template("ontology/shapes.html",
                           shapes=shape_docs(rdf_file(shapes_file()), services().links),
                           formats=alternates("/shapes"))
