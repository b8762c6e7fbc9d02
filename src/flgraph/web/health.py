"""``/health``: for probes. Answers without touching the store, so it measures the
framework's own ceiling; ``?deep=1`` also asks one tiny question the whole way through
the query service (gateway, a worker, the store): whether a worker answers. ``search``
says whether the search index of the data served is ready or still being prepared
(asking never starts it)."""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from .search_index import indexes
from .services import services

bp = Blueprint("health", __name__)


@bp.get("/health")
def health():
    body = {"status": "ok", "dataset": services().current_version(),
            "search": "ready" if indexes().ready() else "preparing"}
    if request.args.get("deep"):
        services().query_service.ping()
        body["store"] = "ok"
    return jsonify(body)
