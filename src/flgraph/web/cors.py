"""Cross-origin reads of every resource, in one place.

Every resource of the site is read-only — pages, linked-data documents, the ontology,
VoID, dumps, saved-query formats, /validation and the SPARQL endpoint (which refuses
updates) — and none depends on cookies, so any page may read any of them: linked-data
browsers, notebooks and the JSON-LD playground load them from other origins. flask-cors
answers preflights (a media type with a parameter, as in ``Accept: application/ld+json;
profile="…"``, or a ``Prefer`` header makes a browser ask first) and sets the headers on
every response, errors included, so that a script can read ``Retry-After`` on a 429 or
503, the ``Link`` header of a document and the site's own ``X-Flgraph-*`` headers.
"""

from __future__ import annotations

from flask import Flask
from flask_cors import CORS

#: Response headers scripts may read besides the CORS-safelisted ones.
EXPOSED = ("Link", "Retry-After", "Content-Disposition", "Content-Location", "ETag",
           "Preference-Applied", "X-Flgraph-Truncated", "X-Flgraph-Cache")
#: Request headers a cross-origin script may send.
ALLOWED = ("Accept", "Accept-Language", "Content-Type", "Prefer", "If-None-Match",
           "If-Modified-Since")


def init_app(app: Flask) -> None:
    CORS(app, origins="*", send_wildcard=True, methods=["GET", "HEAD", "POST", "OPTIONS"],
         allow_headers=list(ALLOWED), expose_headers=list(EXPOSED), max_age=86400,
         supports_credentials=False)
