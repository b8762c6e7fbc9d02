"""Answers computed once per dataset version: an in-process response cache.

The dataset changes only when it is rebuilt, so a response depends on the request (path,
query string, negotiated headers, body for POST queries) and on the dataset's version
only. Cached responses carry an ``ETag`` and ``Last-Modified``; conditional requests are
answered 304; large bodies are gzip-compressed once, when a client first accepts it
(most answers to a new /sparql query are asked for once, by a client that may not want
gzip). A new dataset version (a restart on new data, or a remote store reloaded)
changes what an entry is valid for, so no answer outlives the data it came from.

Under granian the front door (web/front.py) asks first: it computes a request's key
once (``answer_key``: the app then takes it from the environ), and an answer kept here
whose headers as sent are known (``ResponseCache.seal``: the app's hooks, CORS and the
security headers included) is sent again from the event loop (``replay``),
without a thread, Flask or the hooks, which add nothing new to a kept answer. Conditional
requests, HEAD and a first gzip client still go through the app.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import threading
from collections.abc import Iterable
from dataclasses import dataclass, replace
from email.utils import formatdate

from flask import Flask, Response, request
from werkzeug.http import parse_accept_header

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
#: the headers of one representation of an answer, set on each answer as it is sent
_REPRESENTATION = ("content-length", "content-encoding", "etag", "x-flgraph-cache")


@dataclass(frozen=True)
class Entry:
    status: int
    headers: tuple[tuple[str, str], ...]
    body: bytes
    compressible: bool
    etag: str
    gzipped: bytes | None = None  # compressed when a client first accepts gzip
    version: str = ""  # of the data it was computed from: valid only while it is served
    # the headers it was sent with, after every hook of the app, those of the
    # representation apart (``_REPRESENTATION``); None until the front door saw it sent
    sent: tuple[tuple[str, str], ...] | None = None


class ResponseCache:
    """Least recently used first out, past ``max_entries`` or ``max_bytes`` of bodies (a
    client paging through large CSVs could otherwise fill a web process's memory: up to
    8 MiB an entry)."""

    def __init__(self, max_entries: int = 2048, max_bytes: int = 128 * 1024**2) -> None:
        self.entries: WeighedLRU[Entry] = WeighedLRU(max_bytes, _size, max_entries)
        self._lock = threading.Lock()
        self.hits = self.misses = 0

    def get(self, key: str, version: str) -> Entry | None:
        """The entry of ``key`` computed from data ``version``, or None (counted as a
        hit or a miss: the app's look)."""
        entry = self.kept(key, version)
        with self._lock:
            if entry is not None:
                self.hits += 1
            else:
                self.misses += 1
        return entry

    def put(self, key: str, entry: Entry) -> None:
        with self._lock:
            self.entries.put(key, entry)

    def kept(self, key: str, version: str) -> Entry | None:
        """The entry of ``key`` for data ``version``, or None (the front door's look:
        whether to send it again, whether a /sparql request needs a query worker)."""
        with self._lock:
            entry = self.entries.get(key)
            return entry if entry is not None and entry.version == version else None

    def seal(self, key: str, version: str, headers: Iterable[tuple[str, str]]) -> None:
        """Keep the headers the answer of ``key`` was sent with (a 200, as the app sent
        it from this cache), for ``replay``. Only an answer asked for again is sealed
        (the second request: most new /sparql queries are asked once)."""
        with self._lock:
            entry = self.entries.get(key)
            if entry is None or entry.version != version or entry.sent is not None:
                return
            sent = tuple((name, value) for name, value in headers
                         if name.lower() not in _REPRESENTATION)
            self.entries.put(key, replace(entry, sent=sent))


def replay(entry: Entry, accept_encoding: str | None) -> tuple[int, list, bytes] | None:
    """The status, headers and body the app would send for an unconditional GET or POST
    answered from ``entry``, or None when only the app can answer it (its sent headers
    not yet known, or its gzip bytes not yet made for a client that accepts them)."""
    if entry.sent is None:
        return None
    gzipped = entry.compressible and accepts_gzip(accept_encoding)
    if gzipped and entry.gzipped is None:
        return None
    body = entry.gzipped if gzipped else entry.body
    headers = [*entry.sent, ("Content-Length", str(len(body))),
               ("ETag", _etag(entry, gzipped)), ("X-Flgraph-Cache", "hit")]
    if gzipped:
        headers.append(("Content-Encoding", "gzip"))
    return entry.status, headers, body


def _size(entry: Entry) -> int:
    return len(entry.body) + len(entry.gzipped or b"")


@functools.lru_cache(maxsize=256)
def accepts_gzip(accept_encoding: str | None) -> bool:
    """Whether ``Accept-Encoding`` names gzip, as Werkzeug's ``request.accept_encodings``
    reads it (a few distinct values are sent: each is parsed once)."""
    return "gzip" in parse_accept_header(accept_encoding)


def answer_key(method: str, path: str, query: str, key_headers: Iterable[str],
               content_type: str = "", body: bytes | None = None) -> str | None:
    """What an answer is kept under, the data's version apart, or None if it must not be
    kept: the method (HEAD as GET), the path and query string, the values of
    ``KEY_HEADERS`` (in that order, "" for one not sent), a POST's type and body
    (``body`` None: a POST whose length is not known)."""
    if method not in ("GET", "HEAD", "POST") or path == "/health":
        return None
    parts = ["GET" if method == "HEAD" else method, path, query, *key_headers]
    if method == "POST":
        if body is None or len(body) > _MAX_POST:
            return None
        parts += [content_type, hashlib.blake2b(body, digest_size=16).hexdigest()]
    return hashlib.blake2b("\x1f".join(parts).encode("utf-8"), digest_size=16).hexdigest()


def request_key() -> str | None:
    """The cache key of this request (the front door's, when it computed one), or None
    if it must not be cached."""
    environ = request.environ
    if "flgraph.cache_key" in environ:
        return environ["flgraph.cache_key"]
    body, length = None, request.content_length
    if request.method == "POST" and length is not None and length <= _MAX_POST:
        body = request.get_data(cache=True)
    key = answer_key(request.method, request.path, request.query_string.decode("latin-1"),
                     [request.headers.get(h, "") for h in KEY_HEADERS], request.mimetype,
                     body)
    environ["flgraph.cache_key"] = key
    return key


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
        if "flgraph.cache_version" in request.environ:
            return None  # the front door found nothing kept for this version
        version = request.environ["flgraph.cache_version"] = services().current_version()
        entry = cache.get(key, version)
        if entry is None:
            return None
        return _respond(_with_gzip(cache, key, entry))

    @app.after_request
    def remember(response: Response) -> Response:
        environ = request.environ
        key, version = environ.get("flgraph.cache_key"), environ.get("flgraph.cache_version")
        if (key is None or version is None or environ.get("flgraph.cache_hit")
                or response.status_code != 200 or response.direct_passthrough
                or _no_store(response)):  # it changes within a version
            return response
        body = response.get_data()
        if len(body) > _MAX_BODY:
            return response
        etag = '"' + hashlib.blake2b(body, digest_size=16).hexdigest() + '"'
        headers = response.headers
        headers["ETag"] = etag
        if "Last-Modified" not in headers:
            headers["Last-Modified"] = modified
        if "Cache-Control" not in headers:
            headers["Cache-Control"] = "public, max-age=60"
        compressible = len(body) >= _MIN_COMPRESS and _compressible(response.mimetype)
        if compressible:
            vary(response, "Accept-Encoding")
        entry = Entry(response.status_code, tuple(response.headers.items()), body,
                      compressible, etag, version=version)
        cache.put(key, entry)
        entry = _with_gzip(cache, key, entry)
        if request.method == "HEAD":
            return response
        return _respond(entry, fresh=response)


def _with_gzip(cache: ResponseCache, key: str, entry: Entry) -> Entry:
    """``entry`` with its gzip bytes, compressed now (and kept) if this client is the
    first to accept them."""
    if (entry.compressible and entry.gzipped is None
            and accepts_gzip(request.headers.get("Accept-Encoding"))):
        entry = replace(entry, gzipped=gzip.compress(entry.body, 6, mtime=0))
        cache.put(key, entry)
    return entry


def _compressible(mimetype: str) -> bool:
    return mimetype.startswith("text/") or mimetype.endswith(("json", "xml", "javascript",
                                                              "trig", "triples", "quads"))


def _etag(entry: Entry, gzipped: bool) -> str:
    """The gzip bytes are another representation: another strong ETag (RFC 9110 §8.8.3)."""
    return entry.etag[:-1] + '-gzip"' if gzipped else entry.etag


def _no_store(response: Response) -> bool:
    """Whether the answer says ``Cache-Control: no-store`` (read without parsing every
    directive)."""
    return "no-store" in response.headers.get("Cache-Control", "").lower()


def _respond(entry: Entry, fresh: Response | None = None) -> Response:
    """The answer from ``entry`` (``fresh``: the response it was just made from, its body
    and ETag already set), or 304 to a request that holds it."""
    request.environ["flgraph.cache_hit"] = True
    state = "miss" if fresh is not None else "hit"
    gzipped = entry.gzipped is not None and accepts_gzip(request.headers.get("Accept-Encoding"))
    etag = _etag(entry, gzipped)
    if "If-None-Match" in request.headers and request.if_none_match.contains(etag.strip('"')):
        response = Response(status=304)
        response.headers["X-Flgraph-Cache"] = state
        for name, value in entry.headers:
            if name in ("Cache-Control", "Last-Modified", "Vary"):
                response.headers[name] = value
        response.headers["ETag"] = etag
        return response
    if fresh is not None and not gzipped:
        fresh.headers["X-Flgraph-Cache"] = state
        return fresh
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
