"""The front door: granian's event loop holds the connections, the Flask app runs in a
small pool of threads, and nothing a client does slowly ever holds one of those threads.

granian's own WSGI mode hands a request to a Python thread as soon as its headers are in
and lets the app read the body from the socket, so a client sending its body one byte at
a time holds that thread (bench/slow_clients.py: 250 such sockets and ``/health`` fails
every probe). Here granian's native interface (RSGI) is used instead: the body is read
whole on the event loop, within ``BODY_SECONDS`` and ``MAX_BODY`` bytes, before a thread
runs the app, and the answer is handed back to the loop to write, so a slow reader costs
a socket and its buffered answer, not a thread. Headers are bounded by granian
(``HEADER_TIMEOUT_MS``, its buffer size); idle keep-alive connections by the same header
timeout.

An answer the app's response cache keeps, once the front door has seen it sent, is sent
again from here, on the event loop (web/cache.py, ``replay``): the thread
hand-off, the admission's bookkeeping and Flask's request are most of a cached page's
cost, and add nothing to an answer already made (bench/http_throughput.py). The cache
also tells whether a /sparql request needs a query worker (the public lane) or not.

Also the HTTP rules a WSGI app cannot keep itself (RFC 9112): an HTTP/1.1 request without
``Host`` is refused (400), a body that is not valid chunked coding is 400, and one past
the size limit is 413, whether chunked or not.

granian has no write timeout, and its event loop buffers whatever answer it is handed,
however slowly the client reads: bytes given to ``response_bytes``, or to a stream's
``send_bytes`` (an unbounded channel: it never waits for the client), stay in memory
until the client has read them or closes. A file, though, is read as the client reads.
So a file (a dump) is handed over as its path, and an answer in memory larger than
``PIPED_ANSWER`` through a named pipe, with a write timeout (web/answer_pipes.py). A
smaller answer
is handed over whole (a non-reader holds at most that much); an answer of unknown length
(rare: the app's answers have a ``Content-Length``) is streamed, bounded by the caps on
results (16 MiB) and on cached pages (8 MiB).

One limit granian does not let us move: a request target longer than 65,534 bytes is
refused by hyper, before the app sees it, with a bare ``414`` (no body, no headers of
ours): the ``http`` crate's ``Uri`` holds its offsets in 16 bits, whatever granian's
``max_buffer_size``. Shorter ones reach the app, which answers its own 414 past its cap.
"""

from __future__ import annotations

import asyncio
import functools
import io
import os
import sys
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from werkzeug.wsgi import FileWrapper

from .admission import Admission, Busy
from .answer_pipes import AnswerPipes, drop_connection
from .cache import KEY_HEADERS, ResponseCache, answer_key, replay
from .clients import client_address, client_group

BODY_SECONDS = 10.0  # a request body must arrive within this
MAX_BODY = 1024 * 1024  # bytes of a request body (a query is far smaller)
MAX_HEADERS = 16 * 1024  # bytes of header fields (the URL, which may hold a query, apart)
STREAM_CHUNK = 1024 * 1024  # an answer not held in memory is sent this much at a time
# the request headers the response cache keys an answer on, as granian names them
CACHE_KEY_HEADERS = tuple(name.lower() for name in KEY_HEADERS)
# answers larger than this go through a pipe, with a write timeout (bench/http_throughput.py:
# at 256 KiB a 445 kB cached answer was served at half the rate of bytes handed over whole)
PIPED_ANSWER = 1024 * 1024
SECURITY_HEADERS = [("X-Content-Type-Options", "nosniff"), ("Referrer-Policy", "same-origin"),
                    ("Cache-Control", "no-store")]


class Refused(Exception):
    """A request the front door answers itself, with ``status`` and a one-line reason."""

    def __init__(self, status: int, reason: str) -> None:
        super().__init__(reason)
        self.status = status


class FrontDoor:
    """An RSGI application serving the WSGI application ``app`` with ``threads`` threads,
    shared out per client (web/admission.py); ``trusted`` proxies' ``X-Forwarded-For``
    names the client (web/clients.py). ``cache``: the app's response cache (web/cache.py),
    whose kept answers are sent from the event loop, and ``version`` what tells the
    data's version without a query (``Services.known_version``). ``served`` is called
    once the first request is answered (the pages' warm-up gives way to it, warm.py)."""

    def __init__(self, app: Callable, threads: int, trusted: tuple = (),
                 per_client: int | None = None, query_seconds: float = 5.0,
                 public_threads: int | None = None, pipes: Path | None = None,
                 cache: ResponseCache | None = None,
                 version: Callable[[], str | None] | None = None,
                 served: Callable[[], object] | None = None) -> None:
        self.app = app
        self.served = served
        self.pipes = AnswerPipes(pipes)
        self.cache = cache if version is not None else None
        self.version = version
        self.trusted = trusted
        self.admission = Admission(threads, per_client or max(1, threads // 2),
                                   public_wait=query_seconds, public_threads=public_threads)
        # more threads than the admission hands out: the rest read streamed answers
        self.threads = ThreadPoolExecutor(2 * threads, thread_name_prefix="flgraph-web")

    async def __rsgi__(self, scope: Any, proto: Any) -> None:
        await self._answer(scope, proto)
        if self.served is not None:
            served, self.served = self.served, None
            served()

    async def _answer(self, scope: Any, proto: Any) -> None:
        try:
            check_head(scope)
            body = (await asyncio.wait_for(read_body(scope, proto), BODY_SECONDS)
                    if has_body(scope.headers) else b"")
        except Refused as refusal:
            return refuse(proto, refusal.status, str(refusal))
        except TimeoutError:
            return refuse(proto, 408, f"the request body did not arrive within "
                                      f"{BODY_SECONDS:g} s")
        loop = asyncio.get_running_loop()
        headers = scope.headers
        address = client_address(peer_address(scope.client),
                                 headers.get("x-forwarded-for"), self.trusted)
        client = client_group(address)
        key = version = entry = None
        if self.cache is not None:
            key = cache_key(scope, body)
            version = self._version() if key is not None else None
            entry = self.cache.kept(key, version) if version is not None else None
            if entry is not None and scope.method != "HEAD" \
                    and "if-none-match" not in headers:
                kept = replay(entry, headers.get("accept-encoding"))
                if kept is not None:  # as the app would answer it, without a thread
                    self.admission.served(client)
                    return await self._send(loop, scope, proto, *kept)
        # a query the response cache answers needs no query worker: not the public lane
        public = scope.path == "/sparql" and entry is None
        environ = wsgi_environ(scope, body)
        environ["REMOTE_ADDR"] = address
        if self.cache is not None:
            environ["flgraph.cache_key"] = key  # the app's, not computed again
            if version is not None and entry is None:  # looked for: the app need not
                environ["flgraph.cache_version"] = version
        try:
            async with self.admission.slot(client, public):
                status, sent, answer = await loop.run_in_executor(
                    self.threads, self._call, environ)
        except Busy as busy:
            return refuse(proto, busy.status, str(busy), [("Retry-After", "2")])
        if entry is not None and status == 200 and scope.method != "HEAD" \
                and any(name == "X-Flgraph-Cache" for name, _ in sent):
            # asked again (most new queries are asked once: their answers are not sealed)
            self.cache.seal(key, version, sent)
        if isinstance(answer, SentFile):  # read from disk as the client reads
            proto.response_file(status, sent, answer.path)
            return None
        if isinstance(answer, bytes):
            return await self._send(loop, scope, proto, status, sent, answer)
        await _stream(loop, self.threads, proto, status, sent, answer)
        return None

    def _version(self) -> str | None:
        """The data's version if known without a query; None (the app finds out, and
        answers any failure in its own words) otherwise."""
        try:
            return self.version()
        except Exception:  # e.g. the engine's current.json unreadable for a moment
            return None

    async def _send(self, loop, scope: Any, proto: Any, status: int, headers: list,
                    answer: bytes) -> None:
        """An answer held in memory: handed over whole, or through a pipe when large."""
        if len(answer) <= PIPED_ANSWER:
            proto.response_bytes(status, headers, answer)
        elif not await self.pipes.send(proto, status, headers, answer):
            # off the loop: the look through the process's sockets takes a while
            await loop.run_in_executor(self.threads, drop_connection, scope.server,
                                       scope.client)

    def _call(self, environ: dict[str, Any]) -> tuple[int, list, Any]:
        """Run the app in a thread: the status, headers and the answer — the path of a
        file sent whole, the bytes of an answer of known length (in memory), else an
        iterator to stream."""
        started: list = []
        files: list = []

        def start_response(status: str, headers: list, exc_info=None):
            started[:] = [int(status.split(" ", 1)[0]), headers]
            return _no_write

        def file_wrapper(file, block_size: int = 8192):  # PEP 3333's, noting the file
            files.append(file)
            return FileWrapper(file, block_size)

        environ["wsgi.file_wrapper"] = file_wrapper
        answer = self.app(environ, start_response)
        status, headers = started
        path = getattr(files[0], "name", None) if files else None
        if status == 200 and isinstance(path, str) and os.path.isfile(path):
            _close(answer)
            return status, headers, SentFile(path)
        if _known_length(headers) and not files:
            try:
                return status, headers, b"".join(answer)
            finally:
                _close(answer)
        return status, headers, _chunks(answer)


@dataclass(frozen=True)
class SentFile:
    """An answer that is a whole file on disk: granian sends it from the file as fast as
    the client reads, where bytes handed to it are buffered whole whatever the client's
    pace (a slow reader of a dump would hold all of it in memory)."""

    path: str


def cache_key(scope: Any, body: bytes) -> str | None:
    """The response cache's key of the request (web/cache.py, ``answer_key``)."""
    headers = scope.headers
    return answer_key(scope.method, scope.path, scope.query_string,
                      [headers.get(name, "") for name in CACHE_KEY_HEADERS],
                      headers.get("content-type", ""), body)


def peer_address(client: str) -> str:
    """The address of granian's ``host:port`` (brackets of an IPv6 one dropped)."""
    return client.rpartition(":")[0].strip("[]")


def _no_write(data: bytes) -> None:  # the WSGI write() callable: the app never uses it
    raise RuntimeError("write() is not supported: return the body")


def _known_length(headers: list) -> bool:
    return any(name.lower() == "content-length" for name, _ in headers)


def _close(answer: Iterable[bytes]) -> None:
    close = getattr(answer, "close", None)
    if close is not None:
        close()


def _chunks(answer: Iterable[bytes]) -> Iterator[bytes]:
    """The answer in pieces of about ``STREAM_CHUNK`` bytes, closed at the end."""
    try:
        held, size = [], 0
        for piece in answer:
            held.append(piece)
            size += len(piece)
            if size >= STREAM_CHUNK:
                yield b"".join(held)
                held, size = [], 0
        if held:
            yield b"".join(held)
    finally:
        _close(answer)


async def _stream(loop, threads, proto, status: int, headers: list,
                  chunks: Iterator[bytes]) -> None:
    """Send an answer piece by piece: each piece is read in a thread, written by the loop."""
    transport = proto.response_stream(status, headers)
    try:
        while (piece := await loop.run_in_executor(threads, next, chunks, None)) is not None:
            await transport.send_bytes(piece)
    except Exception:  # the client went away: stop reading the answer
        pass
    finally:
        await loop.run_in_executor(threads, chunks.close)


def check_head(scope: Any) -> None:
    """``Refused`` for a request line and header fields RFC 9112 refuses, or too large."""
    headers = scope.headers
    if scope.http_version == "1.1" and "host" not in headers:
        raise Refused(400, "the request has no Host header (RFC 9112, section 3.2)")
    if sum(len(name) + len(value) + 4 for name, value in headers.items()) > MAX_HEADERS:
        raise Refused(431, f"the request's header fields are longer than {MAX_HEADERS:,} "
                           "bytes")
    length = headers.get("content-length")
    if length is not None and length.isdigit() and int(length) > MAX_BODY:
        raise Refused(413, f"the request body is larger than {MAX_BODY:,} bytes")


def has_body(headers: Any) -> bool:
    """Whether the request announces a body (most are GETs without one: they skip the
    timed read, a task of its own on the event loop)."""
    length = headers.get("content-length")
    return not (length == "0" or (length is None and "transfer-encoding" not in headers))


async def read_body(scope: Any, proto: Any) -> bytes:
    """The request body (announced: ``has_body``), read on the event loop; ``Refused``
    for a malformed or oversized one."""
    body = bytearray()
    try:
        async for piece in proto:
            body += piece
            if len(body) > MAX_BODY:
                raise Refused(413, f"the request body is larger than {MAX_BODY:,} bytes")
    except Refused:
        raise
    except Exception as err:  # granian's protocol error: a malformed chunk or a cut body
        raise Refused(400, "the request body is malformed (invalid chunked coding or cut "
                           "short)") from err
    return bytes(body)


def refuse(proto: Any, status: int, reason: str, extra: list | None = None) -> None:
    """The front door's own one-line answer, with the app's security headers."""
    close = [] if status in (429, 503) else [("Connection", "close")]
    proto.response_bytes(status, [("Content-Type", "text/plain; charset=utf-8"), *close,
                                  *SECURITY_HEADERS, *(extra or [])],
                         (reason + "\n").encode("utf-8"))


def wsgi_environ(scope: Any, body: bytes) -> dict[str, Any]:
    """The WSGI environ of an RSGI request (PEP 3333)."""
    host, _, port = scope.server.rpartition(":")
    environ: dict[str, Any] = {
        "REQUEST_METHOD": scope.method,
        "SCRIPT_NAME": "",
        "PATH_INFO": scope.path.encode("utf-8").decode("latin-1"),
        "QUERY_STRING": scope.query_string,
        "SERVER_NAME": host.strip("[]"),
        "SERVER_PORT": port,
        "SERVER_PROTOCOL": f"HTTP/{scope.http_version}",
        "REMOTE_ADDR": peer_address(scope.client),
        "wsgi.version": (1, 0),
        "wsgi.url_scheme": scope.scheme,
        "wsgi.input": io.BytesIO(body),
        "wsgi.errors": sys.stderr,
        "wsgi.multithread": True,
        "wsgi.multiprocess": True,
        "wsgi.run_once": False,
        "wsgi.input_terminated": True,
        "CONTENT_LENGTH": str(len(body)),
    }
    for name, value in scope.headers.items():
        key = _environ_key(name)
        if key is None:
            continue
        if key in environ:
            value = environ[key] + "," + value  # repeated headers, joined (RFC 9110 5.3)
        environ[key] = value
    return environ


@functools.lru_cache(maxsize=256)
def _environ_key(name: str) -> str | None:
    """The environ key of a header field (None: one the environ does not carry); the
    few names requests carry are each worked out once."""
    key = name.upper().replace("-", "_")
    if key in ("CONTENT_LENGTH", "TRANSFER_ENCODING"):
        return None
    return key if key == "CONTENT_TYPE" else "HTTP_" + key

