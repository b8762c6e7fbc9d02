"""``/health``: for probes. Answers without touching the store, so it measures the
framework's own ceiling; ``?deep=1`` also asks one tiny question the whole way through
the query service (gateway, a worker, the store): whether a worker answers."""

from __future__ import annotations

from flask import Blueprint, jsonify, request

from .services import services

bp = Blueprint("health", __name__)


@bp.get("/health")
def health():
    body = {"status": "ok", "dataset": services().current_version()}
    if request.args.get("deep"):
        services().query_service.ping()
        body["store"] = "ok"
    return jsonify(body)
