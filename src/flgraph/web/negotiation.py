"""Content negotiation: which representation a request asks for.

By an explicit extension (``/queries/table-1.csv``), by the ``format``/``output``
parameters SPARQL clients send, or by the ``Accept`` header with q-values (Werkzeug's
parser). None when nothing offered is acceptable: the caller answers
``not_acceptable(offers)``, the site's one 406. Every ``Vary`` is added by ``vary``.
"""

from __future__ import annotations

from flask import Response, request
from werkzeug.datastructures import MIMEAccept

from ..formats import ALIASES, SYNONYMS
from .errors import error_response


def from_name(name: str | None) -> str | None:
    """Media type for a short name or a media type given in a parameter."""
    if not name:
        return None
    name = name.split(";")[0].strip().lower()  # parameters do not change the type
    if "/" in name:
        return SYNONYMS.get(name, name)
    return ALIASES.get(name)


def negotiate(offers: list[str], explicit: str | None = None) -> str | None:
    """The best of ``offers`` for this request, or None (406).

    ``explicit`` (an extension or a format parameter) wins over ``Accept`` when it names
    something offered; a client that sends no Accept gets the first offer.
    """
    chosen = from_name(explicit)
    if chosen:
        return chosen if chosen in offers else None
    accept = _without_parameters(request.accept_mimetypes)
    if not accept or not request.headers.get("Accept"):
        return offers[0]
    best, best_q = None, 0.0
    for offer in offers:
        q = max([accept.quality(offer),
                 # a synonym counts when named, not through a wildcard (text/* ≠ text/xml)
                 *(named for alias, named in accept if SYNONYMS.get(alias.lower()) == offer)])
        if q > best_q:
            best, best_q = offer, q
    return best


def _without_parameters(accept: MIMEAccept) -> MIMEAccept:
    """The Accept header with media type parameters dropped (``; charset=utf-8``,
    ``;profile=…``): Werkzeug matches a type with parameters to no offer without them,
    so every such request was 406. The JSON-LD profile is read apart
    (``jsonld_profile``)."""
    return MIMEAccept([(value.split(";")[0].strip(), q) for value, q in accept])


def jsonld_profile() -> str | None:
    """The JSON-LD profile the request asks for, by the ``application/ld+json`` media
    type's ``profile`` parameter in Accept (or a ``format`` parameter), best q first."""
    from ..jsonld import requested_profile

    named = [(q, value) for value, q in request.accept_mimetypes
             if value.split(";")[0].strip().lower() in ("application/ld+json",
                                                         "application/json+ld")]
    explicit = request.args.get("format") or ""
    candidates = [explicit] + [value for _, value in sorted(named, key=lambda p: -p[0])]
    for value in candidates:
        if ";" in value:
            profile = requested_profile(value.split(";", 1)[1])
            if profile:
                return profile
    return None


def not_acceptable(offers: list[str], detail: str | None = None):
    """The 406 of a page or a document: what is offered, and that the answer depends on
    Accept (a cache must not give it to a client asking for something else)."""
    return error_response(406, "Not Acceptable", detail or "offered: " + ", ".join(offers),
                          {"Vary": "Accept"})


def vary(response: Response, *headers: str) -> Response:
    """Add request headers the answer depends on to ``Vary``, each once, keeping those
    already named (Prefer, Accept-Encoding: each part of the site adds its own)."""
    named = [v.strip() for v in response.headers.get("Vary", "").split(",") if v.strip()]
    missing = [h for h in headers if h not in named]
    if missing:
        response.headers["Vary"] = ", ".join([*named, *missing])
    return response
