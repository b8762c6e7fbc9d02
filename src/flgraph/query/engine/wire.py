"""What crosses a lane's socket between a web process and a query worker, and how.

A job goes as one frame, and a worker sends back a greeting (its process id and CPU
time, for the deadline kill and the costly-query checks) and then the answer. Both sides
are this project's processes of one interpreter, so plain values cross in ``marshal``'s
format, and the bytes of a written answer cross as they are, after a short header:
pickling the job's dataclasses (``Limits`` alone has fifteen fields), a ``Serialized``
answer and the ``multiprocessing`` connection's layers around them cost a worker more
than a look-up's own query (bench/RESULTS.md, 2026-12-07). Only what marshal cannot
hold is pickled: the terms bound to a query's parameters, and answers given as rows
(the site's queries that ask for no format, the store's count and graphs).

The greeting stays a message of its own, sent as the worker takes the job up. Sending
it only for a job still running after 20 ms (a timer's signal, its byte written to the
connection by the interpreter's C handler, the worker's process id read from the
kernel's credentials) made a quick answer one message; but Python 3.11 prints a
broken pipe on that byte when the web process has left, and sending the connection
along with the job to keep it open (``SCM_RIGHTS``) cost a worker as much as the
message it saved (jobs sent one after another through one worker, 2026-12-07: no
less CPU per job on either side).

Frames (lengths little-endian):

- job: ``u32`` length, then marshal of the job's fields (``encode_job``);
- greeting: ``b"H"``, ``i32`` process id, ``f64`` CPU seconds used so far;
- answer: a tag (``b"S"`` written bytes, ``b"E"`` an error, ``b"P"`` pickled), ``u32``
  length of its header, ``u64`` length of its body, the header (marshal), the body.
"""

from __future__ import annotations

import marshal
import os
import pickle
import select
import struct
import time
from dataclasses import astuple, dataclass, field, fields
from functools import lru_cache

from ...config import Limits
from ...store.results import Serialized
from ..service import QueryRequest

GREETING = struct.Struct("<cid")
_JOB_HEAD = struct.Struct("<I")
_ANSWER_HEAD = struct.Struct("<cIQ")
_READ_SIZE = 256 * 1024  # one read takes what a socket's buffer holds
_REQUEST_FIELDS = tuple(f.name for f in fields(QueryRequest))
_BINDINGS = _REQUEST_FIELDS.index("bindings")


class WireError(EOFError):
    """The other side closed the connection, or sent what is not a frame."""


@dataclass(frozen=True)
class Job:
    """What a web process asks of a worker: ``op`` is ``query``, ``count`` or ``graphs``."""

    op: str
    request: QueryRequest | None = None
    limit: int = 0
    cpu_seconds: float = 0.0
    graphs: frozenset[str] = frozenset()
    limits: Limits = field(default_factory=Limits)
    accept_by: float = 0.0  # time.monotonic() after which no worker may take it up


def encode_job(job: Job) -> bytes:
    """The job as one frame."""
    request = None
    if job.request is not None:
        request = [getattr(job.request, name) for name in _REQUEST_FIELDS]
        bindings = request[_BINDINGS]
        request[_BINDINGS] = pickle.dumps(dict(bindings), protocol=5) if bindings else None
        request = tuple(request)
    body = marshal.dumps((job.op, request, job.limit, job.cpu_seconds, tuple(job.graphs),
                          _limit_values(job.limits), job.accept_by))
    return _JOB_HEAD.pack(len(body)) + body


def decode_job(body: bytes) -> Job:
    op, request, limit, cpu, graphs, limits, accept_by = marshal.loads(body)
    if request is not None:
        request = list(request)
        bindings = request[_BINDINGS]
        request[_BINDINGS] = pickle.loads(bindings) if bindings else {}
        request = QueryRequest(*request)
    return Job(op, request, limit, cpu, frozenset(graphs), _limits(limits), accept_by)


@lru_cache(maxsize=8)
def _limit_values(limits: Limits) -> tuple:
    """A lane's limits as plain values (a lane sends the same ``Limits`` every time)."""
    return astuple(limits)


@lru_cache(maxsize=8)
def _limits(values: tuple) -> Limits:
    return Limits(*values)


def encode_answer(status: str, payload: object) -> tuple[bytes, bytes]:
    """The answer's header and body, to be written in one call (``os.writev``)."""
    if status == "ok" and isinstance(payload, Serialized):
        tag, head, body = b"S", marshal.dumps((payload.kind, payload.fmt,
                                               payload.truncated)), payload.body
    elif status == "error":
        tag, head, body = b"E", marshal.dumps(tuple(payload)), b""
    else:
        tag, head, body = b"P", b"", pickle.dumps(payload, protocol=5)
    return _ANSWER_HEAD.pack(tag, len(head), len(body)) + head, body


def decode_answer(tag: bytes, head: bytes, body: bytes | bytearray) -> tuple[str, object]:
    """``("ok", result)`` or ``("error", (name, message))``."""
    if tag == b"S":
        kind, fmt, truncated = marshal.loads(head)
        return "ok", Serialized(kind, fmt, bytes(body), truncated)
    if tag == b"E":
        return "error", marshal.loads(head)
    if tag == b"P":
        return "ok", pickle.loads(body)
    raise WireError(f"not an answer: {tag!r}")


def write_all(fd: int, *parts: bytes) -> None:
    """Write ``parts`` to a blocking descriptor, in one call unless it takes several."""
    views = [memoryview(part) for part in parts if part]
    while views:
        written = os.writev(fd, views)
        while views and written >= len(views[0]):
            written -= len(views[0])
            views.pop(0)
        if written:
            views[0] = views[0][written:]


class Reader:
    """Frames from a socket's descriptor, each part waited for until a given time
    (``time.monotonic()``; ``TimeoutError`` past it, ``WireError`` at the end of the
    stream). One read takes all that has arrived: a greeting and an answer that came
    together are read at once."""

    def __init__(self, fd: int) -> None:
        self.fd = fd
        self.poll = select.poll()
        self.poll.register(fd, select.POLLIN)
        self.buffer = bytearray()

    def ready(self, seconds: float) -> bool:
        """Whether something is there to read, waiting at most ``seconds``."""
        return bool(self.buffer) or self._arrived(seconds)

    def take(self, size: int, until: float | None = None) -> bytearray:
        """The next ``size`` bytes."""
        while len(self.buffer) < min(size, _READ_SIZE):
            self._wait(until)
            self.buffer += self._read(os.read, _READ_SIZE)
        if len(self.buffer) >= size:
            taken = self.buffer[:size]
            del self.buffer[:size]
            return taken
        # a large answer: read into its own buffer as it comes, not through this one
        taken = bytearray(size)
        done = len(self.buffer)
        taken[:done] = self.buffer
        self.buffer.clear()
        view = memoryview(taken)
        while done < size:
            self._wait(until)
            done += self._read(os.readv, [view[done:]])
        return taken

    def _arrived(self, seconds: float) -> bool:
        return bool(self.poll.poll(max(0, int(seconds * 1000 + 0.999))))

    def _wait(self, until: float | None) -> None:
        """Until something arrives, or ``until`` (None: however long it takes)."""
        if until is None:
            self.poll.poll()
        elif not self._arrived(until - time.monotonic()):
            raise TimeoutError

    def _read(self, read, into):
        """What ``read(fd, into)`` returned: bytes, or how many it read."""
        try:
            got = read(self.fd, into)
        except BlockingIOError:
            return b"" if read is os.read else 0  # woken for nothing: wait again
        except OSError as err:
            raise WireError(str(err)) from None
        if not got:
            raise WireError("the other side closed the connection")
        return got

    def job(self, until: float) -> Job:
        (size,) = _JOB_HEAD.unpack(self.take(_JOB_HEAD.size, until))
        return decode_job(bytes(self.take(size, until)))

    def greeting(self, until: float) -> tuple[int, float]:
        tag, pid, spent = GREETING.unpack(self.take(GREETING.size, until))
        if tag != b"H":
            raise WireError(f"not a greeting: {tag!r}")
        return pid, spent

    def answer(self, until: float | None = None) -> tuple[str, object]:
        tag, head_size, body_size = _ANSWER_HEAD.unpack(self.take(_ANSWER_HEAD.size, until))
        head = bytes(self.take(head_size, until))
        return decode_answer(tag, head, self.take(body_size, until))
