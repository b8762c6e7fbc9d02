"""Answers computed once per dataset version: an in-process response cache.

The dataset changes only when it is rebuilt, so a response depends on the request (path,
query string, negotiated headers, body for POST queries) and on the dataset's version
only. Cached responses carry an ``ETag`` and ``Last-Modified``; conditional requests are
answered 304; large bodies are gzip-compressed once, when a client first accepts it
(most answers to a new /sparql query are asked for once, by a client that may not want
gzip). A new dataset version (a restart on new data, or a remote store reloaded)
changes every key, so no answer outlives the data it came from.
"""

from __future__ import annotations

import gzip
import hashlib
import threading
from dataclasses import dataclass, replace
from email.utils import formatdate

from flask import Flask, Response, request

from .lru import WeighedLRU
from .negotiation import vary
from .services import services

#: Request headers a response may vary on; part of the key. Host: some answers hold
#: absolute URLs made from it (the VoID description, the query pages' curl lines). Prefer:
#: a strict request gets an error where others get a cut answer (web/prefer.py).
KEY_HEADERS = ("Accept", "Origin", "Access-Control-Request-Method", "Host", "Prefer")
_MIN_COMPRESS = 1024
_MAX_BODY = 8 * 1024 * 1024  # bigger responses (dumps) are not kept in memory twice
_MAX_POST = 64 * 1024


@dataclass(frozen=True)
class Entry:
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    compressible: bool
    etag: str
    gzipped: bytes | None = None  # compressed when a client first accepts gzip


class ResponseCache:
    """Least recently used first out, past ``max_entries`` or ``max_bytes`` of bodies (a
    client paging through large CSVs could otherwise fill a web process's memory: up to
    8 MiB an entry)."""

    def __init__(self, max_entries: int = 2048, max_bytes: int = 128 * 1024**2) -> None:
        self.entries: WeighedLRU[Entry] = WeighedLRU(max_bytes, _size, max_entries)
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: str) -> Entry | None:
        with self._lock:
            entry = self.entries.get(key)
            if entry is not None:
                self.hits += 1
            else:
                self.misses += 1
            return entry

    def put(self, key: str, entry: Entry) -> None:
        with self._lock:
            self.entries.put(key, entry)


def _size(entry: Entry) -> int:
    return len(entry.body) + len(entry.gzipped or b"")


def request_key() -> str | None:
    """The cache key of this request, or None if it must not be cached."""
    if request.method not in ("GET", "HEAD", "POST") or request.path == "/health":
        return None
    parts = [services().current_version(), request.method if request.method != "HEAD" else "GET",
             request.full_path]
    parts += [request.headers.get(h, "") for h in KEY_HEADERS]
    if request.method == "POST":
        length = request.content_length
        if length is None or length > _MAX_POST:
            return None
        parts += [request.mimetype, hashlib.sha256(request.get_data(cache=True)).hexdigest()]
    return hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()


def init_app(app: Flask) -> None:
    settings = app.extensions["flgraph"].settings
    cache = ResponseCache(settings.cache_entries, settings.cache_bytes)
    app.extensions["flgraph-cache"] = cache
    modified = formatdate(usegmt=True)

    @app.before_request
    def serve_cached():
        key = request_key()
        if key is None:
            return None
        request.environ["flgraph.cache_key"] = key
        entry = cache.get(key)
        if entry is None:
            return None
        return _respond(_with_gzip(cache, key, entry))

    @app.after_request
    def remember(response: Response) -> Response:
        key = request.environ.get("flgraph.cache_key")
        if (key is None or response.status_code != 200 or response.direct_passthrough
                or response.cache_control.no_store  # it changes within a version
                or request.environ.get("flgraph.cache_hit")):
            return response
        body = response.get_data()
        if len(body) > _MAX_BODY:
            return response
        etag = '"' + hashlib.sha256(body).hexdigest()[:32] + '"'
        response.headers["ETag"] = etag
        response.headers.setdefault("Last-Modified", modified)
        response.headers.setdefault("Cache-Control", "public, max-age=60")
        compressible = len(body) >= _MIN_COMPRESS and _compressible(response.mimetype)
        if compressible:
            vary(response, "Accept-Encoding")
        entry = Entry(response.status_code, tuple(response.headers.items()), body,
                      compressible, etag)
        cache.put(key, entry)
        entry = _with_gzip(cache, key, entry)
        if request.method == "HEAD":
            return response
        return _respond(entry, fresh=response)


def _with_gzip(cache: ResponseCache, key: str, entry: Entry) -> Entry:
    """``entry`` with its gzip bytes, compressed now (and kept) if this client is the
    first to accept them."""
    if (entry.compressible and entry.gzipped is None
            and "gzip" in request.accept_encodings):
        entry = replace(entry, gzipped=gzip.compress(entry.body, 6, mtime=0))
        cache.put(key, entry)
    return entry


def _compressible(mimetype: str) -> bool:
    return mimetype.startswith("text/") or mimetype.endswith(("json", "xml", "javascript",
                                                              "trig", "triples", "quads"))


def _respond(entry: Entry, fresh: Response | None = None) -> Response:
    request.environ["flgraph.cache_hit"] = True
    state = "miss" if fresh is not None else "hit"
    gzipped = entry.gzipped is not None and "gzip" in request.accept_encodings
    # the gzip bytes are another representation: another strong ETag (RFC 9110 §8.8.3)
    etag = entry.etag[:-1] + '-gzip"' if gzipped else entry.etag
    if request.if_none_match.contains(etag.strip('"')):
        response = Response(status=304)
        response.headers["X-Flgraph-Cache"] = state
        for name, value in entry.headers:
            if name in ("Cache-Control", "Last-Modified", "Vary"):
                response.headers[name] = value
        response.headers["ETag"] = etag
        return response
    response = fresh or Response(status=entry.status)
    if fresh is None:
        for name, value in entry.headers:
            if name.lower() not in ("content-length", "content-encoding"):
                response.headers[name] = value
    response.set_data(entry.gzipped if gzipped else entry.body)
    if gzipped:
        response.headers["Content-Encoding"] = "gzip"
    response.headers["ETag"] = etag
    response.headers["X-Flgraph-Cache"] = state
    return response
