"""Large answers written as the client reads them, with a write timeout.

granian has no write timeout: bytes handed to it stay in memory until the client has
read them or closes. A file, though, granian reads as the client reads. So the front
door (web/front.py) hands an answer over ``PIPED_ANSWER`` bytes to granian as a named
pipe, writes the answer into it as it empties, and drops a client that takes nothing
for ``WRITE_SECONDS``: the pipe is closed short of the answer, the connection reset
(``drop_connection``) and the answer's memory freed.
"""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import itertools
import os
import shutil
import socket
import stat
import struct
import weakref
from pathlib import Path
from typing import Any

from ..durable import scratch_directory

WRITE_SECONDS = 10.0  # a client that takes no piece of its answer for this long is dropped
PIPE_BYTES = 1024 * 1024  # the pipe's buffer (Linux's most, unprivileged): fewer wake-ups


class AnswerPipes:
    """Named pipes through which large answers reach granian, in ``directory`` (private
    to the server, shared by its web processes: names carry the process id), or one made
    on first use."""

    def __init__(self, directory: Path | None = None) -> None:
        self.directory = directory
        self._names = itertools.count()

    async def send(self, proto: Any, status: int, headers: list, body: bytes) -> bool:
        """Answer with ``body`` as fast as the client reads it; whether it took it all
        (False: it took no piece for ``WRITE_SECONDS`` and was dropped)."""
        path = self._directory() / f"{os.getpid()}-{next(self._names)}"
        os.mkfifo(path, 0o600)
        # read and write: a writer is there from the start, so granian's open of the pipe
        # never waits for one, and no write fails for want of a reader
        pipe = os.open(path, os.O_RDWR | os.O_NONBLOCK)
        try:
            with contextlib.suppress(OSError):  # a smaller pipe only means more wake-ups
                fcntl.fcntl(pipe, fcntl.F_SETPIPE_SZ, PIPE_BYTES)
            proto.response_file(status, headers, str(path))
            return await write_within(pipe, body, WRITE_SECONDS)
        finally:
            os.unlink(path)  # before the close: an open after it fails, it cannot wait
            os.close(pipe)  # granian reads what is left, then the end of the answer

    def _directory(self) -> Path:
        if self.directory is None:
            self.directory = scratch_directory("answers")
            weakref.finalize(self, shutil.rmtree, self.directory, True)
        return self.directory


async def write_within(fd: int, body: bytes, seconds: float) -> bool:
    """Write ``body`` to the non-blocking ``fd`` as it takes it; False if it took nothing
    for ``seconds``."""
    loop = asyncio.get_running_loop()
    view = memoryview(body)
    while view:
        try:
            view = view[os.write(fd, view[:PIPE_BYTES]):]
            continue
        except BlockingIOError:
            pass
        writable = loop.create_future()
        loop.add_writer(fd, _settle, writable)
        try:
            await asyncio.wait_for(writable, seconds)
        except TimeoutError:
            return False
        finally:
            loop.remove_writer(fd)
    return True


def drop_connection(local: str, peer: str) -> bool:
    """Shut down this process's TCP connection from ``peer`` to ``local`` (``host:port``
    each, as granian names them); whether it was found. granian gives the app no handle on
    a connection, and hyper, its write buffer full, no longer looks at the answer, so it
    would not see the answer end short: the socket is found among the process's open
    files by its two addresses. Only a client dropped for not reading comes here."""
    wanted = (_host_port(local), _host_port(peer))
    for name in os.listdir("/proc/self/fd"):
        try:
            if not stat.S_ISSOCK(os.fstat(int(name)).st_mode):
                continue
            sock = socket.socket(fileno=os.dup(int(name)))
        except OSError:
            continue
        with sock:  # a copy of the descriptor: closing it leaves the connection
            try:
                if sock.type != socket.SOCK_STREAM or wanted != (
                        sock.getsockname()[:2], sock.getpeername()[:2]):
                    continue
                # closed with a reset: the kernel drops what it still holds for it
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
                sock.shutdown(socket.SHUT_RDWR)  # hyper's next write fails: it lets go
                return True
            except OSError:
                continue
    return False


def _host_port(address: str) -> tuple[str, int]:
    host, _, port = address.rpartition(":")
    return host.strip("[]"), int(port)


def _settle(future: asyncio.Future) -> None:
    if not future.done():  # the loop may call again before the writer is removed
        future.set_result(None)
