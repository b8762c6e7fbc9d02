"""The Flask site: saved queries, the SPARQL endpoint, linked data, downloads.

``create_app(config)`` builds an app around one store; each area is a blueprint in its
own module, and views only turn requests into calls of the other packages and their
results into responses.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from flask import Flask
from markupsafe import Markup

from .. import paths
from ..allocator import settle
from ..service import Limits
from .dump_files import DumpFiles

DEFAULTS: dict[str, Any] = {
    "FLGRAPH_STORE": "memory",  # memory | oxigraph:PATH | sparql:URL
    "FLGRAPH_DATA": None,  # dataset file for the memory store (default data/flgraph.trig)
    "FLGRAPH_BASE": "https://w3id.org/flgraph/",  # what local /id/… and /ontology map onto
    "FLGRAPH_LIMITS": Limits(),
    "FLGRAPH_PAGE_SIZE": 50,
    "FLGRAPH_PAGE_LINKS": 100,  # values of one property a resource page lists
    # Worker processes running queries with enforced deadlines (0: run in the web process,
    # which cannot stop a runaway query; `flgraph serve` uses workers).
    "FLGRAPH_QUERY_WORKERS": 0,
    # Separate workers for queries typed at /sparql (0: they share the site's workers).
    "FLGRAPH_PUBLIC_WORKERS": 0,
    "FLGRAPH_WORKER_MEMORY": 2 * 1024**3,  # address-space cap of each query worker
    # Where dumps are written (web/dump_files.py); None: a private directory of the app's
    # own (`flgraph serve` makes one that its web processes share).
    "FLGRAPH_DUMP_DIR": None,
    # /validation: pyshacl (the reference) up to this many quads, flgraph's engine above
    "FLGRAPH_REFERENCE_VALIDATION": 100_000,
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
    dump_dir = app.config.get("FLGRAPH_DUMP_DIR")
    app.extensions["flgraph-dumps"] = DumpFiles(Path(dump_dir)) if dump_dir else DumpFiles.private()
    app.jinja_env.filters["safe_json"] = safe_json
    _register(app)
    if app.config.get("FLGRAPH_SEARCH_AT_START"):
        from .warm import prepare_search

        prepare_search(app)
    if app.config.get("FLGRAPH_WARM"):
        from .warm import warm_in_background

        warm_in_background(app)

    from . import http_rules

    app.wsgi_app = http_rules.wrap(app.wsgi_app)
    return app


def safe_json(value: Any) -> Markup:
    """JSON to embed in a ``<script>`` block: ``<``, ``>`` and ``&`` escaped, so that data
    holding ``</script>`` cannot end the block."""
    text = json.dumps(value, ensure_ascii=False)
    text = text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
    return Markup(text.replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _register(app: Flask) -> None:
    from . import (
        citing,
        cors,
        downloads,
        errors,
        health,
        landing,
        ontology,
        overview,
        queries,
        resources,
        search,
        sparql,
        validation,
    )

    for module in (overview, queries, sparql, resources, ontology, validation, downloads,
                   health, search, landing):
        app.register_blueprint(module.bp)
    errors.register(app)
    citing.init_app(app)
    cors.init_app(app)
    app.after_request(_safe_headers)
    app.after_request(_settle_when_sent)
    if app.config.get("FLGRAPH_CACHE", True):
        from . import cache

        cache.init_app(app)


def _settle_when_sent(response):
    """Once the response is sent, sort the blocks its answer freed (see allocator.py):
    the next request handled by this process then does not pay for them."""
    response.call_on_close(settle)
    return response


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
