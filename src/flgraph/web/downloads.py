"""``/download/``: the dataset in every format, and its description (``/.well-known/void``,
routed by web/landing.py beside the page browsers get there).

Dumps are written from the store's quads by flgraph.rdfio (sorted, so the same data
always gives the same bytes) once per format and dataset version, on the first request
for them, in a child process (web/whole_dataset.py), into files (web/dump_files.py);
the page lists the sizes of those written. Quad formats (TriG, N-Quads, JSON-LD) keep
the named graphs; triple formats merge them. The saved
queries come one by one or zipped (fixed timestamps: the same queries, the same zip).
The VoID + DCAT description is built by flgraph.describe.void with this site's absolute URLs.
"""

from __future__ import annotations

import io
import zipfile
from dataclasses import dataclass

from flask import Blueprint, Response, abort, current_app, render_template, request, send_file

from ..describe.void import Dump, Site, describe
from ..query.answers import GraphResult, serialize_graph
from ..rdfio import FORMATS, Format
from ..validation.validate import shapes_file
from . import whole_dataset
from .dataset_stats import dataset_about, dataset_stats
from .dump_files import DumpFiles
from .memo import per_version
from .negotiation import vary
from .ontology import ontology_file
from .renderers import GRAPH, content_type
from .services import services

bp = Blueprint("downloads", __name__)

DUMP_NAME = "flgraph"
_BY_EXTENSION = {f.extension: f for f in FORMATS.values()}
_ZIP_TIME = (1980, 1, 1, 0, 0, 0)  # the earliest a zip can say: no build time in the bytes


@dataclass(frozen=True)
class Item:
    """One file on the downloads page."""

    title: str
    href: str
    media_type: str
    size: int | None  # None: not written yet
    note: str = ""


@bp.get("/download/")
def index():
    dumps = [Item(f"{f.label} ({'named graphs kept' if f.quads else 'graphs merged'})",
                  f"/download/{DUMP_NAME}.{f.extension}", f.media_type, _written_size(f))
             for f in FORMATS.values()]
    vocab = [Item("Ontology (OWL, Turtle)", "/download/ontology.ttl", "text/turtle",
                  ontology_file().stat().st_size),
             Item("SHACL shapes (Turtle)", "/download/shapes.ttl", "text/turtle",
                  shapes_file().stat().st_size)]
    queries = [Item(q.title, f"/download/queries/{q.name}.rq", "application/sparql-query",
                    len(q.text.encode("utf-8")), q.name)
               for q in services().queries.values()]
    response = Response(render_template(
        "downloads/index.html", dumps=dumps, vocab=vocab, queries=queries,
        archive=Item("All saved queries (zip)", "/download/queries.zip", "application/zip",
                     len(_queries_zip())),
        quads=per_version("quad-count", services().query_service.count)))  # on disk, a scan
    response.cache_control.no_store = True  # sizes appear as dumps are written
    return response


@bp.get(f"/download/{DUMP_NAME}.<ext>")
def dump(ext: str):
    fmt = _BY_EXTENSION.get(ext)
    if fmt is None:
        abort(404, f"no dump in '.{ext}' (choose from: {', '.join(_BY_EXTENSION)})")
    path = _dumps().get(services().current_version(), _file_name(fmt),
                        lambda target: whole_dataset.run(whole_dataset.write_dump, target,
                                                         fmt.name))
    response = send_file(path, mimetype=content_type(fmt.media_type), conditional=True,
                         max_age=60)
    response.headers["Content-Disposition"] = f'attachment; filename="{_file_name(fmt)}"'
    return response


@bp.get("/download/ontology.ttl")
def ontology_ttl():
    return _attachment(ontology_file().read_bytes(), "text/turtle", "flgraph-ontology.ttl")


@bp.get("/download/shapes.ttl")
def shapes_ttl():
    return _attachment(shapes_file().read_bytes(), "text/turtle", "flgraph-shapes.ttl")


@bp.get("/download/queries.zip")
def queries_zip():
    return _attachment(_queries_zip(), "application/zip", "flgraph-queries.zip")


@bp.get("/download/queries/<name>.rq")
def query_file(name: str):
    saved = services().queries.get(name)
    if saved is None:
        abort(404, f"no saved query '{name}'")
    return _attachment(saved.text.encode("utf-8"), "application/sparql-query", f"{name}.rq")


def written_dump(fmt: Format):
    """The dump's file in ``fmt`` if it has been written for the served data, else None."""
    return _dumps().written(services().current_version(), _file_name(fmt))


def _dumps() -> DumpFiles:
    return current_app.extensions["flgraph-dumps"]


def _file_name(fmt: Format) -> str:
    return f"{DUMP_NAME}.{fmt.extension}"


def _written_size(fmt: Format) -> int | None:
    """The dump's size if it has been written: the page does not write one to say how big
    it would be (at 2M triples, all six took minutes and gigabytes)."""
    path = _dumps().written(services().current_version(), _file_name(fmt))
    return path.stat().st_size if path else None


def _queries_zip() -> bytes:
    def build() -> bytes:
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
            for name, saved in sorted(services().queries.items()):
                info = zipfile.ZipInfo(f"queries/{name}.rq", date_time=_ZIP_TIME)
                info.compress_type = zipfile.ZIP_DEFLATED
                info.external_attr = 0o644 << 16
                archive.writestr(info, saved.text.encode("utf-8"))
        return buffer.getvalue()

    return per_version("queries.zip", build)


def _attachment(body: bytes, media: str, filename: str) -> Response:
    response = Response(body, content_type=content_type(media))
    response.headers["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# VoID ---------------------------------------------------------------------------------

def void_description(media: str) -> Response:
    """The VoID + DCAT description in ``media`` (one of the RDF media types offered)."""
    root = request.host_url.rstrip("/")
    # the description's own IRI under the dataset's base, not this host's: the dataset
    # (…/.well-known/void#dataset) is then one resource wherever the site is served
    site = Site(document=services().links.iri_for(".well-known/void"), sparql=f"{root}/sparql",
                uri_space=services().links.iri_for("id/"))
    dumps = [Dump(f"{DUMP_NAME}.{f.extension}", f"{root}/download/{DUMP_NAME}.{f.extension}",
                  f.media_type, f.label) for f in FORMATS.values()]
    try:
        triples = describe(dataset_stats(), site, dumps, dataset_about())
    except ValueError:  # pyoxigraph refused an IRI made from the Host header
        abort(400, "the request's Host does not make valid IRIs")
    response = Response(serialize_graph(GraphResult(tuple(triples)), GRAPH[media]),
                        content_type=content_type(media))
    return vary(response, "Accept")

