"""The Flask site: saved queries, the SPARQL endpoint, linked data, downloads.

``create_app(config)`` builds an app around one store; each area is a blueprint in its
own module, and views only turn requests into calls of the other packages and their
results into responses.
"""

from __future__ import annotations

import json
from dataclasses import replace
from typing import Any

from flask import Flask
from markupsafe import Markup

from .. import paths
from ..config import Settings
from ..query.allocator import settle
from .dump_files import DumpFiles

#: The app's configuration before ``create_app``'s own: every FLGRAPH_* key (config.py,
#: Settings) at its default, and Flask's request-body bound (a query is far smaller).
DEFAULTS: dict[str, Any] = {**Settings().config(), "MAX_CONTENT_LENGTH": 1024 * 1024}


def create_app(config: dict[str, Any] | None = None) -> Flask:
    app = Flask(__name__)
    app.config.update(DEFAULTS)
    if config:
        app.config.update(config)
    settings = Settings.from_config(app.config)  # checked and typed once, here
    if settings.data is None:
        settings = replace(settings, data=paths.dataset_file())

    from .services import Services

    app.extensions["flgraph"] = Services.from_settings(settings)
    app.extensions["flgraph-dumps"] = (DumpFiles(settings.dump_dir) if settings.dump_dir
                                       else DumpFiles.private())
    app.jinja_env.filters["safe_json"] = safe_json
    _register(app)
    if settings.search_at_start:
        from .warm import prepare_search

        prepare_search(app)
    if settings.warm:
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
    if app.extensions["flgraph"].settings.cache:
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
