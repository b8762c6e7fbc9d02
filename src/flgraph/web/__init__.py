"""The Flask site: saved queries, the SPARQL endpoint, linked data, downloads.

``create_app(config)`` builds an app around one store; each area is a blueprint in its
own module, and views only turn requests into calls of the other packages and their
results into responses.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from flask import Flask

from .. import paths
from ..service import Limits

DEFAULTS: dict[str, Any] = {
    "FLGRAPH_STORE": "memory",  # memory | oxigraph:PATH | sparql:URL
    "FLGRAPH_DATA": None,  # dataset file for the memory store (default data/flgraph.trig)
    "FLGRAPH_BASE": "https://w3id.org/flgraph/",  # what local /id/… and /ontology map onto
    "FLGRAPH_LIMITS": Limits(),
    "FLGRAPH_PAGE_SIZE": 50,
    "MAX_CONTENT_LENGTH": 1024 * 1024,  # request bodies; a query is far smaller
}


def create_app(config: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__)
    app.config.update(DEFAULTS)
    if config:
        app.config.update(config)
    if app.config["FLGRAPH_DATA"] is None:
        app.config["FLGRAPH_DATA"] = paths.dataset_file()
    app.config["FLGRAPH_DATA"] = Path(app.config["FLGRAPH_DATA"])

    from .services import Services

    app.extensions["flgraph"] = Services.from_config(app.config)
    _register(app)
    return app


def _register(app: Flask) -> None:
    from . import (
        downloads,
        errors,
        health,
        ontology,
        overview,
        queries,
        resources,
        sparql,
        validation,
    )

    for module in (overview, queries, sparql, resources, ontology, validation, downloads,
                   health):
        app.register_blueprint(module.bp)
    errors.register(app)
    app.after_request(_safe_headers)


def _safe_headers(response):
    """Headers every response carries: no MIME sniffing, assets only from this site."""
    response.headers.setdefault("X-Content-Type-Options", "nosniff")
    response.headers.setdefault("Referrer-Policy", "same-origin")
    if response.mimetype == "text/html":
        response.headers.setdefault(
            "Content-Security-Policy",
            "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
            "script-src 'self'; object-src 'none'; base-uri 'none'; frame-ancestors 'none'; "
            "form-action 'self'")
    return response
