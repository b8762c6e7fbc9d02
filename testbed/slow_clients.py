"""Slow and idle clients, as a denial of service without bandwidth or CPU: sockets that
send one byte of a request and stall, send headers and then a body one byte at a time,
connect and say nothing, or ask for a large answer and never read it. Each comes from
its own loopback address (127.0.0.0/8), as from many machines on the open web.

Used by the attack tests (tests/security/test_slow_clients.py) and the benchmarks
(bench/load_test.py, bench/http_servers.py).
"""

from __future__ import annotations

import contextlib
import socket
import statistics
import time
from collections.abc import Iterator
from dataclasses import dataclass

import requests

KINDS = ("one-byte", "slow-body", "idle", "slow-read")


def address(n: int) -> str:
    """The ``n``-th attacking address: 127.0.2.1, 127.0.2.2, … (250 per /24)."""
    return f"127.0.{2 + n // 250}.{1 + n % 250}"


def _open(host: str, port: int, kind: str, n: int, read_path: str) -> socket.socket:
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    if kind == "slow-read":  # a small window: the answer stays in the server's buffers
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
    sock.bind((address(n), 0))
    sock.settimeout(5)
    sock.connect((host, port))
    if kind == "one-byte":
        sock.sendall(b"G")
    elif kind == "slow-body":
        sock.sendall(b"POST /sparql HTTP/1.1\r\nHost: x\r\nContent-Type: "
                     b"application/sparql-query\r\nContent-Length: 1000\r\n\r\nA")
    elif kind == "slow-read":
        sock.sendall(f"GET {read_path} HTTP/1.1\r\nHost: x\r\n\r\n".encode()
                     * 4)  # pipelined: more answers waiting behind the unread one
    return sock


@contextlib.contextmanager
def slow_sockets(url: str, count: int, kinds: tuple[str, ...] = KINDS,
                 read_path: str = "/") -> Iterator[list[socket.socket]]:
    """``count`` sockets to the server at ``url``, the kinds taken in turn, held open for
    the ``with`` block (a socket the server already closed is left as it is)."""
    host, port = url.removeprefix("http://").split(":")
    sockets: list[socket.socket] = []
    try:
        for n in range(count):
            with contextlib.suppress(OSError):
                sockets.append(_open(host, int(port), kinds[n % len(kinds)], n, read_path))
        yield sockets
    finally:
        for sock in sockets:
            sock.close()


@dataclass
class Probes:
    """Latencies of sequential requests, in seconds; a failed one counts as ``inf``."""

    seconds: list[float]

    @property
    def failed(self) -> int:
        return sum(1 for s in self.seconds if s == float("inf"))

    def quantile(self, q: float) -> float:
        ordered = sorted(self.seconds)
        return ordered[min(len(ordered) - 1, int(q * len(ordered)))]

    @property
    def p50(self) -> float:
        return statistics.median(self.seconds)

    @property
    def p99(self) -> float:
        return self.quantile(0.99)


def probe(url: str, count: int = 50, timeout: float = 5.0) -> Probes:
    """``count`` GETs of ``url`` one after another, each on a new connection (as a new
    visitor would open), from 127.0.0.1."""
    seconds = []
    for _ in range(count):
        started = time.perf_counter()
        try:
            ok = requests.get(url, timeout=timeout, headers={"Connection": "close"}).ok
        except requests.RequestException:
            ok = False
        seconds.append(time.perf_counter() - started if ok else float("inf"))
    return Probes(seconds)
