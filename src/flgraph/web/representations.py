"""The representations of an RDF document (a resource, the ontology, the shapes): which
extensions name them, and how a response points at the others.

Only these extensions count: dataset IRIs contain dots (``/id/indicator/15.1``,
``/id/reference/flgraph.ttl``), so anything else after a dot is part of the name.
"""

from __future__ import annotations

from flask import Response

from ..formats import BY_MEDIA, REGISTRY
from .negotiation import vary

#: Extension → media type, in the order alternates are listed: the page, then RDF.
EXTENSIONS = {"html": "text/html",
              **{f.extension: f.media_type for f in REGISTRY if f.graph_offer}}
MEDIA_EXTENSIONS = {media: ext for ext, media in EXTENSIONS.items()}
#: Media types of RDF only, Turtle first (the default where HTML is not offered).
RDF_MEDIA = [m for m in EXTENSIONS.values() if m != "text/html"]
LABELS = {media: BY_MEDIA[media].label for media in EXTENSIONS.values()}


def split_extension(path: str) -> tuple[str, str | None]:
    """``country/ZMB.ttl`` → (``country/ZMB``, ``ttl``); unknown suffixes stay in the name."""
    stem, dot, ext = path.rpartition(".")
    if dot and stem and ext in EXTENSIONS:
        return stem, ext
    return path, None


def alternates(path: str, media: list[str] | None = None) -> list[tuple[str, str, str]]:
    """(href, media type, label) of each representation of the document at ``path``."""
    return [(f"{path}.{MEDIA_EXTENSIONS[m]}", m, LABELS[m])
            for m in (media or list(EXTENSIONS.values()))]


def add_link_header(response: Response, links: list[tuple[str, str, str]]) -> Response:
    """``Link: <…>; rel="alternate"; type=…`` for each representation, and ``Vary``.

    Not on JSON-LD: pyld's document loader (3.3) reads several ``rel="alternate"`` links
    as a list and fails, so ``jsonld.expand(url)`` of any document did; a client that
    has the JSON-LD needs no pointer to it, and the other representations list it."""
    if response.mimetype != "application/ld+json":
        response.headers["Link"] = ", ".join(f'<{href}>; rel="alternate"; type="{media}"'
                                             for href, media, _ in links)
    return vary(response, "Accept")
